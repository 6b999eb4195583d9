#include "catalog/devices.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "catalog/device_match.hpp"
#include "catalog/query.hpp"
#include "util/strings.hpp"

namespace xfu {

std::vector<DeviceSummary> find_devices(const Catalog& catalog, std::string_view query) {
  query = trim(query);
  std::map<std::string, std::vector<const Rom*>> by_variant;
  for (const Rom& rom : catalog.roms) by_variant[to_lower(rom.variant)].push_back(&rom);

  // Every variant that the query names or starts; only when there is none, those the fewest typos away.
  std::map<std::string, size_t> closeness;
  for (const auto& [variant, roms] : by_variant) {
    if (query.empty()) closeness[variant] = kExactMatch;
    std::set<std::string_view> names;  // a variant's records repeat a handful of names: match each once
    for (const Rom* rom : roms)
      if (!names.insert(rom->device).second) continue;
      else if (const auto match = device_match(query, rom->codename, rom->variant, rom->device)) {
        auto [it, added] = closeness.emplace(variant, *match);
        if (!added) it->second = std::min(it->second, *match);
      }
  }
  size_t best = SIZE_MAX;
  for (const auto& [variant, match] : closeness) best = std::min(best, match);
  const size_t keep_up_to = std::max(best, kPrefixMatch);

  std::vector<std::pair<std::pair<size_t, size_t>, DeviceSummary>> found;  // (closeness, letters after), device
  for (auto& [variant, roms] : by_variant) {
    const auto it = closeness.find(variant);
    if (it == closeness.end() || it->second > keep_up_to) continue;
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
    const size_t after = letters_after_match(query, summary.device);
    found.emplace_back(std::pair{it->second, after}, std::move(summary));
  }
  // The closest first ("xiaomi 14" names houji before it starts Xiaomi 14 Ultra), then the names the query covers
  // most of ("note 8": Redmi Note 8 before Redmi Note 8 Pro); by variant within each.
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<DeviceSummary> out;
  for (auto& [closeness, summary] : found) out.push_back(std::move(summary));
  return out;
}

}  // namespace xfu
