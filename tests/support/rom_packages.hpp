// Building ROM packages for tests, with libarchive's write API, in the
// layouts Xiaomi ships: a fastboot .tgz (one top folder, images/*.img,
// flash_all scripts) and a recovery/OTA .zip (META-INF metadata, payload.bin
// or an old updater-script), plus archives that are no ROM and ways to
// damage a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace xfu::test {

// Where a fastboot package keeps its anti-rollback index.
enum class ArbStyle {
  Script,           // CURRENT_ANTI_VER=N in every flash script
  AntiVersionFile,  // only images/anti_version.txt
  Both,             // both, agreeing
  Disagreeing,      // the scripts say N, anti_version.txt says N + 1
  None,             // old packages: no check at all
};

enum class ImageData { Compressible, Incompressible };

struct FastbootLayout {
  std::string top_folder = "dipper_global_images_V10.3.6.0.PEAMIXM_20190911.0000.00_9.0_global";
  std::vector<std::string> devices = {"dipper"};  // two or more: the grep -E "(a|b)$" form
  ArbStyle arb = ArbStyle::Script;
  int anti_rollback = 1;
  bool lock_script = true;            // flash_all_lock.sh (and .bat)
  bool bat_scripts = true;            // a .bat beside each .sh
  bool crlf = false;                  // CRLF line ends in every script and anti_version.txt
  bool commented_out_checks = false;  // "# fastboot ... getvar product" and "#CURRENT_ANTI_VER=9" lines too
  std::vector<std::string> images = {"boot.img", "system.img", "vendor.img"};
  uint64_t image_bytes = 4096;  // each image's size
  ImageData image_data = ImageData::Compressible;
  bool gzip = true;  // false: a plain .tar
};

// flash_all.sh (or .bat when `bat`) as `layout` writes it, ending with `last_line`.
std::string flash_script_text(const FastbootLayout& layout, bool bat,
                              const std::string& last_line = "fastboot $* reboot");

void make_fastboot_package(const std::filesystem::path& path, const FastbootLayout& layout = {});

enum class OtaMetadataStyle {
  Text,              // META-INF/com/android/metadata
  Protobuf,          // only META-INF/com/android/metadata.pb
  TextAndProtobuf,   // both (the text one wins)
  UpdaterScriptOnly  // an old MIUI zip: META-INF/com/google/android/updater-script
};

struct OtaLayout {
  std::vector<std::string> devices = {"dipper"};
  OtaMetadataStyle metadata = OtaMetadataStyle::Text;
  bool incremental = false;  // pre-build, apply_patch_check and a patch/ folder
  bool ab = true;            // payload.bin (ota-type=AB), else system/ files (BLOCK)
  std::string fingerprint = "Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.6.0.PEAMIXM:user/release-keys";
  std::string version = "V10.3.6.0.PEAMIXM";
  int64_t timestamp = 1568171234;
  std::string source_fingerprint = "Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.5.0.PEAMIXM:user/release-keys";
  uint64_t payload_bytes = 4096;
};

// The metadata files as `layout` writes them.
std::string ota_metadata_text(const OtaLayout& layout);
std::string ota_metadata_pb(const OtaLayout& layout);
std::string updater_script_text(const OtaLayout& layout);

void make_ota_package(const std::filesystem::path& path, const OtaLayout& layout = {});

// Any archive, entry by entry.
enum class ArchiveFormat { TarGz, Tar, TarXz, Zip };
struct ArchiveEntry {
  std::string path;
  std::string content;
};
void make_archive(const std::filesystem::path& path, const std::vector<ArchiveEntry>& entries, ArchiveFormat format);

// An archive with links too, entry by entry in this order.
enum class EntryType { File, Symlink, Hardlink };
struct ArchiveItem {
  EntryType type;
  std::string path;
  std::string content_or_target;  // a file's content, a link's target
};
void make_archive_items(const std::filesystem::path& path, const std::vector<ArchiveItem>& items, ArchiveFormat format);

// A readable .tgz that is no ROM: a README and a source folder.
void make_plain_tgz(const std::filesystem::path& path);

// Damage: keep only the first `size` bytes; invert `count` bytes from `offset`.
void truncate_file(const std::filesystem::path& path, uint64_t size);
void flip_bytes(const std::filesystem::path& path, uint64_t offset, size_t count = 1);

// A protobuf message by hand: fields appended in order (for hostile metadata.pb tests).
class ProtoWriter {
 public:
  ProtoWriter& varint(uint32_t field, uint64_t value);
  ProtoWriter& bytes(uint32_t field, const std::string& value);
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

}  // namespace xfu::test
