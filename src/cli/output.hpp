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
