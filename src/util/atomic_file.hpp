// Whole-file writes that either land completely or not at all.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace xfu {

// Writes `content` to a temporary file beside `path`, flushes it to disk and
// renames it over `path`. Throws std::system_error on failure, or UnsafeFile
// (private_file.hpp) when a link or another user's file is at `path`,
// leaving `path` untouched.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Creates an empty temporary file beside `path` (same directory, so a later
// rename is atomic) and returns its name and open descriptor.
struct TempFile {
  std::filesystem::path path;
  int fd = -1;
};
TempFile create_temp_beside(const std::filesystem::path& path);

// Flushes `fd` to disk, closes it and renames `from` to `to`; throws like
// write_file_atomically(). The temporary file is made with O_EXCL (mkstemp),
// so it is never a link either.
void commit_temp(TempFile& temp, const std::filesystem::path& to);

// Reads a whole file. Throws std::system_error when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace xfu
