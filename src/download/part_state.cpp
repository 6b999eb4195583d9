#include "download/part_state.hpp"

#include <nlohmann/json.hpp>

#include "util/atomic_file.hpp"

namespace xfu {

namespace {

constexpr int kVersion = 2;

// Offsets are non-negative integers; nlohmann would wrap -1 into 2^64-1.
uint64_t offset(const nlohmann::json& value) {
  if (!value.is_number_unsigned()) throw std::invalid_argument("not an offset");
  return value.get<uint64_t>();
}

std::optional<uint64_t> total_of(const nlohmann::json& document) {
  if (document.at("total").is_null()) return std::nullopt;
  return offset(document.at("total"));
}

}  // namespace

std::optional<PartState> load_part_state(const std::filesystem::path& path, uint64_t part_size) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::nullopt;
  try {
    const auto document = nlohmann::json::parse(read_file(path));
    const int version = document.at("version").get<int>();
    if (version != 1 && version != kVersion) return std::nullopt;
    PartState state;
    state.url = document.at("url").get<std::string>();
    state.validator = document.at("validator").get<std::string>();
    state.other_etag = document.value("other_etag", "");
    state.total = total_of(document);
    if (document.contains("mirrors"))
      for (const auto& mirror : document.at("mirrors"))
        state.mirrors.push_back({mirror.at("url").get<std::string>(), mirror.at("validator").get<std::string>(),
                                 mirror.value("other_etag", "")});
    if (version == 1) {
      state.ranges.push_back({0, part_size, state.total.value_or(part_size)});
      return state;
    }
    for (const auto& range : document.at("segments")) {
      if (!range.is_array() || range.size() != 3) return std::nullopt;
      state.ranges.push_back({offset(range[0]), offset(range[1]), offset(range[2])});
    }
    return state;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void save_part_state(const std::filesystem::path& path, const PartState& state) {
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& [start, pos, end] : state.ranges) segments.push_back({start, pos, end});
  const nlohmann::json document{{"version", kVersion},
                                {"url", state.url},
                                {"validator", state.validator},
                                {"other_etag", state.other_etag},
                                {"total", state.total ? nlohmann::json(*state.total) : nlohmann::json()},
                                {"segments", segments}};
  nlohmann::json mirrors = nlohmann::json::array();
  for (const auto& mirror : state.mirrors)
    mirrors.push_back({{"url", mirror.url}, {"validator", mirror.validator}, {"other_etag", mirror.other_etag}});
  nlohmann::json with_mirrors = document;
  if (!state.mirrors.empty()) with_mirrors["mirrors"] = mirrors;
  write_file_atomically(path, with_mirrors.dump() + "\n");
}

}  // namespace xfu
