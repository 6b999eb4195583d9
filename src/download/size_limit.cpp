#include "download/size_limit.hpp"

#include <algorithm>

#include "core/size.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

// How many digits follow the decimal point of the label's number.
size_t decimals(std::string_view number) {
  const auto point = number.find('.');
  return point == std::string_view::npos ? 0 : number.size() - point - 1;
}

}  // namespace

std::optional<uint64_t> label_ceiling(std::string_view label) {
  label = trim(label);
  const auto value = parse_size(label);
  if (!value) return std::nullopt;
  const size_t number_end = label.find_first_not_of("0123456789.");
  const std::string_view number = label.substr(0, number_end);
  const std::string_view unit = number_end == std::string_view::npos ? "" : label.substr(number_end);
  uint64_t last_digit = parse_size("1" + std::string(unit)).value_or(1);
  for (size_t i = decimals(number); i > 0 && last_digit > 0; --i) last_digit /= 10;
  return *value + last_digit / 2 + *value / 100;
}

std::optional<SizeLimit> size_limit(const std::vector<Rom>& records) {
  std::optional<SizeLimit> limit;
  for (const Rom& rom : records) {
    const std::optional<uint64_t> ceiling = rom.size_label.empty() ? rom.size : label_ceiling(rom.size_label);
    if (ceiling && (!limit || *ceiling > limit->bytes)) limit = SizeLimit{*ceiling, display_size(rom)};
  }
  return limit;
}

}  // namespace xfu
