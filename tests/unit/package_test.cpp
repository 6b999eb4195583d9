// The package library: the parsers of the small fact-carrying files, the
// scanner that decides what a package is, and the libarchive reading of
// packages built by tests/support/rom_packages (on disk and streamed).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/exit_code.hpp"
#include "package/package_reader.hpp"
#include "package/package_scanner.hpp"
#include "package/script_facts.hpp"
#include "support/harness.hpp"
#include "support/rom_packages.hpp"
#include "util/strings.hpp"

namespace xfu {
namespace {

using test::ArbStyle;
using test::FastbootLayout;
using test::OtaLayout;
using test::OtaMetadataStyle;
using test::TempDir;

constexpr const char* kTop = "dipper_global_images_V10.3.6.0.PEAMIXM_20190911.0000.00_9.0_global";
constexpr const char* kFingerprint = "Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.6.0.PEAMIXM:user/release-keys";
constexpr const char* kSourceFingerprint = "Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.5.0.PEAMIXM:user/release-keys";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

// Every field of the facts, one a line, so a test states all of them at once.
std::string describe(const PackageFacts& facts) {
  std::ostringstream out;
  out << "kind " << package_kind_slug(facts.kind) << "\n";
  out << "format " << facts.format << "\n";
  out << "devices " << joined(facts.devices) << "\n";
  if (facts.kind == PackageKind::Fastboot) {
    out << "anti-rollback " << (facts.anti_rollback ? std::to_string(*facts.anti_rollback) : "none") << " "
        << facts.anti_rollback_source << "\n";
    out << "scripts " << joined(facts.flash_scripts) << "\n";
    out << "images " << facts.image_count << "\n";
  }
  if (facts.kind == PackageKind::Ota) {
    out << "fingerprint " << facts.fingerprint << "\n";
    out << "version " << facts.version << "\n";
    out << "timestamp " << (facts.timestamp ? std::to_string(*facts.timestamp) : "none") << "\n";
    out << "incremental " << facts.incremental << " " << facts.source_fingerprint << "\n";
    out << "ota-type " << facts.ota_type << "\n";
  }
  for (const auto& note : facts.notes) out << "note " << note << "\n";
  return out.str();
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::atomic<bool> kNotInterrupted{false};

PackageFacts inspect(const std::filesystem::path& path) { return inspect_package(path, kNotInterrupted); }

// The error inspect_package throws, as "<exit code> <message>".
std::string inspect_error(const std::filesystem::path& path) {
  try {
    inspect(path);
  } catch (const Error& error) {
    return std::to_string(static_cast<int>(error.code())) + " " + error.what();
  }
  return "no error";
}

std::string fastboot_description(const std::string& devices, const std::string& arb, const std::string& scripts,
                                 int images = 3) {
  return "kind fastboot\nformat GNU tar format\ndevices " + devices + "\nanti-rollback " + arb + "\nscripts " +
         scripts + "\nimages " + std::to_string(images) + "\n";
}

std::string ota_description(const std::string& format, const std::string& devices, bool incremental,
                            const std::string& type, const std::string& version = "V10.3.6.0.PEAMIXM") {
  return "kind ota\nformat " + format + "\ndevices " + devices + "\nfingerprint " + kFingerprint + "\nversion " +
         version + "\ntimestamp 1568171234\nincremental " +
         (incremental ? "1 " + std::string(kSourceFingerprint) : "0 ") + "\nota-type " + type + "\n";
}

const std::string kAllScripts = "flash_all flash_all_except_storage flash_all_lock";
const std::string kScriptArb1 = std::string("1 ") + kTop + "/flash_all.sh";

// ---- flash scripts ----

TEST(FlashScript, ShellScriptAsShipped) {
  const auto facts = parse_flash_script(test::flash_script_text(FastbootLayout{}, false), ScriptDialect::Shell);
  EXPECT_EQ(facts.devices, std::vector<std::string>{"dipper"});
  EXPECT_EQ(facts.anti_rollback, 1);
  EXPECT_TRUE(facts.notes.empty());
}

TEST(FlashScript, BatchScriptAsShipped) {
  FastbootLayout layout;
  layout.anti_rollback = 4;
  const auto facts = parse_flash_script(test::flash_script_text(layout, true), ScriptDialect::Batch);
  EXPECT_EQ(facts.devices, std::vector<std::string>{"dipper"});
  EXPECT_EQ(facts.anti_rollback, 4);
}

TEST(FlashScript, SeveralDevicesInBothForms) {
  FastbootLayout layout;
  layout.devices = {"umi", "umiin"};
  for (bool bat : {false, true}) {
    const auto facts = parse_flash_script(test::flash_script_text(layout, bat),
                                          bat ? ScriptDialect::Batch : ScriptDialect::Shell);
    EXPECT_EQ(facts.devices, (std::vector<std::string>{"umi", "umiin"})) << bat;
  }
}

TEST(FlashScript, GrepWithEndAnchor) {
  const auto facts = parse_flash_script("fastboot $* getvar product 2>&1 | grep \"^product: *houji$\"\n",
                                        ScriptDialect::Shell);
  EXPECT_EQ(facts.devices, std::vector<std::string>{"houji"});
  EXPECT_FALSE(facts.anti_rollback);
}

TEST(FlashScript, CrlfLineEnds) {
  FastbootLayout layout;
  layout.crlf = true;
  layout.anti_rollback = 2;
  for (bool bat : {false, true}) {
    const auto facts = parse_flash_script(test::flash_script_text(layout, bat),
                                          bat ? ScriptDialect::Batch : ScriptDialect::Shell);
    EXPECT_EQ(facts.devices, std::vector<std::string>{"dipper"});
    EXPECT_EQ(facts.anti_rollback, 2);
  }
}

TEST(FlashScript, OldScriptWithoutAntiRollback) {
  FastbootLayout layout;
  layout.arb = ArbStyle::None;
  const auto facts = parse_flash_script(test::flash_script_text(layout, false), ScriptDialect::Shell);
  EXPECT_EQ(facts.devices, std::vector<std::string>{"dipper"});
  EXPECT_FALSE(facts.anti_rollback);
  EXPECT_TRUE(facts.notes.empty());
}

TEST(FlashScript, CommentedOutChecksDoNotCount) {
  FastbootLayout layout;
  layout.commented_out_checks = true;
  for (bool bat : {false, true}) {
    const auto facts = parse_flash_script(test::flash_script_text(layout, bat),
                                          bat ? ScriptDialect::Batch : ScriptDialect::Shell);
    EXPECT_EQ(facts.devices, std::vector<std::string>{"dipper"}) << bat;
    EXPECT_EQ(facts.anti_rollback, 1) << bat;
  }
  const auto only_comments = parse_flash_script(
      "#CURRENT_ANTI_VER=3\n  # fastboot $* getvar product 2>&1 | grep \"^product: *dipper\"\n"
      "REM set CURRENT_ANTI_VER=3\n@rem fastboot %* getvar product | findstr /c:\"^product: *dipper\"\n"
      ":: set CURRENT_ANTI_VER=3\n",
      ScriptDialect::Batch);
  EXPECT_TRUE(only_comments.devices.empty());
  EXPECT_FALSE(only_comments.anti_rollback);
}

TEST(FlashScript, QuotedAndSpacedValues) {
  EXPECT_EQ(parse_flash_script("CURRENT_ANTI_VER=\"2\"\n", ScriptDialect::Shell).anti_rollback, 2);
  EXPECT_EQ(parse_flash_script("   set CURRENT_ANTI_VER=3   \r\n", ScriptDialect::Batch).anti_rollback, 3);
  EXPECT_EQ(parse_flash_script("set CURRENT_ANTI_VER= 5\n", ScriptDialect::Batch).anti_rollback, 5);
}

TEST(FlashScript, SetTwiceKeepsTheLowerWithANote) {
  const auto facts = parse_flash_script("CURRENT_ANTI_VER=3\nCURRENT_ANTI_VER=2\nCURRENT_ANTI_VER=2\n",
                                        ScriptDialect::Shell);
  EXPECT_EQ(facts.anti_rollback, 2);
  EXPECT_EQ(facts.notes, std::vector<std::string>{"CURRENT_ANTI_VER is set twice, to 3 and 2; the lower is kept"});
}

TEST(FlashScript, HostileValuesAreIgnoredWithANote) {
  for (const std::string value : {"abc", "-1", "99999", "1#x", "0x10", "", "1.5", "$(reboot)", "+1", "'1\"", "\"1"}) {
    const auto facts = parse_flash_script("CURRENT_ANTI_VER=" + value + "\n", ScriptDialect::Shell);
    EXPECT_FALSE(facts.anti_rollback) << value;
    ASSERT_EQ(facts.notes.size(), 1u) << value;
    EXPECT_TRUE(facts.notes[0].starts_with("CURRENT_ANTI_VER is not a small number: \"")) << facts.notes[0];
  }
  const auto control = parse_flash_script("CURRENT_ANTI_VER=\x1b]52;c;x\x07\n", ScriptDialect::Shell);
  ASSERT_EQ(control.notes.size(), 1u);
  EXPECT_EQ(control.notes[0].find('\x1b'), std::string::npos);
}

TEST(FlashScript, HostileProductChecks) {
  const char* lines[] = {
      "fastboot $* getvar product 2>&1 | grep \"^product: *$(reboot)\"",
      "fastboot $* getvar product 2>&1 | grep -E \"^product: *(umi|../x)$\"",
      "fastboot $* getvar product 2>&1 | grep -E \"^product: *(umi|umiin\"",
      "fastboot $* getvar product 2>&1 | grep \"^product: *\"",
      "fastboot $* getvar product",
  };
  for (const char* line : lines) {
    const auto facts = parse_flash_script(line, ScriptDialect::Shell);
    EXPECT_TRUE(facts.devices.empty()) << line;
    EXPECT_EQ(facts.notes.size(), 1u) << line;
  }
  const std::string long_name(65, 'a');
  EXPECT_TRUE(
      parse_flash_script("fastboot getvar product | grep \"^product: *" + long_name + "\"", ScriptDialect::Shell)
          .devices.empty());
  EXPECT_EQ(parse_flash_script("fastboot getvar product | grep \"^product: *" + long_name.substr(1) + "\"",
                               ScriptDialect::Shell)
                .devices,
            std::vector<std::string>{long_name.substr(1)});
}

TEST(FlashScript, GarbageGivesNothing) {
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) & 0xff);
  for (const std::string& text : {std::string(), std::string("\n\n\r\n"), binary, std::string(100000, '='),
                                  std::string("CURRENT_ANTI_VER") + std::string(1, '\0') + "=1"}) {
    for (const auto dialect : {ScriptDialect::Shell, ScriptDialect::Batch}) {
      const auto facts = parse_flash_script(text, dialect);
      EXPECT_TRUE(facts.devices.empty());
      EXPECT_FALSE(facts.anti_rollback);
    }
  }
}

TEST(FlashScript, DevicesAndNotesAreBounded) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "fastboot getvar product | grep \"^product: *dev" + std::to_string(i) + "\"\n";
  for (int i = 0; i < 200; ++i) text += "CURRENT_ANTI_VER=x\n";
  const auto facts = parse_flash_script(text, ScriptDialect::Shell);
  EXPECT_EQ(facts.devices.size(), 64u);
  EXPECT_TRUE(facts.devices_cut);
  EXPECT_EQ(facts.notes.size(), 8u);
}

