#include <gtest/gtest.h>

#include "core/exit_code.hpp"
#include "device/phone_parse.hpp"
#include "device/phone_query.hpp"
#include "device/run_tool.hpp"

namespace xfu {
namespace {

TEST(AdbDevices, ReadsSerialsAndStatesPastTheHeaderAndTheDaemonsLines) {
  const auto phones = parse_adb_devices(
      "* daemon not running; starting now at tcp:5037\n"
      "* daemon started successfully\n"
      "List of devices attached\n"
      "a1b2c3d4\tdevice\n"
      "e5f6\tunauthorized\r\n"
      "192.168.1.5:5555\toffline\n"
      "0123456789ABCDEF\tno permissions (user in plugdev group; are your udev rules wrong?); see [http://x]\n"
      "\n");
  ASSERT_EQ(phones.size(), 4u);
  EXPECT_EQ(phones[0].serial, "a1b2c3d4");
  EXPECT_EQ(phones[0].state, "device");
  EXPECT_EQ(phones[1].serial, "e5f6");
  EXPECT_EQ(phones[1].state, "unauthorized");
  EXPECT_EQ(phones[2].serial, "192.168.1.5:5555");
  EXPECT_TRUE(phones[3].state.starts_with("no permissions"));
}

TEST(AdbDevices, SkipsSerialsThatAreNoSerialsAndRepeats) {
  const auto phones = parse_adb_devices("List of devices attached\n"
                                        "\x1b]52;c;AAAA\x07\tdevice\n"
                                        "a b\tdevice\n"
                                        "../../etc\tdevice\n"
                                        "onlyserial\n"
                                        "\tdevice\n"
                                        "x\tdevice\n"
                                        "x\tdevice\n" +
                                        std::string(65, 'a') + "\tdevice\n");
  ASSERT_EQ(phones.size(), 2u);
  EXPECT_EQ(phones[0].serial, "a");  // "a b": older tools separate with spaces; "b" is then the state
  EXPECT_EQ(phones[0].state, "b\tdevice");
  EXPECT_EQ(phones[1].serial, "x");
}

TEST(AdbDevices, NothingAttachedIsNoPhone) {
  EXPECT_TRUE(parse_adb_devices("List of devices attached\n\n").empty());
  EXPECT_TRUE(parse_adb_devices("").empty());
}

TEST(FastbootDevices, OnlyPhonesInFastbootMode) {
  const auto phones = parse_fastboot_devices("a1b2c3d4\tfastboot\nzz\tsomething\n????????????\tno permissions\n");
  ASSERT_EQ(phones.size(), 1u);
  EXPECT_EQ(phones[0].serial, "a1b2c3d4");
}

TEST(Getvar, ReadsTheAnswerInEitherForm) {
  EXPECT_EQ(parse_getvar("product: dipper\nFinished. Total time: 0.001s\n", "product"), "dipper");
  EXPECT_EQ(parse_getvar("(bootloader) anti:1\nOKAY [  0.001s]\n", "anti"), "1");
  EXPECT_EQ(parse_getvar("unlocked: yes\r\nFinished. Total time: 0.001s\r\n", "unlocked"), "yes");
}

TEST(Getvar, AFailedOrMissingAnswerIsNone) {
  EXPECT_EQ(parse_getvar("getvar:anti FAILED (remote: 'GetVar Variable Not found')\nFinished. Total time: 0.001s\n",
                         "anti"),
            std::nullopt);
  EXPECT_EQ(parse_getvar("anti:\n", "anti"), std::nullopt);
  EXPECT_EQ(parse_getvar("antique: 3\n", "anti"), std::nullopt);
  EXPECT_EQ(parse_getvar("< waiting for any device >\n", "product"), std::nullopt);
  EXPECT_EQ(parse_getvar("", "product"), std::nullopt);
}

TEST(DeviceInfo, ReadsTheLockState) {
  EXPECT_EQ(parse_device_info_locked("(bootloader) Verity mode: true\n(bootloader) Device unlocked: true\n"
                                     "(bootloader) Device critical unlocked: false\nOKAY [  0.010s]\n"),
            false);
  EXPECT_EQ(parse_device_info_locked("(bootloader) Device unlocked: false\n"), true);
  EXPECT_EQ(parse_device_info_locked("(bootloader) Device unlocked: maybe\n"), std::nullopt);
  EXPECT_EQ(parse_device_info_locked("FAILED (remote: 'unknown command')\n"), std::nullopt);
}

TEST(Getprop, ReadsKeysAndValues) {
  const auto props = parse_getprop("[ro.product.device]: [dipper]\n"
                                   "[ro.build.version.release]: [9]\r\n"
                                   "[ro.empty]: []\n"
                                   "[ro.product.device]: [other]\n"
                                   "[multi.line]: [first\n"
                                   "second]\n"
                                   "garbage\n"
                                   "[]: [no key]\n");
  EXPECT_EQ(props.at("ro.product.device"), "dipper");
  EXPECT_EQ(props.at("ro.build.version.release"), "9");
  EXPECT_EQ(props.at("ro.empty"), "");
  EXPECT_EQ(props.count("multi.line"), 0u);
  EXPECT_EQ(props.count(""), 0u);
}

TEST(BuildRegion, ReadsTheRegionLetters) {
  EXPECT_EQ(region_of_build("V10.3.6.0.PEAMIXM"), "Global");
  EXPECT_EQ(region_of_build("OS1.0.19.0.UKWEUXM"), "EEA");
  EXPECT_EQ(region_of_build("V9.5.6.0.OEACNFA"), "China");
  EXPECT_EQ(region_of_build("V12.0.1.0.QFJINXM"), "India");
  EXPECT_EQ(region_of_build("V12.0.1.0.QFJRUXM"), "Russia");
  EXPECT_EQ(region_of_build("8.12.7"), "");
  EXPECT_EQ(region_of_build("eng.builder.20240101"), "");
  EXPECT_EQ(region_of_build("V10.3.6.0.PEAZZXM"), "");
  EXPECT_EQ(region_of_build(""), "");
}

TEST(Validation, CodenamesAndSerials) {
  EXPECT_TRUE(is_valid_codename("laurel_sprout"));
  EXPECT_FALSE(is_valid_codename("Dipper"));
  EXPECT_FALSE(is_valid_codename("dip per"));
  EXPECT_FALSE(is_valid_codename("_x"));
  EXPECT_FALSE(is_valid_codename(std::string(41, 'a')));
  EXPECT_FALSE(is_valid_codename(""));
  EXPECT_TRUE(is_valid_serial("emulator-5554"));
  EXPECT_FALSE(is_valid_serial("a/b"));
  EXPECT_FALSE(is_valid_serial(""));
}

std::map<std::string, std::string> global_mi8() {
  return {{"ro.product.device", "dipper"},
          {"ro.product.mod_device", "dipper_global"},
          {"ro.build.version.incremental", "V10.3.6.0.PEAMIXM"},
          {"ro.build.version.release", "9"},
          {"ro.boot.flash.locked", "1"}};
}

TEST(PhoneFromProps, ReadsEveryField) {
  const Phone phone = phone_from_props("abc", PhoneMode::Adb, global_mi8());
  EXPECT_EQ(phone.serial, "abc");
  EXPECT_EQ(phone.mode, PhoneMode::Adb);
  EXPECT_EQ(phone.codename, "dipper");
  EXPECT_EQ(phone.variant, "dipper_global");
  EXPECT_EQ(phone.region, "Global");
  EXPECT_EQ(phone.build, "V10.3.6.0.PEAMIXM");
  EXPECT_EQ(phone.android, "9");
  EXPECT_EQ(phone.locked, true);
  EXPECT_EQ(phone.anti_rollback, std::nullopt);
  EXPECT_EQ(phone.notes,
            std::vector<std::string>{"the anti-rollback index is read in fastboot mode: adb reboot bootloader"});
}

TEST(PhoneFromProps, RegionFromTheVariantFirstThenTheBuild) {
  auto props = global_mi8();
  props["ro.product.mod_device"] = "dipper_eea_global";
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).region, "EEA");
  props.erase("ro.product.mod_device");
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).variant, "");
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).region, "Global");
  props["ro.product.mod_device"] = "dipper";  // a China phone names its bare codename
  props["ro.build.version.incremental"] = "8.12.7";
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).region, "China");
  props.erase("ro.product.mod_device");
  const Phone unknown = phone_from_props("s", PhoneMode::Adb, props);
  EXPECT_EQ(unknown.region, "");
  EXPECT_EQ(unknown.notes.back(), "neither the variant nor the build names a region");
}

