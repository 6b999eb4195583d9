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

// A devices list holds at most this many codenames; more are cut off.
inline constexpr size_t kMaxDevices = 64;

// The language of a flash script: a .sh runs in a POSIX shell, a .bat in cmd.exe.
enum class ScriptDialect { Shell, Batch };

struct FlashScriptFacts {
  std::vector<std::string> devices;  // what the product check accepts, in order
  bool devices_cut = false;          // it named more than kMaxDevices
  std::optional<int> anti_rollback;  // CURRENT_ANTI_VER (the lower one if set twice)
  bool relocks = false;              // it runs `fastboot ... oem lock` or `flashing lock[_critical]`
  std::vector<std::string> notes;
};

// A flash_all*.sh or .bat: the `getvar product` check (grep or findstr, one
// codename or an alternation "(umi|umiin)"), CURRENT_ANTI_VER=N as the
// dialect assigns it (`export`, `readonly`, quotes and a comment in sh; `set`
// and `set "..."` in cmd; after ;, &&, ||), and whether it relocks the
// bootloader. Commented-out lines (#, ::, rem) do not count; an assignment
// that is not understood gets a note and no value.
FlashScriptFacts parse_flash_script(std::string_view text, ScriptDialect dialect);

// images/anti_version.txt: one number, whitespace and CRLF around it allowed.
std::optional<int> parse_anti_version(std::string_view text);

struct OtaMetadata {
  std::vector<std::string> devices;  // pre-device
  bool devices_cut = false;          // more than kMaxDevices were named
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
// the bytes are not a well-formed message. A message field given twice is
// merged as protobuf does: later scalars win, repeated fields append.
std::optional<OtaMetadata> parse_ota_metadata_pb(std::string_view bytes);

struct UpdaterScriptFacts {
  std::vector<std::string> devices;  // from getprop("ro.product.device") == "X" and ro.build.product
  bool devices_cut = false;          // more than kMaxDevices were named
  bool incremental = false;          // it calls apply_patch_check
};

UpdaterScriptFacts parse_updater_script(std::string_view text);

}  // namespace xfu
