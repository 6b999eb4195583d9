// What a ROM package says about itself, read from its own files: the devices
// it is for, its anti-rollback index and flash scripts (fastboot .tgz), its
// build fingerprint and whether it is incremental (recovery/OTA .zip).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xfu {

enum class PackageKind {
  Fastboot,  // a tar with images/ and flash_all scripts
  Ota,       // a zip with META-INF/com/android/metadata(.pb) or an updater-script
  NotRom,    // a readable archive that is neither
};

std::string_view package_kind_slug(PackageKind kind);  // "fastboot", "ota", "not-rom"

struct PackageFacts {
  PackageKind kind = PackageKind::NotRom;
  std::string format;                // as libarchive names it: "GNU tar format", "ZIP 2.0 (deflation)"
  std::vector<std::string> devices;  // the codenames the package accepts, in the order it names them
  bool devices_cut = false;          // it named more than the 64 kept: a device not listed may still be accepted
  // Fastboot packages.
  std::optional<int> anti_rollback;            // the index the package carries (CURRENT_ANTI_VER or anti_version.txt)
  std::string anti_rollback_source;            // the path inside the package it was read from
  std::vector<std::string> flash_scripts;      // script names without extension: "flash_all", "flash_all_lock"
  std::vector<std::string> relocking_scripts;  // those that lock the bootloader again (always flash_all_lock)
  uint64_t image_count = 0;                    // image files: images/*.img
  // OTA packages.
  std::string fingerprint;           // post-build
  std::string version;               // post-build-incremental: "V10.3.6.0.PEAMIXM"
  std::optional<int64_t> timestamp;  // post-timestamp, seconds since 1970
  bool incremental = false;          // it patches one build (pre-build): not a full package
  std::string source_fingerprint;    // pre-build, for an incremental package
  std::string ota_type;              // "AB", "BLOCK", or empty
  // Oddities found on the way, in plain words ("two anti-rollback indexes: 1 in flash_all.sh, 2 in ...").
  std::vector<std::string> notes;
};

}  // namespace xfu
