#include "support/fake_phone_tools.hpp"

#include <filesystem>

namespace xfu::test {

namespace {

std::string sh_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

constexpr const char* kAdbHeader = "List of devices attached\n";
constexpr const char* kFastbootDone = "Finished. Total time: 0.001s\n";

}  // namespace

void FakeTools::adb_phone(const std::string& serial, const std::map<std::string, std::string>& props) {
  adb_list_ += serial + "\tdevice\n";
  std::string getprop;
  for (const auto& [key, value] : props) getprop += "[" + key + "]: [" + value + "]\n";
  adb_["-s " + serial + " shell getprop"] = {getprop, "", 0};
}

void FakeTools::adb_unauthorized(const std::string& serial) { adb_list_ += serial + "\tunauthorized\n"; }

void FakeTools::fastboot_phone(const std::string& serial, const std::string& product, const std::string& anti,
                               const std::string& unlocked) {
  fastboot_list_ += serial + "\tfastboot\n";
  getvar(serial, "product", product);
  getvar(serial, "anti", anti);
  getvar(serial, "unlocked", unlocked);
}

std::map<std::string, std::string> FakeTools::env(const XfuHome& home) {
  if (with_adb) {
    adb_["devices"] = {kAdbHeader + adb_list_ + "\n", adb_daemon_lines, 0, adb_devices_hangs};
    write_tool("adb", adb_);
  }
  if (with_fastboot) {
    fastboot_["devices"] = {fastboot_list_, "", 0};
    write_tool("fastboot", fastboot_);
  }
  auto env = home.env;
  env["PATH"] = dir_.path().string();
  return env;
}

void FakeTools::getvar(const std::string& serial, const std::string& name, const std::string& value) {
  fastboot_["-s " + serial + " getvar " + name] =
      value.empty()
          ? Answer{"", "getvar:" + name + " FAILED (remote: 'GetVar Variable Not found')\n" + kFastbootDone, 1}
          : Answer{"", name + ": " + value + "\n" + kFastbootDone, 0};
}

void FakeTools::write_tool(const std::string& name, const std::map<std::string, Answer>& answers) {
  std::string script = "#!/bin/sh\ncase \"$*\" in\n";
  for (const auto& [args, answer] : answers)
    script += sh_quoted(args) + ")\n" + (answer.hang ? "  exec /bin/sleep 60\n" : "") + "  printf '%s' " +
              sh_quoted(answer.out) + "\n  printf '%s' " + sh_quoted(answer.err) + " >&2\n  exit " +
              std::to_string(answer.status) + ";;\n";
  script += "*) printf '%s\\n' \"" + name + ": unexpected arguments: $*\" >&2; exit 64;;\nesac\n";
  const auto path = dir_ / name;
  write_text(path, script);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

}  // namespace xfu::test
