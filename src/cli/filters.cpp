#include "cli/filters.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>

#include "cli/context.hpp"
#include "cli/usage_errors.hpp"
#include "core/exit_code.hpp"
#include "core/hash.hpp"
#include "core/region.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

// `value` as one of `valid`: itself, or the one word it abbreviates (what narrow tables print: "Rec",
// "S.Beta"). Else a usage error that names what it may stand for, or the nearest spelling, and every word.
std::string checked_word(const std::string& value, const char* flag, const std::vector<std::string>& valid) {
  for (const auto& word : valid)
    if (iequals(word, value)) return word;
  const auto matches = abbreviated_words(value, valid);
  if (matches.size() == 1) return matches.front();
  std::string message = std::string("invalid ") + flag + " \"" + value + "\": ";
  if (matches.size() > 1) {
    message += "it may be " + join(matches, " or ") + "; type one of them";
  } else {
    const std::string nearest = nearest_word(value, valid);
    message += (nearest.empty() ? "" : "did you mean '" + nearest + "'? ") + "expected " + join(valid, ", ");
  }
  throw Error(ExitCode::Usage, message);
}

template <typename T, typename Parse, typename Slug, typename All>
std::optional<T> parse_choice(const std::string& value, const char* flag, Parse parse, Slug slug, All all) {
  if (value.empty()) return std::nullopt;
  // The catalog's parse reads "stable-" as stable; on the command line a trailing separator starts stable-beta.
  const bool open_ended = std::string("-._ ").find(value.back()) != std::string::npos;
  if (auto parsed = parse(value); parsed && !open_ended) return parsed;
  std::vector<std::string> valid;
  for (T item : all()) valid.emplace_back(slug(item));
  return parse(checked_word(value, flag, valid));
}

std::string checked_date(const std::string& value, const char* flag) {
  if (!value.empty() && !is_iso_date(value))
    throw Error(ExitCode::Usage, std::string("invalid ") + flag + " \"" + value + "\": expected a date YYYY-MM-DD");
  return value;
}

// A word that cannot be a version would match nothing and be reported as "no ROM matches": say what it should be.
std::string checked_android(const std::string& value) {
  if (!value.empty() && !is_android_version(value))
    throw Error(ExitCode::Usage, "invalid --android \"" + value + "\": expected an Android version such as 14 or 9.0");
  return value;
}

}  // namespace

void check_md5_option(const std::string& md5) {
  if (!is_md5_hex(md5)) throw Error(ExitCode::Usage, "invalid --md5 \"" + md5 + "\": expected 32 hex digits");
}

namespace {

// The one list of regions (core/region), as --region takes them.
std::string region_words() {
  std::vector<std::string> words;
  for (const auto& known : known_regions()) words.push_back(to_lower(known.name));
  return join(words, ", ");
}

std::string quoted_word(const std::string& word) { return "'" + word + "'"; }

// The region `value` names: itself, its code ("cn" -> china, as variant codenames write it) or another spelling
// (core/region: "eu" -> eea), or the one region it abbreviates ("indo" -> indonesia). Anything else is left for
// require_known_region.
std::string region_of(const std::string& value) {
  if (value.empty() || region_named(value)) return value;
  if (const auto region = region_spelled(value)) return to_lower(*region);
  std::vector<std::string> names;
  for (const auto& known : known_regions()) names.push_back(to_lower(known.name));
  const auto matches = abbreviated_words(value, names);
  return matches.size() == 1 ? matches.front() : value;
}

}  // namespace

void add_filter_options(CLI::App& command, FilterFlags& flags, bool all) {
  command.add_option("--branch", flags.branch, "stable, stable-beta, weekly or public-beta")->option_text("BRANCH");
  command.add_option("--type", flags.type, "recovery or fastboot")->option_text("TYPE");
  command.add_option("--region", flags.region, region_words())->option_text("REGION");
  command.add_option("--version", flags.version, "Exact version, or a prefix such as V14 or OS2")
      ->option_text("VERSION");
  command.add_option("--android", flags.android, "Android version, or a prefix: 9.0, 14")->option_text("VERSION");
  command.add_option("--since", flags.since, "Released on or after this date, as YYYY-MM-DD")
      ->option_text("YYYY-MM-DD");
  command.add_option("--until", flags.until, "Released on or before this date, as YYYY-MM-DD")
      ->option_text("YYYY-MM-DD");
  if (!all) return;
  command.add_flag("--latest", flags.latest, "Only the newest release per variant, branch and type");
  // Checked as text: a "-1" would otherwise wrap around to a huge size_t and pass any range.
  const CLI::Validator at_least_one(
      [](std::string& value) {
        const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || value.find_first_not_of('0') == std::string::npos)
          return "must be a whole number of at least 1, not \"" + value + "\"";
        // More than any catalog holds is no limit, however many digits it takes to say so.
        if (value.size() >= 19) value = "999999999999999999";
        return std::string();
      },
      "N");
  command.add_option("--limit", flags.limit, "At most N ROMs")->option_text("N")->check(at_least_one);
}