std::optional<int> shell_index(const std::string& text) {
  return parse_flash_script(text, ScriptDialect::Shell).anti_rollback;
}

std::optional<int> batch_index(const std::string& text) {
  return parse_flash_script(text, ScriptDialect::Batch).anti_rollback;
}

TEST(FlashScript, EveryShellAssignmentForm) {
  EXPECT_EQ(shell_index("CURRENT_ANTI_VER=2\n"), 2);
  EXPECT_EQ(shell_index("export CURRENT_ANTI_VER=2\n"), 2);
  EXPECT_EQ(shell_index("readonly  CURRENT_ANTI_VER=2\n"), 2);
  EXPECT_EQ(shell_index("CURRENT_ANTI_VER=2 # the index of this build\n"), 2);
  EXPECT_EQ(shell_index("CURRENT_ANTI_VER=2;\n"), 2);
  EXPECT_EQ(shell_index("CURRENT_ANTI_VER=\"2\"\n"), 2);
  EXPECT_EQ(shell_index("CURRENT_ANTI_VER='2'\n"), 2);
  EXPECT_EQ(shell_index("fastboot $* getvar anti || CURRENT_ANTI_VER=2\n"), 2);
  EXPECT_EQ(shell_index("true && CURRENT_ANTI_VER=2 && echo set\n"), 2);
  EXPECT_EQ(shell_index("echo start; CURRENT_ANTI_VER=2\n"), 2);
  EXPECT_EQ(shell_index("if true; then CURRENT_ANTI_VER=2; fi\n"), 2);
  EXPECT_EQ(shell_index("{ CURRENT_ANTI_VER=2; }\n"), 2);
}

TEST(FlashScript, AnAssignmentAfterTheProductCheckIsRead) {
  // The product check's own line holds it: the devices and the index both count.
  const auto facts = parse_flash_script(
      "fastboot $* getvar product 2>&1 | grep \"^product: *dipper\" && CURRENT_ANTI_VER=3\n", ScriptDialect::Shell);
  EXPECT_EQ(facts.devices, std::vector<std::string>{"dipper"});
  EXPECT_EQ(facts.anti_rollback, 3);
  EXPECT_TRUE(facts.notes.empty());
}

TEST(FlashScript, EveryBatchAssignmentForm) {
  EXPECT_EQ(batch_index("set CURRENT_ANTI_VER=3\n"), 3);
  EXPECT_EQ(batch_index("@set CURRENT_ANTI_VER=3\n"), 3);
  EXPECT_EQ(batch_index("SET current_anti_ver=3\n"), 3);
  EXPECT_EQ(batch_index("set \"CURRENT_ANTI_VER=3\"\n"), 3);
  EXPECT_EQ(batch_index("set \"CURRENT_ANTI_VER=3\" \n"), 3);
  EXPECT_EQ(batch_index("echo x || set CURRENT_ANTI_VER=3\n"), 3);
  EXPECT_EQ(batch_index("echo x && set CURRENT_ANTI_VER=3 & echo y\n"), 3);
  EXPECT_EQ(batch_index("if 1==1 (set CURRENT_ANTI_VER=3)\n"), 3);
}

// Each is something the shell or cmd.exe does not take as CURRENT_ANTI_VER=N: no index, one note with the line.
TEST(FlashScript, AssignmentsXfuCannotReadGetANote) {
  const std::vector<std::pair<std::string, ScriptDialect>> cases = {
      {"CURRENT_ANTI_VER = 2", ScriptDialect::Shell},                // runs a command named CURRENT_ANTI_VER
      {"CURRENT_ANTI_VER= 2", ScriptDialect::Shell},                 // runs "2" with an empty variable
      {"CURRENT_ANTI_VER=2 fastboot reboot", ScriptDialect::Shell},  // only that command's environment
      {"set CURRENT_ANTI_VER=2", ScriptDialect::Shell},              // sets $1 in sh
      {"let CURRENT_ANTI_VER=2", ScriptDialect::Shell},
      {"CURRENT_ANTI_VER+=1", ScriptDialect::Shell},
      {"(CURRENT_ANTI_VER=2)", ScriptDialect::Shell},      // a subshell's variable
      {"set CURRENT_ANTI_VER = 3", ScriptDialect::Batch},  // sets "CURRENT_ANTI_VER "
      {"set \"CURRENT_ANTI_VER =3\"", ScriptDialect::Batch},
      {"CURRENT_ANTI_VER=3", ScriptDialect::Batch},  // no set: not an assignment in cmd
      {"set /a CURRENT_ANTI_VER=3", ScriptDialect::Batch},
      {"if 1==1 set CURRENT_ANTI_VER=3", ScriptDialect::Batch},
  };
  for (const auto& [line, dialect] : cases) {
    const auto facts = parse_flash_script("echo first\r\n\r\n" + line + "\r\n", dialect);
    EXPECT_FALSE(facts.anti_rollback) << line;
    ASSERT_EQ(facts.notes.size(), 1u) << line;
    EXPECT_EQ(facts.notes[0], "line 3 sets CURRENT_ANTI_VER in a way xfu cannot read: " + quoted_excerpt(line));
  }
}

