#include "core/query.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/version_compare.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

bool codename_matches(const Rom& rom, std::string_view wanted) {
  return wanted.empty() || iequals(rom.codename, wanted) || iequals(rom.variant, wanted);
}

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

}  // namespace xfu
