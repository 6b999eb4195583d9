// xfu device and --device: stand-in adb and fastboot programs, first and alone on PATH, print what the real
// tools print (fastboot's answers on stderr), for one phone, none, two, or a tool not installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "support/fake_phone_tools.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

std::map<std::string, std::string> global_mi8() {
  return {{"ro.product.device", "dipper"},
          {"ro.product.mod_device", "dipper_global"},
          {"ro.build.version.incremental", "V10.3.6.0.PEAMIXM"},
          {"ro.build.version.release", "9"},
          {"ro.boot.flash.locked", "1"}};
}

std::map<std::string, std::string> china_mi8() {
  return {{"ro.product.device", "dipper"},
          {"ro.build.version.incremental", "V9.6.7.0.OEACNFD"},
          {"ro.build.version.release", "8.1"},
          {"ro.boot.verifiedbootstate", "orange"}};
}

RunResult run(FakeTools& tools, const std::vector<std::string>& args,
              const std::map<std::string, std::string>& extra_env = {}) {
  XfuHome home;
  auto env = tools.env(home);
  for (const auto& [key, value] : extra_env) env[key] = value;
  std::vector<std::string> argv{XFU_BINARY, "--catalog", fixture("catalog-small.json").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env, 30);
}

// Column `index` of every TSV line.
std::vector<std::string> column(const std::string& tsv, size_t index) {
  std::vector<std::string> values;
  for (const std::string& line : lines_of(tsv)) {
    size_t start = 0;
    for (size_t i = 0; i < index; ++i) start = line.find('\t', start) + 1;
    values.push_back(line.substr(start, line.find('\t', start) - start));
  }
  return values;
}

TEST(Device, APhoneWithUsbDebuggingIsOneCard) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  tools.adb_daemon_lines = "* daemon not running; starting now at tcp:5037\n* daemon started successfully\n";
  const RunResult result = run(tools, {"device"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(card_contents(result.out),
            (std::vector<std::string>{
                "\u256D\u2500 Mi 8 Global \u00B7 a1b2c3",
                "Serial:        a1b2c3",
                "Mode:          adb",
                "Device:        Mi 8 Global",
                "Codename:      dipper",
                "Variant:       dipper_global",
                "Region:        Global",
                "Build:         V10.3.6.0.PEAMIXM",
                "Android:       9",
                "Anti-rollback: Unknown",
                "Bootloader:    Locked",
                "Notes:         the anti-rollback index is read in fastboot mode: adb reboot",
                "               bootloader",
                "--",
            }));
}

TEST(Device, ACatalogThatCannotBeReadOnlyLeavesOutTheDeviceName) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  XfuHome home;
  TempDir dir;
  write_text(dir / "broken.json", "{");
  const RunResult result = run_process({XFU_BINARY, "--catalog", (dir / "broken.json").string(), "device", "--json"},
                                       tools.env(home), 30);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.err.starts_with("xfu: note: the device names are left out: ")) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out)[0].at("device"), nullptr);
  EXPECT_EQ(nlohmann::json::parse(result.out)[0].at("variant"), "dipper_global");
}