TEST(FlashScript, ReadingTheIndexIsNoAssignment) {
  const char* text = "if [ $ver_info -gt $CURRENT_ANTI_VER ] ; then echo \"greater\"; exit 1; fi\n"
                     "if [ \"${CURRENT_ANTI_VER}\" == 1 ]; then :; fi\n"
                     "echo \"; CURRENT_ANTI_VER=0\"\n"
                     "echo 'CURRENT_ANTI_VER=0 && x'\n"
                     "# CURRENT_ANTI_VER=0\n"
                     "CURRENT_ANTI_VER=4 # CURRENT_ANTI_VER=0\n";
  const auto facts = parse_flash_script(text, ScriptDialect::Shell);
  EXPECT_EQ(facts.anti_rollback, 4);
  EXPECT_TRUE(facts.notes.empty()) << facts.notes[0];
  const auto batch = parse_flash_script(
      "if %version% GTR %CURRENT_ANTI_VER% (echo greater & exit /B 1)\necho \"& set CURRENT_ANTI_VER=0\"\n"
      "set CURRENT_ANTI_VER=4\n",
      ScriptDialect::Batch);
  EXPECT_EQ(batch.anti_rollback, 4);
  EXPECT_TRUE(batch.notes.empty()) << batch.notes[0];
}

TEST(FlashScript, SeveralFormsKeepTheLower) {
  const auto facts = parse_flash_script("export CURRENT_ANTI_VER=5\ntrue; CURRENT_ANTI_VER='3' # x\n",
                                        ScriptDialect::Shell);
  EXPECT_EQ(facts.anti_rollback, 3);
  EXPECT_EQ(facts.notes, std::vector<std::string>{"CURRENT_ANTI_VER is set twice, to 5 and 3; the lower is kept"});
}

TEST(FlashScript, UnreadableAssignmentNotesAreBounded) {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "CURRENT_ANTI_VER = " + std::to_string(i) + "\n";
  EXPECT_EQ(parse_flash_script(text, ScriptDialect::Shell).notes.size(), 8u);
}

TEST(FlashScript, Relocking) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"fastboot $* oem lock", true},
      {"fastboot %* oem lock", true},
      {"fastboot -s abc flashing lock", true},
      {"fastboot\t$*\toem  lock", true},
      {"fastboot $* flashing lock_critical", true},
      {"\"%~dp0fastboot.exe\" %* oem lock", true},
      {"/usr/bin/fastboot oem lock", true},
      {"fastboot $* reboot; fastboot $* oem lock", true},
      {"fastboot $* flash boot boot.img || fastboot $* OEM LOCK", true},
      {"fastboot $* oem unlock", false},
      {"fastboot $* flashing unlock", false},
      {"fastboot $* flashing unlock_critical", false},
      {"fastboot $* flashing get_unlock_ability", false},
      {"fastboot $* reboot", false},
      {"echo fastboot oem lock is not run here", false},
      {"echo \"fastboot oem lock\"", false},
      {"# fastboot $* oem lock", false},
      {"fastboot $* reboot # oem lock", false},
      {"adb oem lock", false},
  };
  for (const auto& [line, relocks] : cases) {
    EXPECT_EQ(parse_flash_script(line + "\n", ScriptDialect::Shell).relocks, relocks) << line;
  }
  EXPECT_FALSE(parse_flash_script("rem fastboot %* oem lock\n:: fastboot %* oem lock\n", ScriptDialect::Batch).relocks);
  EXPECT_TRUE(
      parse_flash_script(test::flash_script_text(FastbootLayout{}, true, "fastboot %* oem lock"), ScriptDialect::Batch)
          .relocks);
  EXPECT_FALSE(parse_flash_script(test::flash_script_text(FastbootLayout{}, false), ScriptDialect::Shell).relocks);
}

TEST(FlashScript, DevicesCutAtTheCapOnOneLine) {
  std::string names;
  for (int i = 0; i < 65; ++i) names += (i ? "|d" : "d") + std::to_string(i);
  const auto facts = parse_flash_script("fastboot getvar product | grep -E \"^product: *(" + names + ")$\"\n",
                                        ScriptDialect::Shell);
  EXPECT_EQ(facts.devices.size(), 64u);
  EXPECT_TRUE(facts.devices_cut);
  EXPECT_FALSE(parse_flash_script(test::flash_script_text(FastbootLayout{}, false), ScriptDialect::Shell).devices_cut);
}

// ---- anti_version.txt ----

TEST(AntiVersion, Numbers) {
  EXPECT_EQ(parse_anti_version("1"), 1);
  EXPECT_EQ(parse_anti_version(" 2 \r\n"), 2);
  EXPECT_EQ(parse_anti_version("\xEF\xBB\xBF"
                               "3\r\n"),
            3);
  EXPECT_EQ(parse_anti_version("\t0\n\n"), 0);
  EXPECT_EQ(parse_anti_version("9999"), 9999);
}

TEST(AntiVersion, AnythingElseIsNothing) {
  for (const std::string text : {"", " ", "abc", "-1", "1 2", "10000", "0x10", "1.0", "1\n2", "ver=1"}) {
    EXPECT_FALSE(parse_anti_version(text)) << text;
  }
  EXPECT_FALSE(parse_anti_version(std::string("1\0", 2)));
}

// ---- OTA metadata ----

TEST(OtaMetadataText, FullPackage) {
  const auto meta = parse_ota_metadata_text(test::ota_metadata_text(OtaLayout{}));
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->devices, std::vector<std::string>{"dipper"});
  EXPECT_EQ(meta->fingerprint, kFingerprint);
  EXPECT_EQ(meta->version, "V10.3.6.0.PEAMIXM");
  EXPECT_EQ(meta->timestamp, 1568171234);
  EXPECT_FALSE(meta->incremental);
  EXPECT_EQ(meta->source_fingerprint, "");
  EXPECT_EQ(meta->ota_type, "AB");
}

TEST(OtaMetadataText, IncrementalPackage) {
  OtaLayout layout;
  layout.incremental = true;
  layout.ab = false;
  layout.devices = {"umi", "umiin"};
  const auto meta = parse_ota_metadata_text(test::ota_metadata_text(layout));
  ASSERT_TRUE(meta);
  EXPECT_TRUE(meta->incremental);
  EXPECT_EQ(meta->source_fingerprint, kSourceFingerprint);
  EXPECT_EQ(meta->ota_type, "BLOCK");
  EXPECT_EQ(meta->devices, (std::vector<std::string>{"umi", "umiin"}));
}

TEST(OtaMetadataText, PipeSeparatedDevicesAndCrlf) {
  const auto meta = parse_ota_metadata_text("pre-device=umi|umiin\r\npost-timestamp=5\r\n");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->devices, (std::vector<std::string>{"umi", "umiin"}));
  EXPECT_EQ(meta->timestamp, 5);
}

TEST(OtaMetadataText, HostileValuesAreDropped) {
  const auto meta = parse_ota_metadata_text(
      "post-build=Xiaomi/dipper\x1b[2J/x\npost-timestamp=-5\npre-device=dip per,../x,dipper\n"
      "post-build-incremental=" +
      std::string(600, 'V') + "\nota-type=ABABABABABABABABABAB\n");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->devices, std::vector<std::string>{"dipper"});
  EXPECT_EQ(meta->fingerprint, "");
  EXPECT_EQ(meta->version, "");
  EXPECT_FALSE(meta->timestamp);
  EXPECT_EQ(meta->ota_type, "");
  EXPECT_FALSE(parse_ota_metadata_text("post-timestamp=99999999999999999999999\n"));
  EXPECT_FALSE(parse_ota_metadata_text("post-timestamp=12abc\n"));
}

