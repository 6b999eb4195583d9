#include "device/phone_parse.hpp"

#include <algorithm>
#include <cctype>

#include "core/region.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr size_t kMaxSerial = 64;
constexpr size_t kMaxCodename = 40;
constexpr size_t kMaxBuild = 64;
constexpr size_t kMaxAndroid = 16;
constexpr size_t kMaxGetpropLines = 20000;  // a phone has about a thousand properties

bool all_of(std::string_view text, bool (*allowed)(char)) { return std::all_of(text.begin(), text.end(), allowed); }

bool is_serial_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-';
}
bool is_codename_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool is_build_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; }
bool is_android_char(char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }

bool is_valid_build(std::string_view build) {
  return !build.empty() && build.size() <= kMaxBuild && all_of(build, is_build_char);
}

bool is_valid_android(std::string_view android) {
  return !android.empty() && android.size() <= kMaxAndroid && std::isdigit(static_cast<unsigned char>(android[0])) &&
         all_of(android, is_android_char);
}

// Lines without their '\r' (adb on some systems ends lines with "\r\n").
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// "SERIAL<tab>STATE" (adb separates with a tab; older fastboot with spaces).
std::vector<ListedPhone> parse_device_list(std::string_view output) {
  std::vector<ListedPhone> phones;
  for (std::string_view line : lines_of(output)) {
    if (line.starts_with("* ") || line.starts_with("List of devices")) continue;
    const size_t gap = line.find_first_of("\t ");
    if (gap == std::string_view::npos) continue;
    const std::string_view serial = line.substr(0, gap);
    const std::string_view state = trim(line.substr(gap + 1));
    if (!is_valid_serial(serial) || state.empty()) continue;
    const bool listed = std::any_of(phones.begin(), phones.end(), [&](const auto& p) { return p.serial == serial; });
    if (!listed) phones.push_back({std::string(serial), std::string(state.substr(0, 80))});
  }
  return phones;
}

}  // namespace

bool is_valid_serial(std::string_view serial) {
  return !serial.empty() && serial.size() <= kMaxSerial && all_of(serial, is_serial_char);
}

bool is_valid_codename(std::string_view codename) {
  return !codename.empty() && codename.size() <= kMaxCodename && all_of(codename, is_codename_char) &&
         codename.front() != '_';
}

std::vector<ListedPhone> parse_adb_devices(std::string_view output) { return parse_device_list(output); }

std::vector<ListedPhone> parse_fastboot_devices(std::string_view output) {
  std::vector<ListedPhone> phones = parse_device_list(output);
  std::erase_if(phones, [](const ListedPhone& phone) { return !phone.state.starts_with("fastboot"); });
  return phones;
}

std::optional<std::string> parse_getvar(std::string_view output, std::string_view name) {
  for (std::string_view line : lines_of(output)) {
    if (line.starts_with("(bootloader) ")) line.remove_prefix(std::string_view("(bootloader) ").size());
    if (!line.starts_with(name) || line.substr(name.size()).substr(0, 1) != ":") continue;
    const std::string_view value = trim(line.substr(name.size() + 1));
    if (value.empty()) continue;
    return std::string(value);
  }
  return std::nullopt;
}

std::optional<bool> parse_device_info_locked(std::string_view output) {
  const std::optional<std::string> unlocked = parse_getvar(output, "Device unlocked");
  if (!unlocked) return std::nullopt;
  if (*unlocked == "true") return false;
  if (*unlocked == "false") return true;
  return std::nullopt;
}

std::map<std::string, std::string> parse_getprop(std::string_view output) {
  std::map<std::string, std::string> props;
  size_t seen = 0;
  for (std::string_view line : lines_of(output)) {
    if (++seen > kMaxGetpropLines) break;
    if (!line.starts_with("[")) continue;
    const size_t key_end = line.find("]: [");
    if (key_end == std::string_view::npos || !line.ends_with("]")) continue;
    const std::string_view key = line.substr(1, key_end - 1);
    const std::string_view value = line.substr(key_end + 4, line.size() - key_end - 5);
    if (key.empty() || key.size() > 256 || value.size() > 1024) continue;
    props.emplace(std::string(key), std::string(value));
  }
  return props;
}

