// Boxed cards of labelled fields, fitted to a width in display columns.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "render/terminal.hpp"

namespace xfu {

struct CardField {
  std::string label;               // "Release Date"
  std::vector<std::string> lines;  // sanitized; each wrapped to the value column
  Colour colour = Colour::None;
  bool prose = false;  // wraps freely and does not widen the card; "[System]" lines are headings
  // A URL, file name or MD5, which users copy: never broken. A line too long
  // for the card runs past the right border, which it then goes without.
  bool whole = false;
  bool links = false;  // the lines are URLs: terminal hyperlinks when the style has them
};

struct CardStyle {
  // The card is as wide as its longest value that is not prose needs, at
  // least min_width and at most max_width (never under 20), borders included.
  size_t min_width = 80;
  size_t max_width = 80;
  bool unicode = true;  // box-drawing characters, else ASCII
  bool colour = false;
  bool hyperlinks = false;  // OSC 8 around URLs (see terminal.hpp)
};

std::string render_card(const std::string& title, const std::vector<CardField>& fields, const CardStyle& style);

// "Warnings", one sanitized line each behind a warning sign; nothing when there are none.
std::optional<CardField> warnings_field(const std::vector<std::string>& warnings);

// `text` broken into lines of at most `width` columns, at spaces where it
// can and inside words that are longer than a line.
std::vector<std::string> wrap_text(const std::string& text, size_t width);

}  // namespace xfu
