#include "download/mirror_speeds.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "download/mirror_pool.hpp"
#include "util/atomic_file.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr int kFormatVersion = 1;

bool sane_host(const std::string& host) {
  return !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
}

double median_rate(const SpeedMemory& memory) {
  std::vector<double> rates;
  for (const auto& [host, speed] : memory) rates.push_back(speed.bytes_per_second);
  if (rates.empty()) return 0;
  std::sort(rates.begin(), rates.end());
  const size_t middle = rates.size() / 2;
  return rates.size() % 2 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
}

}  // namespace

double memory_weight(int64_t measured_at, int64_t now) {
  const double age = static_cast<double>(std::max<int64_t>(0, now - measured_at));
  const double half_life = static_cast<double>(std::chrono::seconds(kSpeedHalfLife).count());
  return std::exp2(-age / half_life);
}

SpeedMemory remember_speed(SpeedMemory memory, const std::string& host, double bytes_per_second, int64_t now) {
  if (!sane_host(host) || !std::isfinite(bytes_per_second) || bytes_per_second <= 0) return memory;
  auto [it, added] = memory.emplace(host, HostSpeed{bytes_per_second, now});
  if (!added) {
    // The old rate counts with its faded weight (at most 1), the new one with 1.
    const double old_weight = memory_weight(it->second.measured_at, now);
    it->second.bytes_per_second = (it->second.bytes_per_second * old_weight + bytes_per_second) / (old_weight + 1.0);
    it->second.measured_at = now;
  }
  while (memory.size() > kMostRememberedHosts) {
    const auto oldest = std::min_element(memory.begin(), memory.end(), [](const auto& a, const auto& b) {
      return a.second.measured_at < b.second.measured_at;
    });
    memory.erase(oldest);
  }
  return memory;
}

double expected_speed(const SpeedMemory& memory, const std::string& host, int64_t now) {
  const double unknown = median_rate(memory);
  const auto it = memory.find(host);
  if (it == memory.end()) return unknown;
  const double weight = memory_weight(it->second.measured_at, now);
  return it->second.bytes_per_second * weight + unknown * (1.0 - weight);
}

std::vector<std::string> fastest_first(std::vector<std::string> urls, const SpeedMemory& memory, int64_t now,
                                       size_t keep_first) {
  if (memory.empty() || keep_first >= urls.size()) return urls;
  const auto from = urls.begin() + static_cast<std::ptrdiff_t>(keep_first);
  std::stable_sort(from, urls.end(), [&](const std::string& a, const std::string& b) {
    return expected_speed(memory, url_origin(a), now) > expected_speed(memory, url_origin(b), now);
  });
  return urls;
}

std::string format_speed_memory(const SpeedMemory& memory) {
  nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
  for (const auto& [host, speed] : memory)
    hosts[host] = {{"bytes_per_second", std::llround(speed.bytes_per_second)}, {"measured_at", speed.measured_at}};
  return nlohmann::ordered_json{{"version", kFormatVersion}, {"hosts", hosts}}.dump(1) + "\n";
}

SpeedMemory parse_speed_memory(const std::string& text) {
  SpeedMemory memory;
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (!document.is_object() || document.value("version", 0) != kFormatVersion) return memory;
  const auto hosts = document.find("hosts");
  if (hosts == document.end() || !hosts->is_object()) return memory;
  for (const auto& [host, entry] : hosts->items()) {
    if (memory.size() >= kMostRememberedHosts || !sane_host(host) || !entry.is_object()) continue;
    const auto rate = entry.find("bytes_per_second"), at = entry.find("measured_at");
    if (rate == entry.end() || at == entry.end() || !rate->is_number() || !at->is_number_integer()) continue;
    const double bytes_per_second = rate->get<double>();
    if (!std::isfinite(bytes_per_second) || bytes_per_second <= 0) continue;
    memory[host] = HostSpeed{bytes_per_second, at->get<int64_t>()};
  }
  return memory;
}

std::filesystem::path speed_memory_path(const std::filesystem::path& cache_dir) {
  return cache_dir.empty() ? std::filesystem::path() : cache_dir / "mirror-speeds.json";
}

SpeedMemory load_speed_memory(const std::filesystem::path& path) {
  if (path.empty()) return {};
  try {
    return parse_speed_memory(read_file(path));
  } catch (const std::exception&) {
    return {};
  }
}

void save_speed_memory(const std::filesystem::path& path, const SpeedMemory& memory) {
  if (path.empty()) return;
  std::filesystem::create_directories(path.parent_path());
  write_file_atomically(path, format_speed_memory(memory));
}

}  // namespace xfu
