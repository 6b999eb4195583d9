#include "download/prefix_hasher.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/exit_code.hpp"

namespace xfu {

PrefixHasher::PrefixHasher(int fd) : fd_(fd), thread_([this] { run(); }) {}

PrefixHasher::~PrefixHasher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PrefixHasher::advance_to(uint64_t end) {
  {
    std::lock_guard lock(mutex_);
    if (end <= target_) return;
    target_ = end;
  }
  wake_.notify_one();
}

// Maps the written pages and digests them in place: no copy out of the page
// cache, which matters when the network is as fast as MD5. Falls back to
// pread where mapping fails.
ssize_t PrefixHasher::hash_range(uint64_t from, uint64_t length, std::vector<char>& buffer) {
  static const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t start = from / page * page;
  const size_t mapped = static_cast<size_t>(from - start + length);
  // Never map past the end of the file: the tail of the last page would read
  // as zeros, and whole pages past it would raise SIGBUS.
  struct stat info {};
  const bool inside = ::fstat(fd_, &info) == 0 && from + length <= static_cast<uint64_t>(info.st_size);
  void* map = inside ? ::mmap(nullptr, mapped, PROT_READ, MAP_SHARED | MAP_POPULATE, fd_, static_cast<off_t>(start))
                     : MAP_FAILED;
  if (map != MAP_FAILED) {
    digest_.update(static_cast<const char*>(map) + (from - start), static_cast<size_t>(length));
    ::munmap(map, mapped);
    return static_cast<ssize_t>(length);
  }
  const ssize_t got = ::pread(fd_, buffer.data(), std::min<uint64_t>(length, buffer.size()), static_cast<off_t>(from));
  if (got > 0) digest_.update(buffer.data(), static_cast<size_t>(got));
  return got;
}

void PrefixHasher::run() {
  std::vector<char> buffer(1 << 20);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || (read_errno_ == 0 && target_ > hashed_); });
    if (stop_) return;
    const uint64_t from = hashed_, want = std::min<uint64_t>(kWindow, target_ - from);
    lock.unlock();
    const ssize_t got = hash_range(from, want, buffer);
    lock.lock();
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      read_errno_ = got < 0 ? errno : EIO;  // 0: the file is shorter than what was written
    } else {
      hashed_ += static_cast<uint64_t>(got);
    }
    progressed_.notify_all();
  }
}

std::string PrefixHasher::finish(uint64_t total, const std::atomic<bool>& interrupted) {
  advance_to(total);
  std::unique_lock lock(mutex_);
  while (hashed_ < total && read_errno_ == 0) {
    if (interrupted) throw Error(ExitCode::Interrupted, "interrupted");
    progressed_.wait_for(lock, std::chrono::milliseconds(50));
  }
  if (read_errno_)
    throw Error(ExitCode::LocalFile, std::string("cannot read back the download: ") + std::strerror(read_errno_));
  return digest_.finish_hex();
}

}  // namespace xfu
