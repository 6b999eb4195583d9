// Selecting and ordering ROMs: what `list`, `show` and `download` ask of a
// catalog.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace xfu {

struct RomFilter {
  std::string codename;  // base codename or exact variant, any case; empty: every device
  std::optional<Branch> branch;
  std::optional<RomType> type;
  std::string region;   // any case
  std::string version;  // exact, or a prefix ("V14", "OS2")
  std::string android;  // "9.0", or a prefix ("9")
  std::string since;    // YYYY-MM-DD, inclusive
  std::string until;    // YYYY-MM-DD, inclusive
  bool latest = false;  // only the newest per variant x branch x type
  size_t limit = 0;     // 0: no limit
};

// True when some ROM has this base codename or variant.
bool knows_codename(const Catalog& catalog, std::string_view codename);
// Whether `rom` is the device `wanted` names: its codename, a variant, or the
// XFU site's name for it (an alias); any case. Empty matches everything.
bool codename_matches(const Rom& rom, std::string_view wanted);

// The matching ROMs, newest first (date, then version, then device, type).
std::vector<const Rom*> select_roms(const Catalog& catalog, const RomFilter& filter);

// When `filter` finds nothing: for each flag that alone stands in the way,
// the values that flag could take to find something, as a user would type
// them after it ("--branch", {"weekly"}); for --version the newest few
// versions, for --since the newest date and for --until the oldest one that
// would let a ROM in. Empty when no single flag is to blame.
struct NearMiss {
  std::string flag;
  std::vector<std::string> values;
};
std::vector<NearMiss> near_misses(const Catalog& catalog, const RomFilter& filter);

// Strict weak order: newest first.
bool newer_first(const Rom& a, const Rom& b);

// The same file listed under several device names: one group per file name,
// in the order the files first appear in `roms`.
std::vector<std::vector<const Rom*>> group_by_file(const std::vector<const Rom*>& roms);

// Up to `count` codenames close to `wanted` (a typo, or a device name such as
// "mi 8"), each with the device's name without its region: {"dipper", "Mi 8"}.
struct CodenameSuggestion {
  std::string codename;
  std::string device;
};
std::vector<CodenameSuggestion> suggest_codenames(const std::vector<std::pair<std::string, std::string>>& devices,
                                                  std::string_view wanted, size_t count = 3);

}  // namespace xfu
