// Writing to a file descriptor until everything is written: the one place
// that knows write(2) may write less than asked and may be interrupted.
#pragma once

#include <cstddef>
#include <cstdint>

namespace xfu {

// Writes all `size` bytes at the file position. Returns 0, or the errno that stopped it.
int write_all(int fd, const char* data, size_t size);

// Writes `size` bytes at `offset`. Returns how many were written; when that
// is fewer than `size`, `error` holds the errno that stopped it.
size_t pwrite_all(int fd, const char* data, size_t size, uint64_t offset, int& error);

}  // namespace xfu