TEST(OtaMetadataText, NoKnownKeyIsNothing) {
  EXPECT_FALSE(parse_ota_metadata_text(""));
  EXPECT_FALSE(parse_ota_metadata_text("hello world\nfoo=bar\n"));
  EXPECT_FALSE(parse_ota_metadata_text(std::string(200000, '=')));
}

TEST(OtaMetadataPb, FullAndIncremental) {
  OtaLayout layout;
  auto meta = parse_ota_metadata_pb(test::ota_metadata_pb(layout));
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->devices, std::vector<std::string>{"dipper"});
  EXPECT_EQ(meta->fingerprint, kFingerprint);
  EXPECT_EQ(meta->version, "V10.3.6.0.PEAMIXM");
  EXPECT_EQ(meta->timestamp, 1568171234);
  EXPECT_FALSE(meta->incremental);
  EXPECT_EQ(meta->ota_type, "AB");
  layout.incremental = true;
  layout.ab = false;
  meta = parse_ota_metadata_pb(test::ota_metadata_pb(layout));
  ASSERT_TRUE(meta);
  EXPECT_TRUE(meta->incremental);
  EXPECT_EQ(meta->source_fingerprint, kSourceFingerprint);
  EXPECT_EQ(meta->ota_type, "BLOCK");
}

TEST(OtaMetadataPb, UnknownFieldsOfEveryWireTypeAreSkipped) {
  test::ProtoWriter state;
  state.bytes(1, "houji").bytes(7, "partition state").varint(99, 12345);
  test::ProtoWriter message;
  message.varint(2, 1).bytes(4, "property files").bytes(5, state.data());
  std::string bytes = message.data();
  bytes += std::string("\x41", 1) + std::string(8, '\x01');  // field 8, fixed64
  bytes += std::string("\x4d", 1) + std::string(4, '\x02');  // field 9, fixed32
  const auto meta = parse_ota_metadata_pb(bytes);
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->devices, std::vector<std::string>{"houji"});
}

TEST(OtaMetadataPb, EveryTruncationIsRejectedOrHarmless) {
  const std::string bytes = test::ota_metadata_pb(OtaLayout{});
  for (size_t size = 0; size < bytes.size(); ++size) {
    const auto meta = parse_ota_metadata_pb(bytes.substr(0, size));
    // The postcondition is the last field: no prefix holds all of it.
    if (meta) {
      EXPECT_NE(meta->version, "V10.3.6.0.PEAMIXM") << size;
    }
  }
}

TEST(OtaMetadataPb, MalformedMessages) {
  const std::vector<std::string> hostile = {
      std::string("\x2a\x7f", 2) + "short",                             // length beyond the end
      std::string("\x08") + std::string(11, '\xff'),                    // varint over ten bytes
      std::string("\x0b\x0c", 2),                                       // a group
      std::string("\x00\x01", 2),                                       // field number 0
      std::string("\x2a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11),  // length of 2^64 - 1
      std::string("\x2a\x02\x0a\x05", 4),                               // inner length beyond the end
      std::string("\x0e"),                                              // wire type 6
      std::string(),
      std::string("\x08\x00", 2),  // type UNKNOWN only: no fact
  };
  for (const auto& bytes : hostile) EXPECT_FALSE(parse_ota_metadata_pb(bytes)) << bytes.size();
  test::ProtoWriter bad_device;
  bad_device.bytes(1, "../etc");
  test::ProtoWriter message;
  message.bytes(5, bad_device.data());
  EXPECT_FALSE(parse_ota_metadata_pb(message.data()));
}

TEST(OtaMetadataPb, RepeatedMessagesMergeAsProtobufDoes) {
  test::ProtoWriter before1, before2, after1, after2, message;
  before1.bytes(1, "umi");
  before2.bytes(1, "umiin").bytes(2, kSourceFingerprint);
  after1.bytes(2, kFingerprint).bytes(3, "V1").varint(4, 1568171234);
  after2.bytes(3, "V2");
  message.bytes(5, before1.data()).bytes(6, after1.data()).bytes(5, before2.data()).bytes(6, after2.data());
  const auto meta = parse_ota_metadata_pb(message.data());
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->devices, (std::vector<std::string>{"umi", "umiin"}));
  EXPECT_TRUE(meta->incremental);
  EXPECT_EQ(meta->source_fingerprint, kSourceFingerprint);
  EXPECT_EQ(meta->fingerprint, kFingerprint);
  EXPECT_EQ(meta->version, "V2");
  EXPECT_EQ(meta->timestamp, 1568171234);
  test::ProtoWriter bad, with_bad;
  bad.bytes(1, "ok");
  with_bad.bytes(5, before1.data()).bytes(5, bad.data() + "\x0a\x7f");
  EXPECT_FALSE(parse_ota_metadata_pb(with_bad.data()));
}

TEST(OtaMetadataPb, RandomBytesNeverCrash) {
  uint64_t state = 88172645463325252ull;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(1 + round % 64, '\0');
    for (char& c : bytes) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      c = static_cast<char>(state);
    }
    (void)parse_ota_metadata_pb(bytes);
  }
}

// ---- updater-script ----

TEST(UpdaterScript, OldMiuiAssert) {
  const auto facts = parse_updater_script(
      "assert(getprop(\"ro.product.device\") == \"cancro\" || getprop(\"ro.build.product\") == \"cancro\" || "
      "getprop(\"ro.product.device\")==\"cancro_wc_lte\");\n");
  EXPECT_EQ(facts.devices, (std::vector<std::string>{"cancro", "cancro_wc_lte"}));
  EXPECT_FALSE(facts.incremental);
}

TEST(UpdaterScript, IncrementalAndComments) {
  OtaLayout layout;
  layout.incremental = true;
  layout.devices = {"cancro"};
  EXPECT_TRUE(parse_updater_script(test::updater_script_text(layout)).incremental);
  const auto commented = parse_updater_script(
      "# apply_patch_check(\"/system/a\")\n# getprop(\"ro.product.device\") == \"dipper\"\n");
  EXPECT_TRUE(commented.devices.empty());
  EXPECT_FALSE(commented.incremental);
}

TEST(UpdaterScript, HostileNames) {
  const auto facts = parse_updater_script(
      "getprop(\"ro.product.device\") == \"../../x\" || getprop(\"ro.product.device\") == \"a b\" || "
      "getprop(\"ro.product.device\") == \"unterminated\n getprop(\"ro.product.device\") != \"dipper\"");
  EXPECT_TRUE(facts.devices.empty());
}

// ---- the scanner ----

TEST(Scanner, FastbootEntriesInArchiveOrder) {
  PackageScanner scanner;
  const std::string top = std::string("./") + kTop + "/";
  EXPECT_FALSE(scanner.wants(top + "images/boot.img", 64 << 20));
  EXPECT_FALSE(scanner.wants(top + "images/system.img", 3ull << 30));
  EXPECT_FALSE(scanner.wants(top + "images/crclist.txt", 100));
  ASSERT_TRUE(scanner.wants(top + "images/anti_version.txt", 3));
  scanner.give("2\r\n");
  ASSERT_TRUE(scanner.wants(top + "flash_all.sh", 1000));
  scanner.give(test::flash_script_text(FastbootLayout{}, false));
  ASSERT_TRUE(scanner.wants(top + "flash_all_lock.bat", 1000));
  FastbootLayout other;
  other.devices = {"dipper", "dipper_in"};
  scanner.give(test::flash_script_text(other, true));
  EXPECT_FALSE(scanner.wants(top + "misc.txt", 10));
  EXPECT_EQ(describe(scanner.facts("GNU tar format")),
            "kind fastboot\nformat GNU tar format\ndevices dipper dipper_in\nanti-rollback 1 " + std::string(kTop) +
                "/flash_all.sh\nscripts flash_all flash_all_lock\nimages 2\n"
                "note different anti-rollback indexes: 1 in " +
                kTop + "/flash_all.sh, 1 in " + kTop + "/flash_all_lock.bat, 2 in " + kTop +
                "/images/anti_version.txt; the lower, 1, is kept\n");
}

