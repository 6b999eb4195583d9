#include "device/phone.hpp"

namespace xfu {

std::string_view phone_mode_slug(PhoneMode mode) {
  switch (mode) {
    case PhoneMode::Fastboot: return "fastboot";
    case PhoneMode::Adb: return "adb";
    case PhoneMode::Recovery: return "recovery";
    case PhoneMode::Unauthorized: return "unauthorized";
  }
  return "fastboot";
}

}  // namespace xfu
