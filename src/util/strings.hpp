// Small string helpers shared by every layer. No xfu types here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xfu {

std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string_view trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
bool is_hex(std::string_view text);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Optimal string alignment distance (an adjacent swap counts as one edit),
// case-insensitive: how many typos apart two words are.
size_t edit_distance(std::string_view a, std::string_view b);

// Decodes one UTF-8 sequence at `pos`. Returns the code point and its length,
// or {-1, 1} for a byte that does not start a valid, shortest-form sequence.
std::pair<int32_t, size_t> decode_utf8(std::string_view text, size_t pos);

// Code points that show nothing yet change what a terminal or a reader sees:
// C1 controls (U+0080-U+009F, CSI among them), zero-width and direction marks
// (U+200B-U+200F), line and paragraph separators (U+2028/2029), bidi
// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
// byte-order mark (U+FEFF).
bool is_invisible_control(int32_t code);

// `text` in double quotes for a message, every character in it visible: controls, invisible code points
// (is_invisible_control) and bytes that are not UTF-8 written as \u0085 or \xff, and cut after
// `limit` characters with "..." (never inside a character).
std::string quoted_excerpt(std::string_view text, size_t limit = 60);

}  // namespace xfu
