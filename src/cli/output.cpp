#include "cli/output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "core/exit_code.hpp"
#include "render/sanitize.hpp"
#include "render/terminal.hpp"

namespace xfu {

namespace {

[[noreturn]] void stdout_failed() {
  if (errno == EPIPE) std::_Exit(0);
  throw Error(ExitCode::LocalFile, std::string("cannot write to standard output: ") + std::strerror(errno));
}

}  // namespace

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) stdout_failed();
}

void flush_stdout() {
  std::cout.flush();
  // std::cout writes through stdio, so a failed write shows in stdout's error flag (errno may be stale by now).
  if (std::fflush(stdout) == 0 && !std::ferror(stdout) && !std::cout.fail()) return;
  if (errno == 0) errno = EIO;
  stdout_failed();
}

std::string display_name(std::string_view name) { return visible_name(name); }

void write_json(const nlohmann::ordered_json& value) {
  write_stdout(escape_invisible_in_json(value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)) +
               "\n");
}

}  // namespace xfu

namespace xfu {

TableOptions stdout_table_options(ColourMode colour) {
  TableOptions options;
  options.max_width = terminal_width(stdout);
  options.colour = colour_wanted(stdout, colour);
  options.ellipsis = utf8_locale() ? "\u2026" : "...";
  return options;
}

CardStyle stdout_card_style(ColourMode colour) {
  CardStyle style;
  style.max_width = terminal_width(stdout);
  style.min_width = std::min<size_t>(style.max_width, 80);
  style.unicode = utf8_locale();
  style.colour = colour_wanted(stdout, colour);
  style.hyperlinks = hyperlinks_wanted(stdout, style.colour);
  return style;
}

}  // namespace xfu
