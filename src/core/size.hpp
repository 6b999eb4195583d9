// ROM sizes as upstream writes them ("3.0 GB", "786.3 MB", "350 Bytes",
// "2.8G") and as xfu shows them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xfu {

// Bytes for a size label. Spelled-out units ("GB", "MB", "KB", "Bytes") are
// decimal, as XFU's site computes them; single-letter units ("2.8G") are
// binary, as the older tracker files wrote them.
std::optional<uint64_t> parse_size(std::string_view label);

// "3.0 GB", "786.3 MB", "350 Bytes": decimal units, one decimal place.
std::string format_size(uint64_t bytes);

}  // namespace xfu