TEST(PhoneFromProps, LockStateFromVerifiedBoot) {
  auto props = global_mi8();
  props.erase("ro.boot.flash.locked");
  props["ro.boot.verifiedbootstate"] = "orange";
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).locked, false);
  props["ro.boot.verifiedbootstate"] = "green";
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).locked, true);
  props.erase("ro.boot.verifiedbootstate");
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).locked, std::nullopt);
}

TEST(PhoneFromProps, HostileValuesAreDropped) {
  const Phone phone = phone_from_props("s", PhoneMode::Adb,
                                       {{"ro.product.device", "dip\x1b[2Jper"},
                                        {"ro.product.mod_device", "evil_global"},
                                        {"ro.build.version.incremental", "V1 rm -rf"},
                                        {"ro.build.version.release", "9; x"}});
  EXPECT_EQ(phone.codename, "");
  EXPECT_EQ(phone.variant, "");
  EXPECT_EQ(phone.build, "");
  EXPECT_EQ(phone.android, "");
  EXPECT_EQ(phone.notes.front(), "ro.product.device is not a codename: \"dip\\u001b[2Jper\"");
}

TEST(PhoneFromProps, AVariantOfAnotherDeviceIsNotTaken) {
  auto props = global_mi8();
  props["ro.product.mod_device"] = "cepheus_global";
  EXPECT_EQ(phone_from_props("s", PhoneMode::Adb, props).variant, "");
}

