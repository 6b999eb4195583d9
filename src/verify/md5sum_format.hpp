// GNU md5sum's line formats, so xfu reads and writes what md5sum does.
//
//   c18aad4fc41b831d1107f10a7bb2de0f  name      text mode
//   c18aad4fc41b831d1107f10a7bb2de0f *name      binary mode
//   \c18aad4fc41b831d1107f10a7bb2de0f  a\nb     name with '\\' or newline, escaped
//   MD5 (name) = c18aad4fc41b831d1107f10a7bb2de0f   the BSD "--tag" form
#pragma once

#include <cstddef>
#include <functional>
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

// No md5sum line is this long (a name is at most a path, PATH_MAX 4096): a
// longer one means the source is not a checksum list.
inline constexpr size_t kMaxSumLineBytes = 64 << 10;

// Cuts a checksum list into lines as its bytes arrive, holding at most one
// line, so that an endless source costs no more than kMaxSumLineBytes.
class SumLineSplitter {
 public:
  using OnLine = std::function<void(std::string_view)>;
  // Hands over each line `chunk` completes (without its '\n'). False, having
  // stopped, at a line longer than kMaxSumLineBytes: line_number() is its number.
  bool feed(std::string_view chunk, const OnLine& on_line);
  // Hands over a last line that had no '\n'.
  void finish(const OnLine& on_line);
  // The number of the line being read, from 1.
  size_t line_number() const { return lines_done_ + 1; }

 private:
  std::string pending_;
  size_t lines_done_ = 0;
};

// The name as md5sum -c shows it: escaped with a leading '\\' when needed.
std::string escaped_name(std::string_view name);

}  // namespace xfu
