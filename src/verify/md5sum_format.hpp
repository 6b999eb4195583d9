// GNU md5sum's line formats, so xfu reads and writes what md5sum does.
//
//   c18aad4fc41b831d1107f10a7bb2de0f  name      text mode
//   c18aad4fc41b831d1107f10a7bb2de0f *name      binary mode
//   \c18aad4fc41b831d1107f10a7bb2de0f  a\nb     name with '\\' or newline, escaped
//   MD5 (name) = c18aad4fc41b831d1107f10a7bb2de0f   the BSD "--tag" form
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xfu {

struct SumLine {
  std::string md5;   // lower-case
  std::string name;  // unescaped
};

enum class SumLineKind { Entry, Ignored, Malformed };

// Classifies one line of a checksum file (without its '\n'). Blank lines
// and '#' comments are Ignored.
SumLineKind parse_sum_line(std::string_view line, SumLine& entry);

// "md5  name" as md5sum prints it, escaping the name when it holds '\\',
// '\n' or '\r'.
std::string format_sum_line(std::string_view md5, std::string_view name);

// The name as md5sum -c shows it: escaped with a leading '\\' when needed.
std::string escaped_name(std::string_view name);

}  // namespace xfu
