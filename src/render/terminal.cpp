#include "render/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "util/strings.hpp"

namespace xfu {

bool is_terminal(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

size_t terminal_width(std::FILE* stream) {
  if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (*end == '\0' && value >= 20 && value <= 10000) return static_cast<size_t>(value);
  }
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col >= 20) return size.ws_col;
  return 80;
}

bool colour_wanted(std::FILE* stream, bool no_color_flag) {
  if (no_color_flag || std::getenv("NO_COLOR") != nullptr) return false;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return is_terminal(stream);
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
