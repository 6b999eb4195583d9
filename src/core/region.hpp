// The regions Xiaomi ships ROMs for, and how catalog records name them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace xfu {

struct RegionInfo {
  std::string_view name;  // as device names end: "Global", "EEA"
  std::string_view code;  // as variant codenames carry it: "eea" in dipper_eea_global
};

// Every known region, China and Global first.
std::span<const RegionInfo> known_regions();

// The known region named `word` (case-insensitive), if any.
std::optional<std::string_view> region_named(std::string_view word);

// The known region `word` names (case-insensitive): its name, the code variant codenames carry ("cn"), or a
// spelling Xiaomi's versions or users use for it ("eu", "europe", "mi", "chinese").
std::optional<std::string_view> region_spelled(std::string_view word);

// Region of a record that does not state one: the last word of its device
// name when that is a region, else what the variant's suffix says
// (`_eea_global` -> EEA, `_global` -> Global, no suffix -> China).
std::string derive_region(std::string_view device, std::string_view variant);

// The device's own codename in a variant codename: what is left when the
// region suffix is taken off the end (laurel_sprout_eea_global ->
// laurel_sprout, begonia_in_rf_global -> begonia, dipper -> dipper). Never a
// cut at the first '_': codenames hold '_' of their own. The suffix is
// matched in lower case, as Xiaomi writes it.
std::string_view base_codename(std::string_view variant);

// The variant codename Xiaomi gives a device's ROMs for `region` (a known
// region's name): dipper for China, dipper_global, dipper_eea_global.
std::string variant_codename(std::string_view base, std::string_view region);

}  // namespace xfu
