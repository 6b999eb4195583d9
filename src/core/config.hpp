// The user's configuration file and xfu's standard directories.
//
//   $XDG_CONFIG_HOME/xfu/config.json (default ~/.config/xfu/config.json):
//   {"catalog": "URL or path", "max_age": 3600, "fetch_timeout": 300}
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace xfu {

struct Config {
  std::filesystem::path path;            // where it was looked for (may not exist)
  std::optional<std::string> catalog;    // catalog source
  std::optional<int64_t> max_age;        // seconds a cached remote catalog is used without revalidating
  std::optional<int64_t> fetch_timeout;  // seconds one catalog file (or shard) may take to arrive
};

// Reads the config file if there is one. Throws Error(Usage) when it exists
// but is not valid (the message names the file and the problem).
Config load_config();

// $XDG_CONFIG_HOME/xfu or ~/.config/xfu; empty when neither can be found.
std::filesystem::path config_dir();
// $XDG_CACHE_HOME/xfu or ~/.cache/xfu; empty when neither can be found.
std::filesystem::path cache_dir();

}  // namespace xfu
