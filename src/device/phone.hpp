// A phone on USB, as adb or fastboot describe it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xfu {

enum class PhoneMode {
  Fastboot,      // the bootloader: `fastboot getvar` answers
  Adb,           // booted with USB debugging on: `adb shell getprop` answers
  Recovery,      // adb in recovery or sideload
  Unauthorized,  // adb sees it, but the phone has not accepted this computer
};

std::string_view phone_mode_slug(PhoneMode mode);  // "fastboot", "adb", "recovery", "unauthorized"

struct Phone {
  std::string serial;
  PhoneMode mode = PhoneMode::Fastboot;
  std::string codename;  // getvar product / ro.product.device: "dipper"
  std::string variant;   // ro.product.mod_device when it names one: "dipper_global"; empty when unknown
  std::string region;    // a known region's name ("Global", "EEA"), empty when the phone does not say
  std::string build;     // ro.build.version.incremental: "V10.3.6.0.PEAMIXM"; empty in fastboot mode
  std::string android;   // ro.build.version.release: "9"
  std::optional<int> anti_rollback;  // getvar anti
  std::optional<bool> locked;        // the bootloader's lock state
  std::vector<std::string> notes;    // what could not be read, and how to read it
};

}  // namespace xfu
