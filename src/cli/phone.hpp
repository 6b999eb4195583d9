// The phone on USB, asked once per run, and --device, which puts its codename where CODENAME goes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "device/phone.hpp"

namespace CLI {
class App;
}

namespace xfu {

struct FilterFlags;

// Every phone connected (or the one $ANDROID_SERIAL names), asked on first use; the notes of the scan go to
// stderr once. Error when neither adb nor fastboot is installed, or when no phone is connected.
const std::vector<Phone>& connected_phones();

// The one phone connected: Error(Usage) naming both serials when there are several.
const Phone& connected_phone();

// The phone as `xfu device --json` prints it; `device` is the catalog's name for its variant, or empty.
nlohmann::ordered_json phone_json(const Phone& phone, const std::string& device);

// Adds --device to `command`.
void add_device_flag(CLI::App& command, bool& device);

// --device for a command whose only positional is CODENAME (list): the phone's variant codename goes there, and
// its region into `flags` unless --region was given. Error(Usage) when CODENAME was given too.
void aim_at_phone(std::string& codename, FilterFlags& flags);

// As above for CODENAME [VERSION] (show, download): a lone word is then the VERSION (xfu show --device 8.12.7).
void aim_at_phone(std::string& codename, std::string& version, FilterFlags& flags);

}  // namespace xfu
