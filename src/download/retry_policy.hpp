// What to do after a request failed, decided apart from any I/O so every
// rule can be tested on its own: retry after a pause, go on with fewer
// connections, start over, move to the next mirror. The download loop
// applies the decision and tells the user its note.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "download/response_check.hpp"

namespace xfu {

// A finished request whose outcome is not Complete, and where it stood.
struct Failure {
  Outcome outcome;
  std::string host;
  bool progressed = false;       // it wrote bytes before it ended
  bool from_current_url = true;  // false when the loop already moved past its URL
  uint64_t resume_point = 0;     // where its segment goes on from
};

// The history so far.
struct RetryHistory {
  int slot_failures = 0;  // this connection's failures in a row, without progress
  int restarts = 0;       // starts from zero on this mirror
  int retries = 5;        // --retries
  int max_backoff_seconds = 30;
  bool others_working = false;  // other connections are running
  size_t limit = 1;             // connections allowed now
  size_t active = 0;            // connections running now, this one not counted
  bool another_mirror = true;   // a URL is left to try after this one
};

enum class Action {
  Nothing,  // another connection already moved on
  NextMirror,
  StartOver,         // from zero, one connection, on this mirror
  FewerConnections,  // go on with `limit` connections; this one may try again
  RetireSlot,        // this connection stops for good; the others go on with `limit`
  ResumeNow,         // a dropped connection that had made progress: go on at once
  WaitThisSlot,      // retry after `wait_seconds`; only this connection pauses
  WaitAll,           // retry after `wait_seconds`; nothing new starts meanwhile
};

struct RetryDecision {
  Action action = Action::Nothing;
  std::string note;               // what the user should hear; empty for nothing
  int slot_failures = 0;          // the connection's failure count from now on
  int restarts = 0;               // the mirror's restart count from now on
  size_t limit = 1;               // connections allowed from now on
  int64_t wait_seconds = 0;       // WaitThisSlot, WaitAll
  bool then_next_mirror = false;  // StartOver: the restarts are used up, so on the next mirror
};

// Notes speak of "the next mirror" only when there is one: after the last,
// the final error names every mirror tried, so moving on needs no note.
RetryDecision decide_retry(const Failure& failure, const RetryHistory& history);

// A 200 to a range request starts the file over with that response. Once
// this run has received bytes it counts against --retries on this mirror,
// like every restart: a server that ignores ranges and breaks off would
// otherwise restart forever. Before that it is how a server says the file
// changed since an earlier run, and costs nothing. The restart count from
// now on, or nothing when the restarts are used up.
std::optional<int> restart_with_whole_file(int restarts, int retries, bool received_this_run);

}  // namespace xfu
