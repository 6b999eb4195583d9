// What xfu has learnt about each mirror's speed, kept in the cache so that the
// next download starts on the hosts that were fast. A memory fades: its weight
// halves every kSpeedHalfLife, and a faded memory counts as little as knowing
// nothing. The file is a cache: one that cannot be read is an empty memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace xfu {

constexpr std::chrono::hours kSpeedHalfLife{24 * 14};
constexpr size_t kMostRememberedHosts = 64;

struct HostSpeed {
  double bytes_per_second = 0;
  int64_t measured_at = 0;  // unix seconds
};

using SpeedMemory = std::map<std::string, HostSpeed>;  // by url_origin ("bigota.d.miui.com", "127.0.0.1:8080")

// How much a memory made at `measured_at` still counts at `now`: 1 when new, 0.5 after one half-life.
double memory_weight(int64_t measured_at, int64_t now);

// `memory` with a new measurement of `host`: the new rate counts at least as much as all that came before it,
// the more so the older that is. The hosts measured longest ago are forgotten beyond kMostRememberedHosts.
SpeedMemory remember_speed(SpeedMemory memory, const std::string& host, double bytes_per_second, int64_t now);

// The rate to expect from `host`: its memory, faded towards what an unknown host is expected to do (the
// median of the hosts remembered); that median for a host never measured; nothing (0) with no memory at all.
double expected_speed(const SpeedMemory& memory, const std::string& host, int64_t now);

// `urls` ordered by expected_speed of their hosts, fastest first; ties (and no memory) keep their order. The
// first `keep_first` URLs stay where they are (--mirror chose them).
std::vector<std::string> fastest_first(std::vector<std::string> urls, const SpeedMemory& memory, int64_t now,
                                       size_t keep_first = 0);

// The file's text and back; parse_speed_memory skips what is not a sane entry and never throws.
std::string format_speed_memory(const SpeedMemory& memory);
SpeedMemory parse_speed_memory(const std::string& text);

// $cache/mirror-speeds.json; load gives an empty memory when it is missing or unreadable; save throws
// std::system_error (the caller may ignore it: the memory is only a hint).
std::filesystem::path speed_memory_path(const std::filesystem::path& cache_dir);
SpeedMemory load_speed_memory(const std::filesystem::path& path);
void save_speed_memory(const std::filesystem::path& path, const SpeedMemory& memory);

}  // namespace xfu
