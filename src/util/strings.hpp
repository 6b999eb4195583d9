// Small string helpers shared by every layer. No xfu types here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xfu {

std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string_view trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
bool is_hex(std::string_view text);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace xfu
