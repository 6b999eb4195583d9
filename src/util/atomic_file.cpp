#include "util/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <vector>

#include "util/fd_io.hpp"
#include "util/open_file.hpp"
#include "util/private_file.hpp"

namespace xfu {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void write_content(int fd, std::string_view content, const std::filesystem::path& path) {
  if (const int error = write_all(fd, content.data(), content.size()))
    throw std::system_error(error, std::generic_category(), "cannot write " + path.string());
}

}  // namespace

TempFile create_temp_beside(const std::filesystem::path& path) {
  std::string pattern = path.string() + ".tmp.XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const int fd = ::mkstemp(buffer.data());
  if (fd < 0) throw_errno("cannot create a file beside " + path.string());
  return TempFile{std::filesystem::path(buffer.data()), fd};
}

void commit_temp(TempFile& temp, const std::filesystem::path& to) {
  const int fd = temp.fd;
  temp.fd = -1;
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    std::filesystem::remove(temp.path);
    errno = saved;
    throw_errno("cannot flush " + temp.path.string());
  }
  try {
    // rename(2) would replace a link rather than write through it; still, what is there must be ours to replace.
    check_private_path(to);
  } catch (...) {
    std::filesystem::remove(temp.path);
    throw;
  }
  if (::rename(temp.path.c_str(), to.c_str()) != 0) {
    const int saved = errno;
    std::filesystem::remove(temp.path);
    errno = saved;
    throw_errno("cannot rename into " + to.string());
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  TempFile temp = create_temp_beside(path);
  try {
    write_content(temp.fd, content, temp.path);
  } catch (...) {
    ::close(temp.fd);
    std::filesystem::remove(temp.path);
    throw;
  }
  commit_temp(temp, path);
}

std::string read_file(const std::filesystem::path& path) { return OpenFile(path).read_all(); }

}  // namespace xfu
