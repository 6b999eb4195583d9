#include "util/open_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace xfu {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

std::string not_regular_file_reason(mode_t mode) {
  const char* type = S_ISDIR(mode)    ? "a directory"
                     : S_ISFIFO(mode) ? "a FIFO"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "not a file";
  return std::string("not a regular file (") + type + ")";
}

OpenFile::OpenFile(const std::filesystem::path& path)
    : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)) {
  if (fd_ < 0) throw_errno("cannot open " + path.string());
}

OpenFile::OpenFile(OpenFile&& other) noexcept : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

OpenFile& OpenFile::operator=(OpenFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

struct stat OpenFile::status() const {
  struct stat status {};
  if (::fstat(fd_, &status) != 0) throw_errno("cannot read the status of " + path_.string());
  return status;
}

std::string OpenFile::read_at(uint64_t offset, size_t length) const {
  std::string content(length, '\0');
  size_t done = 0;
  while (done < length) {
    const ssize_t got = ::pread(fd_, content.data() + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read " + path_.string());
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  content.resize(done);
  return content;
}

std::string OpenFile::read_all() const {
  const struct stat info = status();
  std::string content = read_at(0, S_ISREG(info.st_mode) ? static_cast<size_t>(info.st_size) : 0);
  // The file may have grown since, or not be a regular file at all: read on to its end.
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::pread(fd_, buffer, sizeof buffer, static_cast<off_t>(content.size()));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read " + path_.string());
    }
    if (got == 0) return content;
    content.append(buffer, static_cast<size_t>(got));
  }
}

std::optional<std::string> OpenFile::read_at_most(uint64_t max_bytes) const {
  const struct stat info = status();
  const uint64_t size = S_ISREG(info.st_mode) ? static_cast<uint64_t>(info.st_size) : 0;
  if (size > max_bytes) return std::nullopt;
  std::string content = read_at(0, static_cast<size_t>(size));
  // The file may have grown since: read on, but never more than one byte past the bound.
  char buffer[1 << 16];
  while (content.size() <= max_bytes) {
    const size_t wanted = static_cast<size_t>(std::min<uint64_t>(sizeof buffer, max_bytes + 1 - content.size()));
    const ssize_t got = ::pread(fd_, buffer, wanted, static_cast<off_t>(content.size()));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno("cannot read " + path_.string());
    }
    if (got == 0) return content;
    content.append(buffer, static_cast<size_t>(got));
  }
  return std::nullopt;
}

}  // namespace xfu
