// Writing to stdout.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace xfu {

// Writes all of `text` to stdout. Throws Error(LocalFile) when stdout fails
// (full disk behind a redirection); a closed pipe ends xfu quietly.
void write_stdout(std::string_view text);

// Flushes what CLI11 and anything else left in stdout's buffers (--help,
// --version). Throws Error(LocalFile) as write_stdout does.
void flush_stdout();

// A file name or path as xfu shows it on stdout, the way md5sum -c shows
// names: a name with a line break is escaped (a leading '\', then "\\",
// "\n", "\r"), so that it cannot forge a line; then sanitized (escape
// sequences and control characters removed), so that it cannot drive the
// terminal.
std::string display_name(std::string_view name);

// Writes `value` as indented JSON and a newline.
void write_json(const nlohmann::ordered_json& value);

}  // namespace xfu

#include "render/card.hpp"
#include "render/table.hpp"

namespace xfu {

// Table and card settings for stdout: its width, colour unless --no-color or
// NO_COLOR, Unicode in a UTF-8 locale.
TableOptions stdout_table_options(bool no_color_flag);
CardStyle stdout_card_style(bool no_color_flag);

}  // namespace xfu
