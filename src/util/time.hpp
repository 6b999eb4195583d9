// Calendar dates and durations as xfu shows them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xfu {

// Seconds since the Unix epoch, now.
int64_t unix_now();

// True when `text` is a real calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view text);

// Parses an ISO 8601 timestamp ("2026-08-23", "2026-08-23T10:00:00Z",
// "2026-08-23T10:00:00+02:00") into Unix seconds.
std::optional<int64_t> parse_iso8601(std::string_view text);

// "2026-08-23T10:00:00Z".
std::string format_iso8601(int64_t unix_seconds);

// "45 s", "12 min", "3 h", "5 days".
std::string format_age(int64_t seconds);

}  // namespace xfu
