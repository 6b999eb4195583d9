#include "catalog/query.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "catalog/device_match.hpp"
#include "core/region.hpp"
#include "core/version_compare.hpp"
#include "util/strings.hpp"

namespace xfu {

bool codename_matches(const Rom& rom, std::string_view wanted) {
  return wanted.empty() || iequals(rom.codename, wanted) || iequals(rom.variant, wanted) ||
         iequals(rom.site_codename, wanted);
}

namespace {

// "V14" matches V14.0.30.0 but not V140.1; "8.12" matches 8.12.7.
bool version_matches(std::string_view version, std::string_view wanted) {
  if (wanted.empty() || iequals(version, wanted)) return true;
  if (!istarts_with(version, wanted)) return false;
  const char next = version[wanted.size()];
  return next == '.' || !(next >= '0' && next <= '9');
}

bool matches(const Rom& rom, const RomFilter& filter) {
  return codename_matches(rom, filter.codename) && (!filter.branch || rom.branch == *filter.branch) &&
         (!filter.type || rom.type == *filter.type) && (filter.region.empty() || iequals(rom.region, filter.region)) &&
         version_matches(rom.version, filter.version) && version_matches(rom.android, filter.android) &&
         (filter.since.empty() || (!rom.date.empty() && rom.date >= filter.since)) &&
         (filter.until.empty() || (!rom.date.empty() && rom.date <= filter.until));
}

}  // namespace

bool newer_first(const Rom& a, const Rom& b) {
  if (a.date != b.date) return a.date > b.date;
  if (const int order = compare_versions(a.version, b.version)) return order > 0;
  return std::tie(a.device, a.type, a.filename) < std::tie(b.device, b.type, b.filename);
}

bool knows_codename(const Catalog& catalog, std::string_view codename) {
  return std::any_of(catalog.roms.begin(), catalog.roms.end(),
                     [&](const Rom& rom) { return codename_matches(rom, codename); });
}

std::vector<const Rom*> select_roms(const Catalog& catalog, const RomFilter& filter) {
  std::vector<const Rom*> selected;
  for (const Rom& rom : catalog.roms)
    if (matches(rom, filter)) selected.push_back(&rom);
  std::stable_sort(selected.begin(), selected.end(), [](const Rom* a, const Rom* b) { return newer_first(*a, *b); });

  if (filter.latest) {
    std::set<std::tuple<std::string, std::string, Branch, RomType>> seen;
    std::erase_if(selected, [&](const Rom* rom) {
      return !seen.emplace(to_lower(rom->variant), rom->region, rom->branch, rom->type).second;
    });
  }
  if (filter.limit && selected.size() > filter.limit) selected.resize(filter.limit);
  return selected;
}

namespace {

void add_once(std::vector<std::string>& values, std::string value) {
  if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end())
    values.push_back(std::move(value));
}

// What `flag` could be set to so that the ROMs, found without it, are found with it (newest first).
std::vector<std::string> values_of(const std::string& flag, const std::vector<const Rom*>& roms) {
  constexpr size_t kMaxVersions = 3;
  std::vector<std::string> values;
  if (flag == "--since") return {roms.front()->date};
  if (flag == "--until") return {roms.back()->date};
  for (const Rom* rom : roms) {
    if (flag == "--branch") add_once(values, std::string(branch_slug(rom->branch)));
    else if (flag == "--type") add_once(values, std::string(type_slug(rom->type)));
    else if (flag == "--region") add_once(values, region_slug(rom->region));
    else if (flag == "--android") add_once(values, rom->android);
    else if (flag == "--version" && values.size() < kMaxVersions) add_once(values, rom->version);
  }
  if (flag == "--branch") {  // in the order the flag's help gives them
    std::vector<std::string> ordered;
    for (Branch branch : all_branches())
      if (std::find(values.begin(), values.end(), branch_slug(branch)) != values.end())
        ordered.emplace_back(branch_slug(branch));
    return ordered;
  }
  return values;
}

}  // namespace

