// xfu inspect, and the package facts a download reports: packages built with libarchive in every layout Xiaomi
// ships, read by the real binary, with tiny catalogs that hold the packages' real MD5s and stand-in phones.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/fake_phone_tools.hpp"
#include "support/harness.hpp"
#include "support/rom_packages.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The package names the catalog and the fit checks read: a Global fastboot package and a Global OTA of the Mi 8.
constexpr const char* kFastbootName = "dipper_global_images_V10.3.6.0.PEAMIXM_9.0_global.tgz";
constexpr const char* kOtaName = "miui_MI8Global_V10.3.6.0.PEAMIXM_9.0.zip";
constexpr const char* kTopFolder = "dipper_global_images_V10.3.6.0.PEAMIXM_20190911.0000.00_9.0_global";

const std::string kLockWarning =
    "flash_all_lock relocks the bootloader: use it only with the phone's own region's ROM; flash_all keeps the "
    "bootloader unlocked";

struct Record {
  std::string codename = "dipper";
  std::string variant = "dipper_global";
  std::string device = "Mi 8 Global";
  std::string version = "V10.3.6.0.PEAMIXM";
  std::string branch = "Stable";
  std::string type = "Fastboot";
  std::string filename = kFastbootName;
  std::string link;  // default: a URL nothing is fetched from
  std::string md5;
};

// The default record: the Global fastboot package of the Mi 8, with `md5`.
Record record_with_md5(const std::string& md5) {
  Record record;
  record.md5 = md5;
  return record;
}

std::string catalog_text(const std::vector<Record>& records) {
  json roms = json::array();
  for (const Record& record : records)
    roms.push_back({{"codename", record.codename},
                    {"variant", record.variant},
                    {"device", record.device},
                    {"version", record.version},
                    {"branch", record.branch},
                    {"type", record.type},
                    {"date", "2019-09-11"},
                    {"filename", record.filename},
                    {"link", record.link.empty() ? "http://127.0.0.1:9/" + record.filename : record.link},
                    {"md5", record.md5.empty() ? json() : json(record.md5)}});
  return json{{"schema", "xfu-catalog/1"}, {"roms", roms}}.dump();
}

std::vector<std::string> codes_of(const json& warnings) {
  std::vector<std::string> codes;
  for (const json& warning : warnings) codes.push_back(warning.at("code"));
  return codes;
}

class Inspect : public ::testing::Test {
 protected:
  XfuHome home;
  fs::path files = home.root() / "files";
  fs::path catalog = home.root() / "catalog.json";

  void SetUp() override {
    fs::create_directories(files);
    write_catalog({});
  }

  void write_catalog(const std::vector<Record>& records) const { write_text(catalog, catalog_text(records)); }

  fs::path fastboot(const FastbootLayout& layout = {}, const std::string& name = kFastbootName) const {
    make_fastboot_package(files / name, layout);
    return files / name;
  }

  fs::path ota(const OtaLayout& layout = {}, const std::string& name = kOtaName) const {
    make_ota_package(files / name, layout);
    return files / name;
  }

