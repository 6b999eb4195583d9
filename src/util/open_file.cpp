#include "util/open_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace xfu {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

OpenFile::OpenFile(const std::filesystem::path& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
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

}  // namespace xfu
