// How many connections a download uses and how much each fetches at a time:
// plain arithmetic on the request and what is known of the file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace xfu {

// --connections: at most this many; 0 picks kAutoConnections for files over
// kAutoSegmentBytes when the server takes ranges, else one; the automatic
// extra connections open once the first has kept xfu waiting for the network.
// --limit-rate changes none of this: it caps the total (RatePacer).
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
// --limit-rate is one budget for the whole download, whatever the number of
// connections: the loop asks before each read how long to wait so that the
// bytes received this run stay within rate x elapsed. While it waits, nothing
// is read, and TCP slows every connection at once. Time lost to a retry or a
// slow server is credited for at most kMaxPacingCredit, so a stall is never
// followed by a long burst above the limit.
constexpr std::chrono::microseconds kMaxPacingCredit = std::chrono::seconds(1);

// How long to wait before reading more: zero when `bytes` (received since
// the pacing started) are within `rate` bytes per second over `elapsed`.
std::chrono::microseconds pacing_delay(uint64_t bytes, std::chrono::microseconds elapsed, uint64_t rate);

// pacing_delay() with the credit capped: `now` and `bytes` only grow.
class RatePacer {
 public:
  explicit RatePacer(uint64_t rate) : rate_(rate) {}
  std::chrono::microseconds delay(uint64_t bytes, std::chrono::microseconds now);

 private:
  uint64_t rate_;
  bool started_ = false;
  std::chrono::microseconds origin_{};  // the time counted from
  uint64_t base_ = 0;                   // the bytes already received then
};

}  // namespace xfu
