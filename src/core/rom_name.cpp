#include "core/rom_name.hpp"

#include <array>
#include <regex>

namespace xfu {

namespace {

struct Pattern {
  const char* name;
  std::regex regex;  // group 1 is the MD5 prefix
};

const std::array<Pattern, 4>& patterns() {
  static const std::array<Pattern, 4> all{
      Pattern{"recovery", std::regex(R"(miui_[A-Za-z0-9]+_[A-Za-z0-9.]+_([0-9a-f]{10})_\d+\.\d+\.zip)")},
      Pattern{"fastboot", std::regex(R"([a-z0-9]+(?:_[a-z0-9]+)*_images_[A-Za-z0-9.]+)"
                                     R"((?:_\d{8}\.\d{4}\.\d+)?_\d+\.\d+(?:_[a-z]+)?_([0-9a-f]{10})\.tgz)")},
      Pattern{"hyperos", std::regex(R"([a-z0-9_]+-ota_full-[A-Za-z0-9.]+-user-\d+\.\d+-([0-9a-f]{10})\.zip)")},
      Pattern{"incremental",
              std::regex(R"(miui-(?:block)?ota-[a-z0-9_]+-[A-Za-z0-9.]+-[A-Za-z0-9.]+-([0-9a-f]{10})-\d+\.\d+\.zip)")},
  };
  return all;
}

}  // namespace

std::optional<NamePrefix> md5_prefix_in_name(std::string_view filename) {
  if (filename.size() > 255) return std::nullopt;
  const std::string name(filename);
  std::smatch match;
  for (const Pattern& pattern : patterns())
    if (std::regex_match(name, match, pattern.regex)) return NamePrefix{match[1].str(), pattern.name};
  return std::nullopt;
}

std::string variant_in_name(std::string_view filename) {
  static const std::regex shapes(R"(([a-z0-9]+(?:_[a-z0-9]+)*)_images_.*|([a-z0-9_]+)-ota_full-.*|)"
                                 R"(miui-(?:block)?ota-([a-z0-9_]+)-.*)");
  if (filename.size() > 255) return {};
  const std::string name(filename);
  std::smatch match;
  if (!std::regex_match(name, match, shapes)) return {};
  for (size_t group = 1; group < match.size(); ++group)
    if (match[group].matched) return match[group].str();
  return {};
}

}  // namespace xfu