RomFilter make_filter(const FilterFlags& flags, const std::string& codename) {
  RomFilter filter;
  filter.codename = codename;
  filter.branch = parse_choice<Branch>(flags.branch, "--branch", parse_branch, branch_slug, all_branches);
  filter.type = parse_choice<RomType>(flags.type, "--type", parse_type, type_slug, all_types);
  filter.region = region_of(flags.region);
  filter.version = flags.version;
  filter.android = checked_android(flags.android);
  filter.since = checked_date(flags.since, "--since");
  filter.until = checked_date(flags.until, "--until");
  filter.latest = flags.latest;
  filter.limit = flags.limit;
  return filter;
}

void require_known_region(const Catalog& catalog, const std::string& region) {
  if (region.empty() || region_named(region)) return;
  for (const Rom& rom : catalog.roms)
    if (iequals(rom.region, region)) return;
  std::vector<std::string> names;
  for (const auto& known : known_regions()) names.push_back(to_lower(known.name));
  checked_word(region, "--region", names);  // a region's code or an abbreviation was taken by make_filter
  throw Error(ExitCode::Usage, "invalid --region \"" + region + "\": expected " + region_words());
}

// "Mi 8 Global" names a region too: suggest dipper_global, not dipper, when the catalog has it.
void name_the_variant_of_a_region(Context& context, const std::string& query,
                                  std::vector<CodenameSuggestion>& suggestions) {
  const auto space = query.find_last_of(' ');
  const auto region = space == std::string::npos ? std::nullopt : region_named(query.substr(space + 1));
  if (!region) return;
  const std::vector<std::string> names = context.loaded().names();
  for (CodenameSuggestion& suggestion : suggestions) {
    const std::string variant = variant_codename(suggestion.codename, *region);
    if (std::find(names.begin(), names.end(), to_lower(variant)) == names.end()) continue;
    suggestion.codename = variant;
    if (!suggestion.device.empty()) suggestion.device += " " + std::string(*region);
  }
}

void require_known_codename(Context& context, const Catalog& catalog, const std::string& codename) {
  if (codename.empty() || knows_codename(catalog, codename)) return;
  context.require_records();
  std::string message = "unknown codename \"" + codename + "\"";
  auto suggestions = suggest_codenames(context.loaded().device_names(), codename);
  name_the_variant_of_a_region(context, codename, suggestions);
  if (suggestions.empty()) {
    const std::vector<std::string> names = context.loaded().names();
    // A variant of a known device that does not exist (dipper_eea_global): name the ones it has.
    const std::string base(base_codename(to_lower(codename)));
    if (base != to_lower(codename) && std::find(names.begin(), names.end(), base) != names.end()) {
      std::vector<std::string> variants;
      for (const std::string& name : names)
        if (base_codename(name) == base) variants.push_back(name);
      const std::vector<std::string> near = nearest_words(to_lower(codename), names, 1);
      const bool elsewhere = !near.empty() && base_codename(near.front()) != base;
      throw Error(ExitCode::NothingMatched, "unknown codename \"" + codename + "\"; " + base + "'s variants are " +
                                                join(variants, ", ") +
                                                (elsewhere ? "; or did you mean " + near.front() + "?" : ""));
    }
    // A typo of a variant codename (dipper_globl).
    for (const std::string& near : nearest_words(to_lower(codename), names, 3)) suggestions.push_back({near, ""});
  }
  for (size_t i = 0; i < suggestions.size(); ++i)
    message += (i ? ", " : "; did you mean ") + suggestions[i].codename +
               (suggestions[i].device.empty() ? "" : " (" + suggestions[i].device + ")");
  if (!suggestions.empty()) message += "?";
  else message += "; xfu devices NAME finds a codename by device name";
  throw Error(ExitCode::NothingMatched, message);
}

