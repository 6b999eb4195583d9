// How many connections a download uses and how much each fetches at a time:
// plain arithmetic on the request and what is known of the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace xfu {

// --connections: at most this many; 0 picks kAutoConnections for files over
// kAutoSegmentBytes when the server takes ranges, else one; the automatic
// extra connections open once the first has kept xfu waiting for the network.
// --limit-rate changes none of this: it caps the total (rate_per_connection).
constexpr int kMaxConnections = 16;
constexpr int kAutoConnections = 4;
constexpr uint64_t kAutoSegmentBytes = 64ull << 20;

// Segments are cut into chunks so the file fills roughly in order (the MD5
// follows the prefix closely); about eight per connection, within bounds.
constexpr uint64_t kMinChunk = 1ull << 20;
constexpr uint64_t kMaxChunk = 64ull << 20;
constexpr uint64_t kChunkAlign = 64ull << 10;
// The smallest half of a segment worth handing to another connection.
constexpr uint64_t kMinSteal = 256ull << 10;

struct ConnectionRules {
  int requested = 0;  // --connections; 0: automatic
};

// The most connections this download may ever use: one slot each.
int max_connections(const ConnectionRules& rules);
// How many to open once ranges are known to work, for a file of `total` bytes.
int wanted_connections(const ConnectionRules& rules, std::optional<uint64_t> total);
// What one request fetches at most while `limit` connections are allowed;
// unlimited (UINT64_MAX) with one connection.
uint64_t chunk_size(const ConnectionRules& rules, size_t limit, std::optional<uint64_t> total);
// How far new work may run ahead of the lowest unfinished byte: a chunk per
// connection is the normal spread; one more means a connection lags.
uint64_t max_lead(const ConnectionRules& rules, size_t limit, std::optional<uint64_t> total);
// --limit-rate caps the total, not each connection: the connections running
// now (`active`, the one about to start included) share it evenly, rounded
// down so their sum never exceeds it (unless the limit is below one byte per
// second for each). 0 without a limit.
uint64_t rate_per_connection(uint64_t limit_rate, size_t active);

}  // namespace xfu
