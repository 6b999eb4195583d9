#include "download/retry_policy.hpp"

#include <algorithm>

#include "core/size.hpp"

namespace xfu {

namespace {

std::string connections(size_t count) { return std::to_string(count) + (count == 1 ? " connection" : " connections"); }

RetryDecision unchanged(const RetryHistory& history, int slot_failures) {
  RetryDecision decision;
  decision.slot_failures = slot_failures;
  decision.restarts = history.restarts;
  decision.limit = history.limit;
  return decision;
}

// A transient failure: pause and try again, unless this connection has
// failed too often.
RetryDecision retry(const Failure& failure, const RetryHistory& history, const std::string& where, int failures) {
  RetryDecision decision = unchanged(history, failures);
  const Outcome& outcome = failure.outcome;
  // A server that says "too many requests" while others are served: fewer connections.
  if (outcome.status == 429 && history.others_working && history.limit > 1) {
    decision.action = Action::FewerConnections;
    decision.limit = std::max<size_t>(1, history.active);
    decision.note = where + "; going on with " + connections(decision.limit);
    return decision;
  }
  decision.slot_failures = failure.progressed ? 1 : failures + 1;
  if (decision.slot_failures > history.retries) {
    if (history.others_working) {
      decision.action = Action::RetireSlot;
      decision.limit = std::max<size_t>(1, history.limit - 1);
      decision.note = where + "; going on with " + connections(decision.limit);
      return decision;
    }
    decision.action = Action::NextMirror;
    decision.note = where + "; giving up" + (history.another_mirror ? " on this mirror" : "") + " after " +
                    std::to_string(history.retries) + " retries";
    return decision;
  }
  if (failure.progressed && !outcome.retry_after) {
    decision.action = Action::ResumeNow;
    decision.note = where + "; resuming at " + format_size(failure.resume_point);
    return decision;
  }
  const int64_t backoff = std::min<int64_t>(int64_t{1} << std::min(decision.slot_failures - 1, 10),
                                            history.max_backoff_seconds);
  decision.wait_seconds = outcome.retry_after ? std::clamp<int64_t>(*outcome.retry_after, 0, 60) : backoff;
  // While other connections work, only this one pauses; otherwise the server needs the rest.
  decision.action = history.others_working ? Action::WaitThisSlot : Action::WaitAll;
  decision.note = where + "; retrying in " + std::to_string(decision.wait_seconds) + " s";
  return decision;
}

}  // namespace

RetryDecision decide_retry(const Failure& failure, const RetryHistory& history) {
  const int failures = failure.progressed ? 0 : history.slot_failures;
  const Outcome& outcome = failure.outcome;
  const std::string where = failure.host + ": " + outcome.reason;
  RetryDecision decision = unchanged(history, failures);
  switch (outcome.step) {
    case Step::Complete: return decision;
    case Step::NextMirror:
      if (!failure.from_current_url) return decision;
      decision.action = Action::NextMirror;
      if (history.another_mirror) decision.note = where + "; trying the next mirror";
      return decision;
    case Step::Restart:
      decision.action = Action::StartOver;
      decision.limit = 1;
      decision.restarts = history.restarts + 1;
      decision.then_next_mirror = decision.restarts > history.retries;
      decision.note = decision.then_next_mirror
                          ? where + "; giving up" + (history.another_mirror ? " on this mirror" : "") + " after " +
                                std::to_string(history.retries) + " restarts from zero"
                          : outcome.reason + "; starting over";
      return decision;
    case Step::Abandon:
      if (!failure.from_current_url) return decision;
      decision.action = Action::StartOver;
      if (history.another_mirror) decision.note = where + "; starting over on the next mirror";
      decision.limit = 1;
      decision.then_next_mirror = true;
      return decision;
    case Step::Retry: break;
  }
  return retry(failure, history, where, failures);
}

std::optional<int> restart_with_whole_file(int restarts, int retries, bool received_this_run) {
  if (!received_this_run) return restarts;
  if (restarts >= retries) return std::nullopt;
  return restarts + 1;
}

}  // namespace xfu
