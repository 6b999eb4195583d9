// ROM records as xfu writes them for scripts (`--json`): normalised, with
// sizes in bytes, md5 null when unknown, and the changelog as plain text.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/rom.hpp"

namespace xfu {

nlohmann::ordered_json rom_to_json(const Rom& rom);
nlohmann::ordered_json roms_to_json(const std::vector<const Rom*>& roms);

}  // namespace xfu
