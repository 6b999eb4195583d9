// A one-line progress display on stderr, redrawn at most 10 times a second.
// It draws only when stderr is a terminal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace xfu {

// The progress detail of a download spread over several mirrors: how many
// connections each has, the busiest first ("3 mirrors: a×2 b×2 c×1").
// Mirrors without a connection are left out; the hosts are sanitized by the caller.
std::string mirrors_detail(std::vector<std::pair<std::string, int>> connections);

class ProgressLine {
 public:
  // `label` is sanitized by the caller; `total` 0 when unknown.
  ProgressLine(std::string label, uint64_t total);
  ~ProgressLine();

  bool enabled() const { return enabled_; }
  // Adds `bytes` done; thread-safe. Redraws when 100 ms have passed.
  void advance(uint64_t bytes);
  // Sets the bytes done, the total (0: unknown), a detail shown last (the
  // host sending the data) and the bytes received since the start, which the
  // rate is computed from (done may include bytes from an earlier run);
  // redraws when 100 ms have passed.
  void set(uint64_t done, uint64_t total, const std::string& detail, uint64_t received);
  // Clears the line.
  void finish();

 private:
  std::string label_;
  std::atomic<uint64_t> total_;
  std::string detail_;
  bool enabled_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> received_{0};
  std::mutex draw_mutex_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
  void draw();
};

// "1.2 GB", "640 MB/s", "1:05" as progress lines show them.
std::string format_rate(double bytes_per_second);
std::string format_duration(double seconds);

// How a finished download went, for its summary: the file's `size`, and the
// `received` bytes this run fetched in `seconds` (the rate counts only
// those: what an earlier run left in NAME.part took no time now).
// "3.0 MB in 2 s (1.5 MB/s)"; resumed: "3.0 MB, 1.0 MB of it fetched now in 1 s (1.0 MB/s)".
std::string transfer_summary(uint64_t size, uint64_t received, double seconds);

}  // namespace xfu
