// The one table of xfu's exit codes. The README and the man page list the
// same table; tests check that they agree with this one.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace xfu {

enum class ExitCode : int {
  Success = 0,
  ChecksumMismatch = 1,
  Usage = 2,
  NothingMatched = 3,
  Network = 4,
  InvalidCatalog = 5,
  LocalFile = 6,
  Interrupted = 130,
};

struct ExitCodeInfo {
  ExitCode code;
  std::string_view meaning;
};

std::span<const ExitCodeInfo> exit_code_table();

// An error a user can hit: a one-line message and the exit code it leads to.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace xfu
