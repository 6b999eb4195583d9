// MD5 of files at the speed of the digest: a reader thread keeps the next
// buffers filled while the caller's thread hashes, so disk reads and hashing
// overlap. Memory stays constant (a few MiB) whatever the file size.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace xfu {

struct FileHash {
  std::string md5;    // lower-case hex; empty when the file could not be read
  uint64_t size = 0;  // bytes hashed
  std::string error;  // why the file could not be read ("No such file or directory")
};

// Called with the number of bytes just hashed; may come from several threads.
using HashProgress = std::function<void(uint64_t bytes)>;

// Given every run of bytes right after it was hashed, in order from byte 0, with its offset: what else reads the
// file in the same pass (offset 0 again means the file started over).
using InOrderBytes = std::function<void(uint64_t offset, std::span<const char> bytes)>;

// With `overlap_reads`, a large file is read on a second thread while this
// one hashes: worth it when a core is free.
// When `cancel` becomes true the hashing stops with the error "interrupted".
FileHash md5_of_file(const std::filesystem::path& path, const HashProgress& progress = {}, bool overlap_reads = true,
                     const std::atomic<bool>* cancel = nullptr, const InOrderBytes& tap = {});

// Hashes `paths` on `workers` threads (at most one per file) and calls
// `on_done(index, hash)` on the calling thread, in index order, as soon as
// each result and all before it are ready. When `on_done` throws, the
// hashing stops and the exception passes on. Only regular files are read: a
// FIFO or a device gets an error, without waiting for a writer.
void md5_of_files(const std::vector<std::filesystem::path>& paths, size_t workers,
                  const std::function<void(size_t, const FileHash&)>& on_done, const HashProgress& progress = {});

}  // namespace xfu