TEST(Scanner, UnsafeNamesAreIgnored) {
  PackageScanner scanner;
  EXPECT_FALSE(scanner.wants("../flash_all.sh", 100));
  EXPECT_FALSE(scanner.wants("top/../flash_all.sh", 100));
  EXPECT_FALSE(scanner.wants("/top/flash_all.sh", 100));
  EXPECT_FALSE(scanner.wants("top/flash_all\x1b.sh", 100));
  EXPECT_FALSE(scanner.wants(std::string(5000, 'a') + "/flash_all.sh", 100));
  EXPECT_FALSE(scanner.wants("", 100));
  EXPECT_EQ(describe(scanner.facts("GNU tar format")),
            "kind not-rom\nformat GNU tar format\ndevices \n"
            "note 6 entries with unsafe names (\"..\", control characters, absurd lengths) ignored\n");
}

TEST(Scanner, DeepOrOddlyNamedScriptsDoNotCount) {
  PackageScanner scanner;
  EXPECT_FALSE(scanner.wants("a/b/flash_all.sh", 100));
  EXPECT_FALSE(scanner.wants("top/flash_all.sh.txt", 100));
  EXPECT_FALSE(scanner.wants("top/Flash_All.sh", 100));
  EXPECT_FALSE(scanner.wants("top/a/b/images/x.img", 100));
  EXPECT_EQ(scanner.facts("").kind, PackageKind::NotRom);
}

TEST(Scanner, LargeFactFilesAreNotRead) {
  PackageScanner scanner;
  EXPECT_FALSE(scanner.wants("top/flash_all.sh", (1 << 20) + 1));
  ASSERT_TRUE(scanner.wants("top/images/anti_version.txt", std::nullopt));
  scanner.too_large();
  EXPECT_EQ(describe(scanner.facts("tar")), "kind fastboot\nformat tar\ndevices \nanti-rollback none \n"
                                            "scripts flash_all\nimages 0\n"
                                            "note top/flash_all.sh is larger than 1 MiB and was not read\n"
                                            "note top/images/anti_version.txt is larger than 1 MiB and was not read\n");
}

TEST(Scanner, NotesAreBounded) {
  PackageScanner scanner;
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(scanner.wants("top/flash_all.sh", 2 << 20));
  const auto notes = scanner.facts("tar").notes;
  ASSERT_EQ(notes.size(), 33u);
  EXPECT_EQ(notes[0], "top/flash_all.sh appears 1000 times; the last one is what tar extracts");
}

TEST(Scanner, OtaPrefersTextMetadataOverProtobuf) {
  PackageScanner scanner;
  OtaLayout pb_layout;
  pb_layout.version = "FROM.PB";
  ASSERT_TRUE(scanner.wants("META-INF/com/android/metadata.pb", 100));
  scanner.give(test::ota_metadata_pb(pb_layout));
  ASSERT_TRUE(scanner.wants("META-INF/com/android/metadata", 100));
  scanner.give(test::ota_metadata_text(OtaLayout{}));
  EXPECT_FALSE(scanner.wants("payload.bin", 1 << 30));
  EXPECT_EQ(scanner.facts("ZIP").version, "V10.3.6.0.PEAMIXM");
}

TEST(Scanner, OtaMetadataWithoutFacts) {
  PackageScanner scanner;
  ASSERT_TRUE(scanner.wants("META-INF/com/android/metadata", 5));
  scanner.give("junk\n");
  EXPECT_EQ(describe(scanner.facts("ZIP")),
            "kind ota\nformat ZIP\ndevices \nfingerprint \nversion \ntimestamp none\nincremental 0 \nota-type \n"
            "note META-INF/com/android/metadata holds no fact xfu knows\n");
}

TEST(Scanner, KindSlugs) {
  EXPECT_EQ(package_kind_slug(PackageKind::Fastboot), "fastboot");
  EXPECT_EQ(package_kind_slug(PackageKind::Ota), "ota");
  EXPECT_EQ(package_kind_slug(PackageKind::NotRom), "not-rom");
}

std::string script_with_index(int index, const std::string& device = "dipper", const std::string& last_line = "") {
  FastbootLayout layout;
  layout.anti_rollback = index;
  layout.devices = {device};
  return last_line.empty() ? test::flash_script_text(layout, false) : test::flash_script_text(layout, false, last_line);
}

void give_entry(PackageScanner& scanner, const std::string& path, const std::string& content) {
  ASSERT_TRUE(scanner.wants(path, content.size())) << path;
  scanner.give(content);
}

TEST(Scanner, RelockingScripts) {
  PackageScanner scanner;
  give_entry(scanner, "top/flash_all.sh", script_with_index(1));
  give_entry(scanner, "top/flash_all_except_storage.bat",
             test::flash_script_text(FastbootLayout{}, true, "fastboot %* flashing lock"));
  give_entry(scanner, "top/flash_all_unlock.sh", script_with_index(1, "dipper", "fastboot $* flashing unlock"));
  EXPECT_FALSE(scanner.wants("top/flash_all_lock.sh", 2 << 20));  // too large to read: still relocking
  const auto facts = scanner.facts("tar");
  EXPECT_EQ(facts.flash_scripts,
            (std::vector<std::string>{"flash_all", "flash_all_except_storage", "flash_all_unlock", "flash_all_lock"}));
  EXPECT_EQ(facts.relocking_scripts, (std::vector<std::string>{"flash_all_except_storage", "flash_all_lock"}));
}

TEST(Scanner, LinksAreNotFollowed) {
  PackageScanner scanner;
  give_entry(scanner, "top/flash_all.sh", script_with_index(1));
  scanner.link("top/flash_all.sh", "real.sh");
  scanner.link("./top/flash_all_lock.bat", "/etc/\x1b[2Jx");
  scanner.link("top/images/anti_version.txt", "../../x");
  scanner.link("top/images/boot.img", "x");
  scanner.link("top/readme.txt", "x");
  scanner.link("../flash_all.sh", "x");
  const auto facts = scanner.facts("GNU tar format");
  EXPECT_EQ(describe(facts),
            "kind fastboot\nformat GNU tar format\ndevices \nanti-rollback none \nscripts flash_all flash_all_lock\n"
            "images 0\n"
            "note top/flash_all.sh appears twice; the last one is what tar extracts\n"
            "note top/flash_all.sh is a link to \"real.sh\": not read\n"
            "note top/flash_all_lock.bat is a link to " +
                quoted_excerpt("/etc/\x1b[2Jx") +
                ": not read\n"
                "note top/images/anti_version.txt is a link to \"../../x\": not read\n"
                "note 1 entry with an unsafe name (\"..\", control characters, absurd lengths) ignored\n");
  EXPECT_EQ(facts.relocking_scripts, std::vector<std::string>{"flash_all_lock"});
}

TEST(Scanner, OtaMetadataLinksAreNotFollowed) {
  PackageScanner scanner;
  give_entry(scanner, "META-INF/com/android/metadata", test::ota_metadata_text(OtaLayout{}));
  scanner.link("META-INF/com/android/metadata", "/proc/self/environ");
  scanner.link("META-INF/com/android/metadata.pb", "x");
  EXPECT_EQ(describe(scanner.facts("ZIP")),
            "kind ota\nformat ZIP\ndevices \nfingerprint \nversion \ntimestamp none\nincremental 0 \nota-type \n"
            "note META-INF/com/android/metadata holds no fact xfu knows\n"
            "note META-INF/com/android/metadata appears twice; the last one is what unzip extracts\n"
            "note META-INF/com/android/metadata is a link to \"/proc/self/environ\": not read\n"
            "note META-INF/com/android/metadata.pb is a link to \"x\": not read\n");
}

TEST(Scanner, TheLastCopyOfAPathIsWhatCounts) {
  PackageScanner scanner;
  give_entry(scanner, "top/flash_all.sh", script_with_index(1, "dipper", "fastboot $* oem lock"));
  give_entry(scanner, "top/images/anti_version.txt", "1");
  give_entry(scanner, "./top/flash_all.sh", script_with_index(3, "umi"));
  give_entry(scanner, "top//images/anti_version.txt", "3");
  const auto facts = scanner.facts("GNU tar format");
  EXPECT_EQ(describe(facts), fastboot_description("umi", "3 top/flash_all.sh", "flash_all", 0) +
                                 "note top/flash_all.sh appears twice; the last one is what tar extracts\n"
                                 "note top/images/anti_version.txt appears twice; the last one is what tar extracts\n");
  EXPECT_TRUE(facts.relocking_scripts.empty());
}

