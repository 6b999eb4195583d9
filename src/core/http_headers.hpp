// Parsing of the HTTP response headers a resumable download depends on.
// Server responses are untrusted: every parser here rejects what it does
// not fully understand.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace xfu {

struct ContentRange {
  std::optional<uint64_t> first, last;  // absent for "bytes */TOTAL"
  std::optional<uint64_t> total;        // absent for "bytes 0-99/*"
};

// "bytes 100-199/1000", "bytes */1000", "bytes 0-99/*".
std::optional<ContentRange> parse_content_range(std::string_view value);

// Retry-After in seconds: "120", or an HTTP date relative to `now` (Unix
// seconds). Nothing for a value that is neither.
std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now);

}  // namespace xfu
