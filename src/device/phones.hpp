// The phones on USB: asks adb and fastboot (whichever are installed) what is connected, and each phone about
// itself. $ANDROID_SERIAL, which both tools honour, limits it to that phone.
#pragma once

#include <string>
#include <vector>

#include "core/exit_code.hpp"
#include "device/phone.hpp"

namespace xfu {

struct PhoneScan {
  std::vector<Phone> phones;       // adb's first, then fastboot's, each in the order the tool lists them
  std::vector<std::string> notes;  // a tool missing, a phone that could not be asked
};

// Error(LocalFile) naming the packages to install when neither tool is on $PATH. No phone is no error here:
// the notes may say why (no permissions), and the caller prints them before no_phone_error().
PhoneScan find_phones();

// Error(NothingMatched) in plain words: what to check when no phone (or not the one $ANDROID_SERIAL names) is seen.
Error no_phone_error();

}  // namespace xfu
