// What xfu found out about a package file, and how cards and JSON show it: shared by inspect and download.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/file_hash.hpp"
#include "core/rom.hpp"
#include "device/phone.hpp"
#include "fit/fit.hpp"
#include "package/package_facts.hpp"
#include "render/card.hpp"

namespace xfu {

struct Inspection {
  std::string file;                   // as the user gave it
  FileHash hash;                      // md5 empty: the file could not be read (hash.error says why)
  std::optional<PackageFacts> facts;  // empty: not a readable package (problem says why)
  std::string problem;
  std::vector<Rom> by_md5;     // the catalog's records of this very file
  std::vector<Rom> by_name;    // the catalog's records of a file by this name
  std::optional<Phone> phone;  // the phone it is meant for, when one was asked about
  std::vector<FitWarning> warnings;
  std::vector<std::string> notes;

  // The catalog lists a file by this name with another MD5.
  bool md5_mismatch() const;
  // The record the file is, when the catalog knows it.
  const Rom* record() const;
  FitInput fit_input() const;
};

std::string render_inspection_card(const Inspection& inspection, const CardStyle& style);
nlohmann::ordered_json inspection_to_json(const Inspection& inspection);
nlohmann::ordered_json facts_to_json(const PackageFacts& facts);
nlohmann::ordered_json warnings_to_json(const std::vector<FitWarning>& warnings);

// A path inside the package as its scripts name it: without the one top folder every fastboot package has
// ("images/anti_version.txt").
std::string inside_top_folder(const std::string& path);

// "dipper · Fastboot package"
std::string package_title(const PackageFacts& facts);
// One line for the end of a download: "fastboot package for dipper; anti-rollback index 1 (from flash_all.sh);
// flash scripts: flash_all, ..."
std::string facts_summary(const PackageFacts& facts);
// The package's facts as short card fields ("Anti-rollback", "Flash scripts", ...), without a title: the end of a
// download shows these.
std::vector<CardField> facts_fields(const PackageFacts& facts);
// The warnings' messages, sanitized, as cards show them.
std::vector<std::string> warning_lines(const std::vector<FitWarning>& warnings);

}  // namespace xfu