std::string filter_flags_text(const RomFilter& filter) {
  std::vector<std::string> flags;
  const auto add = [&](const char* flag, const std::string& value) {
    if (!value.empty()) flags.push_back(std::string(flag) + " " + value);
  };
  if (filter.branch) add("--branch", std::string(branch_slug(*filter.branch)));
  if (filter.type) add("--type", std::string(type_slug(*filter.type)));
  add("--region", to_lower(filter.region));
  add("--version", filter.version);
  add("--android", filter.android);
  add("--since", filter.since);
  add("--until", filter.until);
  return join(flags, " ");
}

namespace {

// "a", "a or b", "a, b or c"
std::string one_of(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
  return out;
}

}  // namespace

void throw_nothing_matched(const Catalog& catalog, const RomFilter& filter) {
  if (catalog.roms.empty() && filter.codename.empty())  // every record was skipped, as the warning said
    throw Error(ExitCode::InvalidCatalog,
                "the catalog holds no valid ROM record; --catalog builtin uses the built-in one");
  const std::string asked = filter_flags_text(filter);
  std::string message = "no " + (filter.codename.empty() ? std::string() : filter.codename + " ") + "ROM matches " +
                        (asked.empty() ? std::string("these filters") : asked);
  auto misses = near_misses(catalog, filter);
  // The version asked for is what the user is after: other versions are worth naming only when no other flag is
  // what stands in its way ("8.12.7 exists with --android 9.0", not "... with --version V12.0.3.0.QEAMIXM").
  const auto other_versions = [](const NearMiss& miss) { return miss.flag == "--version"; };
  if (misses.size() > 1) misses.erase(std::remove_if(misses.begin(), misses.end(), other_versions), misses.end());
  // Versions of every device are no hint: a few newest of unrelated devices.
  const bool version_alone = misses.size() == 1 && misses.front().flag == "--version";
  if (filter.codename.empty() && version_alone) {
    message += "; xfu list CODENAME lists a device's versions (xfu devices NAME finds its codename)";
    throw Error(ExitCode::NothingMatched, message);
  }
  std::vector<std::string> instead;
  for (const auto& miss : misses) instead.push_back(miss.flag + " " + one_of(miss.values));
  if (!instead.empty()) {
    const std::string subject = !filter.version.empty()   ? filter.version + " exists"
                                : filter.codename.empty() ? std::string("there are ROMs")
                                                          : filter.codename + " has ROMs";
    const bool version_is_the_miss = misses.size() == 1 && misses.front().flag == "--version";
    message += "; " + (version_is_the_miss ? filter.codename + " has ROMs" : subject) + " with " +
               join(instead, ", or with ");
  } else if (!filter.codename.empty()) {
    message += "; xfu list " + filter.codename + " shows all its ROMs";
  }
  throw Error(ExitCode::NothingMatched, message);
}

std::string filter_flag_for(const std::string& word) {
  if (looks_like_version(word)) return "";
  const auto words_of = [](auto all, auto slug) {
    std::vector<std::string> words;
    for (auto item : all()) words.emplace_back(slug(item));
    return words;
  };
  for (const auto& [flag, words] : {std::pair{"--branch", words_of(all_branches, branch_slug)},
                                    std::pair{"--type", words_of(all_types, type_slug)}}) {
    for (const auto& known : words)
      if (iequals(known, word)) return std::string(flag) + " " + known;
    if (const auto matches = abbreviated_words(word, words); matches.size() == 1)
      return std::string(flag) + " " + matches.front();
  }
  const std::string region = region_of(word);
  if (region_named(region)) return "--region " + to_lower(region);
  return "";
}

std::vector<const Rom*> select_release(Context& context, const std::string& codename, const std::string& version,
                                       const FilterFlags& flags) {
  if (!version.empty() && !flags.version.empty())
    throw Error(ExitCode::Usage, "give the version once: as VERSION or with --version");
  if (iequals(version, "latest") || iequals(version, "newest"))
    throw Error(ExitCode::Usage, "without a VERSION the newest is taken: leave out " + quoted_word(version));
  if (const std::string flag = filter_flag_for(version); !flag.empty())
    throw Error(ExitCode::Usage, quoted_word(version) + " is not a version; use " + flag + " instead");
  RomFilter filter = make_filter(flags, codename);
  const Catalog& catalog = context.roms_of(filter.codename);
  require_known_region(catalog, filter.region);
  require_known_codename(context, catalog, filter.codename);
  if (!version.empty()) filter.version = version;
  if (filter.version.empty()) filter.latest = true;
  auto roms = select_roms(catalog, filter);
  if (roms.empty()) throw_nothing_matched(catalog, filter);
  return roms;
}

}  // namespace xfu
