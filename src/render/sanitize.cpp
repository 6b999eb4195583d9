#include "render/sanitize.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "util/strings.hpp"

namespace xfu {

namespace {

// Length of the escape sequence starting with ESC (or C1 CSI/OSC) at `pos`.
size_t escape_length(std::string_view text, size_t pos, int32_t introducer) {
  size_t i = pos;
  bool csi = introducer == 0x9B, string = introducer == 0x9D || introducer == 0x90;
  i += introducer == 0x1B ? 1 : 2;
  if (introducer == 0x1B && i < text.size()) {
    const char kind = text[i];
    csi = kind == '[';
    string = kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X';
    ++i;
    if (!csi && !string) {
      // ESC ( B and similar: intermediate bytes, then one final byte.
      while (i < text.size() && text[i] >= 0x20 && text[i] <= 0x2F) ++i;
      return (i < text.size() ? i + 1 : i) - pos;
    }
  }
  if (csi) {
    while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7E)) ++i;
    return (i < text.size() ? i + 1 : i) - pos;
  }
  // String sequences end with BEL or ST (ESC \).
  while (i < text.size()) {
    if (text[i] == '\a') return i + 1 - pos;
    if (text[i] == 0x1B && i + 1 < text.size() && text[i + 1] == '\\') return i + 2 - pos;
    ++i;
  }
  return i - pos;
}

std::string sanitize(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const auto [code, length] = decode_utf8(text, pos);
    if (code == 0x1B || code == 0x9B || code == 0x9D || code == 0x90) {
      pos += escape_length(text, pos, code);
      continue;
    }
    if (code == '\n' && keep_newlines) {
      out += '\n';
    } else if (code == '\n' || code == '\t' || code == '\r') {
      if (code != '\r') out += ' ';
    } else if (code < 0) {
      out += "\xEF\xBF\xBD";
    } else if (code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0) || code == 0x2028 || code == 0x2029 ||
               (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069)) {
      // control characters, line separators and bidirectional overrides
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

struct Range {
  int32_t first, last;
};

// Wide (two-column) ranges: East Asian Wide and Fullwidth, and emoji.
constexpr std::array wide_ranges{
    Range{0x1100, 0x115F},   Range{0x231A, 0x231B},   Range{0x2329, 0x232A},   Range{0x23E9, 0x23EC},
    Range{0x23F0, 0x23F0},   Range{0x23F3, 0x23F3},   Range{0x25FD, 0x25FE},   Range{0x2614, 0x2615},
    Range{0x2648, 0x2653},   Range{0x267F, 0x267F},   Range{0x2693, 0x2693},   Range{0x26A1, 0x26A1},
    Range{0x26AA, 0x26AB},   Range{0x26BD, 0x26BE},   Range{0x26C4, 0x26C5},   Range{0x26CE, 0x26CE},
    Range{0x26D4, 0x26D4},   Range{0x26EA, 0x26EA},   Range{0x26F2, 0x26F3},   Range{0x26F5, 0x26F5},
    Range{0x26FA, 0x26FA},   Range{0x26FD, 0x26FD},   Range{0x2705, 0x2705},   Range{0x270A, 0x270B},
    Range{0x2728, 0x2728},   Range{0x274C, 0x274C},   Range{0x274E, 0x274E},   Range{0x2753, 0x2755},
    Range{0x2757, 0x2757},   Range{0x2795, 0x2797},   Range{0x27B0, 0x27B0},   Range{0x27BF, 0x27BF},
    Range{0x2B1B, 0x2B1C},   Range{0x2B50, 0x2B50},   Range{0x2B55, 0x2B55},   Range{0x2E80, 0x303E},
    Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},   Range{0x4E00, 0x9FFF},   Range{0xA000, 0xA4CF},
    Range{0xA960, 0xA97F},   Range{0xAC00, 0xD7A3},   Range{0xF900, 0xFAFF},   Range{0xFE10, 0xFE19},
    Range{0xFE30, 0xFE6F},   Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x16FE0, 0x16FE4},
    Range{0x17000, 0x18CFF}, Range{0x1B000, 0x1B2FF}, Range{0x1F004, 0x1F004}, Range{0x1F0CF, 0x1F0CF},
    Range{0x1F18E, 0x1F18E}, Range{0x1F191, 0x1F19A}, Range{0x1F200, 0x1F251}, Range{0x1F300, 0x1F64F},
    Range{0x1F680, 0x1F6FF}, Range{0x1F7E0, 0x1F7EB}, Range{0x1F90C, 0x1F9FF}, Range{0x1FA70, 0x1FAFF},
    Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD},
};

