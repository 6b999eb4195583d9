#include "render/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "util/strings.hpp"

namespace xfu {

bool is_terminal(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

namespace {

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::optional<std::string>(value) : std::nullopt;
}

bool set_and_not_empty(const std::optional<std::string>& value) { return value && !value->empty(); }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && to_lower(std::string(text.substr(0, prefix.size()))) == prefix;
}

}  // namespace

std::optional<size_t> parse_columns(const char* value) {
  if (!value || !*value) return std::nullopt;
  size_t columns = 0;
  for (const char* c = value; *c; ++c) {
    if (*c < '0' || *c > '9') return std::nullopt;
    columns = columns * 10 + static_cast<size_t>(*c - '0');
    if (columns > 10000) return std::nullopt;
  }
  return columns ? std::optional<size_t>(columns) : std::nullopt;
}

size_t terminal_width(std::FILE* stream) {
  if (const auto columns = parse_columns(std::getenv("COLUMNS"))) return *columns;
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::optional<ColourMode> parse_colour_mode(std::string_view text) {
  if (text == "auto") return ColourMode::Auto;
  if (text == "always") return ColourMode::Always;
  if (text == "never") return ColourMode::Never;
  return std::nullopt;
}

bool decide_colour(ColourMode mode, const ColourEnvironment& environment) {
  if (mode != ColourMode::Auto) return mode == ColourMode::Always;
  if (set_and_not_empty(environment.no_color)) return false;
  if (set_and_not_empty(environment.clicolor_force) && *environment.clicolor_force != "0") return true;
  if (environment.clicolor == "0" || environment.term == "dumb") return false;
  return environment.terminal;
}

ColourEnvironment colour_environment(std::FILE* stream) {
  return {environment("NO_COLOR"), environment("CLICOLOR_FORCE"), environment("CLICOLOR"), environment("TERM"),
          is_terminal(stream)};
}

bool colour_wanted(std::FILE* stream, ColourMode mode) { return decide_colour(mode, colour_environment(stream)); }

bool decide_hyperlinks(const std::optional<std::string>& xfu_hyperlinks, bool colour, bool terminal,
                       const std::optional<std::string>& term) {
  if (xfu_hyperlinks == "1") return true;
  if (xfu_hyperlinks == "0") return false;
  return colour && terminal && term != "dumb" && term != "linux";
}

bool hyperlinks_wanted(std::FILE* stream, bool colour) {
  return decide_hyperlinks(environment("XFU_HYPERLINKS"), colour, is_terminal(stream), environment("TERM"));
}

std::string hyperlink(std::string_view url, std::string_view text) {
  if (!starts_with_ignoring_case(url, "https://") && !starts_with_ignoring_case(url, "http://"))
    return std::string(text);
  constexpr char kDigits[] = "0123456789ABCDEF";
  std::string target;
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7F) {
      target += c;
    } else {
      target += '%';
      target += kDigits[byte >> 4];
      target += kDigits[byte & 0xF];
    }
  }
  return "\x1b]8;;" + target + "\x1b\\" + std::string(text) + "\x1b]8;;\x1b\\";
}

bool utf8_locale() {
  for (const char* variable : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(variable);
    if (!value || !*value) continue;
    const std::string lower = to_lower(value);
    return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
  }
  return false;
}

std::string paint(std::string_view text, Colour colour, bool enabled) {
  if (!enabled || colour == Colour::None || text.empty()) return std::string(text);
  const char* code = "";
  switch (colour) {
    case Colour::None: break;
    case Colour::Bold: code = "1"; break;
    case Colour::Dim: code = "2"; break;
    case Colour::Red: code = "31"; break;
    case Colour::Green: code = "32"; break;
    case Colour::Yellow: code = "33"; break;
    case Colour::Blue: code = "34"; break;
    case Colour::Magenta: code = "35"; break;
    case Colour::Cyan: code = "36"; break;
  }
  return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
}

}  // namespace xfu
