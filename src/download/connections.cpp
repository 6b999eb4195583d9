#include "download/connections.hpp"

#include <algorithm>
#include <cstdint>

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

namespace {

// The time `bytes` may take at `rate`, without overflow for any file size.
std::chrono::microseconds time_for(uint64_t bytes, uint64_t rate) {
  const unsigned __int128 micros = static_cast<unsigned __int128>(bytes) * 1'000'000u / rate;
  return std::chrono::microseconds(static_cast<int64_t>(std::min<unsigned __int128>(micros, INT64_MAX)));
}

}  // namespace

std::chrono::microseconds pacing_delay(uint64_t bytes, std::chrono::microseconds elapsed, uint64_t rate) {
  if (!rate) return std::chrono::microseconds::zero();
  const auto due = time_for(bytes, rate);
  return due > elapsed ? due - elapsed : std::chrono::microseconds::zero();
}

std::chrono::microseconds RatePacer::delay(uint64_t bytes, std::chrono::microseconds now) {
  if (!rate_) return std::chrono::microseconds::zero();
  if (!started_) {
    started_ = true;
    origin_ = now;
    base_ = bytes;
  }
  const uint64_t received = bytes - base_;
  const auto elapsed = now - origin_;
  const auto due = time_for(received, rate_);
  // Behind by more than the credit allows: count from later, as if the idle time had not been.
  if (elapsed - due > kMaxPacingCredit) origin_ = now - due - kMaxPacingCredit;
  return pacing_delay(received, now - origin_, rate_);
}

}  // namespace xfu
