#include "core/exit_code.hpp"

#include <array>

namespace xfu {

std::span<const ExitCodeInfo> exit_code_table() {
  static constexpr std::array table{
      ExitCodeInfo{ExitCode::Success, "success"},
      ExitCodeInfo{ExitCode::ChecksumMismatch, "checksum mismatch"},
      ExitCodeInfo{ExitCode::Usage, "usage error (bad flag, bad value)"},
      ExitCodeInfo{ExitCode::NothingMatched,
                   "nothing matched or cannot be verified (unknown codename, no such version, no checksum known)"},
      ExitCodeInfo{ExitCode::Network, "network or server error after retries"},
      ExitCodeInfo{ExitCode::InvalidCatalog, "invalid catalog"},
      ExitCodeInfo{ExitCode::LocalFile, "local file error (cannot read or write, disk full)"},
      ExitCodeInfo{ExitCode::Interrupted, "interrupted (SIGINT)"},
  };
  return table;
}

}  // namespace xfu
