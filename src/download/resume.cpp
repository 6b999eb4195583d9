#include "download/resume.hpp"

#include <algorithm>

#include "core/size.hpp"

namespace xfu {

namespace {

std::optional<SegmentPlan> plan_from(const PartState& saved) {
  if (saved.total) return SegmentPlan::from_ranges(saved.ranges, *saved.total);
  // Without a size, only one prefix from byte 0 can have been saved.
  if (saved.ranges.size() != 1 || saved.ranges[0][0] != 0) return std::nullopt;
  SegmentPlan plan(std::nullopt);
  plan.advance(plan.segments().front().id, saved.ranges[0][1]);
  return plan;
}

ResumeDecision start_over(std::string problem) { return ResumeDecision{std::nullopt, std::move(problem)}; }

}  // namespace

ResumeDecision decide_resume(uint64_t part_size, const std::optional<PartState>& saved) {
  if (part_size == 0) return start_over({});
  // Without a validator nothing proves the remote file is still the same one.
  if (!saved || !sendable_validator(saved->validator)) return start_over("has no usable resume state");
  if (saved->total && part_size > *saved->total) return start_over("is larger than the remote file");
  std::optional<SegmentPlan> plan = plan_from(*saved);
  uint64_t furthest = 0;
  if (plan)
    for (const Segment& segment : plan->segments()) furthest = std::max(furthest, segment.pos);
  if (!plan || furthest > part_size) return start_over("does not match its resume state");
  return ResumeDecision{std::move(plan), {}};
}

bool sendable_validator(const std::string& validator) {
  return !validator.empty() && std::none_of(validator.begin(), validator.end(),
                                            [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

std::string resume_note(const std::string& filename, uint64_t done, std::optional<uint64_t> total) {
  return "resuming " + filename + ": " + format_size(done) + (total ? " of " + format_size(*total) : "") +
         " already here";
}

}  // namespace xfu
