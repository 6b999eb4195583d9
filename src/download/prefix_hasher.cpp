#include "download/prefix_hasher.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/exit_code.hpp"

namespace xfu {

PrefixHasher::PrefixHasher(int fd, InOrderBytes tap) : fd_(fd), tap_(std::move(tap)), thread_([this] { run(); }) {}

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

void PrefixHasher::offer(uint64_t offset, std::vector<char>&& bytes) {
  if (bytes.empty()) return;
  std::lock_guard lock(mutex_);
  const uint64_t next = kept_.empty() ? taken_end_ : kept_.back().first + kept_.back().second.size();
  if (offset != next || kept_bytes_ + bytes.size() > kMostKept) return keep_spare(std::move(bytes));
  kept_bytes_ += bytes.size();
  kept_.emplace_back(offset, std::move(bytes));
}

std::vector<char> PrefixHasher::spare_buffer() {
  std::lock_guard lock(mutex_);
  if (spares_.empty()) return {};
  std::vector<char> buffer = std::move(spares_.back());
  spares_.pop_back();
  return buffer;
}

// With the lock held.
void PrefixHasher::keep_spare(std::vector<char>&& buffer) {
  buffer.clear();
  if (spares_.size() < kMostSpares) spares_.push_back(std::move(buffer));
}

// With the lock held: hashes the first kept bytes, when they start where the
// digest is and are within what is written, outside the lock (the loop hands
// over more meanwhile). False when there are none to hash.
bool PrefixHasher::hash_kept(std::unique_lock<std::mutex>& lock) {
  while (!kept_.empty() && kept_.front().first < hashed_) {  // overtaken by a read-back
    kept_bytes_ -= kept_.front().second.size();
    keep_spare(std::move(kept_.front().second));
    kept_.pop_front();
  }
  if (kept_.empty() || kept_.front().first != hashed_ || kept_.front().first + kept_.front().second.size() > target_)
    return false;
  std::vector<char> bytes = std::move(kept_.front().second);
  kept_.pop_front();
  kept_bytes_ -= bytes.size();
  const uint64_t offset = hashed_;
  taken_end_ = offset + bytes.size();
  lock.unlock();
  digest(offset, bytes.data(), bytes.size());
  lock.lock();
  hashed_ = taken_end_;
  keep_spare(std::move(bytes));
  return true;
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
    digest(from, static_cast<const char*>(map) + (from - start), static_cast<size_t>(length));
    ::munmap(map, mapped);
    return static_cast<ssize_t>(length);
  }
  const ssize_t got = ::pread(fd_, buffer.data(), std::min<uint64_t>(length, buffer.size()), static_cast<off_t>(from));
  if (got > 0) digest(from, buffer.data(), static_cast<size_t>(got));
  return got;
}

// Outside the lock, on the hasher's thread: the digest and the tap see the same bytes in the same order.
void PrefixHasher::digest(uint64_t offset, const char* bytes, size_t size) {
  digest_.update(bytes, size);
  if (tap_) tap_(offset, std::span<const char>(bytes, size));
}

void PrefixHasher::run() {
  std::vector<char> buffer(1 << 20);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || (read_errno_ == 0 && target_ > hashed_); });
    if (stop_) return;
    if (hash_kept(lock)) {
      progressed_.notify_all();
      continue;
    }
    // Read back up to the first kept bytes, which are hashed from memory then.
    const uint64_t from = hashed_;
    const uint64_t until = kept_.empty() ? target_ : std::clamp(kept_.front().first, from, target_);
    const uint64_t want = std::min<uint64_t>(kWindow, until - from);
    if (want == 0) {  // kept bytes from here on, handed over just before advance_to: it is on its way
      wake_.wait_for(lock, std::chrono::milliseconds(10));
      continue;
    }
    lock.unlock();
    const ssize_t got = hash_range(from, want, buffer);
    lock.lock();
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      read_errno_ = got < 0 ? errno : EIO;  // 0: the file is shorter than what was written
    } else {
      hashed_ += static_cast<uint64_t>(got);
      taken_end_ = std::max(taken_end_, hashed_);
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