  RunResult inspect(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const {
    std::vector<std::string> argv{XFU_BINARY, "--catalog", catalog.string(), "inspect"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env.empty() ? home.env : env, 30);
  }

  // The one file's JSON object, after checking that inspect succeeded and said nothing on stderr.
  json inspect_json(const fs::path& file, int expected_exit = 0) const {
    const RunResult result = inspect({file.string(), "--json"});
    EXPECT_EQ(result.exit_code, expected_exit) << result.err;
    if (expected_exit == 0) {
      EXPECT_EQ(result.err, "");
    }
    const json all = json::parse(result.out);
    EXPECT_EQ(all.size(), 1u);
    return all.at(0);
  }
};

// ---- fastboot packages ------------------------------------------------------------------------------------------

TEST_F(Inspect, AFastbootPackageIsOneCardWithItsScriptsIndexAndLockWarning) {
  const fs::path file = fastboot();
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(card_contents(result.out),
            (std::vector<std::string>{
                "\u256D\u2500 dipper \u00B7 Fastboot package",
                "File:          dipper_global_images_V10.3.6.0.PEAMIXM_9.0_global.tgz",
                "Package:       Fastboot (flashed with fastboot from a computer)",
                "For device:    dipper",
                "Anti-rollback: 1 (from flash_all.sh)",
                "Flash scripts: flash_all, flash_all_except_storage, flash_all_lock",
                "Images:        3",
                "MD5:           " + md5sum_of(file),
                "Catalog:       not listed (neither this MD5 nor this file name)",
                "Warnings:      \u26A0 flash_all_lock relocks the bootloader: use it only with the",
                "               phone's own region's ROM; flash_all keeps the bootloader",
                "               unlocked",
                "--",
            }));
}

TEST_F(Inspect, TheIndexInAntiVersionTxtAndNoLockScriptMeansNoWarning) {
  const json inspected = inspect_json(
      fastboot({.arb = ArbStyle::AntiVersionFile, .anti_rollback = 4, .lock_script = false}));
  const json& package = inspected.at("package");
  EXPECT_EQ(package.at("kind"), "fastboot");
  EXPECT_EQ(package.at("anti_rollback"), 4);
  EXPECT_EQ(package.at("anti_rollback_source"), std::string(kTopFolder) + "/images/anti_version.txt");
  EXPECT_EQ(package.at("flash_scripts"), json({"flash_all", "flash_all_except_storage"}));
  EXPECT_EQ(package.at("notes"), json::array());
  EXPECT_EQ(inspected.at("warnings"), json::array());
}

TEST_F(Inspect, DisagreeingIndexesKeepTheLowerWithANote) {
  const fs::path file = fastboot({.arb = ArbStyle::Disagreeing, .anti_rollback = 2, .bat_scripts = false});
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(card_contents(result.out).at(4), "Anti-rollback: 2 (from flash_all.sh)");
  const std::string top(kTopFolder);
  EXPECT_EQ(inspect_json(file).at("package").at("notes"),
            json({"different anti-rollback indexes: 2 in " + top + "/flash_all.sh, 2 in " + top +
                  "/flash_all_except_storage.sh, 2 in " + top + "/flash_all_lock.sh, 3 in " + top +
                  "/images/anti_version.txt; the lower, 2, is kept"}));
}

TEST_F(Inspect, APackageWithoutAnIndexSaysNoneStated) {
  const RunResult result = inspect({fastboot({.arb = ArbStyle::None, .lock_script = false}).string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(card_contents(result.out).at(4), "Anti-rollback: none stated");
  const json package = inspect_json(files / kFastbootName).at("package");
  EXPECT_EQ(package.at("anti_rollback"), nullptr);
  EXPECT_EQ(package.at("anti_rollback_source"), "");
}

TEST_F(Inspect, APackageForTwoDevicesNamesBoth) {
  const RunResult result = inspect({fastboot({.devices = {"dipper", "ursa"}, .lock_script = false}).string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> card = card_contents(result.out);
  EXPECT_EQ(card.at(0), "\u256D\u2500 dipper, ursa \u00B7 Fastboot package");
  EXPECT_EQ(card.at(3), "For device:    dipper, ursa");
}

TEST_F(Inspect, CrlfScriptsAndCommentedOutChecksReadLikePlainOnes) {
  const json package =
      inspect_json(fastboot({.arb = ArbStyle::Both, .anti_rollback = 3, .crlf = true, .commented_out_checks = true}))
          .at("package");
  EXPECT_EQ(package.at("devices"), json({"dipper"}));  // not the commented-out cepheus
  EXPECT_EQ(package.at("anti_rollback"), 3);           // not the commented-out 9
  EXPECT_EQ(package.at("flash_scripts"), json({"flash_all", "flash_all_except_storage", "flash_all_lock"}));
  EXPECT_EQ(package.at("notes"), json::array());
}

// ---- OTA packages ------------------------------------------------------------------------------------------------

TEST_F(Inspect, AnOtaZipWithTextMetadataIsAFullPackageCard) {
  const fs::path file = ota();
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(card_contents(result.out),
            (std::vector<std::string>{
                "\u256D\u2500 dipper \u00B7 Recovery/OTA package",
                "File:        miui_MI8Global_V10.3.6.0.PEAMIXM_9.0.zip",
                "Package:     Recovery/OTA, full",
                "For device:  dipper",
                "Build:       V10.3.6.0.PEAMIXM",
                "Fingerprint: Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.6.0.PEAMIXM:user/release-keys",
                "Built:       2019-09-11T03:07:14Z",
                "MD5:         " + md5sum_of(file),
                "Catalog:     not listed (neither this MD5 nor this file name)",
                "--",
            }));
}

TEST_F(Inspect, MetadataPbAloneGivesTheSameFacts) {
  const json package = inspect_json(ota({.metadata = OtaMetadataStyle::Protobuf})).at("package");
  EXPECT_EQ(package.at("kind"), "ota");
  EXPECT_EQ(package.at("devices"), json({"dipper"}));
  EXPECT_EQ(package.at("version"), "V10.3.6.0.PEAMIXM");
  EXPECT_EQ(package.at("fingerprint"), "Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.6.0.PEAMIXM:user/release-keys");
  EXPECT_EQ(package.at("timestamp"), 1568171234);
  EXPECT_EQ(package.at("ota_type"), "AB");
  EXPECT_EQ(package.at("incremental"), false);
}

TEST_F(Inspect, AnOldMiuiZipIsReadFromItsUpdaterScript) {
  const json package = inspect_json(
                           ota({.devices = {"dipper"}, .metadata = OtaMetadataStyle::UpdaterScriptOnly, .ab = false}))
                           .at("package");
  EXPECT_EQ(package.at("kind"), "ota");
  EXPECT_EQ(package.at("devices"), json({"dipper"}));
  EXPECT_EQ(package.at("incremental"), false);
}

TEST_F(Inspect, AnIncrementalOtaSaysWhatItUpdatesAndWarns) {
  const std::string source = OtaLayout{}.source_fingerprint;
  const RunResult result = inspect({ota({.incremental = true}).string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> card = card_contents(result.out);
  EXPECT_EQ(card.at(2), "Package:     Recovery/OTA, incremental (an update of one build)");
  EXPECT_EQ(card.at(7), "Updates:     " + source);
  const json inspected = inspect_json(files / kOtaName);
  EXPECT_EQ(inspected.at("package").at("incremental"), true);
  EXPECT_EQ(inspected.at("package").at("source_fingerprint"), source);
  EXPECT_EQ(inspected.at("warnings"),
            json::parse(R"([{"code": "incremental", "message": "an incremental package: it installs only over )" +
                        source + "\"}]"));
}

// ---- files that are no ROM, or no package at all ---------------------------------------------------------------

// A package large enough that damage in its middle lands inside compressed image data.
FastbootLayout big_incompressible() {
  return {.lock_script = false, .image_bytes = 200'000, .image_data = ImageData::Incompressible};
}

TEST_F(Inspect, ATruncatedPackageIsExit6InOneLine) {
  const fs::path file = fastboot(big_incompressible());
  truncate_file(file, fs::file_size(file) / 2);
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("xfu: " + file.string() + ": not a readable package: ")) << result.err;
  EXPECT_EQ(count_of(result.err, "\n"), 1u) << result.err;
}

TEST_F(Inspect, BytesFlippedMidStreamAreExit6InOneLine) {
  const fs::path file = fastboot(big_incompressible());
  flip_bytes(file, fs::file_size(file) / 2, 16);
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("xfu: " + file.string() + ": not a readable package: ")) << result.err;
  EXPECT_EQ(count_of(result.err, "\n"), 1u) << result.err;
}

TEST_F(Inspect, AReadableArchiveThatIsNoRomIsExit3) {
  make_plain_tgz(files / "source.tgz");
  const RunResult result = inspect({(files / "source.tgz").string()});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err, "xfu: " + (files / "source.tgz").string() +
                            ": not a ROM package: no flash scripts, images or OTA metadata in it\n");
  EXPECT_EQ(card_contents(result.out).at(0), "\u256D\u2500 Not a ROM package");
}

TEST_F(Inspect, AMissingFileIsExit6) {
  const RunResult result = inspect({(files / "gone.tgz").string()});
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "xfu: " + (files / "gone.tgz").string() + ": No such file or directory\n");
}

TEST_F(Inspect, SeveralFilesGiveEveryCardAndTheWorstExitCode) {
  const fs::path rom = fastboot();
  make_plain_tgz(files / "source.tgz");
  const fs::path zip = ota();
  const RunResult no_rom = inspect({rom.string(), (files / "source.tgz").string(), zip.string()});
  EXPECT_EQ(no_rom.exit_code, 3);
  EXPECT_EQ(count_of(no_rom.out, "\u256D\u2500 "), 3u) << no_rom.out;
  EXPECT_EQ(count_of(no_rom.err, "\n"), 1u) << no_rom.err;

  const RunResult missing = inspect({rom.string(), (files / "gone.tgz").string(), (files / "source.tgz").string()});
  EXPECT_EQ(missing.exit_code, 6);
  const std::vector<std::string> card = card_contents(missing.out);
  EXPECT_EQ(count_of(missing.out, "\u256D\u2500 "), 2u) << missing.out;
  EXPECT_EQ(missing.err, "xfu: " + (files / "gone.tgz").string() +
                             ": No such file or directory\nxfu: " + (files / "source.tgz").string() +
                             ": not a ROM package: no flash scripts, images or OTA metadata in it\n");

  const RunResult json_out = inspect({rom.string(), (files / "gone.tgz").string(), "--json"});
  EXPECT_EQ(json_out.exit_code, 6);
  const json all = json::parse(json_out.out);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all.at(0).at("package").at("kind"), "fastboot");
  EXPECT_EQ(all.at(1).at("md5"), nullptr);
  EXPECT_EQ(all.at(1).at("error"), "No such file or directory");
}

// ---- what the catalog says --------------------------------------------------------------------------------------

TEST_F(Inspect, APackageWithARecordsMd5ShowsTheRelease) {
  const fs::path file = fastboot();
  const std::string md5 = md5sum_of(file);
  write_catalog({record_with_md5(md5)});
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> card = card_contents(result.out);
  EXPECT_EQ(card.at(7), "MD5:           " + md5 + " (the catalog's)");
  EXPECT_EQ(card.at(8),
            "Catalog:       Mi 8 Global \u00B7 V10.3.6.0.PEAMIXM \u00B7 Stable \u00B7 Fastboot \u00B7 Global");
}

TEST_F(Inspect, ARenamedFileIsStillFoundByItsMd5) {
  const fs::path file = fastboot({}, "renamed.tgz");
  write_catalog({record_with_md5(md5sum_of(file))});
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> card = card_contents(result.out);
  EXPECT_EQ(card.at(8),
            "Catalog:       Mi 8 Global \u00B7 V10.3.6.0.PEAMIXM \u00B7 Stable \u00B7 Fastboot \u00B7 Global");
  EXPECT_EQ(card.at(9), "               renamed: the catalog calls it");
  EXPECT_EQ(card.at(10), std::string("               ") + kFastbootName);
}

TEST_F(Inspect, TheCatalogsNameWithAnotherMd5IsExit1) {
  const fs::path file = fastboot();
  const std::string other = "0123456789abcdef0123456789abcdef";
  write_catalog({record_with_md5(other)});
  const RunResult result = inspect({file.string()});
  EXPECT_EQ(result.exit_code, 1);
  const std::string md5 = md5sum_of(file);
  EXPECT_EQ(result.err, "xfu: " + file.string() + ": MD5 mismatch: the catalog lists this name with " + other +
                            ", the file is " + md5 + ": it is damaged or another file\n");
  const std::vector<std::string> card = card_contents(result.out);
  EXPECT_EQ(card.at(7), "MD5:           " + md5);
  EXPECT_EQ(card.at(8), "               NOT the catalog's " + other);
  EXPECT_EQ(inspect_json(file, 1).at("md5_matches_catalog"), false);
}

TEST_F(Inspect, APackageForAnotherDeviceThanItsRecordWarns) {
  const fs::path file = fastboot({.devices = {"ursa"}, .lock_script = false});
  write_catalog({record_with_md5(md5sum_of(file))});
  const json inspected = inspect_json(file);
  EXPECT_EQ(inspected.at("md5_matches_catalog"), true);
  EXPECT_EQ(inspected.at("catalog").at(0).at("filename"), kFastbootName);
  EXPECT_EQ(codes_of(inspected.at("warnings")), (std::vector<std::string>{"catalog-device", "name-device"}));
  EXPECT_EQ(inspected.at("warnings").at(0).at("message"),
            "the package is for ursa, but the catalog lists this file for dipper_global: it is not the file it claims "
            "to be");
  EXPECT_EQ(inspected.at("warnings").at(1).at("message"),
            "the package is for ursa, but its file name says dipper_global: it was renamed");
}

// ---- against the phone on USB ----------------------------------------------------------------------------------

TEST_F(Inspect, APhoneWithAHigherIndexGetsTheAntiRollbackWarning) {
  FakeTools tools;
  tools.fastboot_phone("fb01", "dipper", "2", "yes");
  const fs::path file = fastboot({.anti_rollback = 1, .lock_script = false});
  const RunResult result = inspect({file.string(), "--device"}, tools.env(home));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> card = card_contents(result.out);
  EXPECT_EQ(std::vector<std::string>(card.end() - 5, card.end()),
            (std::vector<std::string>{
                "Phone:         dipper (fb01, fastboot mode, anti-rollback 2)",
                "Warnings:      \u26A0 the package's anti-rollback index is 1, below the phone's",
                "               2: flashing it will fail, or brick the phone if the check is",
                "               removed",
                "--",
            }))
      << result.out;
}

TEST_F(Inspect, AnEeaPhoneAndAGlobalRecordWithALockScriptWarnAboutBoth) {
  FakeTools tools;
  tools.adb_phone("a1b2c3", {{"ro.product.device", "dipper"},
                             {"ro.product.mod_device", "dipper_eea_global"},
                             {"ro.build.version.incremental", "V10.3.6.0.PEAMIXM"}});
  const fs::path file = fastboot();
  write_catalog({record_with_md5(md5sum_of(file))});
  const RunResult result = inspect({file.string(), "--device", "--json"}, tools.env(home));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const json warnings = json::parse(result.out).at(0).at("warnings");
  // A booted phone does not tell its anti-rollback index: that it was not compared is said too.
  EXPECT_EQ(codes_of(warnings), (std::vector<std::string>{"anti-rollback-unchecked", "region", "lock-script-region"}));
  EXPECT_EQ(warnings.at(2).at("message"),
            "do not run flash_all_lock: it relocks the bootloader, and with a Global ROM on an EEA phone that can "
            "leave the phone unable to boot");
}

TEST_F(Inspect, APhoneOfAnotherDeviceWarns) {
  FakeTools tools;
  tools.fastboot_phone("fb01", "ursa", "1", "yes");
  const RunResult result = inspect({fastboot({.lock_script = false}).string(), "--device", "--json"}, tools.env(home));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out).at(0).at("warnings"), json::parse(R"([{"code": "device", "message":
    "the package is for dipper, but the phone is ursa: it will not flash, and forcing it can brick the phone"}])"));
}