std::string region_of_build(std::string_view build) {
  // The last part is seven letters: Android's letter, two for the device, two for the region, two more
  // (PEAMIXM: P, EA, MI, XM).
  const size_t dot = build.rfind('.');
  const std::string_view letters = dot == std::string_view::npos ? std::string_view() : build.substr(dot + 1);
  if (letters.size() != 7 || !all_of(letters, [](char c) { return c >= 'A' && c <= 'Z'; })) return "";
  const auto region = region_spelled(letters.substr(3, 2));
  return region ? std::string(*region) : "";
}

namespace {

std::optional<int> anti_rollback_index(std::string_view text) {
  if (text.empty() || text.size() > 4 || !all_of(text, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoi(std::string(text));
}

std::string lower_codename(std::string_view text, std::vector<std::string>& notes, std::string_view source) {
  const std::string codename = to_lower(text);
  if (is_valid_codename(codename)) return codename;
  notes.push_back(std::string(source) + " is not a codename: " + quoted_excerpt(text, 40));
  return "";
}

}  // namespace

Phone phone_from_fastboot(const std::string& serial, const FastbootAnswers& answers) {
  Phone phone;
  phone.serial = serial;
  phone.mode = PhoneMode::Fastboot;
  if (answers.product) phone.codename = lower_codename(*answers.product, phone.notes, "fastboot's product");
  else phone.notes.push_back("fastboot did not give the product (the codename)");
  if (answers.anti) {
    phone.anti_rollback = anti_rollback_index(*answers.anti);
    if (!phone.anti_rollback)
      phone.notes.push_back("the anti-rollback index is not a number: " + quoted_excerpt(*answers.anti, 20));
  } else {
    phone.notes.push_back("the bootloader does not tell an anti-rollback index (getvar anti)");
  }
  if (answers.unlocked == "yes") phone.locked = false;
  else if (answers.unlocked == "no") phone.locked = true;
  else if (answers.device_info) phone.locked = parse_device_info_locked(*answers.device_info);
  if (!phone.locked) phone.notes.push_back("the bootloader does not tell whether it is locked");
  phone.notes.push_back("the region is unknown in fastboot mode: boot the phone with USB debugging on to read it");
  return phone;
}

namespace {

std::string prop(const std::map<std::string, std::string>& props, const std::string& key) {
  const auto found = props.find(key);
  return found == props.end() ? std::string() : found->second;
}

std::optional<bool> locked_from_props(const std::map<std::string, std::string>& props) {
  const std::string flash_locked = prop(props, "ro.boot.flash.locked");
  if (flash_locked == "1") return true;
  if (flash_locked == "0") return false;
  // Android verified boot: orange means the bootloader is unlocked; green and yellow that it is locked.
  const std::string state = prop(props, "ro.boot.verifiedbootstate");
  if (state == "orange") return false;
  if (state == "green" || state == "yellow") return true;
  return std::nullopt;
}

// The region the variant's suffix names (dipper_eea_global), else the build's letters, else China for a phone
// whose variant is its bare codename.
std::string region_from(const Phone& phone) {
  if (!phone.variant.empty() && phone.variant != phone.codename) return derive_region("", phone.variant);
  if (std::string region = region_of_build(phone.build); !region.empty()) return region;
  if (!phone.variant.empty()) return "China";
  return "";
}

}  // namespace

Phone phone_from_props(const std::string& serial, PhoneMode mode, const std::map<std::string, std::string>& props) {
  Phone phone;
  phone.serial = serial;
  phone.mode = mode;
  if (const std::string device = prop(props, "ro.product.device"); !device.empty())
    phone.codename = lower_codename(device, phone.notes, "ro.product.device");
  else phone.notes.push_back("the phone does not give ro.product.device (its codename)");
  // ro.product.mod_device names the ROM variant on MIUI and HyperOS; other systems leave it out.
  const std::string mod_device = to_lower(prop(props, "ro.product.mod_device"));
  if (is_valid_codename(mod_device) && !phone.codename.empty() && base_codename(mod_device) == phone.codename)
    phone.variant = mod_device;
  if (const std::string build = prop(props, "ro.build.version.incremental"); is_valid_build(build)) phone.build = build;
  if (const std::string android = prop(props, "ro.build.version.release"); is_valid_android(android))
    phone.android = android;
  phone.locked = locked_from_props(props);
  if (!phone.locked) phone.notes.push_back("the phone does not tell whether its bootloader is locked");
  phone.notes.push_back("the anti-rollback index is read in fastboot mode: adb reboot bootloader");
  phone.region = region_from(phone);
  if (phone.region.empty()) phone.notes.push_back("neither the variant nor the build names a region");
  return phone;
}

}  // namespace xfu
