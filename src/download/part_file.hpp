// NAME.part and its state file beside the target: the one writer's lock,
// room reserved for the whole file, writes at offsets, and the final rename.
// Every failure here is Error(LocalFile) naming the file and the reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "download/part_state.hpp"

namespace xfu {

// The longest name xfu makes beside NAME: the state file's temporary file
// (util/atomic_file), NAME.part.state.tmp.XXXXXX.
inline constexpr std::string_view kLongestPartSuffix = ".part.state.tmp.XXXXXX";

// Refuses, as Error(LocalFile) "refusing to write NAME: it is a symbolic
// link" (util/private_file), what is at `path` unless it is absent or a
// regular file of ours with one link.
void refuse_unsafe_file(const std::filesystem::path& path);

class PartFile {
 public:
  PartFile(const std::filesystem::path& directory, const std::string& filename);
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;
  ~PartFile();

  const std::filesystem::path& path() const { return part_; }
  const std::filesystem::path& state_path() const { return state_path_; }
  int fd() const { return fd_; }

  // Only one xfu writes a given NAME.part: the lock is on the file itself.
  // `waiting` is called once when another xfu holds it; `stop` is asked
  // while waiting (true: give up, Error(Interrupted)); `finished_elsewhere`
  // after the other xfu renamed the part (true: nothing left to do).
  // NAME.part is never opened through a link, and temporary state files a
  // killed run left behind are removed once the lock is ours.
  void lock(const std::function<void()>& waiting, const std::function<bool()>& stop,
            const std::function<bool()>& finished_elsewhere);
  // The target was found complete and verified: removes NAME.part, its state
  // and their temporary files, unless another xfu holds NAME.part locked or
  // NAME.part is not a regular file of ours (then all are left alone).
  // Without NAME.part, leftover temporary state files are still removed.
  void discard_unless_busy();

  uint64_t size() const;
  // Empties NAME.part and forgets its state.
  void truncate();
  // Cuts NAME.part to `size` bytes when it is longer (bytes an earlier run
  // left past the end of the file).
  void cut_to(uint64_t size);
  // Room for `total` bytes; 0, or the errno that says why there is none.
  int reserve(uint64_t total) const;
  // Writes at `offset`; returns how many bytes were written, `error` set when fewer.
  size_t write_at(const char* data, size_t size, uint64_t offset, int& error) const;

  std::optional<PartState> load_state(uint64_t part_size) const;
  // Throws std::system_error when the state cannot be written.
  void save_state(const PartState& state) const;
  void remove_state() const;

  void sync() const;
  // Renames NAME.part to `to` in the same directory (and syncs the directory),
  // after refuse_unsafe_file(to).
  void rename_to(const std::filesystem::path& to) const;
  void remove() const;

 private:
  std::filesystem::path directory_, part_, state_path_;
  int fd_ = -1;
};

}  // namespace xfu
