// Opening and replacing the files xfu writes without ever writing through a
// link. Downloads often go to directories others can write to as well (/tmp,
// a shared folder), where anyone may plant a symbolic or hard link at a name
// xfu is about to use; root running xfu there must not overwrite the file
// the link points to. So an existing file is only used when it is a regular
// file of the effective user with a single link.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace xfu {

// Why a file with `info` (from lstat or fstat) must not be written by the
// user `owner`, or nothing when it may: "it is a symbolic link", "it is not
// a regular file", "it has 2 hard links", "it belongs to another user (uid 65534)".
std::optional<std::string> unsafe_file_problem(const struct stat& info, uid_t owner);

// Something unsafe_file_problem() refused; what() is
// "refusing to write PATH: REASON". A std::system_error (EPERM), so that
// every writer's error handling already catches it.
class UnsafeFile : public std::system_error {
 public:
  UnsafeFile(const std::filesystem::path& path, std::string reason);
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_, message_;
};

// Why a write failed, in words for a note: the refusal's reason for an
// UnsafeFile ("it belongs to another user (uid 0)"), else the system's.
std::string write_problem(const std::system_error& error);

// Checks what is at `path` without following a link; nothing there is fine.
// Throws UnsafeFile, or std::system_error when it cannot be looked at.
void check_private_path(const std::filesystem::path& path);

// Checks that the directory `path` (a cache xfu writes into and later
// trusts) is the effective user's, and so is a symbolic link naming it.
// Throws UnsafeFile, or std::system_error when it cannot be looked at.
void check_private_directory(const std::filesystem::path& path);

// Refuses `path` (UnsafeFile) unless it is a directory itself, not a
// symbolic link to one: what xfu writes below it would land elsewhere.
void check_plain_directory(const std::filesystem::path& path);

// Opens `path` for reading and writing without following a link. Absent, it
// is created with `mode` when `create` is set, else -1 is returned. What is
// there already must pass unsafe_file_problem(), checked again on the open
// descriptor. Throws UnsafeFile or std::system_error.
int open_private_file(const std::filesystem::path& path, bool create, mode_t mode = 0644);

// Reads a file xfu wrote earlier and now trusts (a saved table): opened
// without following a link and without waiting on a FIFO, and read only
// when it passes unsafe_file_problem() on the open descriptor and holds at
// most `max_bytes`. Nothing when it is absent. Throws UnsafeFile, or
// std::system_error (EFBIG when it is larger).
std::optional<std::string> read_private_file(const std::filesystem::path& path, uint64_t max_bytes);

// Whether `name` ends like what create_temp_beside() makes: ".tmp." and
// mkstemp's six letters or digits (kTempSuffixLength bytes).
inline constexpr size_t kTempSuffixLength = 11;
bool has_temp_suffix(std::string_view name);

// Whether `name` is what create_temp_beside() makes for `base`: base + ".tmp."
// and mkstemp's six letters or digits.
bool is_temp_file_of(std::string_view name, std::string_view base);

// Removes the temporary files that a killed run left beside `path` (see
// is_temp_file_of), when they are regular files of ours; links and anything
// else are left alone. Only call it while no other process may be writing
// one (NAME.part's lock is held).
void remove_temp_files_of(const std::filesystem::path& path);

}  // namespace xfu
