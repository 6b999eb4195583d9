// Running adb and fastboot: never through a shell, with a time limit and a bound on what they print.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace xfu {

struct ToolResult {
  int exit_code = -1;  // -1 when it did not exit by itself (killed at the time limit, or by a signal)
  std::string output;  // stdout and stderr as they came, interleaved
  bool timed_out = false;
  bool truncated = false;  // it printed more than the bound: killed, the output cut there
};

// Whether a program named `name` is an executable file in one of $PATH's directories.
bool on_path(std::string_view name);

// Runs argv[0] (looked up on $PATH) with stdin from /dev/null, stdout and stderr into one pipe. Kills it
// after `limit` or once it printed more than `max_output` bytes. Error(LocalFile) when it cannot be started.
ToolResult run_tool(const std::vector<std::string>& argv, std::chrono::milliseconds limit, size_t max_output);

}  // namespace xfu
