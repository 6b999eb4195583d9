// Whether NAME.part can be resumed, from its size and its saved state: a
// plain decision, so each reason to start over can be tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "download/part_state.hpp"
#include "download/segments.hpp"

namespace xfu {

struct ResumeDecision {
  std::optional<SegmentPlan> plan;  // what is done; nullopt: start over
  std::string problem;              // why not, for a note ("has no usable resume state"); empty for an empty part
};

ResumeDecision decide_resume(uint64_t part_size, const std::optional<PartState>& saved);

// Whether a saved validator may go back to a server in If-Range: a state
// file edited to hold a CR or LF must not add lines to a request.
bool sendable_validator(const std::string& validator);

// What the user hears when `done` bytes of `filename` are already there, in
// sizes a person reads: "resuming NAME: 1.0 MB of 3.0 MB already here".
std::string resume_note(const std::string& filename, uint64_t done, std::optional<uint64_t> total);

}  // namespace xfu
