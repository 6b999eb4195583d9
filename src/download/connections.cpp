#include "download/connections.hpp"

#include <algorithm>

namespace xfu {

namespace {

constexpr uint64_t kUnlimited = UINT64_MAX;

}  // namespace

int max_connections(const ConnectionRules& rules) {
  return rules.requested > 0 ? std::min(rules.requested, kMaxConnections) : kAutoConnections;
}

int wanted_connections(const ConnectionRules& rules, std::optional<uint64_t> total) {
  if (rules.requested > 0) return max_connections(rules);
  // A small file is done before more connections would help.
  return total && *total > kAutoSegmentBytes ? kAutoConnections : 1;
}

uint64_t chunk_size(const ConnectionRules& rules, size_t limit, std::optional<uint64_t> total) {
  if (limit <= 1) return kUnlimited;
  uint64_t chunk = total.value_or(0) / (static_cast<uint64_t>(wanted_connections(rules, total)) * 8);
  chunk = std::clamp(chunk, kMinChunk, kMaxChunk);
  return (chunk + kChunkAlign - 1) / kChunkAlign * kChunkAlign;
}

uint64_t max_lead(const ConnectionRules& rules, size_t limit, std::optional<uint64_t> total) {
  const uint64_t chunk = chunk_size(rules, limit, total);
  if (chunk == kUnlimited) return kUnlimited;
  return chunk * (static_cast<uint64_t>(wanted_connections(rules, total)) + 1);
}

uint64_t rate_per_connection(uint64_t limit_rate, size_t active) {
  if (!limit_rate) return 0;
  // libcurl reads 0 as "no limit": a share rounds up to 1 byte per second at least.
  return std::max<uint64_t>(1, limit_rate / std::max<uint64_t>(1, active));
}

}  // namespace xfu