TEST(Scanner, OtaMetadataPathsAreNormalised) {
  PackageScanner scanner;
  OtaLayout first;
  first.version = "FIRST";
  give_entry(scanner, "./META-INF/com/android/metadata", test::ota_metadata_text(first));
  give_entry(scanner, "META-INF//com/./android/metadata", test::ota_metadata_text(OtaLayout{}));
  EXPECT_FALSE(scanner.wants("META-INF/com/android/../android/metadata", 10));
  EXPECT_EQ(describe(scanner.facts("ZIP 2.0 (deflation)")),
            ota_description("ZIP 2.0 (deflation)", "dipper", false, "AB") +
                "note META-INF/com/android/metadata appears twice; the last one is what unzip extracts\n"
                "note 1 entry with an unsafe name (\"..\", control characters, absurd lengths) ignored\n");
}

TEST(Scanner, TextAndProtobufMetadataDisagreeing) {
  PackageScanner scanner;
  OtaLayout pb_layout;
  pb_layout.devices = {"dipper_in", "dipper"};
  pb_layout.incremental = true;
  give_entry(scanner, "META-INF/com/android/metadata", test::ota_metadata_text(OtaLayout{}));
  give_entry(scanner, "META-INF/com/android/metadata.pb", test::ota_metadata_pb(pb_layout));
  EXPECT_EQ(describe(scanner.facts("ZIP")),
            ota_description("ZIP", "dipper dipper_in", true, "AB") +
                "note META-INF/com/android/metadata names devices dipper, metadata.pb names dipper_in, dipper; "
                "both lists are kept\n"
                "note META-INF/com/android/metadata says the package is full, metadata.pb says incremental; "
                "it is taken as incremental\n");
  PackageScanner agreeing;
  OtaLayout reordered;
  reordered.devices = {"umi", "umiin"};
  give_entry(agreeing, "META-INF/com/android/metadata", test::ota_metadata_text(reordered));
  reordered.devices = {"umiin", "umi"};
  give_entry(agreeing, "META-INF/com/android/metadata.pb", test::ota_metadata_pb(reordered));
  EXPECT_EQ(describe(agreeing.facts("ZIP")), ota_description("ZIP", "umi umiin", false, "AB"));
}

TEST(Scanner, SeveralTopFolders) {
  PackageScanner scanner;
  EXPECT_FALSE(scanner.wants("A/images/boot.img", 10));
  give_entry(scanner, "A/flash_all.sh", script_with_index(2, "dipper"));
  give_entry(scanner, "B/flash_all.sh", script_with_index(1, "umi"));
  const auto facts = scanner.facts("tar");
  EXPECT_EQ(describe(facts), "kind fastboot\nformat tar\ndevices dipper umi\nanti-rollback 1 B/flash_all.sh\n"
                             "scripts flash_all\nimages 1\n"
                             "note different anti-rollback indexes: 2 in A/flash_all.sh, 1 in B/flash_all.sh; "
                             "the lower, 1, is kept\n"
                             "note the package has 2 top folders: A, B; the anti-rollback index is read from "
                             "B/flash_all.sh\n");
  PackageScanner outside;
  EXPECT_FALSE(outside.wants("top/images/boot.img", 10));
  give_entry(outside, "flash_all.bat", test::flash_script_text(FastbootLayout{}, true));
  EXPECT_EQ(outside.facts("tar").notes,
            std::vector<std::string>{"the package has 2 top folders: top, (the archive's root); the anti-rollback "
                                     "index is read from flash_all.bat"});
  PackageScanner many;
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(many.wants("f" + std::to_string(i) + "/images/x.img", 1));
  EXPECT_EQ(many.facts("tar").notes,
            std::vector<std::string>{"the package has 8 or more top folders: f0, f1, f2, f3, f4, f5, f6, f7"});
}

TEST(Scanner, DevicesAreCutAt64) {
  PackageScanner scanner;
  for (int script = 0; script < 2; ++script) {
    std::string names;
    for (int i = 0; i < 40; ++i) names += (i ? "|s" : "s") + std::to_string(script) + "d" + std::to_string(i);
    give_entry(scanner, "top/flash_all" + std::string(script ? "_lock" : "") + ".sh",
               "fastboot getvar product | grep -E \"^product: *(" + names + ")$\"\n");
  }
  auto facts = scanner.facts("tar");
  EXPECT_EQ(facts.devices.size(), 64u);
  EXPECT_TRUE(facts.devices_cut);
  EXPECT_EQ(facts.notes, std::vector<std::string>{"the package names more than 64 devices; the list was cut at 64"});
  PackageScanner ota;
  std::string names;
  for (int i = 0; i < 70; ++i) names += (i ? "," : "") + std::string("d") + std::to_string(i);
  give_entry(ota, "META-INF/com/android/metadata", "pre-device=" + names + "\n");
  facts = ota.facts("ZIP");
  EXPECT_EQ(facts.devices.size(), 64u);
  EXPECT_TRUE(facts.devices_cut);
  EXPECT_EQ(facts.notes, std::vector<std::string>{"the package names more than 64 devices; the list was cut at 64"});
  PackageScanner exactly;
  give_entry(exactly, "META-INF/com/android/metadata", "pre-device=" + names.substr(0, names.find(",d64")) + "\n");
  EXPECT_FALSE(exactly.facts("ZIP").devices_cut);
}

TEST(Scanner, TimestampsOutsideTheCenturyAreIgnored) {
  for (const auto& [seconds, kept] : std::vector<std::pair<std::string, bool>>{{"5", false},
                                                                               {"946684799", false},
                                                                               {"946684800", true},
                                                                               {"4102444800", true},
                                                                               {"4102444801", false},
                                                                               {"9223372036854775807", false}}) {
    PackageScanner scanner;
    give_entry(scanner, "META-INF/com/android/metadata", "pre-device=dipper\npost-timestamp=" + seconds + "\n");
    const auto facts = scanner.facts("ZIP");
    if (kept) {
      EXPECT_EQ(facts.timestamp, std::stoll(seconds));
      EXPECT_TRUE(facts.notes.empty());
    } else {
      EXPECT_FALSE(facts.timestamp) << seconds;
      EXPECT_EQ(facts.notes, std::vector<std::string>{"post-timestamp " + seconds +
                                                      " is not between 2000-01-01 and 2100-01-01 and is ignored"});
    }
  }
}

// ---- inspect_package on built packages ----

TEST(InspectPackage, FastbootAsShipped) {
  TempDir dir;
  test::make_fastboot_package(dir / "rom.tgz");
  EXPECT_EQ(describe(inspect(dir / "rom.tgz")), fastboot_description("dipper", kScriptArb1, kAllScripts));
}

TEST(InspectPackage, FastbootVariants) {
  TempDir dir;
  FastbootLayout layout;
  layout.devices = {"umi", "umiin"};
  layout.lock_script = false;
  layout.bat_scripts = false;
  layout.crlf = true;
  layout.commented_out_checks = true;
  layout.images = {"boot.img", "super.img"};
  layout.gzip = false;
  test::make_fastboot_package(dir / "rom.tar", layout);
  EXPECT_EQ(describe(inspect(dir / "rom.tar")),
            fastboot_description("umi umiin", kScriptArb1, "flash_all flash_all_except_storage", 2));
}

TEST(InspectPackage, AntiRollbackOnlyInAntiVersionFile) {
  TempDir dir;
  FastbootLayout layout;
  layout.arb = ArbStyle::AntiVersionFile;
  layout.anti_rollback = 3;
  layout.crlf = true;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  EXPECT_EQ(describe(inspect(dir / "rom.tgz")),
            fastboot_description("dipper", "3 " + std::string(kTop) + "/images/anti_version.txt", kAllScripts));
}

