#include "catalog/device_match.hpp"

#include <algorithm>
#include <string>

#include "core/region.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Letters and digits only, lower-case: "Mi 8" and "mi8" compare equal.
std::string squashed(std::string_view text) {
  std::string out;
  for (char c : to_lower(text))
    if (is_word_char(c)) out += c;
  return out;
}

// Users write the brand or leave it out: "Xiaomi Mi 8" is the Mi 8, "Xiaomi 11T" the 11T.
std::string without_brand(std::string squashed_name) {
  constexpr std::string_view brand = "xiaomi";
  if (squashed_name.starts_with(brand) && squashed_name.size() > brand.size()) squashed_name.erase(0, brand.size());
  return squashed_name;
}

// "Mi 8 Global" -> "Mi 8"
std::string_view without_region(std::string_view device) {
  const auto space = device.find_last_of(' ');
  if (space != std::string_view::npos && region_named(device.substr(space + 1))) return device.substr(0, space);
  return device;
}

// Whether the squashed query starts the name at one of its words: "mi8" starts "Mi 8 Lite" but not "Redmi 8".
bool starts_a_word(std::string_view device, const std::string& query) {
  const std::string name = to_lower(device);
  for (size_t i = 0; i < name.size(); ++i) {
    const bool word_start = is_word_char(name[i]) && (i == 0 || !is_word_char(name[i - 1]));
    if (word_start && squashed(std::string_view(name).substr(i)).starts_with(query)) return true;
  }
  return false;
}

// Lower case, each run of other characters one '_': "Dipper RU" -> "dipper_ru",
// as variant codenames are written.
std::string underscored(std::string_view text) {
  std::string out;
  for (char c : to_lower(text))
    if (is_word_char(c)) out += c;
    else if (!out.empty() && out.back() != '_') out += '_';
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

}  // namespace

std::optional<size_t> device_match(std::string_view query, std::string_view codename, std::string_view variant,
                                   std::string_view device) {
  const std::string plain = squashed(query), wanted = without_brand(plain);
  if (wanted.empty()) return std::nullopt;
  const std::string name = without_brand(squashed(without_region(device)));
  const std::string base = squashed(codename), full = squashed(variant);
  if (wanted == base || wanted == full || wanted == name) return kExactMatch;
  // "xiaomi 14" starts the name "Xiaomi 14 Pro", not a later word as in "Redmi Note 14"; the variant is started
  // word by word ("dipper_ru", not "dipperr" for dipper_ru_global).
  const bool branded = wanted != plain;
  if (base.starts_with(wanted) || underscored(variant).starts_with(underscored(query)) ||
      (!branded && starts_a_word(device, wanted)) || (!name.empty() && name.starts_with(wanted)))
    return kPrefixMatch;
  if (wanted.size() < 4) return std::nullopt;
  const size_t typos = std::min({edit_distance(wanted, base), edit_distance(wanted, full),
                                 name.empty() ? wanted.size() : edit_distance(wanted, name)});
  if (typos > std::max<size_t>(1, wanted.size() / 3)) return std::nullopt;
  return kTypoMatch + typos;
}

size_t letters_after_match(std::string_view query, std::string_view device) {
  const std::string wanted = without_brand(squashed(query));
  const std::string name = to_lower(without_region(device));
  size_t fewest = SIZE_MAX;
  for (size_t i = 0; i < name.size() && !wanted.empty(); ++i) {
    if (!is_word_char(name[i]) || (i > 0 && is_word_char(name[i - 1]))) continue;
    const std::string rest = squashed(std::string_view(name).substr(i));
    if (rest.starts_with(wanted)) fewest = std::min(fewest, rest.size() - wanted.size());
  }
  return fewest;
}

}  // namespace xfu