TEST(PhoneFromFastboot, ReadsProductAntiAndLock) {
  const Phone phone = phone_from_fastboot("fb1", {"dipper", "1", "no", std::nullopt});
  EXPECT_EQ(phone.mode, PhoneMode::Fastboot);
  EXPECT_EQ(phone.codename, "dipper");
  EXPECT_EQ(phone.anti_rollback, 1);
  EXPECT_EQ(phone.locked, true);
  EXPECT_EQ(phone.region, "");
  EXPECT_EQ(phone.notes, std::vector<std::string>{"the region is unknown in fastboot mode: boot the phone with USB "
                                                  "debugging on to read it"});
}

TEST(PhoneFromFastboot, MissingAnswersBecomeNotes) {
  const Phone phone = phone_from_fastboot("fb1", {"Dipper", std::nullopt, std::nullopt,
                                                  "(bootloader) Device unlocked: true\n"});
  EXPECT_EQ(phone.codename, "dipper");
  EXPECT_EQ(phone.anti_rollback, std::nullopt);
  EXPECT_EQ(phone.locked, false);
  EXPECT_EQ(phone.notes.front(), "the bootloader does not tell an anti-rollback index (getvar anti)");
  const Phone odd = phone_from_fastboot("fb1", {"a b", "99999", std::nullopt, std::nullopt});
  EXPECT_EQ(odd.codename, "");
  EXPECT_EQ(odd.anti_rollback, std::nullopt);
  EXPECT_EQ(odd.locked, std::nullopt);
}

TEST(PhoneMode, Slugs) {
  EXPECT_EQ(phone_mode_slug(PhoneMode::Fastboot), "fastboot");
  EXPECT_EQ(phone_mode_slug(PhoneMode::Adb), "adb");
  EXPECT_EQ(phone_mode_slug(PhoneMode::Recovery), "recovery");
  EXPECT_EQ(phone_mode_slug(PhoneMode::Unauthorized), "unauthorized");
}

Phone phone(std::string codename, std::string variant, std::string region, PhoneMode mode = PhoneMode::Adb) {
  Phone p;
  p.serial = "s1";
  p.mode = mode;
  p.codename = std::move(codename);
  p.variant = std::move(variant);
  p.region = std::move(region);
  return p;
}

