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
#include "util/fd_io.hpp"

namespace xfu {

namespace {

[[noreturn]] void local_error(const std::string& what, int error) {
  throw Error(ExitCode::LocalFile, what + ": " + std::strerror(error));
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_ino == b.st_ino && a.st_dev == b.st_dev; }

}  // namespace

PartFile::PartFile(const std::filesystem::path& directory, const std::string& filename)
    : directory_(directory),
      part_(directory / (filename + ".part")),
      state_path_(directory / (filename + ".part.state")) {}

PartFile::~PartFile() {
  if (fd_ >= 0) ::close(fd_);
}

void PartFile::lock(const std::function<void()>& waiting, const std::function<bool()>& stop,
                    const std::function<bool()>& finished_elsewhere) {
  bool told = false;
  for (;;) {
    fd_ = ::open(part_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) local_error("cannot open " + part_.string(), errno);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) local_error("cannot lock " + part_.string(), errno);
      if (!told) waiting();
      told = true;
      if (stop()) throw Error(ExitCode::Interrupted, "interrupted while waiting for another xfu");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // The other xfu may have renamed the file we waited on: lock the one now at that name.
    struct stat locked {
    }, named{};
    if (::fstat(fd_, &locked) == 0 && ::stat(part_.c_str(), &named) == 0 && same_file(locked, named)) return;
    ::close(fd_);
    fd_ = -1;
    if (finished_elsewhere()) return;
  }
}

void PartFile::discard_if_empty() {
  struct stat info {};
  if (fd_ >= 0 && ::fstat(fd_, &info) == 0 && info.st_size == 0) ::unlink(part_.c_str());
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

void PartFile::save_state(const PartState& state) const { save_part_state(state_path_, state); }

void PartFile::remove_state() const {
  std::error_code error;
  std::filesystem::remove(state_path_, error);
}

void PartFile::sync() const {
  if (::fdatasync(fd_) != 0) local_error("cannot flush " + part_.string(), errno);
}

void PartFile::rename_to(const std::filesystem::path& to) const {
  if (::rename(part_.c_str(), to.c_str()) != 0) local_error("cannot rename " + part_.string(), errno);
  const int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  ::fsync(dir);
  ::close(dir);
}

void PartFile::remove() const { ::unlink(part_.c_str()); }

}  // namespace xfu
