// One download spread over several mirrors at once: the bookkeeping per
// mirror and the decisions made on it, without I/O or a clock of its own
// (the loop passes its time in), so every rule can be tested on its own:
//
// - each mirror is first probed by one connection; after that the next
//   connection goes to the mirror that delivers the most per connection and
//   still has room under its cap (2 by default; a 503/429 lowers it);
// - a mirror far slower than the best one gets no new connection, and its
//   running segment is cut short so faster mirrors take the rest;
// - a mirror that answers 404, an HTML page, another size or changing
//   validators is dead for this download; the others go on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "download/mirrors.hpp"

namespace xfu {

// Connections one mirror gets at most, unless a 503/429 lowered it.
constexpr int kMirrorCap = 2;
// A mirror this many times slower per connection than the best one only holds the tail up.
constexpr double kSlowFactor = 4;
// Rates are measured over windows at least this long, then smoothed.
constexpr int64_t kRateWindowMs = 250;

// Whether `urls` are on more than one origin, so they can share a download.
bool several_origins(const std::vector<std::string>& urls);

enum class MirrorState { Untried, Serving, Dead };

struct Mirror {
  std::string url;
  std::string name;  // its origin, for notes and progress
  MirrorState state = MirrorState::Untried;
  std::string why_dead;
  std::string validator, other_etag;  // what its own If-Range carries
  int active = 0;                     // connections running now
  int cap = kMirrorCap;
  int failures = 0;           // in a row, without progress
  int64_t not_before = 0;     // ms: no new connection before this (Retry-After, backoff)
  uint64_t bytes = 0;         // written from it this run
  double rate = 0;            // bytes per second from all its connections, smoothed
  double per_connection = 0;  // the same per connection running meanwhile
  bool measured = false;
  uint64_t window_bytes = 0;
  int64_t window_start = -1;
};

struct MirrorRate {
  std::string host;
  uint64_t bytes = 0;
  double bytes_per_second = 0;
};

class MirrorPool {
 public:
  explicit MirrorPool(const std::vector<std::string>& urls);

  size_t size() const { return mirrors_.size(); }
  Mirror& operator[](size_t index) { return mirrors_[index]; }
  const Mirror& operator[](size_t index) const { return mirrors_[index]; }

  // The mirror the next connection goes to at `now_ms`, or nothing: an
  // untried mirror not being probed first, in order; then the fastest per
  // connection with room under its cap that is not too slow.
  std::optional<size_t> pick(int64_t now_ms) const;
  void started(size_t index) { ++mirrors_[index].active; }
  void stopped(size_t index);
  // Its bytes were accepted: it serves.
  void serving(size_t index);
  // `bytes` of the file came from it.
  void received(size_t index, uint64_t bytes, int64_t now_ms);
  // Closes the rate windows that are due.
  void measure(int64_t now_ms);
  // Far slower per connection than the best serving mirror.
  bool too_slow(size_t index) const;
  // How much of a running segment a too slow mirror keeps: about what it
  // brings in a second, at least `at_least` bytes.
  uint64_t keep_when_cut(size_t index, uint64_t at_least) const;
  void kill(size_t index, std::string why);
  // A 503/429 while others were served: never below one.
  void lower_cap(size_t index, int cap);
  bool all_dead() const;
  // The dead mirrors, in order, each with why: for the final error.
  std::vector<MirrorFailure> failures() const;
  std::vector<MirrorRate> rates() const;
  std::optional<size_t> find(std::string_view url) const;

 private:
  std::vector<Mirror> mirrors_;
  double best_other(size_t index) const;
};

// Which mirror sent one byte range of a mix that failed its MD5, the range's
// MD5 then, and once a copy from one mirror verified, the same range's MD5 in it.
struct RangeSource {
  uint64_t start = 0, end = 0;  // [start, end)
  std::string host;
  std::string mixed_md5, verified_md5;
};

// One note per mirror whose ranges differ from the verified file ("bytes
// 0-4194303 from 127.0.0.1:40123 did not match the file"), at most
// `shown` ranges each; nothing when every range matched.
std::vector<std::string> culprit_notes(const std::vector<RangeSource>& ranges, size_t shown = 3);

}  // namespace xfu
