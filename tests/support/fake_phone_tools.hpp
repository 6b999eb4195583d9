// Stand-ins for adb and fastboot: /bin/sh scripts using only builtins, first and alone on PATH, that print what
// the real tools print (fastboot's answers on stderr) for the exact argument lists xfu should give them, and fail
// loudly on any other.
#pragma once

#include <map>
#include <string>

#include "support/harness.hpp"

namespace xfu::test {

struct Answer {
  std::string out, err;
  int status = 0;
  bool hang = false;  // a stuck tool: it sleeps (60 s at most) until xfu's time limit stops it
};

class FakeTools {
 public:
  // A phone booted with USB debugging on, described by its properties.
  void adb_phone(const std::string& serial, const std::map<std::string, std::string>& props);
  void adb_unauthorized(const std::string& serial);
  // A phone in another state (sideload, offline, no permissions), and what adb answers about it.
  void adb_state(const std::string& serial, const std::string& state) { adb_list_ += serial + "\t" + state + "\n"; }
  void adb_answer(const std::string& args, const Answer& answer) { adb_[args] = answer; }
  // A phone in fastboot mode; an empty `anti` is a bootloader that does not know the variable.
  void fastboot_phone(const std::string& serial, const std::string& product, const std::string& anti,
                      const std::string& unlocked);
  void fastboot_answer(const std::string& args, const Answer& answer) { fastboot_[args] = answer; }
  // A line of `fastboot devices` in another state ("no permissions; see [...]").
  void fastboot_state(const std::string& serial, const std::string& state) {
    fastboot_list_ += serial + "\t" + state + "\n";
  }
  bool with_adb = true, with_fastboot = true;
  bool adb_devices_hangs = false;
  std::string adb_daemon_lines;  // what adb prints on stderr when it starts its daemon

  // Writes the stand-ins and returns the home's environment with PATH set to their directory alone.
  std::map<std::string, std::string> env(const XfuHome& home);

 private:
  TempDir dir_;
  std::string adb_list_, fastboot_list_;
  std::map<std::string, Answer> adb_, fastboot_;

  void getvar(const std::string& serial, const std::string& name, const std::string& value);
  void write_tool(const std::string& name, const std::map<std::string, Answer>& answers);
};

}  // namespace xfu::test
