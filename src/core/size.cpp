#include "core/size.hpp"

#include <array>
#include <cmath>
#include <cstdio>

#include "util/strings.hpp"

namespace xfu {

namespace {

struct Unit {
  std::string_view name;
  double factor;
};

constexpr std::array units{
    Unit{"bytes", 1},
    Unit{"byte", 1},
    Unit{"b", 1},
    Unit{"kb", 1e3},
    Unit{"mb", 1e6},
    Unit{"gb", 1e9},
    Unit{"tb", 1e12},
    Unit{"kib", 1024.0},
    Unit{"mib", 1048576.0},
    Unit{"gib", 1073741824.0},
    Unit{"k", 1024.0},
    Unit{"m", 1048576.0},
    Unit{"g", 1073741824.0},
    Unit{"t", 1099511627776.0},
};

}  // namespace

std::optional<uint64_t> parse_size(std::string_view label) {
  label = trim(label);
  size_t digits_end = 0;
  bool seen_digit = false, seen_point = false;
  while (digits_end < label.size()) {
    const char c = label[digits_end];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
    ++digits_end;
  }
  if (!seen_digit || digits_end > 24) return std::nullopt;
  const double number = std::stod(std::string(label.substr(0, digits_end)));
  const std::string unit = to_lower(trim(label.substr(digits_end)));
  double factor = 0;
  if (unit.empty()) {
    factor = 1;
  } else {
    for (const auto& candidate : units)
      if (candidate.name == unit) factor = candidate.factor;
  }
  if (factor == 0 || (unit.empty() && seen_point)) return std::nullopt;
  const double bytes = std::round(number * factor);
  if (!(bytes < 1.8e19)) return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

std::string format_size(uint64_t bytes) {
  char buffer[32];
  const double value = static_cast<double>(bytes);
  if (bytes < 1000) {
    std::snprintf(buffer, sizeof buffer, "%llu Bytes", static_cast<unsigned long long>(bytes));
  } else if (value < 999.95e3) {
    std::snprintf(buffer, sizeof buffer, "%.1f KB", value / 1e3);
  } else if (value < 999.95e6) {
    std::snprintf(buffer, sizeof buffer, "%.1f MB", value / 1e6);
  } else if (value < 999.95e9) {
    std::snprintf(buffer, sizeof buffer, "%.1f GB", value / 1e9);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f TB", value / 1e12);
  }
  return buffer;
}

}  // namespace xfu
