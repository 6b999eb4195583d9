#include "download/segments.hpp"

#include <algorithm>

namespace xfu {

SegmentPlan::SegmentPlan(std::optional<uint64_t> total) : total_(total) {
  segments_.push_back(Segment{next_id_++, 0, 0, total.value_or(kUnknownEnd), -1});
}

std::optional<SegmentPlan> SegmentPlan::from_ranges(const std::vector<std::array<uint64_t, 3>>& ranges,
                                                    uint64_t total) {
  if (ranges.empty()) return std::nullopt;
  SegmentPlan plan(total);
  plan.segments_.clear();
  uint64_t expected_start = 0;
  for (const auto& [start, pos, end] : ranges) {
    if (start != expected_start || pos < start || end < pos || end > total) return std::nullopt;
    if (end == start) return std::nullopt;  // empty segments are never saved
    plan.segments_.push_back(Segment{plan.next_id_++, start, pos, end, -1});
    expected_start = end;
  }
  if (expected_start != total) return std::nullopt;
  plan.merge_done();
  return plan;
}

void SegmentPlan::reset(std::optional<uint64_t> total) {
  total_ = total;
  segments_.assign(1, Segment{next_id_++, 0, 0, total.value_or(kUnknownEnd), -1});
}

void SegmentPlan::set_total(uint64_t total) {
  total_ = total;
  segments_.back().end = total;
}

std::vector<std::array<uint64_t, 3>> SegmentPlan::ranges() const {
  std::vector<std::array<uint64_t, 3>> out;
  for (const Segment& segment : segments_) out.push_back({segment.start, segment.pos, segment.end});
  return out;
}

Segment* SegmentPlan::find(uint64_t id) {
  for (Segment& segment : segments_)
    if (segment.id == id) return &segment;
  return nullptr;
}

void SegmentPlan::split_at(size_t index, uint64_t at, int new_owner) {
  Segment& segment = segments_[index];
  const Segment upper{next_id_++, at, at, segment.end, new_owner};
  segment.end = at;
  segments_.insert(segments_.begin() + static_cast<std::ptrdiff_t>(index) + 1, upper);
}

std::optional<uint64_t> SegmentPlan::assign(int owner, uint64_t chunk, uint64_t min_steal, uint64_t max_lead) {
  const auto steal_upper_half = [&](size_t index) -> std::optional<uint64_t> {
    const Segment& victim = segments_[index];
    if (victim.remaining() < 2 * min_steal) return std::nullopt;
    split_at(index, victim.pos + victim.remaining() / 2, owner);
    return segments_[index + 1].id;
  };
  const size_t lowest_unfinished = static_cast<size_t>(
      std::find_if(segments_.begin(), segments_.end(), [](const Segment& s) { return !s.done(); }) - segments_.begin());
  for (size_t i = 0; i < segments_.size(); ++i) {
    Segment& segment = segments_[i];
    if (segment.owner != -1 || segment.done()) continue;
    // The lowest unfinished segment lags far behind the others: help it
    // rather than run further ahead, or the MD5 waits on it.
    if (max_lead != kUnknownEnd && i > lowest_unfinished && segments_[lowest_unfinished].owner != -1 &&
        segment.pos - segments_[lowest_unfinished].pos > max_lead)
      if (auto helped = steal_upper_half(lowest_unfinished)) return helped;
    if (segment.end != kUnknownEnd && segment.remaining() > chunk) split_at(i, segment.pos + chunk, -1);
    segments_[i].owner = owner;
    return segments_[i].id;
  }
  size_t largest = segments_.size();
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    if (segment.end == kUnknownEnd || segment.done()) continue;
    if (largest == segments_.size() || segment.remaining() > segments_[largest].remaining()) largest = i;
  }
  if (largest == segments_.size()) return std::nullopt;
  return steal_upper_half(largest);
}

void SegmentPlan::release(uint64_t id) {
  if (Segment* segment = find(id)) segment->owner = -1;
  merge_done();
}

void SegmentPlan::shorten(uint64_t id, uint64_t end) {
  for (size_t i = 0; i < segments_.size(); ++i)
    if (segments_[i].id == id && end >= segments_[i].pos && end < segments_[i].end) return split_at(i, end, -1);
}

void SegmentPlan::advance(uint64_t id, uint64_t bytes) {
  Segment* segment = find(id);
  if (!segment) return;
  segment->pos += bytes;
  if (segment->done()) merge_done();
}

void SegmentPlan::merge_done() {
  // A finished segment joins the one after it, and an untouched free one
  // joins the free one before it, so the list stays as short as the work in
  // flight and a lone connection asks for the rest in one request.
  for (size_t i = 0; i + 1 < segments_.size();) {
    const Segment& next = segments_[i + 1];
    if (segments_[i].owner == -1 && !segments_[i].done() && next.owner == -1 && next.pos == next.start) {
      segments_[i].end = next.end;
      segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    } else if (segments_[i].done()) {
      segments_[i + 1].start = segments_[i].start;
      segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

uint64_t SegmentPlan::done_bytes() const {
  uint64_t done = 0;
  for (const Segment& segment : segments_) done += segment.pos - segment.start;
  return done;
}

uint64_t SegmentPlan::contiguous_prefix() const {
  uint64_t prefix = 0;
  for (const Segment& segment : segments_) {
    if (segment.start != prefix) break;
    prefix = segment.pos;
    if (!segment.done()) break;
  }
  return prefix;
}

bool SegmentPlan::complete() const {
  return total_ && std::all_of(segments_.begin(), segments_.end(), [](const Segment& s) { return s.done(); });
}

}  // namespace xfu