// ---- what a download reports ------------------------------------------------------------------------------------

// A package on the local test server, with a catalog record that carries its MD5.
class DownloadFacts : public ::testing::Test {
 protected:
  XfuHome home;
  TestServer server;
  fs::path out = home.root() / "out";
  fs::path catalog = home.root() / "catalog.json";
  std::string name = kFastbootName;
  std::string md5;

  void SetUp() override { fs::create_directories(out); }

  // The package as `layout` builds it, with incompressible images so that the stream has a real size.
  void serve_fastboot(FastbootLayout layout = {}) {
    layout.image_bytes = 1'000'000;
    layout.image_data = ImageData::Incompressible;
    make_fastboot_package(server.root() / name, layout);
    write_record({}, "");
  }

  void serve_ota(const std::string& branch = "Stable") {
    Record record;
    record.branch = branch;
    name = kOtaName;
    make_ota_package(server.root() / name, {.payload_bytes = 1'000'000});
    record.type = "Recovery";
    record.filename = name;
    write_record(std::move(record), "");
  }

  // The catalog's record of the served file; `behaviours` ("~slow=20/") go before the name in its link.
  void write_record(Record record, const std::string& behaviours) {
    md5 = md5sum_of(server.root() / name);
    record.md5 = md5;
    record.link = server.url(behaviours + name);
    write_text(catalog, catalog_text({record}));
  }