TEST(Device, APhoneInFastbootModeAsJson) {
  FakeTools tools;
  tools.fastboot_phone("fb01", "dipper", "1", "no");
  const RunResult result = run(tools, {"device", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(nlohmann::json::parse(result.out), nlohmann::json::parse(R"([{
    "serial": "fb01", "mode": "fastboot", "codename": "dipper", "variant": null, "device": "Mi 8", "region": null,
    "build": null, "android": null, "anti_rollback": 1, "locked": true,
    "notes": ["the region is unknown in fastboot mode: boot the phone with USB debugging on to read it"]}])"));
}

TEST(Device, ABootloaderWithoutAntiOrUnlockedIsAskedForDeviceInfo) {
  FakeTools tools;
  tools.fastboot_phone("fb01", "dipper", "", "");
  tools.fastboot_answer("-s fb01 oem device-info",
                        {"", "(bootloader) Device tampered: false\n(bootloader) Device unlocked: true\nOKAY\n", 0});
  const RunResult result = run(tools, {"device", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto phone = nlohmann::json::parse(result.out).at(0);
  EXPECT_EQ(phone.at("anti_rollback"), nullptr);
  EXPECT_EQ(phone.at("locked"), false);
  EXPECT_EQ(phone.at("notes").at(0), "the bootloader does not tell an anti-rollback index (getvar anti)");
}

TEST(Device, TwoPhonesAreTwoCardsAndAndroidSerialPicksOne) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  tools.fastboot_phone("fb01", "dipper", "1", "yes");
  const RunResult both = run(tools, {"device", "--json"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  const auto phones = nlohmann::json::parse(both.out);
  ASSERT_EQ(phones.size(), 2u);
  EXPECT_EQ(phones[0].at("serial"), "a1b2c3");
  EXPECT_EQ(phones[1].at("serial"), "fb01");
  EXPECT_EQ(phones[1].at("locked"), false);

  const RunResult one = run(tools, {"device", "--json"}, {{"ANDROID_SERIAL", "fb01"}});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out).size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(one.out)[0].at("serial"), "fb01");

  const RunResult list = run(tools, {"list", "--device"});
  EXPECT_EQ(list.exit_code, 2);
  EXPECT_EQ(list.err, "xfu: 2 phones are connected (a1b2c3, fb01): set ANDROID_SERIAL to the serial of one of them\n");
}

TEST(Device, AnUnauthorizedPhoneSaysToAcceptThePrompt) {
  FakeTools tools;
  tools.adb_unauthorized("a1b2c3");
  const RunResult result = run(tools, {"device"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(card_contents(result.out),
            (std::vector<std::string>{"\u256D\u2500 Phone \u00B7 a1b2c3", "Serial: a1b2c3", "Mode:   unauthorized",
                                      "Notes:  accept the prompt \"Allow USB debugging?\" on the phone, then run xfu",
                                      "        device again", "--"}));
  const RunResult list = run(tools, {"list", "--device"});
  EXPECT_EQ(list.exit_code, 3);
  EXPECT_EQ(list.err, "xfu: the phone a1b2c3 has not allowed USB debugging from this computer: accept the prompt on "
                      "the phone and try again\n");
}

TEST(Device, APhoneInSideloadIsACardThatSaysWhatFailed) {
  FakeTools tools;
  tools.adb_state("s1", "sideload");
  tools.adb_answer("-s s1 shell getprop", {"", "error: closed\n", 1});
  const RunResult result = run(tools, {"device", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto phone = nlohmann::json::parse(result.out).at(0);
  EXPECT_EQ(phone.at("mode"), "recovery");
  EXPECT_EQ(phone.at("codename"), nullptr);
  EXPECT_EQ(phone.at("notes"),
            nlohmann::json::parse(
                R"(["adb shell getprop failed (\"error: closed\"): reboot the phone to its system"])"));
  const RunResult list = run(tools, {"list", "--device"});
  EXPECT_EQ(list.exit_code, 3);
  EXPECT_EQ(list.err, "xfu: the phone s1 does not tell its codename; give CODENAME\n");
}

TEST(Device, APhoneAdbMayNotTalkToIsANoteBeforeTheError) {
  FakeTools tools;
  tools.adb_state("0123ABC", "no permissions (user in plugdev group; are your udev rules wrong?)");
  const RunResult result = run(tools, {"device"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err, "xfu: note: adb cannot talk to 0123ABC: \"no permissions (user in plugdev group; are your udev "
                        "rules wrong?)\" (a udev rule for the phone is missing)\n"
                        "xfu: no phone found: check the USB cable, and turn on USB debugging on the phone (or boot it "
                        "into fastboot mode)\n");
}

// A stuck adb (its daemon hung) costs its time limit, and the phone in fastboot mode is still found.
TEST(Device, AStuckAdbDoesNotHideAPhoneInFastbootMode) {
  FakeTools tools;
  tools.adb_devices_hangs = true;
  tools.fastboot_phone("fb01", "dipper", "1", "no");
  const RunResult result = run(tools, {"device", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err,
            "xfu: note: adb devices failed: no answer within 10 seconds (adb kill-server restarts a stuck adb)\n");
  EXPECT_EQ(nlohmann::json::parse(result.out).at(0).at("codename"), "dipper");
}

TEST(Device, APhoneFastbootMayNotOpenIsAHintBeforeTheError) {
  FakeTools tools;
  tools.fastboot_state("????????????", "no permissions; see [http://developer.android.com/tools/device.html]");
  const RunResult result = run(tools, {"device"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err,
            "xfu: note: fastboot: the phone is seen but may not be opened: a udev rule for it is missing, or the user "
            "is not in the plugdev group\n"
            "xfu: no phone found: check the USB cable, and turn on USB debugging on the phone (or boot it into "
            "fastboot mode)\n");
}

TEST(Device, NoPhoneIsExit3InPlainWords) {
  FakeTools tools;
  const RunResult result = run(tools, {"device"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "xfu: no phone found: check the USB cable, and turn on USB debugging on the phone (or boot it "
                        "into fastboot mode)\n");
  const RunResult other = run(tools, {"device"}, {{"ANDROID_SERIAL", "zz9"}});
  EXPECT_EQ(other.exit_code, 3);
  EXPECT_EQ(other.err, "xfu: no phone with the serial \"zz9\" ($ANDROID_SERIAL) is connected; unset it to see every "
                       "phone\n");
}

TEST(Device, NeitherToolInstalledNamesThePackages) {
  FakeTools tools;
  tools.with_adb = tools.with_fastboot = false;
  const RunResult result = run(tools, {"device"});
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.err, "xfu: neither adb nor fastboot is installed, and xfu asks them about the phone: sudo apt "
                        "install adb fastboot\n");
  const RunResult list = run(tools, {"list", "--device"});
  EXPECT_EQ(list.exit_code, 6);
  EXPECT_EQ(list.err, result.err);
}

TEST(Device, OnlyFastbootInstalledIsUsedWithANote) {
  FakeTools tools;
  tools.with_adb = false;
  tools.fastboot_phone("fb01", "dipper", "1", "no");
  const RunResult result = run(tools, {"device", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "xfu: note: adb is not installed, so only a phone in fastboot mode is seen: sudo apt install "
                        "adb\n");
  EXPECT_EQ(nlohmann::json::parse(result.out)[0].at("serial"), "fb01");
}

TEST(DeviceFlag, ListTakesThePhonesVariant) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  const RunResult result = run(tools, {"list", "--device", "--format", "tsv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "xfu: note: the phone a1b2c3 is dipper_global\n");
  EXPECT_EQ(column(result.out, 9), (std::vector<std::string>{"dipper_global_images_8.12.7_20181207.0000.00_9.0_"
                                                             "global_2363b6e14c.tgz",
                                                             "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"}));
}

TEST(DeviceFlag, AChinaPhoneIsItsCodenameAndRegion) {
  FakeTools tools;
  tools.adb_phone("cn1", china_mi8());
  const RunResult result = run(tools, {"list", "--device", "--format", "tsv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "xfu: note: the phone cn1 is dipper, region china\n");
  const auto regions = column(result.out, 7);
  EXPECT_EQ(regions.size(), 5u);
  EXPECT_EQ(std::count(regions.begin(), regions.end(), "china"), 5);
}

TEST(DeviceFlag, InFastbootModeEveryVariantWithANote) {
  FakeTools tools;
  tools.fastboot_phone("fb01", "dipper", "1", "no");
  const RunResult result = run(tools, {"list", "--device", "--format", "tsv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "xfu: note: in fastboot mode the phone does not tell its region: using every variant of "
                        "dipper (--region REGION narrows them)\nxfu: note: the phone fb01 is dipper\n");
  EXPECT_EQ(column(result.out, 7).size(), 7u);
}

TEST(DeviceFlag, AnExplicitRegionWinsWithANote) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  const RunResult result = run(tools, {"list", "--device", "--region", "cn", "--format", "tsv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "xfu: note: --region cn wins over the phone's region, Global\n"
                        "xfu: note: the phone a1b2c3 is dipper; ROMs of --region china are shown\n");
  const auto regions = column(result.out, 7);
  EXPECT_EQ(std::count(regions.begin(), regions.end(), "china"), static_cast<long>(regions.size()));
}

TEST(DeviceFlag, ShowTakesALoneWordAsTheVersion) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  const RunResult result = run(tools, {"show", "--device", "8.12.7", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto roms = nlohmann::json::parse(result.out);
  ASSERT_EQ(roms.size(), 2u);
  for (const auto& rom : roms) EXPECT_EQ(rom.at("variant"), "dipper_global");
}

TEST(DeviceFlag, DownloadDryRunPicksThePhonesFile) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  TempDir out;
  const RunResult result = run(tools, {"download", "--device", "8.12.7", "--type", "recovery", "--dry-run", "-o",
                                       out.path().string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"), std::string::npos) << result.out;
  EXPECT_TRUE(std::filesystem::is_empty(out.path()));
}

TEST(DeviceFlag, ACodenameAsWellIsAUsageError) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", global_mi8());
  for (const std::vector<std::string>& args : {std::vector<std::string>{"list", "--device", "dipper"},
                                               {"show", "--device", "dipper", "8.12.7"},
                                               {"download", "--device", "dipper", "--dry-run"}}) {
    const RunResult result = run(tools, args);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_EQ(result.err, "xfu: --device and CODENAME \"dipper\" both name the device: drop one of them\n");
  }
}

TEST(DeviceFlag, WithoutItShowStillNeedsACodename) {
  FakeTools tools;
  const RunResult result = run(tools, {"show"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "xfu: show needs a codename or a package name, e.g. xfu show dipper 8.12.7\n");
}

}  // namespace
}  // namespace xfu::test
