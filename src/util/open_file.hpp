// A file open for reading, closed when it goes out of scope.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace xfu {

// "not a regular file (a FIFO)": why a file of this type is not read as data.
std::string not_regular_file_reason(mode_t mode);

class OpenFile {
 public:
  // Throws std::system_error when `path` cannot be opened. Opening never
  // waits: a FIFO without a writer opens at once (check status() before reading).
  explicit OpenFile(const std::filesystem::path& path);
  OpenFile(OpenFile&& other) noexcept;
  OpenFile& operator=(OpenFile&& other) noexcept;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile();

  const std::filesystem::path& path() const { return path_; }
  struct stat status() const;
  // The whole file, read into a string sized once (a large catalog is not copied while it grows).
  std::string read_all() const;
  // The whole file, or nullopt when it holds more than `max_bytes` (read no further than that).
  std::optional<std::string> read_at_most(uint64_t max_bytes) const;
  // `length` bytes from `offset`; fewer only at the end of the file.
  std::string read_at(uint64_t offset, size_t length) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace xfu
