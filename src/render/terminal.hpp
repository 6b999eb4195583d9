// What the terminal we print to can show.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace xfu {

bool is_terminal(std::FILE* stream);

// Columns of the terminal behind `stream`: $COLUMNS when set, else the
// window size, else 80.
size_t terminal_width(std::FILE* stream);

// Colour only on a terminal, never with $NO_COLOR set (any value), with
// TERM=dumb, or when the user said --no-color.
bool colour_wanted(std::FILE* stream, bool no_color_flag);

// True when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG).
bool utf8_locale();

// SGR colours used across xfu's output.
enum class Colour { None, Bold, Dim, Red, Green, Yellow, Blue, Magenta, Cyan };
std::string paint(std::string_view text, Colour colour, bool enabled);

}  // namespace xfu