  RunResult download(const std::vector<std::string>& args = {}) const {
    std::vector<std::string> argv{XFU_BINARY, "--catalog", catalog.string(), "download", name, "-o", out.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, home.env, 60);
  }

  // Every "xfu: ..." line after the download's own summary.
  std::vector<std::string> lines_after_summary(const std::string& err) const {
    const std::vector<std::string> lines = lines_of(err);
    const auto summary = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.starts_with("xfu: note: downloaded " + name) ||
             line.starts_with("xfu: note: " + name + " is already");
    });
    return summary == lines.end() ? lines : std::vector<std::string>(summary + 1, lines.end());
  }
};

const std::string kFastbootFacts =
    "xfu: note: fastboot package for dipper; anti-rollback index 1 (from flash_all.sh); flash scripts: flash_all, "
    "flash_all_except_storage, flash_all_lock";

TEST_F(DownloadFacts, ADownloadEndsWithThePackagesFactsAndTheDeviceCheck) {
  serve_fastboot();
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(lines_after_summary(result.err), (std::vector<std::string>{
                                                 kFastbootFacts,
                                                 "xfu: warning: " + kLockWarning,
                                                 "xfu: note: device check: the package is for dipper, as the catalog "
                                                 "says",
                                             }))
      << result.err;
}

