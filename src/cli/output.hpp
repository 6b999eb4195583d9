// Writing to stdout.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace xfu {

// Writes all of `text` to stdout. Throws Error(LocalFile) when stdout fails
// (full disk behind a redirection); a closed pipe ends xfu quietly.
void write_stdout(std::string_view text);

// Writes `value` as indented JSON and a newline.
void write_json(const nlohmann::json& value);

}  // namespace xfu
