#include "device/phones.hpp"

#include <cstdlib>

#include "core/exit_code.hpp"
#include "device/phone_parse.hpp"
#include "device/run_tool.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

// `fastboot getvar` waits for a phone for ever when there is none; adb starts its daemon, which takes a
// few seconds at most.
constexpr std::chrono::seconds kToolTimeLimit{10};
constexpr size_t kMaxToolOutput = 1 << 20;  // getprop prints some 50 KB

// A tool that gives no answer in time is a failure like any other: the scan goes on with the other phones and
// the other tool.
ToolResult ask(const std::vector<std::string>& argv) { return run_tool(argv, kToolTimeLimit, kMaxToolOutput); }

// Why the tool failed: no answer in time, too much output, or its last line ("error: closed").
std::string failure_of(const ToolResult& result) {
  if (result.timed_out) return "no answer within " + std::to_string(kToolTimeLimit.count()) + " seconds";
  if (result.truncated) return "more than " + std::to_string(kMaxToolOutput >> 20) + " MiB of output";
  const std::string_view output = trim(result.output);
  const size_t line_break = output.rfind('\n');
  const std::string_view last = line_break == std::string_view::npos ? output : output.substr(line_break + 1);
  return last.empty() ? "exit status " + std::to_string(result.exit_code) : quoted_excerpt(trim(last), 100);
}

// A device list with a phone the tool may not open (its serial may show as "????????????").
bool lists_a_phone_without_permission(std::string_view output) {
  for (std::string_view line : split(output, '\n')) {
    const size_t tab = line.find('\t');
    if (tab != std::string_view::npos && line.substr(tab + 1).starts_with("no permissions")) return true;
  }
  return false;
}

constexpr const char* kNoPermissionHint =
    "the phone is seen but may not be opened: a udev rule for it is missing, or the user is not in the plugdev "
    "group";

std::vector<ListedPhone> only_the_chosen(std::vector<ListedPhone> listed) {
  const char* chosen = std::getenv("ANDROID_SERIAL");
  if (!chosen || !*chosen) return listed;
  std::erase_if(listed, [chosen](const ListedPhone& phone) { return phone.serial != chosen; });
  return listed;
}

Phone ask_adb_phone(const ListedPhone& listed) {
  if (listed.state == "unauthorized") {
    Phone phone;
    phone.serial = listed.serial;
    phone.mode = PhoneMode::Unauthorized;
    phone.notes.push_back("accept the prompt \"Allow USB debugging?\" on the phone, then run xfu device again");
    return phone;
  }
  const PhoneMode mode = listed.state == "device" ? PhoneMode::Adb : PhoneMode::Recovery;
  const ToolResult props = ask({"adb", "-s", listed.serial, "shell", "getprop"});
  if (props.exit_code == 0 && !props.truncated)
    return phone_from_props(listed.serial, mode, parse_getprop(props.output));
  Phone phone;
  phone.serial = listed.serial;
  phone.mode = mode;
  phone.notes.push_back("adb shell getprop failed (" + failure_of(props) + "): reboot the phone to its system");
  return phone;
}

void add_adb_phones(PhoneScan& scan) {
  const ToolResult devices = ask({"adb", "devices"});
  if (devices.exit_code != 0) {
    scan.notes.push_back("adb devices failed: " + failure_of(devices) +
                         (devices.timed_out ? " (adb kill-server restarts a stuck adb)" : ""));
    return;
  }
  bool hinted = false;
  for (const ListedPhone& listed : only_the_chosen(parse_adb_devices(devices.output))) {
    const bool known_state = listed.state == "device" || listed.state == "unauthorized" || listed.state == "recovery" ||
                             listed.state == "sideload";
    if (!known_state) {
      scan.notes.push_back(
          "adb cannot talk to " + listed.serial + ": " + quoted_excerpt(listed.state, 80) +
          (listed.state.starts_with("no permissions") ? " (a udev rule for the phone is missing)" : ""));
      hinted = hinted || listed.state.starts_with("no permissions");
      continue;
    }
    scan.phones.push_back(ask_adb_phone(listed));
  }
  if (!hinted && lists_a_phone_without_permission(devices.output))
    scan.notes.push_back(std::string("adb: ") + kNoPermissionHint);
}

std::optional<std::string> getvar(const std::string& serial, const std::string& name) {
  const ToolResult result = ask({"fastboot", "-s", serial, "getvar", name});
  if (result.exit_code != 0 || result.truncated) return std::nullopt;
  return parse_getvar(result.output, name);
}

Phone ask_fastboot_phone(const std::string& serial) {
  // A bootloader that does not answer its first question would make every other one wait as long.
  const ToolResult product = ask({"fastboot", "-s", serial, "getvar", "product"});
  if (product.timed_out) {
    Phone phone;
    phone.serial = serial;
    phone.notes.push_back("fastboot getvar product failed (" + failure_of(product) +
                          "): unplug the phone, plug it in again and retry");
    return phone;
  }
  FastbootAnswers answers;
  if (product.exit_code == 0 && !product.truncated) answers.product = parse_getvar(product.output, "product");
  answers.anti = getvar(serial, "anti");
  answers.unlocked = getvar(serial, "unlocked");
  if (answers.unlocked != "yes" && answers.unlocked != "no") {
    const ToolResult info = ask({"fastboot", "-s", serial, "oem", "device-info"});
    if (info.exit_code == 0 && !info.truncated) answers.device_info = info.output;
  }
  return phone_from_fastboot(serial, answers);
}

void add_fastboot_phones(PhoneScan& scan) {
  const ToolResult devices = ask({"fastboot", "devices"});
  if (devices.exit_code != 0) {
    scan.notes.push_back("fastboot devices failed: " + failure_of(devices));
    return;
  }
  if (lists_a_phone_without_permission(devices.output))
    scan.notes.push_back(std::string("fastboot: ") + kNoPermissionHint);
  for (const ListedPhone& listed : only_the_chosen(parse_fastboot_devices(devices.output)))
    scan.phones.push_back(ask_fastboot_phone(listed.serial));
}

}  // namespace

PhoneScan find_phones() {
  const bool has_adb = on_path("adb"), has_fastboot = on_path("fastboot");
  if (!has_adb && !has_fastboot)
    throw Error(ExitCode::LocalFile,
                "neither adb nor fastboot is installed, and xfu asks them about the phone: sudo apt install adb "
                "fastboot");
  PhoneScan scan;
  if (has_adb) add_adb_phones(scan);
  else scan.notes.push_back("adb is not installed, so only a phone in fastboot mode is seen: sudo apt install adb");
  if (has_fastboot) add_fastboot_phones(scan);
  else
    scan.notes.push_back(
        "fastboot is not installed, so a phone in fastboot mode is not seen: sudo apt install fastboot");
  return scan;
}

Error no_phone_error() {
  const char* chosen = std::getenv("ANDROID_SERIAL");
  if (chosen && *chosen)
    return Error(ExitCode::NothingMatched, "no phone with the serial " + quoted_excerpt(chosen, 64) +
                                               " ($ANDROID_SERIAL) is connected; unset it to see every phone");
  return Error(ExitCode::NothingMatched,
               "no phone found: check the USB cable, and turn on USB debugging on the phone (or boot it into "
               "fastboot mode)");
}

}  // namespace xfu
