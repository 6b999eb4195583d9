#include "verify/verify.hpp"

#include <algorithm>

#include "core/rom_name.hpp"

namespace xfu {

std::string_view source_name(ChecksumSource source) {
  switch (source) {
    case ChecksumSource::None: return "none";
    case ChecksumSource::Md5Flag: return "md5-flag";
    case ChecksumSource::SumsFile: return "sums-file";
    case ChecksumSource::Catalog: return "catalog";
    case ChecksumSource::NamePrefix: return "name-prefix";
  }
  return "";
}

std::string_view status_name(VerifyStatus status) {
  switch (status) {
    case VerifyStatus::Ok: return "ok";
    case VerifyStatus::NameOk: return "name-ok";
    case VerifyStatus::Mismatch: return "failed";
    case VerifyStatus::Unknown: return "unknown";
    case VerifyStatus::Unreadable: return "unreadable";
  }
  return "";
}

std::string Expectation::shown() const {
  if (!md5s.empty()) return md5s.front();
  return prefix;
}

Expectation expect_md5(ChecksumSource source, std::string md5) {
  Expectation expectation;
  expectation.source = source;
  expectation.md5s.push_back(std::move(md5));
  return expectation;
}

Expectation expect_from_catalog(std::string_view file_name, std::vector<Rom> records) {
  Expectation expectation;
  for (const Rom& rom : records)
    if (!rom.md5.empty() &&
        std::find(expectation.md5s.begin(), expectation.md5s.end(), rom.md5) == expectation.md5s.end())
      expectation.md5s.push_back(rom.md5);
  expectation.roms = std::move(records);
  if (!expectation.md5s.empty()) {
    expectation.source = ChecksumSource::Catalog;
  } else if (auto prefix = md5_prefix_in_name(file_name)) {
    expectation.source = ChecksumSource::NamePrefix;
    expectation.prefix = prefix->md5_prefix;
  }
  return expectation;
}

VerifyStatus judge(std::string_view actual_md5, const Expectation& expectation) {
  switch (expectation.source) {
    case ChecksumSource::None: return VerifyStatus::Unknown;
    case ChecksumSource::NamePrefix:
      return actual_md5.starts_with(expectation.prefix) ? VerifyStatus::NameOk : VerifyStatus::Mismatch;
    default:
      return std::find(expectation.md5s.begin(), expectation.md5s.end(), actual_md5) != expectation.md5s.end()
                 ? VerifyStatus::Ok
                 : VerifyStatus::Mismatch;
  }
}

bool passes(VerifyStatus status, bool full_md5_only) {
  return status == VerifyStatus::Ok || (status == VerifyStatus::NameOk && !full_md5_only);
}

ExitCode verify_exit_code(std::span<const VerifyStatus> statuses, bool full_md5_only) {
  const auto any = [&](VerifyStatus wanted) {
    return std::find(statuses.begin(), statuses.end(), wanted) != statuses.end();
  };
  if (any(VerifyStatus::Mismatch)) return ExitCode::ChecksumMismatch;
  if (any(VerifyStatus::Unreadable)) return ExitCode::LocalFile;
  if (any(VerifyStatus::Unknown) || (full_md5_only && any(VerifyStatus::NameOk))) return ExitCode::NothingMatched;
  return ExitCode::Success;
}

}  // namespace xfu
