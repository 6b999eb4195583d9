#include "catalog/catalog_json.hpp"

#include "core/changelog.hpp"

namespace xfu {

nlohmann::ordered_json rom_to_json(const Rom& rom) {
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
  };
  return {
      {"codename", rom.codename},
      {"variant", rom.variant},
      {"site_codename", text_or_null(rom.site_codename)},
      {"os", os_slug(rom.os)},
      {"device", rom.device},
      {"region", region_slug(rom.region)},
      {"version", rom.version},
      {"android", text_or_null(rom.android)},
      {"branch", branch_slug(rom.branch)},
      {"type", type_slug(rom.type)},
      {"size", text_or_null(display_size(rom))},
      {"size_bytes", exact_size(rom) ? nlohmann::ordered_json(*exact_size(rom)) : nlohmann::ordered_json()},
      {"size_approx_bytes",
       rom.size && !exact_size(rom) ? nlohmann::ordered_json(*rom.size) : nlohmann::ordered_json()},
      {"date", text_or_null(rom.date)},
      {"filename", rom.filename},
      {"md5", text_or_null(rom.md5)},
      {"link", rom.link},
      {"mirrors", rom.mirrors},
      {"incremental", text_or_null(rom.incremental)},
      {"changelog", text_or_null(changelog_to_text(rom.changelog))},
  };
}

nlohmann::ordered_json roms_to_json(const std::vector<const Rom*>& roms) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const Rom* rom : roms) array.push_back(rom_to_json(*rom));
  return array;
}

}  // namespace xfu
