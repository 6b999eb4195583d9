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

}  // namespace xfu
