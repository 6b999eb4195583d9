// The largest size a download may reach, from the catalog's records of the
// file: a server that announces or sends more is not sending this file, and
// a body without a length must not fill the disk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/rom.hpp"

namespace xfu {

struct SizeLimit {
  uint64_t bytes = 0;  // nothing beyond this byte count can be the file
  std::string shown;   // the catalog's size as users see it ("3.0 GB")
};

// A label ("3.0 GB", "786.3 MB", "2.8G") is rounded to its last digit: the
// file may be half of that digit's unit larger, and 1% more covers labels
// that were rounded from another unit. Nothing for a label that is no size.
std::optional<uint64_t> label_ceiling(std::string_view label);

// The largest ceiling among the records that give a size (an exact byte
// count is its own ceiling); nothing when none does.
std::optional<SizeLimit> size_limit(const std::vector<Rom>& records);

}  // namespace xfu
