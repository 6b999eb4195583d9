#include "render/card.hpp"

#include <algorithm>

#include "render/sanitize.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr size_t kMinWidth = 20;

struct Box {
  const char *top_left, *top_right, *bottom_left, *bottom_right, *horizontal, *vertical;
};
constexpr Box kUnicodeBox{"\u256D", "\u256E", "\u2570", "\u256F", "\u2500", "\u2502"};
constexpr Box kAsciiBox{"+", "+", "+", "+", "-", "|"};

std::string repeat(const char* piece, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += piece;
  return out;
}

// Splits a word wider than `width` into pieces of at most `width` columns
// (a character wider than `width` makes a piece of its own). One pass: a
// hostile megabyte without spaces must not cost quadratic time.
// A URL is never split, so that it can be selected and opened: it gets a line of its own, past the border if need be.
std::vector<std::string> split_word(const std::string& word, size_t width) {
  if (word.find("://") != std::string::npos) return {word};
  std::vector<std::string> pieces;
  std::string piece;
  size_t piece_width = 0;
  for (size_t pos = 0; pos < word.size();) {
    size_t length = 1;
    while (pos + length < word.size() && (static_cast<unsigned char>(word[pos + length]) & 0xC0) == 0x80) ++length;
    const std::string character = word.substr(pos, length);
    const size_t character_width = display_width(character);
    if (piece_width && piece_width + character_width > width) {
      pieces.push_back(std::move(piece));
      piece.clear();
      piece_width = 0;
    }
    piece += character;
    piece_width += character_width;
    pos += length;
  }
  pieces.push_back(std::move(piece));
  return pieces;
}

bool is_heading(const std::string& line) { return line.size() > 2 && line.front() == '[' && line.back() == ']'; }

}  // namespace

std::vector<std::string> wrap_text(const std::string& text, size_t width) {
  width = std::max<size_t>(width, 1);
  std::vector<std::string> lines;
  std::string line;
  size_t line_width = 0;
  for (const std::string& word : split(text, ' ')) {
    if (word.empty()) continue;
    for (const std::string& piece : split_word(word, width)) {
      const size_t piece_width = display_width(piece);
      if (line_width && line_width + 1 + piece_width > width) {
        lines.push_back(line);
        line.clear();
        line_width = 0;
      }
      if (line_width) {
        line += ' ';
        ++line_width;
      }
      line += piece;
      line_width += piece_width;
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string render_card(const std::string& title, const std::vector<CardField>& fields, const CardStyle& style) {
  const Box& box = style.unicode ? kUnicodeBox : kAsciiBox;
  size_t label_width = 0, longest_value = 0;
  for (const auto& field : fields) {
    label_width = std::max(label_width, display_width(field.label) + 2);
    if (field.prose) continue;
    for (const auto& line : field.lines) longest_value = std::max(longest_value, display_width(line));
  }
  const size_t max_width = std::max(style.max_width, kMinWidth);
  const size_t width = std::clamp(label_width + longest_value + 4, std::min(style.min_width, max_width), max_width);
  const size_t inner = width - 4;
  // Too narrow for labels beside their values ("Release D"): each label on a line of its own, values below it.
  const bool stacked = label_width > inner / 2;
  if (stacked) label_width = 2;
  const size_t value_width = inner - label_width;

  const std::string shown_title = truncate_to_width(title, width - 6, style.unicode ? "\u2026" : "...");
  std::string out = box.top_left + repeat(box.horizontal, 1) + " " + paint(shown_title, Colour::Bold, style.colour) +
                    " " + repeat(box.horizontal, width - 5 - display_width(shown_title)) + box.top_right + "\n";
  const auto value_text = [&](const std::string& value, const CardField& field, Colour colour) {
    const std::string painted = paint(value, colour, style.colour);
    return field.links && style.hyperlinks ? hyperlink(value, painted) : painted;
  };
  const auto emit = [&](const std::string& label, const std::string& value, const std::string& shown) {
    const std::string label_cell = std::string(box.vertical) + " " + paint(label, Colour::Bold, style.colour) +
                                   std::string(label_width - display_width(label), ' ');
    const size_t used = label_width + display_width(value);
    if (used > inner) {  // a whole value: on its own, past the border, so that it can be copied
      out += label_cell + shown + "\n";
      return;
    }
    out += label_cell + shown + std::string(inner - used, ' ') + " " + box.vertical + "\n";
  };
  for (const auto& field : fields) {
    std::string label = field.label + ":";
    if (stacked) {
      const std::string shown = truncate_to_width(label, inner, "");
      out += std::string(box.vertical) + " " + paint(shown, Colour::Bold, style.colour) +
             std::string(inner - display_width(shown), ' ') + " " + box.vertical + "\n";
      label.clear();
    }
    for (const std::string& value_line : field.lines) {
      const Colour colour = field.prose && is_heading(value_line) ? Colour::Cyan : field.colour;
      const auto pieces = field.whole ? std::vector<std::string>{value_line} : wrap_text(value_line, value_width);
      for (const std::string& piece : pieces) {
        emit(label, piece, value_text(piece, field, colour));
        label.clear();
      }
    }
  }
  out += box.bottom_left + repeat(box.horizontal, width - 2) + box.bottom_right + "\n";
  return out;
}

std::optional<CardField> warnings_field(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return std::nullopt;
  CardField field{"Warnings", {}, Colour::Yellow, true};
  for (const std::string& warning : warnings) field.lines.push_back("\u26A0 " + warning);
  return field;
}

}  // namespace xfu
