// The ROM filters that list, show and download share.
#pragma once

#include <string>

#include "catalog/query.hpp"

namespace CLI {
class App;
}

namespace xfu {

class Context;

struct FilterFlags {
  std::string branch, type, region, version, android, since, until;
  bool latest = false;
  size_t limit = 0;
};

// Adds --branch, --type, --region, --version, --android, --since, --until,
// and, with `all`, --latest and --limit.
void add_filter_options(CLI::App& command, FilterFlags& flags, bool all);

// Checks the flag values; a bad one is Error(Usage) naming the valid values.
RomFilter make_filter(const FilterFlags& flags, const std::string& codename);

// Error(Usage) naming the valid regions when `region` is neither a known
// region nor one the catalog uses.
void require_known_region(const Catalog& catalog, const std::string& region);

// Error(Usage) unless `md5` (an --md5 value) is 32 hex digits.
void check_md5_option(const std::string& md5);

// Error(NothingMatched) with suggestions when no ROM has this codename.
void require_known_codename(Context& context, const Catalog& catalog, const std::string& codename);

// The filter as flags, as the user typed them (in canonical spelling): "--branch stable --version 8.12.7".
std::string filter_flags_text(const RomFilter& filter);

// Throws Error(NothingMatched): what `filter` asked for and, where one flag
// alone stands in the way, what the catalog has instead ("8.12.7 exists with
// --branch weekly").
[[noreturn]] void throw_nothing_matched(const Catalog& catalog, const RomFilter& filter);

// The ROMs of one release of `codename`: VERSION (exact or a prefix), or
// without it the newest of each variant, branch and type; narrowed by the
// filter flags. Error(NothingMatched) when none matches. The pointers stay
// valid as long as `context`.
// The filter flag a bare word stands for, when it is a branch, type or region word (or abbreviation) and cannot be
// a version: "weekly" -> "--branch weekly", "rec" -> "--type recovery", "cn" -> "--region china"; "" otherwise.
std::string filter_flag_for(const std::string& word);

std::vector<const Rom*> select_release(Context& context, const std::string& codename, const std::string& version,
                                       const FilterFlags& flags);

}  // namespace xfu