TEST(InspectPackage, AntiRollbackSourcesAgreeing) {
  TempDir dir;
  FastbootLayout layout;
  layout.arb = ArbStyle::Both;
  layout.bat_scripts = false;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  EXPECT_EQ(describe(inspect(dir / "rom.tgz")), fastboot_description("dipper", kScriptArb1, kAllScripts));
}

TEST(InspectPackage, AntiRollbackSourcesDisagreeing) {
  TempDir dir;
  FastbootLayout layout;
  layout.arb = ArbStyle::Disagreeing;
  layout.bat_scripts = false;
  layout.lock_script = false;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  const std::string top = kTop;
  EXPECT_EQ(describe(inspect(dir / "rom.tgz")),
            fastboot_description("dipper", kScriptArb1, "flash_all flash_all_except_storage") +
                "note different anti-rollback indexes: 1 in " + top + "/flash_all.sh, 1 in " + top +
                "/flash_all_except_storage.sh, 2 in " + top + "/images/anti_version.txt; the lower, 1, is kept\n");
}

TEST(InspectPackage, NoAntiRollbackAtAll) {
  TempDir dir;
  FastbootLayout layout;
  layout.arb = ArbStyle::None;
  layout.image_data = test::ImageData::Incompressible;
  layout.image_bytes = 1 << 20;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  EXPECT_EQ(describe(inspect(dir / "rom.tgz")), fastboot_description("dipper", "none ", kAllScripts));
}

TEST(InspectPackage, FastbootInXzTar) {
  TempDir dir;
  test::make_archive(dir / "rom.tar.xz",
                     {{"top/images/boot.img", "boot"},
                      {"top/flash_all.sh", test::flash_script_text(FastbootLayout{}, false)}},
                     test::ArchiveFormat::TarXz);
  EXPECT_EQ(describe(inspect(dir / "rom.tar.xz")),
            fastboot_description("dipper", "1 top/flash_all.sh", "flash_all", 1));
}

TEST(InspectPackage, OtaWithTextMetadata) {
  TempDir dir;
  test::make_ota_package(dir / "ota.zip");
  EXPECT_EQ(describe(inspect(dir / "ota.zip")), ota_description("ZIP 2.0 (deflation)", "dipper", false, "AB"));
}

TEST(InspectPackage, IncrementalOtaWithProtobufMetadataOnly) {
  TempDir dir;
  OtaLayout layout;
  layout.metadata = OtaMetadataStyle::Protobuf;
  layout.incremental = true;
  layout.devices = {"umi", "umiin"};
  test::make_ota_package(dir / "ota.zip", layout);
  EXPECT_EQ(describe(inspect(dir / "ota.zip")), ota_description("ZIP 2.0 (deflation)", "umi umiin", true, "AB"));
}

TEST(InspectPackage, OldMiuiZipWithUpdaterScriptOnly) {
  TempDir dir;
  OtaLayout layout;
  layout.metadata = OtaMetadataStyle::UpdaterScriptOnly;
  layout.ab = false;
  layout.incremental = true;
  layout.devices = {"cancro"};
  test::make_ota_package(dir / "miui.zip", layout);
  EXPECT_EQ(describe(inspect(dir / "miui.zip")), "kind ota\nformat ZIP 2.0 (deflation)\ndevices cancro\n"
                                                 "fingerprint \nversion \ntimestamp none\nincremental 1 \n"
                                                 "ota-type \n");
}

TEST(InspectPackage, PlainArchivesAreNoRom) {
  TempDir dir;
  test::make_plain_tgz(dir / "src.tgz");
  EXPECT_EQ(describe(inspect(dir / "src.tgz")), "kind not-rom\nformat GNU tar format\ndevices \n");
  test::make_archive(dir / "docs.zip", {{"a.txt", "a"}}, test::ArchiveFormat::Zip);
  EXPECT_EQ(describe(inspect(dir / "docs.zip")), "kind not-rom\nformat ZIP 2.0 (deflation)\ndevices \n");
}

TEST(InspectPackage, HostileEntryNamesAreNeverTouched) {
  TempDir dir;
  test::make_archive(dir / "evil.tgz",
                     {{"../flash_all.sh", test::flash_script_text(FastbootLayout{}, false)},
                      {"top/images/\x1b[2Jx.img", "x"},
                      {"top/images/boot.img", "boot"}},
                     test::ArchiveFormat::TarGz);
  EXPECT_EQ(describe(inspect(dir / "evil.tgz")),
            "kind fastboot\nformat GNU tar format\ndevices \nanti-rollback none \nscripts \nimages 1\n"
            "note 2 entries with unsafe names (\"..\", control characters, absurd lengths) ignored\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path().parent_path() / "flash_all.sh"));
}

TEST(InspectPackage, LinksAndRepeatsInATar) {
  TempDir dir;
  using test::EntryType;
  test::make_archive_items(dir / "rom.tgz",
                           {{EntryType::File, "top/images/boot.img", "boot"},
                            {EntryType::File, "top/real.sh", script_with_index(0, "evil")},
                            {EntryType::File, "top/flash_all.sh", script_with_index(4)},
                            {EntryType::Hardlink, "top/flash_all.sh", "top/real.sh"},
                            {EntryType::Symlink, "top/flash_all_lock.sh", "flash_all.sh"},
                            {EntryType::File, "top/flash_all_except_storage.sh", script_with_index(2)},
                            {EntryType::File, "top/images/anti_version.txt", "1"},
                            {EntryType::File, "top/images/anti_version.txt", "3"}},
                           test::ArchiveFormat::TarGz);
  const auto facts = inspect(dir / "rom.tgz");
  EXPECT_EQ(describe(facts), fastboot_description("dipper", "2 top/flash_all_except_storage.sh",
                                                  "flash_all flash_all_lock flash_all_except_storage", 1) +
                                 "note different anti-rollback indexes: 2 in top/flash_all_except_storage.sh, 3 in "
                                 "top/images/anti_version.txt; the lower, 2, is kept\n"
                                 "note top/flash_all.sh appears twice; the last one is what tar extracts\n"
                                 "note top/images/anti_version.txt appears twice; the last one is what tar extracts\n"
                                 "note top/flash_all.sh is a link to \"top/real.sh\": not read\n"
                                 "note top/flash_all_lock.sh is a link to \"flash_all.sh\": not read\n");
  EXPECT_EQ(facts.relocking_scripts, std::vector<std::string>{"flash_all_lock"});
}

// ---- damaged files ----

TEST(InspectPackageErrors, NotAnArchive) {
  TempDir dir;
  test::write_text(dir / "notes.txt", "just some text, not an archive at all\n");
  EXPECT_EQ(inspect_error(dir / "notes.txt"), "6 not a readable archive: Unrecognized archive format");
  test::write_text(dir / "empty.tgz", "");
  EXPECT_EQ(inspect_error(dir / "empty.tgz"), "6 not a readable archive: Unrecognized archive format");
}

TEST(InspectPackageErrors, MissingFileAndFolder) {
  TempDir dir;
  EXPECT_EQ(inspect_error(dir / "absent.tgz"), "6 cannot open: No such file or directory");
  EXPECT_EQ(inspect_error(dir.path()), "6 not a regular file");
}

TEST(InspectPackageErrors, TruncatedTgz) {
  TempDir dir;
  FastbootLayout layout;
  layout.image_data = test::ImageData::Incompressible;
  layout.image_bytes = 256 << 10;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  const auto size = std::filesystem::file_size(dir / "rom.tgz");
  test::truncate_file(dir / "rom.tgz", size / 2);
  EXPECT_EQ(inspect_error(dir / "rom.tgz"), "6 truncated gzip data: the file ends before the gzip stream does");
}

TEST(InspectPackageErrors, TruncatedPlainTar) {
  TempDir dir;
  FastbootLayout layout;
  layout.gzip = false;
  test::make_fastboot_package(dir / "rom.tar", layout);
  test::truncate_file(dir / "rom.tar", 4096 + 100);  // inside the second image
  EXPECT_EQ(inspect_error(dir / "rom.tar"),
            "6 damaged or truncated archive: Truncated input file (needed 4096 bytes, only 2660 available)");
}

TEST(InspectPackageErrors, FlippedBytesInTheMiddleOfATgz) {
  TempDir dir;
  FastbootLayout layout;
  layout.image_data = test::ImageData::Incompressible;
  layout.image_bytes = 256 << 10;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  test::flip_bytes(dir / "rom.tgz", std::filesystem::file_size(dir / "rom.tgz") / 2, 16);
  EXPECT_EQ(inspect_error(dir / "rom.tgz").substr(0, 21), "6 damaged gzip data: ");
}

TEST(InspectPackageErrors, BadCrcAtTheVeryEnd) {
  TempDir dir;
  test::make_fastboot_package(dir / "rom.tgz");
  // The gzip trailer: CRC-32, then the length; the tar ended long before.
  test::flip_bytes(dir / "rom.tgz", std::filesystem::file_size(dir / "rom.tgz") - 8, 1);
  EXPECT_EQ(inspect_error(dir / "rom.tgz"), "6 damaged gzip data: incorrect data check");
}

TEST(InspectPackageErrors, GarbageAfterTheGzipStream) {
  TempDir dir;
  test::make_fastboot_package(dir / "rom.tgz");
  std::ofstream(dir / "rom.tgz", std::ios::app | std::ios::binary) << "trailing garbage";
  EXPECT_EQ(inspect_error(dir / "rom.tgz"), "6 damaged gzip data: incorrect header check");
}

TEST(InspectPackageErrors, TruncatedZip) {
  TempDir dir;
  test::make_ota_package(dir / "ota.zip");
  test::truncate_file(dir / "ota.zip", std::filesystem::file_size(dir / "ota.zip") - 30);
  EXPECT_EQ(inspect_error(dir / "ota.zip"), "6 damaged or truncated zip: its central directory was not found");
}

TEST(InspectPackageErrors, Interrupted) {
  TempDir dir;
  test::make_fastboot_package(dir / "rom.tgz");
  const std::atomic<bool> interrupted{true};
  try {
    inspect_package(dir / "rom.tgz", interrupted);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ExitCode::Interrupted);
  }
}

