// MD5 of a file that is being filled out of order: a thread of its own reads
// back and hashes the bytes from 0 up to the end of the contiguous prefix as
// that prefix grows, so when the last byte lands the digest is nearly done.
// It reads what is on disk, not what came off the network, so it also
// vouches for every write having gone to the right offset.
#pragma once

#include <sys/types.h>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.hpp"

namespace xfu {

class PrefixHasher {
 public:
  explicit PrefixHasher(int fd);  // hashes from byte 0; `fd` must outlive the hasher
  ~PrefixHasher();
  PrefixHasher(const PrefixHasher&) = delete;
  PrefixHasher& operator=(const PrefixHasher&) = delete;

  // Bytes [0, end) are written and may be hashed.
  void advance_to(uint64_t end);
  // Waits for the first `total` bytes to be hashed and returns the MD5 in
  // lower-case hex. Throws Error(LocalFile) when the file could not be read
  // and Error(Interrupted) when `interrupted` became true first.
  std::string finish(uint64_t total, const std::atomic<bool>& interrupted);

 private:
  int fd_;
  Digest digest_{DigestKind::Md5};
  std::mutex mutex_;
  std::condition_variable wake_, progressed_;
  uint64_t target_ = 0;
  uint64_t hashed_ = 0;
  int read_errno_ = 0;
  bool stop_ = false;
  std::thread thread_;
  static constexpr uint64_t kWindow = 4 << 20;
  void run();
  ssize_t hash_range(uint64_t from, uint64_t length, std::vector<char>& buffer);
};

}  // namespace xfu
