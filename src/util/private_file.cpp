#include "util/private_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace xfu {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_ino == b.st_ino && a.st_dev == b.st_dev; }

void refuse_if_unsafe(const std::filesystem::path& path, const struct stat& info) {
  if (auto problem = unsafe_file_problem(info, ::geteuid())) throw UnsafeFile(path, *problem);
}

struct UniqueFd {
  int fd;
  ~UniqueFd() { ::close(fd); }
};

// Opens what lstat found at `path`, if it is still the same file; -1 when
// it changed or went away in between (the caller looks again).
int reopen_checked(const std::filesystem::path& path, const struct stat& named) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return -1;
    if (errno == ELOOP) throw UnsafeFile(path, "it is a symbolic link");
    throw_errno("cannot open " + path.string());
  }
  struct stat opened {};
  if (::fstat(fd, &opened) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    throw_errno("cannot open " + path.string());
  }
  if (auto problem = unsafe_file_problem(opened, ::geteuid())) {
    ::close(fd);
    throw UnsafeFile(path, *problem);
  }
  if (same_file(opened, named)) return fd;
  ::close(fd);
  return -1;
}

bool is_temp_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

std::optional<std::string> unsafe_file_problem(const struct stat& info, uid_t owner) {
  if (S_ISLNK(info.st_mode)) return "it is a symbolic link";
  if (S_ISDIR(info.st_mode)) return "it is a directory";
  if (!S_ISREG(info.st_mode)) return "it is not a regular file";
  if (info.st_nlink > 1) return "it has " + std::to_string(info.st_nlink) + " hard links";
  if (info.st_uid != owner) return "it belongs to another user (uid " + std::to_string(info.st_uid) + ")";
  return std::nullopt;
}

UnsafeFile::UnsafeFile(const std::filesystem::path& path, std::string reason)
    : std::system_error(EPERM, std::generic_category()),
      reason_(std::move(reason)),
      message_("refusing to write " + path.string() + ": " + reason_) {}

std::string write_problem(const std::system_error& error) {
  if (const auto* unsafe = dynamic_cast<const UnsafeFile*>(&error)) return unsafe->reason();
  return error.code().message();
}

void check_private_path(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) return refuse_if_unsafe(path, info);
  if (errno != ENOENT) throw_errno("cannot look at " + path.string());
}

void check_private_directory(const std::filesystem::path& path) {
  struct stat named {
  }, directory{};
  if (::lstat(path.c_str(), &named) != 0 || ::stat(path.c_str(), &directory) != 0)
    throw_errno("cannot look at " + path.string());
  const uid_t owner = ::geteuid();
  if (named.st_uid != owner)
    throw UnsafeFile(path, "it belongs to another user (uid " + std::to_string(named.st_uid) + ")");
  if (!S_ISDIR(directory.st_mode)) throw UnsafeFile(path, "it is not a directory");
  if (directory.st_uid != owner)
    throw UnsafeFile(path, "it leads to a directory of another user (uid " + std::to_string(directory.st_uid) + ")");
}

void check_plain_directory(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) throw_errno("cannot look at " + path.string());
  if (S_ISLNK(info.st_mode)) throw UnsafeFile(path, "it is a symbolic link");
  if (!S_ISDIR(info.st_mode)) throw UnsafeFile(path, "it is not a directory");
}

int open_private_file(const std::filesystem::path& path, bool create, mode_t mode) {
  // A file that keeps being replaced between the look and the open is given a few chances, not forever.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (create) {
      // O_EXCL fails on anything already there, a dangling symbolic link included.
      const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
      if (fd >= 0) return fd;
      if (errno != EEXIST) throw_errno("cannot open " + path.string());
    }
    struct stat named {};
    if (::lstat(path.c_str(), &named) != 0) {
      if (errno != ENOENT) throw_errno("cannot open " + path.string());
      if (!create) return -1;
      continue;
    }
    refuse_if_unsafe(path, named);
    const int fd = reopen_checked(path, named);
    if (fd >= 0) return fd;
  }
  errno = EAGAIN;
  throw_errno("cannot open " + path.string() + ": it keeps being replaced");
}

std::optional<std::string> read_private_file(const std::filesystem::path& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    if (errno == ELOOP) throw UnsafeFile(path, "it is a symbolic link");
    throw_errno("cannot open " + path.string());
  }
  const UniqueFd closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw_errno("cannot read " + path.string());
  refuse_if_unsafe(path, info);
  if (static_cast<uint64_t>(info.st_size) > max_bytes) {
    errno = EFBIG;
    throw_errno("cannot read " + path.string());
  }
  // Read no more than fstat said: a file that grows meanwhile is cut short, and its checks then fail.
  std::string content(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t got = ::pread(fd, content.data() + done, content.size() - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_errno("cannot read " + path.string());
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  content.resize(done);
  return content;
}

bool has_temp_suffix(std::string_view name) {
  constexpr std::string_view kInfix = ".tmp.";
  constexpr size_t kLetters = 6;
  if (name.size() < kInfix.size() + kLetters) return false;
  const std::string_view suffix = name.substr(name.size() - kInfix.size() - kLetters);
  if (!suffix.starts_with(kInfix)) return false;
  return std::all_of(suffix.begin() + kInfix.size(), suffix.end(), is_temp_letter);
}

bool is_temp_file_of(std::string_view name, std::string_view base) {
  return name.size() == base.size() + kTempSuffixLength && name.starts_with(base) && has_temp_suffix(name);
}

void remove_temp_files_of(const std::filesystem::path& path) {
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
  const std::string base = path.filename().string();
  std::error_code error;
  try {
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      if (!is_temp_file_of(entry.path().filename().string(), base)) continue;
      struct stat info {};
      if (::lstat(entry.path().c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_uid == ::geteuid())
        ::unlink(entry.path().c_str());
    }
  } catch (const std::filesystem::filesystem_error&) {
    // Tidying up is a courtesy: a directory that cannot be read further keeps its leftovers.
  }
}

}  // namespace xfu
