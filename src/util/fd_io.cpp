#include "util/fd_io.hpp"

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>

namespace xfu {

int write_all(int fd, const char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t written = ::write(fd, data + done, size - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<size_t>(written);
  }
  return 0;
}

size_t pwrite_all(int fd, const char* data, size_t size, uint64_t offset, int& error) {
  size_t done = 0;
  error = 0;
  while (done < size) {
    const ssize_t written = ::pwrite(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (written < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    done += static_cast<size_t>(written);
  }
  return done;
}

}  // namespace xfu
