// Deciding whether a file is what it claims to be: where its expected MD5
// comes from, strongest first, and what a computed MD5 says against it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/exit_code.hpp"
#include "core/rom.hpp"

namespace xfu {

enum class ChecksumSource {
  None,        // nothing known: the file cannot be verified
  Md5Flag,     // --md5 HASH
  SumsFile,    // a line of a checksum file (--check)
  Catalog,     // the catalog record(s) of this package name
  NamePrefix,  // the 10 hex digits (40 bits) Xiaomi puts in the file name
};
std::string_view source_name(ChecksumSource source);  // "md5-flag", "catalog", ...

struct Expectation {
  ChecksumSource source = ChecksumSource::None;
  std::vector<std::string> md5s;  // full checksums; the file passes when it has one of them
  std::string prefix;             // for NamePrefix
  std::vector<Rom> roms;          // the catalog records of this file name, if any

  std::string shown() const;  // the expected value as users see it: md5, prefix, or ""
};

// From the catalog records whose package name is the file's name, else from
// the file name's MD5 prefix, else nothing.
Expectation expect_from_catalog(std::string_view file_name, std::vector<Rom> records);
Expectation expect_md5(ChecksumSource source, std::string md5);

enum class VerifyStatus {
  Ok,      // a full MD5 matched
  NameOk,  // only the 40-bit MD5 prefix in the file name matched: it catches accidents, not forgeries
  Mismatch,
  Unknown,  // nothing to check against
  Unreadable,
};
// "ok", "name-ok", "failed", "unknown", "unreadable"
std::string_view status_name(VerifyStatus status);

VerifyStatus judge(std::string_view actual_md5, const Expectation& expectation);

// True for Ok, and for NameOk unless only a full MD5 is accepted.
bool passes(VerifyStatus status, bool full_md5_only);

// 1 if anything mismatched, else 6 if something could not be read, else 3 if
// something could not be verified (with `full_md5_only`, also a match of the
// name's prefix alone), else 0.
ExitCode verify_exit_code(std::span<const VerifyStatus> statuses, bool full_md5_only = false);

}  // namespace xfu
