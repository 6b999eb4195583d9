#include "core/version_compare.hpp"

#include <cstdint>
#include <vector>

#include "util/strings.hpp"

namespace xfu {

namespace {

struct VersionKey {
  int family = 0;  // 0 weekly and other bare numbers, 1 MIUI "V", 2 HyperOS "OS"
  std::vector<uint64_t> numbers;
  std::string_view rest;  // "RKWEUXM" and anything else after the numbers
};

VersionKey key_of(std::string_view version) {
  VersionKey key;
  if (istarts_with(version, "OS")) {
    key.family = 2;
    version.remove_prefix(2);
  } else if (istarts_with(version, "V")) {
    key.family = 1;
    version.remove_prefix(1);
  }
  while (!version.empty() && version.front() >= '0' && version.front() <= '9') {
    uint64_t number = 0;
    size_t length = 0;
    while (length < version.size() && version[length] >= '0' && version[length] <= '9') {
      if (number < UINT64_MAX / 10) number = number * 10 + static_cast<uint64_t>(version[length] - '0');
      ++length;
    }
    key.numbers.push_back(number);
    version.remove_prefix(length);
    if (!version.empty() && version.front() == '.') version.remove_prefix(1);
  }
  key.rest = version;
  return key;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  const VersionKey x = key_of(a), y = key_of(b);
  if (x.family != y.family) return x.family < y.family ? -1 : 1;
  for (size_t i = 0; i < x.numbers.size() || i < y.numbers.size(); ++i) {
    const uint64_t left = i < x.numbers.size() ? x.numbers[i] : 0;
    const uint64_t right = i < y.numbers.size() ? y.numbers[i] : 0;
    if (left != right) return left < right ? -1 : 1;
  }
  const int rest = x.rest.compare(y.rest);
  return rest < 0 ? -1 : (rest > 0 ? 1 : 0);
}

}  // namespace xfu