std::vector<NearMiss> near_misses(const Catalog& catalog, const RomFilter& filter) {
  RomFilter any = filter;
  any.latest = false;
  any.limit = 0;
  const std::vector<std::pair<std::string, std::function<void(RomFilter&)>>> flags{
      {"--branch", [](RomFilter& f) { f.branch.reset(); }},   {"--type", [](RomFilter& f) { f.type.reset(); }},
      {"--region", [](RomFilter& f) { f.region.clear(); }},   {"--version", [](RomFilter& f) { f.version.clear(); }},
      {"--android", [](RomFilter& f) { f.android.clear(); }}, {"--since", [](RomFilter& f) { f.since.clear(); }},
      {"--until", [](RomFilter& f) { f.until.clear(); }},
  };
  std::vector<NearMiss> misses;
  for (const auto& [flag, drop] : flags) {
    RomFilter without = any;
    drop(without);
    if (std::tie(without.branch, without.type, without.region, without.version, without.android, without.since,
                 without.until) ==
        std::tie(any.branch, any.type, any.region, any.version, any.android, any.since, any.until))
      continue;  // the flag was not given
    const auto roms = select_roms(catalog, without);
    if (roms.empty()) continue;
    auto values = values_of(flag, roms);
    if (!values.empty()) misses.push_back({flag, std::move(values)});
  }
  return misses;
}

std::vector<std::vector<const Rom*>> group_by_file(const std::vector<const Rom*>& roms) {
  std::vector<std::vector<const Rom*>> groups;
  std::map<std::string_view, size_t> index_of;
  for (const Rom* rom : roms) {
    const auto [it, added] = index_of.emplace(rom->filename, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(rom);
  }
  return groups;
}

namespace {

// "Mi 8 Global" -> "Mi 8"
std::string without_region(std::string_view device) {
  const auto space = device.find_last_of(' ');
  if (space != std::string_view::npos && region_named(device.substr(space + 1)))
    return std::string(device.substr(0, space));
  return std::string(device);
}

// A codename's name with its region, when all its names are of one region
// ("Redmi Note 8 Pro India" for begoniain); else its name without one.
std::string name_with_region_of(const std::vector<std::pair<std::string, std::string>>& devices,
                                const std::string& codename, const std::string& plain) {
  std::set<std::string> regions;
  std::string named;
  for (const auto& [each, name] : devices) {
    if (each != codename) continue;
    const std::string bare = without_region(name);
    regions.insert(bare == name ? std::string() : name.substr(bare.size()));
    named = name;
  }
  return regions.size() == 1 && !regions.begin()->empty() ? named : plain;
}

}  // namespace

std::vector<CodenameSuggestion> suggest_codenames(const std::vector<std::pair<std::string, std::string>>& devices,
                                                  std::string_view wanted, size_t count) {
  // One entry per base codename, named after its shortest region-less device name.
  std::map<std::string, std::string> device_of;
  for (const auto& [codename, name] : devices) {
    std::string device = without_region(name);
    auto [it, added] = device_of.emplace(codename, device);
    if (!added && device.size() < it->second.size()) it->second = device;
  }
  // A region at the end narrows the device down, which names a variant; the device is the same ("Mi 8 Global").
  const std::string device_wanted = without_region(wanted);
  std::vector<std::pair<size_t, CodenameSuggestion>> scored;
  for (const auto& [codename, device] : device_of)
    if (const auto match = device_match(device_wanted, codename, codename, device))
      scored.push_back({*match, {codename, device}});
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CodenameSuggestion> out;
  for (size_t i = 0; i < scored.size() && i < count; ++i) {
    if (scored[i].first > scored[0].first && scored[0].first == kExactMatch) break;  // an exact name says it all
    out.push_back(scored[i].second);
  }
  // Two devices by one name (begonia and begoniain are both a Redmi Note 8 Pro): their regions tell them apart.
  std::map<std::string, size_t> times_named;
  for (const auto& suggestion : out) ++times_named[suggestion.device];
  for (auto& suggestion : out)
    if (times_named[suggestion.device] > 1)
      suggestion.device = name_with_region_of(devices, suggestion.codename, suggestion.device);
  return out;
}

}  // namespace xfu
