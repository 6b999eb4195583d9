// What the terminal we print to can show.
#pragma once

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace xfu {

bool is_terminal(std::FILE* stream);

// $COLUMNS when it is a whole number from 1 to 10000, else nothing.
std::optional<size_t> parse_columns(const char* value);

// Columns of the terminal behind `stream`: $COLUMNS when valid, else the
// window size, else 80 (a pipe).
size_t terminal_width(std::FILE* stream);

// --color: auto (the default), always or never (--no-color).
enum class ColourMode { Auto, Always, Never };
std::optional<ColourMode> parse_colour_mode(std::string_view text);

// What the colour decision reads from the environment; nullopt when unset.
struct ColourEnvironment {
  std::optional<std::string> no_color = {}, clicolor_force = {}, clicolor = {}, term = {};
  bool terminal = false;  // the stream is a terminal
};

// An explicit --color always|never wins; then a non-empty NO_COLOR turns
// colour off; then CLICOLOR_FORCE (non-empty, not "0") turns it on, even in
// a pipe; then CLICOLOR=0 or TERM=dumb turn it off; else colour on a
// terminal only. An empty NO_COLOR counts as unset (no-color.org).
bool decide_colour(ColourMode mode, const ColourEnvironment& environment);
ColourEnvironment colour_environment(std::FILE* stream);
bool colour_wanted(std::FILE* stream, ColourMode mode);

// Terminal hyperlinks (OSC 8) for URLs: XFU_HYPERLINKS=1 forces them and
// XFU_HYPERLINKS=0 turns them off; otherwise only when colour is on, the
// stream is a terminal and TERM is neither dumb nor linux (the console
// prints the sequence as text). Never in a pipe unless forced.
bool decide_hyperlinks(const std::optional<std::string>& xfu_hyperlinks, bool colour, bool terminal,
                       const std::optional<std::string>& term);
bool hyperlinks_wanted(std::FILE* stream, bool colour);

// `text` made a link to `url` (ESC ] 8 ; ; URL ESC \ text ESC ] 8 ; ; ESC \)
// when `url` is http(s); else `text` unchanged. The URL is untrusted: every
// byte outside '!'..'~' (controls, ESC, BEL, C1, spaces, non-ASCII) is
// percent-encoded, so nothing in it can end or add a sequence.
std::string hyperlink(std::string_view url, std::string_view text);

// True when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG).
bool utf8_locale();

// SGR colours used across xfu's output.
enum class Colour { None, Bold, Dim, Red, Green, Yellow, Blue, Magenta, Cyan };
std::string paint(std::string_view text, Colour colour, bool enabled);

}  // namespace xfu
