// What adb and fastboot print, read into a Phone. Pure: every word is untrusted and checked here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "device/phone.hpp"

namespace xfu {

// One line of `adb devices` or `fastboot devices`: the serial and the state the tool gives it
// ("device", "unauthorized", "recovery", "sideload", "offline", "no permissions ...", "fastboot").
struct ListedPhone {
  std::string serial;
  std::string state;
};

// The phones `adb devices` lists; its header and the daemon's "* daemon ..." lines are skipped, and so are
// lines whose serial is not one (see is_valid_serial).
std::vector<ListedPhone> parse_adb_devices(std::string_view output);
// The phones `fastboot devices` lists ("SERIAL\tfastboot").
std::vector<ListedPhone> parse_fastboot_devices(std::string_view output);

// At most 64 characters of letters, digits and . _ : - (USB serials and adb's HOST:PORT).
bool is_valid_serial(std::string_view serial);
// At most 40 characters of lower-case letters, digits and '_': "dipper", "laurel_sprout".
bool is_valid_codename(std::string_view codename);

// The answer of `fastboot getvar NAME` ("NAME: value" or "(bootloader) NAME:value"), trimmed; nullopt when the
// bootloader does not know it ("FAILED (remote: ...)") or no line gives it.
std::optional<std::string> parse_getvar(std::string_view output, std::string_view name);

// The lock state `fastboot oem device-info` gives ("(bootloader) Device unlocked: true"): true when locked.
std::optional<bool> parse_device_info_locked(std::string_view output);

// The properties `adb shell getprop` prints as "[key]: [value]" lines. A value spanning lines is cut at the
// first; a key seen twice keeps its first value.
std::map<std::string, std::string> parse_getprop(std::string_view output);

// The region a MIUI/HyperOS build's letters name: V10.3.6.0.PEAMIXM -> Global (MI), OS1.0.19.0.UKWEUXM -> EEA
// (EU), V9.5.6.0.OEACNFA -> China (CN). Empty when the build does not say.
std::string region_of_build(std::string_view build);

// What fastboot answered for one phone; nullopt where the question failed.
struct FastbootAnswers {
  std::optional<std::string> product;      // getvar product
  std::optional<std::string> anti;         // getvar anti
  std::optional<std::string> unlocked;     // getvar unlocked: "yes" / "no"
  std::optional<std::string> device_info;  // the whole output of oem device-info, when it was asked
};

Phone phone_from_fastboot(const std::string& serial, const FastbootAnswers& answers);

// A phone booted with USB debugging on (or in recovery), from its properties.
Phone phone_from_props(const std::string& serial, PhoneMode mode, const std::map<std::string, std::string>& props);

}  // namespace xfu
