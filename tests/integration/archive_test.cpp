// The whole archive: the built-in snapshot, codenames as phones report them,
// and the generated layout served over HTTP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

using nlohmann::json;

class Archive : public ::testing::Test {
 protected:
  XfuHome home;
  RunResult builtin(std::vector<std::string> args) {
    args.insert(args.begin(), {"--catalog", "builtin"});
    return home.run(args, 120);
  }
  json listed(std::vector<std::string> args) {
    args.insert(args.begin(), "list");
    args.push_back("--json");
    const RunResult result = builtin(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }
};

TEST_F(Archive, TheBuiltinSnapshotPassesCatalogCheck) {
  const RunResult result = builtin({"catalog", "check", "builtin"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "builtin: valid, 57998 records in 336 shards\n");
}

TEST_F(Archive, InfoNamesTheUpstreamCommits) {
  const RunResult result = builtin({"catalog", "info"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Records:    57998 (sharded)\nDevices:    336\n"
                            "Upstream:   XiaomiFirmwareUpdater/xmfirmwareupdater.github.io c39d25873b26 (2026-08-23)\n"
                            "Upstream:   XiaomiFirmwareUpdater/miui-updates-tracker 738bb11e86f3 (2026-08-22)\n"),
            std::string::npos)
      << result.out;
}

TEST_F(Archive, EveryDeviceHasItsWholeHistory) {
  const json dipper = listed({"dipper"});
  EXPECT_EQ(dipper.size(), 353u);
  const json houji = listed({"houji", "--branch", "stable", "--type", "recovery"});
  ASSERT_FALSE(houji.empty());
  for (const json& rom : houji) EXPECT_EQ(rom["os"], "hyperos") << rom["version"];
  const json old = listed({"dipper", "--branch", "stable", "--until", "2018-12-31"});
  EXPECT_FALSE(old.empty());
  for (const json& rom : old) EXPECT_EQ(rom["os"], "miui");
}

TEST_F(Archive, CodenamesAsThePhoneReportsThem) {
  const json own = listed({"laurel_sprout"});
  ASSERT_EQ(own.size(), 111u);
  for (const json& rom : own) {
    EXPECT_EQ(rom["codename"], "laurel_sprout");
    EXPECT_EQ(rom["site_codename"], "laurel");
  }
  EXPECT_EQ(listed({"laurel"}), own);  // the site's folder name is an alias
  const json global = listed({"laurel_sprout_global"});
  ASSERT_FALSE(global.empty());
  for (const json& rom : global) EXPECT_EQ(rom["variant"], "laurel_sprout_global");
  EXPECT_LT(global.size(), own.size());

  const RunResult card = builtin({"show", "laurel_sprout", "V12.0.26.0.RFQMIXM", "--type", "recovery"});
  EXPECT_EQ(card.exit_code, 0) << card.err;
  EXPECT_NE(card.out.find("Codename:     laurel_sprout "), std::string::npos) << card.out;
  // A device's own codename is that device only: ugg's folder also lists ugglite files.
  for (const json& rom : listed({"ugg"})) EXPECT_EQ(rom["codename"], "ugg");
}

TEST_F(Archive, SizesFromLabelsAreNotPresentedAsExact) {
  const json roms = listed({"dipper_global", "--version", "8.12.7", "--type", "recovery"});
  ASSERT_EQ(roms.size(), 1u);
  EXPECT_EQ(roms[0]["size"], "1.8 GB");
  EXPECT_TRUE(roms[0]["size_bytes"].is_null());
  EXPECT_EQ(roms[0]["size_approx_bytes"], 1800000000u);
  const RunResult tsv = builtin({"list", "dipper_global", "--version", "8.12.7", "--type", "recovery"});
  EXPECT_NE(tsv.out.find("\trecovery\t9.0\t1.8 GB\t2018-12-07\t"), std::string::npos) << tsv.out;
}

TEST_F(Archive, VerifyFindsAFileNameAnywhereInTheArchive) {
  const std::filesystem::path file =
      home.root() / "laurel_sprout_global_images_V12.0.26.0.RFQMIXM_20220808.0000.00_11.0_2292e2c0b1.tgz";
  write_text(file, "not the ROM");
  const RunResult result = builtin({"verify", file.string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("FAILED"), std::string::npos) << result.out;
}

// The generator's layout, from the fixture pages, served over HTTP: valid, and
// answering like the same files read from disk.
TEST(GeneratedLayout, PassesCheckAndAnswersTheSameOverHttp) {
  TestServer server;
  XfuHome home;
  const std::filesystem::path tools = std::filesystem::path(XFU_FIXTURES).parent_path().parent_path() / "tools";
  const std::filesystem::path generator_fixtures = fixture("generator");
  const RunResult generated = run_process(
      {"/usr/bin/python3", (tools / "make_catalog.py").string(), "--site", (generator_fixtures / "site").string(),
       "--tracker", (generator_fixtures / "tracker").string(), "--out", server.root().string(), "--seeds", "",
       "--site-revision", "c39d25873b26e5207a8067f073b963edc7e9983f@2026-08-23", "--tracker-revision",
       "738bb11e86f30c3e9b6ce1905157b3ee4c0eca99@2026-08-22"},
      {{"PATH", "/usr/bin:/bin"}});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;

  const std::string url = server.url("index.json");
  const RunResult check = home.run({"catalog", "check", url});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  for (const char* codename : {"laurel_sprout", "laurel", "cancro", "houji"}) {
    const RunResult remote = home.run({"--catalog", url, "list", codename, "--json"});
    const RunResult local = home.run({"--catalog", server.root().string(), "list", codename, "--json"});
    EXPECT_EQ(remote.exit_code, 0) << codename << remote.err;
    EXPECT_FALSE(json::parse(remote.out).empty()) << codename;
    EXPECT_EQ(remote.out, local.out) << codename;
  }
}

}  // namespace
}  // namespace xfu::test
