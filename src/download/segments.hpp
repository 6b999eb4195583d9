// Which byte ranges of a download are done, which are being fetched and by
// whom, and which are free: the plan a segmented download works from. It is
// plain bookkeeping (no I/O), so the rules are easy to test:
//
// - segments tile [0, total) in order; each has [start, pos) done and
//   [pos, end) to do;
// - a free connection takes the lowest free work, at most one chunk of it,
//   so the file fills roughly in order and the MD5 can follow the prefix;
// - when no free work is left it steals the upper half of the largest
//   remaining segment, so the tail never waits on one slow connection;
// - when the lowest unfinished segment lags too far behind, it steals the
//   upper half of that one first, so the MD5 does not wait on it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace xfu {

struct Segment {
  uint64_t id = 0;
  uint64_t start = 0, pos = 0, end = 0;  // end is kUnknownEnd while the size is unknown
  int owner = -1;                        // the connection fetching it; -1 when free
  bool done() const { return pos == end; }
  uint64_t remaining() const { return end - pos; }
};

class SegmentPlan {
 public:
  static constexpr uint64_t kUnknownEnd = UINT64_MAX;

  // One free segment: [0, total), or open-ended when the size is unknown.
  explicit SegmentPlan(std::optional<uint64_t> total = std::nullopt);
  // From saved [start, pos, end] triples; nullopt unless they tile [0, total)
  // in order with start <= pos <= end.
  static std::optional<SegmentPlan> from_ranges(const std::vector<std::array<uint64_t, 3>>& ranges, uint64_t total);

  // Starts again from nothing; ids keep growing, so a stale id never matches.
  void reset(std::optional<uint64_t> total);
  std::optional<uint64_t> total() const { return total_; }
  // The size became known (the first response said so): the open end closes.
  void set_total(uint64_t total);
  const std::vector<Segment>& segments() const { return segments_; }
  std::vector<std::array<uint64_t, 3>> ranges() const;

  Segment* find(uint64_t id);
  // Work for connection `owner`: the lowest free segment, cut to `chunk`
  // bytes; else the upper half of the largest remaining one, if that half is
  // at least `min_steal` bytes. When the free work starts more than
  // `max_lead` bytes past the lowest unfinished segment's position, the
  // upper half of that segment comes first. Returns the segment's id.
  std::optional<uint64_t> assign(int owner, uint64_t chunk, uint64_t min_steal, uint64_t max_lead = kUnknownEnd);
  // The segment's owner stopped; what it did not finish is free again.
  void release(uint64_t id);
  // Cuts the segment at `end`; the bytes after it become a free segment.
  void shorten(uint64_t id, uint64_t end);
  // Records `bytes` written at the segment's pos.
  void advance(uint64_t id, uint64_t bytes);

  uint64_t done_bytes() const;
  // Bytes done from 0 without a gap: what can be hashed.
  uint64_t contiguous_prefix() const;
  bool complete() const;

 private:
  std::vector<Segment> segments_;
  std::optional<uint64_t> total_;
  uint64_t next_id_ = 1;
  void split_at(size_t index, uint64_t at, int new_owner);
  void merge_done();
};

}  // namespace xfu
