#include "cli/output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/exit_code.hpp"

namespace xfu {

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0) return;
  if (errno == EPIPE) std::_Exit(0);
  throw Error(ExitCode::LocalFile, std::string("cannot write to standard output: ") + std::strerror(errno));
}

void write_json(const nlohmann::json& value) {
  write_stdout(value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace xfu
