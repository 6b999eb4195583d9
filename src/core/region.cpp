#include "core/region.hpp"

#include <array>

#include "util/strings.hpp"

namespace xfu {

std::span<const RegionInfo> known_regions() {
  static constexpr std::array regions{
      RegionInfo{"China", "cn"},  RegionInfo{"Global", "global"}, RegionInfo{"EEA", "eea"},
      RegionInfo{"India", "in"},  RegionInfo{"Russia", "ru"},     RegionInfo{"Indonesia", "id"},
      RegionInfo{"Turkey", "tr"}, RegionInfo{"Taiwan", "tw"},     RegionInfo{"Japan", "jp"},
      RegionInfo{"Korea", "kr"},  RegionInfo{"Singapore", "sg"},
  };
  return regions;
}

std::optional<std::string_view> region_named(std::string_view word) {
  for (const auto& region : known_regions())
    if (iequals(region.name, word)) return region.name;
  return std::nullopt;
}

namespace {

struct RegionSpelling {
  std::string_view word;
  std::string_view region;  // a name of known_regions()
};

// Other names for the regions: as versions carry them (V12.0.3.0.QEAEUXM, ...MIXM) and as users say them.
constexpr std::array kOtherSpellings{
    RegionSpelling{"eu", "EEA"},
    RegionSpelling{"europe", "EEA"},
    RegionSpelling{"mi", "Global"},
    RegionSpelling{"chinese", "China"},
};

std::optional<std::string_view> region_with_code(std::string_view code) {
  for (const auto& region : known_regions())
    if (iequals(region.code, code)) return region.name;
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> region_spelled(std::string_view word) {
  if (auto region = region_named(word)) return region;
  if (auto region = region_with_code(word)) return region;
  for (const auto& spelling : kOtherSpellings)
    if (iequals(spelling.word, word)) return spelling.region;
  return std::nullopt;
}

std::string derive_region(std::string_view device, std::string_view variant) {
  const auto last_space = device.find_last_of(' ');
  const std::string_view last_word = last_space == std::string_view::npos ? device : device.substr(last_space + 1);
  if (auto region = region_named(last_word)) return std::string(*region);

  // dipper_eea_global, lavender_in_global, begonia_in_rf_global, dipper_global
  const auto parts = split(to_lower(variant), '_');
  if (parts.size() < 2 || parts.back() != "global") return "China";
  for (size_t i = parts.size() - 1; i-- > 1;)
    if (auto region = region_with_code(parts[i]); region && *region != "China") return std::string(*region);
  return "Global";
}

namespace {

// Words Xiaomi puts between a codename and "_global" that are not region
// codes of known_regions(): begonia_in_rf_global, shiva_in_fk_global, x_india_global.
bool is_variant_word(std::string_view word) {
  if (word == "india" || word == "rf" || word == "fk") return true;
  for (const auto& region : known_regions())
    if (region.code == word) return true;
  return false;
}

}  // namespace

std::string_view base_codename(std::string_view variant) {
  if (!variant.ends_with("_global")) return variant;
  size_t end = variant.size() - std::string_view("_global").size();
  for (;;) {
    const size_t underscore = variant.rfind('_', end - 1);
    if (underscore == std::string_view::npos || underscore == 0) break;
    if (!is_variant_word(variant.substr(underscore + 1, end - underscore - 1))) break;
    end = underscore;
  }
  return end == 0 ? variant : variant.substr(0, end);
}

std::string variant_codename(std::string_view base, std::string_view region) {
  for (const auto& known : known_regions()) {
    if (!iequals(known.name, region)) continue;
    if (known.name == "China") return std::string(base);
    if (known.name == "Global") return std::string(base) + "_global";
    return std::string(base) + "_" + std::string(known.code) + "_global";
  }
  return std::string(base);
}

}  // namespace xfu