// Zero-width: combining marks, joiners, variation selectors.
constexpr std::array zero_ranges{
    Range{0x0300, 0x036F}, Range{0x0483, 0x0489}, Range{0x0591, 0x05BD}, Range{0x0610, 0x061A},
    Range{0x064B, 0x065F}, Range{0x0E31, 0x0E31}, Range{0x0E34, 0x0E3A}, Range{0x0E47, 0x0E4E},
    Range{0x1AB0, 0x1AFF}, Range{0x1DC0, 0x1DFF}, Range{0x200B, 0x200F}, Range{0x20D0, 0x20FF},
    Range{0xFE00, 0xFE0F}, Range{0xFE20, 0xFE2F}, Range{0xFEFF, 0xFEFF}, Range{0xE0100, 0xE01EF},
};

template <size_t N>
bool in(const std::array<Range, N>& ranges, int32_t code) {
  for (const Range& range : ranges)
    if (code >= range.first && code <= range.last) return true;
  return false;
}

size_t code_width(int32_t code) {
  if (code < 0x300) return 1;
  if (in(zero_ranges, code)) return 0;
  return in(wide_ranges, code) ? 2 : 1;
}

}  // namespace

std::string sanitize_line(std::string_view text) { return sanitize(text, false); }
std::string sanitize_text(std::string_view text) { return sanitize(text, true); }

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t pos = 0; pos < text.size();) {
    const auto [code, length] = decode_utf8(text, pos);
    width += code < 0 ? 1 : code_width(code);
    pos += length;
  }
  return width;
}

std::string truncate_to_width(std::string_view text, size_t width, std::string_view ellipsis) {
  if (display_width(text) <= width) return std::string(text);
  const size_t ellipsis_width = display_width(ellipsis);
  if (width < ellipsis_width) return std::string(ellipsis.substr(0, width));
  std::string out;
  size_t used = 0;
  for (size_t pos = 0; pos < text.size();) {
    const auto [code, length] = decode_utf8(text, pos);
    const size_t w = code < 0 ? 1 : code_width(code);
    if (used + w + ellipsis_width > width) break;
    out.append(text.substr(pos, length));
    used += w;
    pos += length;
  }
  return out + std::string(ellipsis);
}

namespace {

bool shows_as_itself(int32_t code) { return code >= 0x20 && code != 0x7f && !is_invisible_control(code); }

std::string hex_byte(unsigned char byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  return {'\\', 'x', kDigits[byte >> 4], kDigits[byte & 0xf]};
}

}  // namespace

std::string visible_name(std::string_view name) {
  bool plain = true;
  for (size_t pos = 0; pos < name.size() && plain;) {
    const auto [code, length] = decode_utf8(name, pos);
    plain = shows_as_itself(code);
    pos += length;
  }
  if (plain) return std::string(name);
  std::string out = "\\";
  for (size_t pos = 0; pos < name.size();) {
    const auto [code, length] = decode_utf8(name, pos);
    if (code == '\\') {
      out += "\\\\";
    } else if (code == '\n') {
      out += "\\n";
    } else if (code == '\r') {
      out += "\\r";
    } else if (shows_as_itself(code)) {
      out.append(name.substr(pos, length));
    } else {
      for (size_t i = pos; i < pos + length; ++i) out += hex_byte(static_cast<unsigned char>(name[i]));
    }
    pos += length;
  }
  return out;
}

std::string escape_invisible_in_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (size_t pos = 0; pos < json.size();) {
    const auto [code, length] = decode_utf8(json, pos);
    if (is_invisible_control(code)) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(code));
      out += escape;
    } else {
      out.append(json.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

}  // namespace xfu
