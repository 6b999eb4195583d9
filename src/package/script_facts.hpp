// The facts inside a ROM package's small files, read without any I/O: flash
// scripts (flash_all.sh / .bat), images/anti_version.txt, an OTA's
// META-INF/com/android/metadata (text or protobuf) and an old MIUI
// updater-script. Every input is untrusted: what does not look exactly like
// what Xiaomi ships is ignored, never guessed at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xfu {

// No fact-carrying file is anywhere near this long; longer ones are not read.
inline constexpr size_t kMaxFactFileBytes = 1 << 20;
// Anti-rollback indexes are small numbers (single digits so far).
inline constexpr int kMaxAntiRollback = 9999;

// A codename as Xiaomi writes them: 1 to 64 of [a-z0-9_], any case.
bool is_codename(std::string_view text);

struct FlashScriptFacts {
  std::vector<std::string> devices;  // what the product check accepts, in order
  std::optional<int> anti_rollback;  // CURRENT_ANTI_VER (the lower one if set twice)
  std::vector<std::string> notes;
};

// A flash_all*.sh or .bat: the `getvar product` check (grep or findstr, one
// codename or an alternation "(umi|umiin)") and CURRENT_ANTI_VER=N (`set ...`
// in .bat). Commented-out lines (#, ::, rem) do not count.
FlashScriptFacts parse_flash_script(std::string_view text);

// images/anti_version.txt: one number, whitespace and CRLF around it allowed.
std::optional<int> parse_anti_version(std::string_view text);

struct OtaMetadata {
  std::vector<std::string> devices;  // pre-device
  std::string fingerprint;           // post-build
  std::string version;               // post-build-incremental
  std::optional<int64_t> timestamp;  // post-timestamp
  std::string source_fingerprint;    // pre-build
  std::string ota_type;              // "AB", "BLOCK", "BRICK"
  bool incremental = false;          // pre-build or pre-build-incremental present
};

// META-INF/com/android/metadata: key=value lines. Nothing when no line of it
// is a known key with a valid value.
std::optional<OtaMetadata> parse_ota_metadata_text(std::string_view text);

// META-INF/com/android/metadata.pb: AOSP's OtaMetadata message. Nothing when
// the bytes are not a well-formed message.
std::optional<OtaMetadata> parse_ota_metadata_pb(std::string_view bytes);

struct UpdaterScriptFacts {
  std::vector<std::string> devices;  // from getprop("ro.product.device") == "X" and ro.build.product
  bool incremental = false;          // it calls apply_patch_check
};

UpdaterScriptFacts parse_updater_script(std::string_view text);

}  // namespace xfu