// ---- StreamInspector ----

// Feeds `bytes` from `from` in chunks whose sizes cycle through `sizes`.
void feed_in_chunks(StreamInspector& inspector, const std::string& bytes, const std::vector<size_t>& sizes,
                    size_t from = 0, size_t to = std::string::npos) {
  to = std::min(to, bytes.size());
  size_t turn = 0;
  for (size_t at = from; at < to;) {
    const size_t size = std::min(sizes[turn++ % sizes.size()], to - at);
    inspector.feed(at, std::span<const char>(bytes.data() + at, size));
    at += size;
  }
}

TEST(StreamInspector, OddChunkSizesGiveTheSameFacts) {
  TempDir dir;
  FastbootLayout layout;
  layout.arb = ArbStyle::Disagreeing;
  layout.image_data = test::ImageData::Incompressible;
  layout.image_bytes = 4 << 20;  // 12 MiB in all: more than the queue holds
  test::make_fastboot_package(dir / "rom.tgz", layout);
  const std::string bytes = read_bytes(dir / "rom.tgz");
  StreamInspector inspector;
  feed_in_chunks(inspector, bytes, {1, 7, 4093, 65537, 3 << 20});
  const auto facts = inspector.finish(bytes.size());
  ASSERT_TRUE(facts) << inspector.problem();
  EXPECT_EQ(describe(*facts), describe(inspect(dir / "rom.tgz")));
  EXPECT_EQ(inspector.problem(), "");
}

TEST(StreamInspector, OtaZipStreamed) {
  TempDir dir;
  OtaLayout layout;
  layout.metadata = OtaMetadataStyle::TextAndProtobuf;
  test::make_ota_package(dir / "ota.zip", layout);
  const std::string bytes = read_bytes(dir / "ota.zip");
  StreamInspector inspector;
  feed_in_chunks(inspector, bytes, {333});
  const auto facts = inspector.finish(bytes.size());
  ASSERT_TRUE(facts) << inspector.problem();
  EXPECT_EQ(describe(*facts), ota_description("ZIP 2.0 (deflation)", "dipper", false, "AB"));
}

TEST(StreamInspector, OffsetZeroAgainStartsOver) {
  TempDir dir;
  test::make_fastboot_package(dir / "rom.tgz");
  const std::string bytes = read_bytes(dir / "rom.tgz");
  StreamInspector inspector;
  feed_in_chunks(inspector, bytes, {1000}, 0, bytes.size() / 2);
  feed_in_chunks(inspector, bytes, {777});
  const auto facts = inspector.finish(bytes.size());
  ASSERT_TRUE(facts) << inspector.problem();
  EXPECT_EQ(describe(*facts), fastboot_description("dipper", kScriptArb1, kAllScripts));
}

// A package of about 768 KiB, so that offsets of a few KiB fall inside it.
void make_incompressible_package(const std::filesystem::path& path) {
  FastbootLayout layout;
  layout.image_data = test::ImageData::Incompressible;
  layout.image_bytes = 256 << 10;
  test::make_fastboot_package(path, layout);
}

TEST(StreamInspector, AGapMakesTheFactsUnknown) {
  TempDir dir;
  make_incompressible_package(dir / "rom.tgz");
  const std::string bytes = read_bytes(dir / "rom.tgz");
  StreamInspector inspector;
  feed_in_chunks(inspector, bytes, {1000}, 0, 3000);
  feed_in_chunks(inspector, bytes, {1000}, 4000);
  EXPECT_FALSE(inspector.finish(bytes.size()));
  EXPECT_EQ(inspector.problem(), "the bytes were not all seen in order (expected offset 3000, got 4000)");
}

TEST(StreamInspector, FinishBeforeTheEnd) {
  TempDir dir;
  make_incompressible_package(dir / "rom.tgz");
  const std::string bytes = read_bytes(dir / "rom.tgz");
  StreamInspector inspector;
  feed_in_chunks(inspector, bytes, {1000}, 0, 5000);
  EXPECT_FALSE(inspector.finish(bytes.size()));
  EXPECT_EQ(inspector.problem(), "only 5000 of " + std::to_string(bytes.size()) + " bytes were seen");
}

TEST(StreamInspector, TruncatedStream) {
  TempDir dir;
  make_incompressible_package(dir / "rom.tgz");
  const std::string bytes = read_bytes(dir / "rom.tgz").substr(0, 100000);
  StreamInspector inspector;
  feed_in_chunks(inspector, bytes, {4096});
  EXPECT_FALSE(inspector.finish(bytes.size()));
  EXPECT_EQ(inspector.problem(), "truncated gzip data: the file ends before the gzip stream does");
}

TEST(StreamInspector, NotAnArchiveDropsWhatFollows) {
  StreamInspector inspector;
  const std::string junk(1 << 20, 'j');
  // 64 MiB after a stream that is no archive: once the reading has failed,
  // feed() must not wait for a reader that is gone.
  for (uint64_t i = 0; i < 64; ++i) inspector.feed(i * junk.size(), junk);
  EXPECT_FALSE(inspector.finish(64 * junk.size()));
  EXPECT_EQ(inspector.problem(), "not a readable archive: Unrecognized archive format");
}

TEST(StreamInspector, DestroyedMidStreamOrUnused) {
  TempDir dir;
  FastbootLayout layout;
  layout.image_data = test::ImageData::Incompressible;
  layout.image_bytes = 4 << 20;
  test::make_fastboot_package(dir / "rom.tgz", layout);
  const std::string bytes = read_bytes(dir / "rom.tgz");
  for (size_t stop : {size_t{0}, size_t{1}, size_t{100}, bytes.size() / 3, bytes.size()}) {
    StreamInspector inspector;
    feed_in_chunks(inspector, bytes, {65536}, 0, stop);
  }
  { StreamInspector unused; }
  StreamInspector empty;
  EXPECT_FALSE(empty.finish(0));
  EXPECT_EQ(empty.problem(), "not a readable archive: Unrecognized archive format");
}

}  // namespace
}  // namespace xfu
