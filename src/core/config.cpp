#include "core/config.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/exit_code.hpp"
#include "util/open_file.hpp"

namespace xfu {

namespace {

constexpr uint64_t kMaxConfigBytes = 1 << 20;

std::filesystem::path xdg_dir(const char* variable, const char* fallback_under_home) {
  if (const char* value = std::getenv(variable); value && *value == '/') return std::filesystem::path(value) / "xfu";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / fallback_under_home / "xfu";
  return {};
}

}  // namespace

std::filesystem::path config_dir() { return xdg_dir("XDG_CONFIG_HOME", ".config"); }
std::filesystem::path cache_dir() { return xdg_dir("XDG_CACHE_HOME", ".cache"); }

Config load_config() {
  Config config;
  const auto dir = config_dir();
  if (dir.empty()) return config;
  config.path = dir / "config.json";
  std::error_code error;
  if (!std::filesystem::exists(config.path, error)) return config;

  const auto fail = [&](const std::string& why) -> Error {
    return Error(ExitCode::Usage, "config file " + config.path.string() + ": " + why);
  };
  std::string text;
  try {
    const OpenFile file(config.path);
    const struct stat status = file.status();
    if (!S_ISREG(status.st_mode))
      throw Error(ExitCode::LocalFile,
                  "cannot read config file " + config.path.string() + ": " + not_regular_file_reason(status.st_mode));
    // A config file is a few lines: a bound keeps a runaway file from being read whole.
    auto bounded = file.read_at_most(kMaxConfigBytes);
    if (!bounded) throw fail("larger than " + std::to_string(kMaxConfigBytes) + " bytes");
    text = std::move(*bounded);
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, e.what());
  }
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) throw fail("not a JSON object");
  if (auto it = document.find("catalog"); it != document.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) throw fail("\"catalog\" must be a URL or a path");
    config.catalog = it->get<std::string>();
  }
  if (auto it = document.find("max_age"); it != document.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0) throw fail("\"max_age\" must be a number of seconds");
    config.max_age = it->get<int64_t>();
  }
  if (auto it = document.find("fetch_timeout"); it != document.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 86400)
      throw fail("\"fetch_timeout\" must be a number of seconds from 1 to 86400");
    config.fetch_timeout = it->get<int64_t>();
  }
  return config;
}

}  // namespace xfu
