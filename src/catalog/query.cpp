#include "catalog/query.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

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

// Optimal string alignment distance, case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b) {
  const std::string x = to_lower(a), y = to_lower(b);
  std::vector<std::vector<size_t>> d(x.size() + 1, std::vector<size_t>(y.size() + 1));
  for (size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    for (size_t j = 1; j <= y.size(); ++j) {
      const size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.size()][y.size()];
}

// "Mi 8 Global" -> "Mi 8"
std::string without_region(std::string_view device) {
  const auto space = device.find_last_of(' ');
  if (space != std::string_view::npos && region_named(device.substr(space + 1)))
    return std::string(device.substr(0, space));
  return std::string(device);
}

// Letters and digits only, lower-case: "Mi 8" and "mi8" compare equal.
std::string squashed(std::string_view text) {
  std::string out;
  for (char c : to_lower(text))
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  return out;
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
  const std::string wanted_squashed = squashed(wanted);
  const size_t tolerance = std::max<size_t>(1, wanted.size() / 3);
  std::vector<std::pair<size_t, CodenameSuggestion>> scored;
  for (const auto& [codename, device] : device_of) {
    size_t score = edit_distance(wanted, codename);
    if (!wanted_squashed.empty() && squashed(device) == wanted_squashed) score = 0;
    if (score <= tolerance) scored.push_back({score, {codename, device}});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CodenameSuggestion> out;
  for (size_t i = 0; i < scored.size() && i < count; ++i) {
    if (scored[i].first > scored[0].first && scored[0].first == 0) break;  // an exact name match says it all
    out.push_back(scored[i].second);
  }
  return out;
}

}  // namespace xfu
