// Devices in a catalog: how a user who knows the phone's name finds its
// codename.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace xfu {

struct DeviceSummary {
  std::string codename;  // base
  std::string variant;
  std::string device;  // the name most of its records use
  std::string region;
  size_t roms = 0;
  // Newest version per branch, indexed by Branch; empty when none.
  std::array<std::string, 4> newest;
};

// Variants whose codename or device name `query` names or starts, as
// device_match decides ("mi 8" and "xiaomi mi8" find "Mi 8 Global", not
// "Redmi 8"); when none does, the variants the fewest typos away ("dippr").
// Every variant when `query` is empty. The closest first, then by variant.
std::vector<DeviceSummary> find_devices(const Catalog& catalog, std::string_view query);

}  // namespace xfu
