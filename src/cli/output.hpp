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

// A file name or path as xfu shows it on stdout (render's visible_name):
// the real name, or, when it holds a line break, a control or an invisible
// character, that name escaped with md5sum -c's leading '\\' so that it can
// neither forge a line nor drive the terminal, and is never silently altered.
std::string display_name(std::string_view name);

// Writes `value` as indented JSON and a newline.
void write_json(const nlohmann::ordered_json& value);

}  // namespace xfu

#include "render/card.hpp"
#include "render/table.hpp"

namespace xfu {

// Table and card settings for stdout: its width, colour as --color and the
// environment decide (terminal.hpp), hyperlinks in cards, Unicode in a UTF-8
// locale. TSV and JSON never take colour, even forced: they are for programs.
TableOptions stdout_table_options(ColourMode colour);
CardStyle stdout_card_style(ColourMode colour);

}  // namespace xfu
