// Catalog text made safe for a terminal, and measured in display columns.
//
// Every string from a catalog is untrusted: it may carry escape sequences
// (`\e]52;...` writes the clipboard, `\e[2J` clears the screen), other
// control characters, or bytes that are not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace xfu {

// Removes escape sequences and control characters (C0, DEL, C1), replaces
// invalid UTF-8 with U+FFFD. Line breaks and tabs become spaces.
std::string sanitize_line(std::string_view text);

// As sanitize_line, but keeps '\n' line breaks.
std::string sanitize_text(std::string_view text);

// Terminal columns `text` occupies: East Asian wide characters and emoji
// take two, combining marks none. `text` must be sanitized UTF-8.
size_t display_width(std::string_view text);

// `text` cut to at most `width` columns, ending with `ellipsis` when cut.
std::string truncate_to_width(std::string_view text, size_t width, std::string_view ellipsis);

// A file name as xfu shows it on stdout, where scripts read it: unchanged
// when it is valid UTF-8 without control characters (C0, DEL, C1) or
// invisible controls (is_invisible_control); otherwise escaped the way
// md5sum -c marks an escaped name: a leading '\\', then "\\\\" for '\\',
// "\\n", "\\r", and "\\xHH" for every other byte of such a character or of
// invalid UTF-8. Never silently altered, never able to drive a terminal.
std::string visible_name(std::string_view name);

// `json` (UTF-8 text as nlohmann::json dumps it) with every invisible
// control (C1, bidi and separators: is_invisible_control) written as the
// escape \uXXXX, which means the same to a JSON reader and nothing to a
// terminal. JSON's structure is ASCII, so such a character is always inside
// a string. Other non-ASCII text stays readable.
std::string escape_invisible_in_json(std::string_view json);

}  // namespace xfu
