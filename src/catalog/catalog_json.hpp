// ROM records as xfu writes them for scripts (`--json`): normalised, md5
// null when unknown, the changelog as plain text. "size" is the label as the
// catalog gives it ("3.0 GB"); "size_bytes" is set only when the byte count
// is known exactly, "size_approx_bytes" only when it is read from a label.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/rom.hpp"

namespace xfu {

nlohmann::ordered_json rom_to_json(const Rom& rom);
nlohmann::ordered_json roms_to_json(const std::vector<const Rom*>& roms);

}  // namespace xfu
