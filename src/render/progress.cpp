#include "render/progress.hpp"

#include <algorithm>
#include <cstdio>

#include "core/size.hpp"
#include "render/sanitize.hpp"
#include "render/terminal.hpp"

namespace xfu {

namespace {
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
}

std::string mirrors_detail(std::vector<std::pair<std::string, int>> connections) {
  std::erase_if(connections, [](const auto& mirror) { return mirror.second <= 0; });
  std::stable_sort(connections.begin(), connections.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string detail = std::to_string(connections.size()) + (connections.size() == 1 ? " mirror:" : " mirrors:");
  for (const auto& [host, count] : connections) detail += " " + host + "\u00d7" + std::to_string(count);
  return detail;
}

ProgressLine::ProgressLine(std::string label, uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(is_terminal(stderr)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::advance(uint64_t bytes) {
  done_ += bytes;
  received_ += bytes;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw();
}

void ProgressLine::set(uint64_t done, uint64_t total, const std::string& detail, uint64_t received) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(draw_mutex_);
  done_ = done;
  received_ = received;
  total_ = total;
  detail_ = detail;
  if (now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw();
}

void ProgressLine::draw() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const uint64_t done = done_;
  const uint64_t total = total_;
  const double rate = elapsed > 0 ? static_cast<double>(received_.load()) / elapsed : 0;
  std::string stats = format_size(done);
  if (total) stats += " / " + format_size(total) + "  " + std::to_string(done * 100 / total) + "%";
  stats += "  " + format_rate(rate);
  if (total && rate > 0 && done < total) stats += "  ETA " + format_duration(static_cast<double>(total - done) / rate);
  if (!detail_.empty()) stats += "  " + detail_;
  // The numbers matter most: the label gives way first.
  const size_t width = terminal_width(stderr) - 1;
  const size_t room = width > display_width(stats) + 2 ? width - display_width(stats) - 2 : 0;
  std::string line = room >= 8 ? truncate_to_width(label_, room, "...") + "  " + stats : stats;
  line = truncate_to_width(line, width, "");
  std::fprintf(stderr, "\r\x1b[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::finish() {
  std::lock_guard lock(draw_mutex_);
  if (!drawn_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

std::string format_rate(double bytes_per_second) { return format_size(static_cast<uint64_t>(bytes_per_second)) + "/s"; }

std::string format_duration(double seconds) {
  const long total = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (total >= 3600) std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  else std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
  return buffer;
}

std::string transfer_summary(uint64_t size, uint64_t received, double seconds) {
  std::string text = format_size(size);
  if (received < size) {
    if (received == 0) return text + ", all of it already there from an earlier run";
    text += ", " + format_size(received) + " of it fetched now";
  }
  if (seconds > 0) text += " in " + format_duration(seconds) + " (" + format_rate(received / seconds) + ")";
  return text;
}

}  // namespace xfu
