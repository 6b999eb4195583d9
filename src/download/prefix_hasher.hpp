// MD5 of a file that is being filled out of order: a thread of its own hashes
// the bytes from 0 up to the end of the contiguous prefix as that prefix
// grows, so when the last byte lands the digest is nearly done. Bytes written
// in order (one connection, or the lowest segment) are handed over as they
// were written and hashed from memory while the thread keeps up, which spares
// reading them back; the rest, and what it could not keep up with, it reads
// back from the file.
#pragma once

#include <sys/types.h>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/file_hash.hpp"
#include "core/hash.hpp"

namespace xfu {

class PrefixHasher {
 public:
  // Hashes from byte 0; `fd` must outlive the hasher. `tap`, when set, is given every hashed run with its offset,
  // on the hasher's thread.
  explicit PrefixHasher(int fd, InOrderBytes tap = {});
  ~PrefixHasher();
  PrefixHasher(const PrefixHasher&) = delete;
  PrefixHasher& operator=(const PrefixHasher&) = delete;

  // Bytes [0, end) are written and may be hashed.
  void advance_to(uint64_t end);
  // `bytes` were written at `offset`: kept to be hashed from memory when they continue what is hashed or
  // kept already and at most kMostKept bytes wait; otherwise they are read back. Call it before advance_to.
  void offer(uint64_t offset, std::vector<char>&& bytes);
  // An empty buffer to fill next: one handed over before, when there is one, with its capacity.
  std::vector<char> spare_buffer();
  // Waits for the first `total` bytes to be hashed and returns the MD5 in
  // lower-case hex. Throws Error(LocalFile) when the file could not be read
  // and Error(Interrupted) when `interrupted` became true first.
  std::string finish(uint64_t total, const std::atomic<bool>& interrupted);

 private:
  int fd_;
  InOrderBytes tap_;
  Digest digest_{DigestKind::Md5};
  std::mutex mutex_;
  std::condition_variable wake_, progressed_;
  uint64_t target_ = 0;
  uint64_t hashed_ = 0;
  int read_errno_ = 0;
  bool stop_ = false;
  std::thread thread_;
  // Bytes kept to be hashed from memory, contiguous from the first one's offset.
  std::deque<std::pair<uint64_t, std::vector<char>>> kept_;
  uint64_t kept_bytes_ = 0;
  uint64_t taken_end_ = 0;  // where the bytes being hashed now end (>= hashed_)
  std::vector<std::vector<char>> spares_;
  static constexpr uint64_t kWindow = 4 << 20;
  static constexpr uint64_t kMostKept = 8 << 20;
  static constexpr size_t kMostSpares = 8;
  void run();
  bool hash_kept(std::unique_lock<std::mutex>& lock);
  void keep_spare(std::vector<char>&& buffer);
  ssize_t hash_range(uint64_t from, uint64_t length, std::vector<char>& buffer);
  void digest(uint64_t offset, const char* bytes, size_t size);
};

}  // namespace xfu
