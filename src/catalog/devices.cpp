#include "catalog/devices.hpp"

#include <algorithm>
#include <map>

#include "catalog/query.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

bool device_name_matches(std::string_view device, std::string_view query) {
  const std::string name = to_lower(device), wanted = to_lower(query);
  return name.starts_with(wanted) || name.find(" " + wanted) != std::string::npos ||
         name.find("/" + wanted) != std::string::npos;
}

}  // namespace

std::vector<DeviceSummary> find_devices(const Catalog& catalog, std::string_view query) {
  query = trim(query);
  std::map<std::string, std::vector<const Rom*>> by_variant;
  for (const Rom& rom : catalog.roms) by_variant[to_lower(rom.variant)].push_back(&rom);

  std::vector<DeviceSummary> found;
  for (auto& [variant, roms] : by_variant) {
    const bool matches = query.empty() || istarts_with(variant, query) ||
                         std::any_of(roms.begin(), roms.end(),
                                     [&](const Rom* rom) { return device_name_matches(rom->device, query); });
    if (!matches) continue;
    std::map<std::string_view, size_t> name_counts;
    for (const Rom* rom : roms) ++name_counts[rom->device];
    DeviceSummary summary;
    summary.codename = roms.front()->codename;
    summary.variant = roms.front()->variant;
    summary.device = std::max_element(name_counts.begin(), name_counts.end(), [](const auto& a, const auto& b) {
                       return a.second < b.second;
                     })->first;
    summary.region = roms.front()->region;
    summary.roms = roms.size();
    std::stable_sort(roms.begin(), roms.end(), [](const Rom* a, const Rom* b) { return newer_first(*a, *b); });
    for (const Rom* rom : roms) {
      std::string& newest = summary.newest[static_cast<size_t>(rom->branch)];
      if (newest.empty()) newest = rom->version;
    }
    found.push_back(std::move(summary));
  }
  return found;
}

}  // namespace xfu