TEST(PhoneQuery, TheVariantNamesTheRoms) {
  const PhoneQuery query = query_for_phone(phone("dipper", "dipper_global", "Global"), "");
  EXPECT_EQ(query.codename, "dipper_global");
  EXPECT_EQ(query.region, "");
  EXPECT_TRUE(query.notes.empty());
}

TEST(PhoneQuery, ABareVariantNeedsTheRegion) {
  const PhoneQuery query = query_for_phone(phone("dipper", "dipper", "China"), "");
  EXPECT_EQ(query.codename, "dipper");
  EXPECT_EQ(query.region, "China");
}

TEST(PhoneQuery, InFastbootModeEveryVariantWithANote) {
  const PhoneQuery query = query_for_phone(phone("dipper", "", "", PhoneMode::Fastboot), "");
  EXPECT_EQ(query.codename, "dipper");
  EXPECT_EQ(query.region, "");
  EXPECT_EQ(query.notes, std::vector<std::string>{"in fastboot mode the phone does not tell its region: using every "
                                                  "variant of dipper (--region REGION narrows them)"});
}

TEST(PhoneQuery, AnExplicitRegionWins) {
  const PhoneQuery query = query_for_phone(phone("dipper", "dipper_global", "Global"), "eea");
  EXPECT_EQ(query.codename, "dipper");
  EXPECT_EQ(query.region, "");
  EXPECT_EQ(query.notes, std::vector<std::string>{"--region eea wins over the phone's region, Global"});
  EXPECT_TRUE(query_for_phone(phone("dipper", "dipper_global", "Global"), "mi").notes.empty());
  EXPECT_TRUE(query_for_phone(phone("dipper", "", "", PhoneMode::Fastboot), "china").notes.empty());
}

TEST(PhoneQuery, APhoneThatDoesNotTellItsCodenameIsAnError) {
  try {
    query_for_phone(phone("", "", "", PhoneMode::Unauthorized), "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::NothingMatched);
    EXPECT_EQ(std::string(e.what()), "the phone s1 has not allowed USB debugging from this computer: accept the "
                                     "prompt on the phone and try again");
  }
  EXPECT_THROW(query_for_phone(phone("", "", ""), ""), Error);
}

}  // namespace
}  // namespace xfu

namespace xfu {
namespace {

using namespace std::chrono_literals;

TEST(RunTool, CapturesStdoutAndStderrTogetherAndTheExitStatus) {
  const ToolResult result = run_tool({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 10s, 1024);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.output, "out\nerr\n");
  EXPECT_FALSE(result.timed_out);
  EXPECT_FALSE(result.truncated);
}

TEST(RunTool, NeverThroughAShell) {
  const ToolResult result = run_tool({"/bin/echo", "$(id)", ";", "*"}, 10s, 1024);
  EXPECT_EQ(result.output, "$(id) ; *\n");
}

TEST(RunTool, StopsAToolThatPrintsTooMuch) {
  const ToolResult result = run_tool({"/bin/sh", "-c", "while :; do echo xxxxxxxxxxxxxxxx; done"}, 10s, 1000);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.output.size(), 1000u);
  EXPECT_EQ(result.exit_code, -1);
}

TEST(RunTool, KillsAToolThatNeverAnswers) {
  const ToolResult result = run_tool({"/bin/sh", "-c", "echo waiting; exec sleep 30"}, 300ms, 1024);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.output, "waiting\n");
  EXPECT_EQ(result.exit_code, -1);
}

// adb's daemon, started in the background, keeps the output pipe open after `adb devices` has ended.
TEST(RunTool, DoesNotWaitForWhatTheToolLeftRunning) {
  const ToolResult result = run_tool({"/bin/sh", "-c", "sleep 2 & echo done"}, 10s, 1024);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, "done\n");
}

TEST(RunTool, AProgramThatIsNotThereIsAnError) {
  EXPECT_THROW(run_tool({"xfu-no-such-program"}, 1s, 1024), Error);
  EXPECT_FALSE(on_path("xfu-no-such-program"));
  EXPECT_FALSE(on_path("../sh"));
  EXPECT_TRUE(on_path("sh"));
}

}  // namespace
}  // namespace xfu
