// Reading a package with libarchive in one streaming pass, without writing
// anything to disk: only the small files that carry facts are read, every
// other entry is skipped as it streams by.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "package/package_facts.hpp"

namespace xfu {

// Reads `file` (tar, tar.gz, zip, ...). Throws Error(LocalFile) when it
// cannot be opened or is not a readable archive (corrupt, truncated), with a
// one-line reason, and Error(Interrupted) when `interrupted` becomes true.
PackageFacts inspect_package(const std::filesystem::path& file, const std::atomic<bool>& interrupted);

// The same reading, fed with the file's bytes in order as they arrive (from
// a download's hasher): a thread of its own decompresses and scans them.
// feed() blocks only while that thread is behind by more than a bounded
// buffer; once the stream proves not to be an archive, it drops what it gets.
class StreamInspector {
 public:
  StreamInspector();
  ~StreamInspector();
  StreamInspector(const StreamInspector&) = delete;
  StreamInspector& operator=(const StreamInspector&) = delete;

  // `bytes` are the file's bytes at `offset`. Offset 0 again means the file
  // starts over: what was read so far is dropped. Any other gap makes the
  // facts unknown.
  void feed(uint64_t offset, std::span<const char> bytes);
  // The stream has ended at `size` bytes: waits for the reading to finish.
  // The facts, or nothing when the bytes were not all seen or were not a
  // readable archive (`problem()` then says why).
  std::optional<PackageFacts> finish(uint64_t size);
  std::string problem() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace xfu
