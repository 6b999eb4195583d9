#include "core/catalog_json.hpp"

#include "core/changelog.hpp"

namespace xfu {

nlohmann::json rom_to_json(const Rom& rom) {
  const auto text_or_null = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
  return {
      {"codename", rom.codename},
      {"variant", rom.variant},
      {"device", rom.device},
      {"region", rom.region},
      {"version", rom.version},
      {"android", text_or_null(rom.android)},
      {"branch", branch_name(rom.branch)},
      {"type", type_name(rom.type)},
      {"size", rom.size ? nlohmann::json(*rom.size) : nlohmann::json()},
      {"date", text_or_null(rom.date)},
      {"filename", rom.filename},
      {"md5", text_or_null(rom.md5)},
      {"link", rom.link},
      {"mirrors", rom.mirrors},
      {"incremental", text_or_null(rom.incremental)},
      {"changelog", text_or_null(changelog_to_text(rom.changelog))},
  };
}

}  // namespace xfu
