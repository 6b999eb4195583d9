#include "download/part_file.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/exit_code.hpp"
#include "core/filename.hpp"
#include "util/fd_io.hpp"
#include "util/private_file.hpp"

namespace xfu {

namespace {

[[noreturn]] void local_error(const std::string& what, int error) {
  throw Error(ExitCode::LocalFile, what + ": " + std::strerror(error));
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_ino == b.st_ino && a.st_dev == b.st_dev; }

// The user chose the directory: the file name says which file is meant.
[[noreturn]] void refuse(const UnsafeFile& unsafe, const std::filesystem::path& path) {
  throw Error(ExitCode::LocalFile, "refusing to write " + path.filename().string() + ": " + unsafe.reason());
}

// Whether `fd` is still the file named `path` (not renamed or removed since it was opened).
bool still_named(int fd, const std::filesystem::path& path) {
  struct stat opened {
  }, named{};
  return ::fstat(fd, &opened) == 0 && ::lstat(path.c_str(), &named) == 0 && same_file(opened, named);
}

bool is_private_file(const std::filesystem::path& path) {
  try {
    check_private_path(path);
    return true;
  } catch (const std::system_error&) {
    return false;
  }
}

// NAME.part, created when absent; -1 when absent and not `create`.
int open_part(const std::filesystem::path& path, bool create) {
  try {
    return open_private_file(path, create);
  } catch (const UnsafeFile& unsafe) {
    refuse(unsafe, path);
  } catch (const std::system_error& error) {
    local_error("cannot open " + path.string(), error.code().value());
  }
}

}  // namespace

void refuse_unsafe_file(const std::filesystem::path& path) {
  try {
    check_private_path(path);
  } catch (const UnsafeFile& unsafe) {
    refuse(unsafe, path);
  } catch (const std::system_error& error) {
    local_error("cannot look at " + path.string(), error.code().value());
  }
}

PartFile::PartFile(const std::filesystem::path& directory, const std::string& filename)
    : directory_(directory),
      part_(directory / (filename + std::string(kPartSuffix))),
      state_path_(directory / (filename + std::string(kPartStateSuffix))) {}

PartFile::~PartFile() {
  if (fd_ >= 0) ::close(fd_);
}

void PartFile::lock(const std::function<void()>& waiting, const std::function<bool()>& stop,
                    const std::function<bool()>& finished_elsewhere) {
  bool told = false;
  for (;;) {
    fd_ = open_part(part_, true);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) local_error("cannot lock " + part_.string(), errno);
      if (!told) waiting();
      told = true;
      if (stop()) throw Error(ExitCode::Interrupted, "interrupted while waiting for another xfu");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // The other xfu may have renamed the file we waited on: lock the one now at that name.
    if (still_named(fd_, part_)) {
      refuse_unsafe_file(state_path_);
      remove_temp_files_of(state_path_);
      return;
    }
    ::close(fd_);
    fd_ = -1;
    if (finished_elsewhere()) return;
  }
}

void PartFile::discard_unless_busy() {
  int fd = fd_;
  if (fd < 0) {
    try {
      fd = open_private_file(part_, false);
    } catch (const std::system_error&) {
      return;  // not ours to remove
    }
    if (fd < 0) {  // no NAME.part: a state file's temporary file can only be a killed run's leftover
      remove_temp_files_of(state_path_);
      return;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // another xfu is writing it
      ::close(fd);
      return;
    }
  }
  if (still_named(fd, part_)) {
    remove();
    if (is_private_file(state_path_)) remove_state();  // someone else's file there is not ours to remove
    remove_temp_files_of(state_path_);
  }
  if (fd != fd_) ::close(fd);
}

uint64_t PartFile::size() const {
  struct stat info {};
  if (::fstat(fd_, &info) != 0) local_error("cannot read " + part_.string(), errno);
  return static_cast<uint64_t>(info.st_size);
}

void PartFile::truncate() {
  if (::ftruncate(fd_, 0) != 0) local_error("cannot truncate " + part_.string(), errno);
  remove_state();
}

void PartFile::cut_to(uint64_t size) {
  if (this->size() > size && ::ftruncate(fd_, static_cast<off_t>(size)) != 0)
    local_error("cannot truncate " + part_.string(), errno);
}

// Room for the whole file before segments land all over it, so a full disk
// shows at once, not at 90%. On tmpfs, where fallocate zero-fills every
// page (0.16 s for 420 MB), the free space is checked instead.
int PartFile::reserve(uint64_t total) const {
  struct statfs filesystem {};
  if (::fstatfs(fd_, &filesystem) == 0 && filesystem.f_type == TMPFS_MAGIC) {
    struct statvfs space {};
    struct stat info {};
    if (::fstatvfs(fd_, &space) == 0 && ::fstat(fd_, &info) == 0 &&
        static_cast<uint64_t>(space.f_bavail) * space.f_frsize + static_cast<uint64_t>(info.st_size) < total)
      return ENOSPC;
    return 0;
  }
  if (::fallocate(fd_, 0, 0, static_cast<off_t>(total)) != 0 && errno != EOPNOTSUPP && errno != ENOSYS &&
      errno != EINVAL)
    return errno;
  return 0;
}

size_t PartFile::write_at(const char* data, size_t size, uint64_t offset, int& error) const {
  return pwrite_all(fd_, data, size, offset, error);
}

std::optional<PartState> PartFile::load_state(uint64_t part_size) const {
  return load_part_state(state_path_, part_size);
}

void PartFile::save_state(const PartState& state) const {
  try {
    save_part_state(state_path_, state);
  } catch (const UnsafeFile& unsafe) {
    refuse(unsafe, state_path_);
  }
}

void PartFile::remove_state() const {
  std::error_code error;
  std::filesystem::remove(state_path_, error);
}

void PartFile::sync() const {
  if (::fdatasync(fd_) != 0) local_error("cannot flush " + part_.string(), errno);
}

void PartFile::rename_to(const std::filesystem::path& to) const {
  // rename(2) would replace a link rather than follow it, but a link or another user's file there was put by
  // someone else, who may still hold it: the user is told instead of it silently disappearing.
  refuse_unsafe_file(to);
  if (::rename(part_.c_str(), to.c_str()) != 0) local_error("cannot rename " + part_.string(), errno);
  const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  ::fsync(dir);
  ::close(dir);
}

void PartFile::remove() const { ::unlink(part_.c_str()); }

}  // namespace xfu
