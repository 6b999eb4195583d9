#include "core/changelog.hpp"

#include <array>
#include <cstdint>

#include "util/strings.hpp"

namespace xfu {

namespace {

struct Entity {
  std::string_view name;
  std::string_view text;
};

constexpr std::array entities{
    Entity{"amp", "&"},         Entity{"lt", "<"},         Entity{"gt", ">"},          Entity{"quot", "\""},
    Entity{"apos", "'"},        Entity{"nbsp", " "},       Entity{"ndash", "\u2013"},  Entity{"mdash", "\u2014"},
    Entity{"hellip", "\u2026"}, Entity{"lsquo", "\u2018"}, Entity{"rsquo", "\u2019"},  Entity{"ldquo", "\u201C"},
    Entity{"rdquo", "\u201D"},  Entity{"bull", "\u2022"},  Entity{"middot", "\u00B7"}, Entity{"copy", "\u00A9"},
    Entity{"reg", "\u00AE"},    Entity{"trade", "\u2122"}, Entity{"times", "\u00D7"},
};

void append_utf8(std::string& out, uint32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Decodes the entity starting at `pos` ('&'); returns its length, 0 if none.
size_t decode_entity(std::string_view html, size_t pos, std::string& out) {
  const size_t end = html.substr(0, pos + 14).find(';', pos);  // entities are short: never scan further
  if (end == std::string_view::npos || end - pos > 12) return 0;
  const std::string_view name = html.substr(pos + 1, end - pos - 1);
  if (name.size() > 1 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    uint32_t code = 0;
    for (char c : digits) {
      int value = -1;
      if (c >= '0' && c <= '9') value = c - '0';
      else if (hex && c >= 'a' && c <= 'f') value = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') value = c - 'A' + 10;
      if (value < 0) return 0;
      code = code * (hex ? 16 : 10) + static_cast<uint32_t>(value);
      if (code > 0x10FFFF) code = 0x110000;
    }
    append_utf8(out, code);
    return end - pos + 1;
  }
  for (const Entity& entity : entities) {
    if (entity.name == name) {
      out += entity.text;
      return end - pos + 1;
    }
  }
  return 0;
}

bool is_break_tag(std::string_view tag) {
  const std::string lower = to_lower(tag);
  return lower.starts_with("<br") || lower.starts_with("</p") || lower.starts_with("<p>") || lower.starts_with("<p ") ||
         lower.starts_with("</li") || lower.starts_with("</div");
}

std::string tidy_lines(const std::string& text) {
  std::string out;
  for (std::string_view line : split(text, '\n')) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    out += line;
    out += '\n';
  }
  const auto first = out.find_first_not_of('\n');
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of('\n');
  return out.substr(first, last - first + 1);
}

}  // namespace

std::string changelog_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool closers_left = true;  // once no '>' follows, every later '<' is text: no quadratic rescans
  for (size_t pos = 0; pos < html.size();) {
    const char c = html[pos];
    if (c == '<') {
      const size_t end = closers_left ? html.find('>', pos) : std::string_view::npos;
      if (end == std::string_view::npos) {
        closers_left = false;
        out += c;
        ++pos;
        continue;
      }
      if (is_break_tag(html.substr(pos, end - pos + 1))) out += '\n';
      pos = end + 1;
    } else if (c == '&') {
      const size_t length = decode_entity(html, pos, out);
      if (length == 0) out += c;
      pos += length ? length : 1;
    } else {
      out += c;
      ++pos;
    }
  }
  return tidy_lines(out);
}

}  // namespace xfu