TEST_F(DownloadFacts, AnInterruptedDownloadReportsTheFactsWhenResumed) {
  serve_fastboot();
  write_record({}, "~slow=20/");
  auto running = BackgroundProcess({XFU_BINARY, "--catalog", catalog.string(), "download", name, "-o", out.string()},
                                   home.env);
  const fs::path part = out / (name + ".part");
  for (int i = 0; i < 200 && (!fs::exists(part) || fs::file_size(part) < 100'000); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  running.signal(SIGINT);
  const RunResult stopped = running.wait(10);
  ASSERT_EQ(stopped.exit_code, 130) << stopped.err;
  EXPECT_EQ(stopped.err.find("fastboot package for"), std::string::npos) << stopped.err;

  write_record({}, "");
  const RunResult resumed = download();
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("xfu: note: resuming " + name + ": "), std::string::npos) << resumed.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(lines_after_summary(resumed.err).at(0), kFastbootFacts) << resumed.err;
}

TEST_F(DownloadFacts, NoInspectPrintsNoFacts) {
  serve_fastboot();
  const RunResult result = download({"--no-inspect"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(lines_after_summary(result.err), std::vector<std::string>{}) << result.err;
}

TEST_F(DownloadFacts, APackageForAnotherDeviceThanItsRecordWarns) {
  serve_fastboot({.devices = {"ursa"}, .lock_script = false});
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(lines_after_summary(result.err),
            (std::vector<std::string>{
                "xfu: note: fastboot package for ursa; anti-rollback index 1 (from flash_all.sh); flash scripts: "
                "flash_all, flash_all_except_storage",
                "xfu: warning: the package is for ursa, but the catalog lists this file for dipper_global: it is not "
                "the file it claims to be",
                "xfu: warning: the package is for ursa, but its file name says dipper_global: it was renamed",
            }))
      << result.err;
}

const std::string kStableBetaWarning =
    "this Stable Beta release has no fastboot package: if the update fails, recovering needs the fastboot package of "
    "an earlier release";

TEST_F(DownloadFacts, AStableBetaRecordWarnsBeforeTheDownloadAndInTheDryRun) {
  serve_ota("Stable Beta");
  const RunResult dry = download({"--dry-run", "--json"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(json::parse(dry.out).at("warnings"), json({{{"code", "stable-beta"}, {"message", kStableBetaWarning}}}));

  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.err.starts_with("xfu: warning: " + kStableBetaWarning + "\n")) << result.err;
  EXPECT_EQ(count_of(result.err, kStableBetaWarning), 1u) << result.err;

  // The same release with a fastboot package in the catalog: nothing to warn about.
  Record recovery;
  recovery.branch = "Stable Beta";
  recovery.type = "Recovery";
  recovery.filename = name;
  recovery.link = server.url(name);
  recovery.md5 = md5;
  Record fastboot;
  fastboot.branch = "Stable Beta";
  write_text(catalog, catalog_text({recovery, fastboot}));
  const RunResult with_fastboot = download({"--dry-run", "--json"});
  EXPECT_EQ(with_fastboot.exit_code, 0) << with_fastboot.err;
  EXPECT_EQ(json::parse(with_fastboot.out).at("warnings"), json::array());
  EXPECT_EQ(with_fastboot.err, "");
}

TEST_F(DownloadFacts, AnOtaZipReportsItsFacts) {
  serve_ota();
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(lines_after_summary(result.err), (std::vector<std::string>{
                                                 "xfu: note: full recovery/OTA package for dipper; build "
                                                 "V10.3.6.0.PEAMIXM",
                                                 "xfu: note: device check: the package is for dipper, as the catalog "
                                                 "says",
                                             }))
      << result.err;
}

TEST_F(DownloadFacts, AFileAlreadyThereReportsItsFactsToo) {
  serve_fastboot({.lock_script = false});
  ASSERT_EQ(download().exit_code, 0);
  server.reset_log();
  const RunResult again = download();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(server.log(), "[]");
  EXPECT_EQ(lines_after_summary(again.err), (std::vector<std::string>{
                                                "xfu: note: fastboot package for dipper; anti-rollback index 1 (from "
                                                "flash_all.sh); flash scripts: flash_all, flash_all_except_storage",
                                                "xfu: note: device check: the package is for dipper, as the catalog "
                                                "says",
                                            }))
      << again.err;
}

// With the phone on USB: what its record alone says comes first (a locked bootloader), what the package says after
// the download (an anti-rollback index below the phone's).
TEST_F(DownloadFacts, DeviceWarnsBeforeAndAfterTheDownload) {
  serve_fastboot({.anti_rollback = 1, .lock_script = false});
  FakeTools tools;
  tools.fastboot_phone("fb01", "dipper", "2", "no");
  const RunResult result = run_process(
      {XFU_BINARY, "--catalog", catalog.string(), "download", "--device", "-o", out.string()}, tools.env(home), 60);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  const std::string locked =
      "xfu: warning: the phone's bootloader is locked: a fastboot package flashes only once it is unlocked";
  const std::vector<std::string> lines = lines_of(result.err);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), locked), 1) << result.err;
  EXPECT_EQ(lines_after_summary(result.err),
            (std::vector<std::string>{
                "xfu: note: fastboot package for dipper; anti-rollback index 1 (from flash_all.sh); flash scripts: "
                "flash_all, flash_all_except_storage",
                "xfu: warning: the package's anti-rollback index is 1, below the phone's 2: flashing it will fail, or "
                "brick the phone if the check is removed",
                "xfu: note: device check: the package is for dipper, as the catalog says, and so is the phone",
            }))
      << result.err;
  EXPECT_LT(std::find(lines.begin(), lines.end(), locked) - lines.begin(),
            std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
              return line.starts_with("xfu: note: downloaded ");
            }) - lines.begin());
}

}  // namespace
}  // namespace xfu::test
