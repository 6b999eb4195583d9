// xfu download never writes through a link or into another user's file, and
// tidies what a killed or finished run left beside the target: the real
// binary against the test server on 127.0.0.1.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include "support/download_fixture.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kNobody = 65534;

class Links : public TestPhoneDownload {
 protected:
  Links() : TestPhoneDownload(300'000, "300 KB") {}

  // Outside `out`: what a planted link points to.
  fs::path victim = home.root() / "victim";
  std::string victim_md5;

  void SetUp() override {
    ServedDownloadFixture::SetUp();
    write_text(victim, "what the link points to must stay as it is\n");
    victim_md5 = md5sum_of(victim);
  }

  RunResult download(std::vector<std::string> args = {"testdev"}) { return run_download(args, {}, 60); }

  // Expects `result` to be the refusal to write `file` for `reason`, before any request.
  void expect_refused(const RunResult& result, const std::string& file, const std::string& reason) const {
    EXPECT_EQ(result.exit_code, 6) << result.err;
    EXPECT_EQ(result.err, "xfu: refusing to write " + file + ": " + reason + "\n");
    EXPECT_EQ(server.log(), "[]");
    EXPECT_FALSE(fs::is_regular_file(fs::symlink_status(out / name)));  // no file downloaded
    EXPECT_EQ(md5sum_of(victim), victim_md5);
  }

  // Runs `command` (a shell line) in `dir` as the user nobody.
  static void as_nobody(const fs::path& dir, const std::string& command) {
    const RunResult result = run_process({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                          "/bin/sh", "-c", "cd '" + dir.string() + "' && " + command},
                                         {{"PATH", "/usr/bin:/bin"}});
    ASSERT_EQ(result.exit_code, 0) << command << ": " << result.err;
  }
};

TEST_F(Links, ASymbolicLinkAtAnyNameXfuWritesIsRefused) {
  for (const std::string& suffix : std::initializer_list<std::string>{".part", ".part.state", "", ".corrupt"}) {
    fs::create_symlink(victim, out / (name + suffix));
    expect_refused(download(), name + suffix, "it is a symbolic link");
    EXPECT_TRUE(fs::is_symlink(out / (name + suffix)));
    fs::remove(out / (name + suffix));
  }
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Links, ALinkAtTheTargetIsRefusedEvenWhenItsFileVerifies) {
  fs::copy_file(server.root() / name, victim, fs::copy_options::overwrite_existing);
  victim_md5 = md5sum_of(victim);
  fs::create_symlink(victim, out / name);
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.err, "xfu: refusing to write " + name + ": it is a symbolic link\n");
  EXPECT_EQ(server.log(), "[]");
  EXPECT_EQ(md5sum_of(victim), md5);
}

TEST_F(Links, AHardLinkAtThePartIsRefused) {
  fs::create_hard_link(victim, out / (name + ".part"));
  expect_refused(download(), name + ".part", "it has 2 hard links");
  fs::remove(out / (name + ".part"));
  fs::create_hard_link(victim, out / (name + ".part.state"));
  expect_refused(download(), name + ".part.state", "it has 2 hard links");
}

TEST_F(Links, APartOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  write_text(out / (name + ".part"), "someone else's\n");
  ASSERT_EQ(::chown((out / (name + ".part")).c_str(), kNobody, kNobody), 0);
  expect_refused(download(), name + ".part", "it belongs to another user (uid 65534)");
  EXPECT_EQ(read_text(out / (name + ".part")), "someone else's\n");
}

TEST_F(Links, LinksAnotherUserPlantsInAStickyDirectoryAreRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to plant links as another user";
  TempDir shared;  // like /tmp: anyone may create files, only the owner remove them
  ASSERT_EQ(::chmod(shared.path().c_str(), 01777), 0);
  const auto run_in_shared = [&] { return home.run({"download", "testdev", "-o", shared.path().string()}); };

  as_nobody(shared.path(), "ln -s '" + victim.string() + "' '" + name + ".part'");
  expect_refused(run_in_shared(), name + ".part", "it is a symbolic link");
  as_nobody(shared.path(), "rm '" + name + ".part' && ln -s '" + victim.string() + "' '" + name + ".part.state'");
  expect_refused(run_in_shared(), name + ".part.state", "it is a symbolic link");
  as_nobody(shared.path(), "rm '" + name + ".part.state' && echo bait > bait && ln bait '" + name + ".part'");
  expect_refused(run_in_shared(), name + ".part", "it has 2 hard links");
  as_nobody(shared.path(), "rm '" + name + ".part' bait && echo mine > '" + name + ".part'");
  expect_refused(run_in_shared(), name + ".part", "it belongs to another user (uid 65534)");
  EXPECT_EQ(read_text(shared / (name + ".part")), "mine\n");

  // Once the way is clear, root downloads there as anywhere.
  as_nobody(shared.path(), "rm '" + name + ".part'");
  const RunResult clear = run_in_shared();
  EXPECT_EQ(clear.exit_code, 0) << clear.err;
  EXPECT_EQ(md5sum_of(shared / name), md5);
}

TEST_F(Links, HiddenAndOverlongCatalogNamesAreSkippedBeforeAnyRequest) {
  for (const std::string& bad : {std::string(".hidden.zip"), std::string(300, 'n') + ".zip"}) {
    write_pattern_file(server.root() / "rom.zip", 1000);
    write_text(home.root() / "catalog.json", one_record_catalog(catalog_record, bad, server.url("rom.zip"), {}, md5));
    const RunResult result = download();
    EXPECT_EQ(result.exit_code, 3) << result.err;
    EXPECT_NE(result.err.find("skipped 1 invalid catalog record"), std::string::npos) << result.err;
    EXPECT_EQ(server.log(), "[]");
    EXPECT_TRUE(fs::is_empty(out));
  }
  const RunResult by_url = download({server.url(".hidden.zip")});
  EXPECT_EQ(by_url.exit_code, 2);
  EXPECT_NE(by_url.err.find("file name starts with \".\""), std::string::npos) << by_url.err;
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Links, ANameWithoutRoomForItsPartFilesIsRefusedBeforeAnyRequest) {
  const long name_max = ::pathconf(out.c_str(), _PC_NAME_MAX);
  ASSERT_GT(name_max, 30);
  // Fits the file system alone, but NAME.part.state.tmp.XXXXXX would not.
  const std::string long_name = std::string(static_cast<size_t>(name_max) - 10, 'l') + ".zip";
  write_text(home.root() / "catalog.json", one_record_catalog(catalog_record, long_name, server.url(name), {}, md5));
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 6) << result.err;
  EXPECT_EQ(result.err, "xfu: refusing to save \"" + long_name + "\" in " + out.string() +
                            ": the name is too long for its file system (with \".part.state.tmp.XXXXXX\" it is " +
                            std::to_string(long_name.size() + 22) + " bytes; at most " + std::to_string(name_max) +
                            ")\n");
  EXPECT_EQ(server.log(), "[]");
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Links, TemporaryStateFilesOfAKilledRunAreRemoved) {
  write_text(out / (name + ".part.state.tmp.abc123"), "{\"version\": 2");
  fs::create_symlink(victim, out / (name + ".part.state.tmp.zzz999"));
  write_text(out / (name + ".part.state.tmp.other"), "not ours: another pattern");
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(fs::exists(out / (name + ".part.state.tmp.abc123")));
  // Never followed, never removed: only regular files of ours that match mkstemp's pattern go.
  EXPECT_TRUE(fs::is_symlink(out / (name + ".part.state.tmp.zzz999")));
  EXPECT_TRUE(fs::exists(out / (name + ".part.state.tmp.other")));
  EXPECT_EQ(md5sum_of(victim), victim_md5);
}

TEST_F(Links, AStalePartBesideAVerifiedFileIsRemoved) {
  ASSERT_EQ(download().exit_code, 0);
  write_text(out / (name + ".part"), "stale bytes");
  write_text(out / (name + ".part.state"), "{}");
  write_text(out / (name + ".part.state.tmp.abc123"), "{}");
  server.reset_log();
  const RunResult again = download();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("is already there and verified"), std::string::npos) << again.err;
  EXPECT_EQ(server.log(), "[]");
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());

  // With --force nothing is "already there": the part is started over, and nothing stays beside the file.
  write_text(out / (name + ".part"), "stale bytes");
  const RunResult forced = download({"testdev", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Links, APartAnotherXfuHoldsLockedIsLeftAlone) {
  ASSERT_EQ(download().exit_code, 0);
  write_text(out / (name + ".part"), "being written");
  const int held = ::open((out / (name + ".part")).c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);  // what a running xfu holds
  const RunResult again = download();
  ::close(held);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("is already there and verified"), std::string::npos) << again.err;
  EXPECT_EQ(read_text(out / (name + ".part")), "being written");
}

TEST_F(Links, NamesWithInvisibleControlsOrXfusOwnSuffixesAreSkippedBeforeAnyRequest) {
  write_pattern_file(server.root() / "rom.zip", 1000);
  for (const char* bad : {"x\u009b31m.zip", "x\u0085.zip", "x\u202e.zip", "x\u2028.zip", "x\u200b.zip", "rom.zip.part",
                          "rom.zip.part.state", "rom.zip.corrupt", "rom.zip.part.state.tmp.abc123"}) {
    write_text(home.root() / "catalog.json", one_record_catalog(catalog_record, bad, server.url("rom.zip"), {}, md5));
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"testdev"}, std::vector<std::string>{"testdev", "--dry-run"}}) {
      const RunResult result = download(args);
      EXPECT_EQ(result.exit_code, 3) << bad << ": " << result.err;
      EXPECT_NE(result.err.find("skipped 1 invalid catalog record"), std::string::npos) << result.err;
      EXPECT_EQ(result.out, "") << bad;
    }
    EXPECT_EQ(server.log(), "[]");
    EXPECT_TRUE(fs::is_empty(out)) << bad;
  }
  const RunResult by_url = download({server.url("rom.zip.part")});
  EXPECT_EQ(by_url.exit_code, 2);
  EXPECT_EQ(by_url.err, "xfu: cannot save " + server.url("rom.zip.part") +
                            ": file name ends in \".part\", which xfu uses for its own files\n");
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Links, AVerifiedFileIsEnoughWhateverAnotherUserPlantedBesideIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to plant files as another user";
  TempDir shared;  // like /tmp: anyone may create files, only the owner remove them
  ASSERT_EQ(::chmod(shared.path().c_str(), 01777), 0);
  fs::copy_file(server.root() / name, shared / name);
  const auto run_in_shared = [&] { return home.run({"download", "testdev", "-o", shared.path().string()}); };
  const std::vector<std::string> plants = {"ln -s '" + victim.string() + "' '" + name + ".corrupt'",
                                           "echo theirs > '" + name + ".part'",
                                           "rm '" + name + ".part' && echo theirs > '" + name + ".part.state'"};
  for (const std::string& plant : plants) {
    as_nobody(shared.path(), plant);
    const RunResult result = run_in_shared();
    EXPECT_EQ(result.exit_code, 0) << plant << ": " << result.err;
    EXPECT_EQ(result.out, (shared / name).string() + "\n");
    EXPECT_NE(result.err.find(name + " is already there and verified (catalog); nothing to download"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(server.log(), "[]");
    EXPECT_EQ(md5sum_of(shared / name), md5);
  }
  // Left as they were: the link, and the other user's state file.
  EXPECT_TRUE(fs::is_symlink(shared / (name + ".corrupt")));
  EXPECT_EQ(read_text(shared / (name + ".part.state")), "theirs\n");
  EXPECT_EQ(md5sum_of(victim), victim_md5);
}

TEST_F(Links, ALeftoverTemporaryStateFileGoesWhenTheFileIsAlreadyThere) {
  ASSERT_EQ(download().exit_code, 0);
  write_text(out / (name + ".part.state.tmp.abc123"), "{}");
  fs::create_symlink(victim, out / (name + ".part.state.tmp.zzz999"));
  const RunResult again = download();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("is already there and verified"), std::string::npos) << again.err;
  EXPECT_FALSE(fs::exists(out / (name + ".part.state.tmp.abc123")));
  EXPECT_TRUE(fs::is_symlink(out / (name + ".part.state.tmp.zzz999")));
  EXPECT_EQ(md5sum_of(victim), victim_md5);
}

TEST_F(Links, JsonOutputEscapesInvisibleControls) {
  DownloadRecord record = catalog_record;
  record.device = "Test\u009b31m Phone\u0085 \u202e\u5c0f\u7c73";
  write_text(home.root() / "catalog.json", one_record_catalog(record, name, server.url(name), {}, md5));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list", "testdev", "--json"}, std::vector<std::string>{"show", "testdev", "--json"},
        std::vector<std::string>{"devices", "--json"},
        std::vector<std::string>{"download", "testdev", "--dry-run", "--json", "-o", out.string()}}) {
    const RunResult result = home.run(args);
    EXPECT_EQ(result.exit_code, 0) << args.front() << ": " << result.err;
    EXPECT_NE(result.out.find("Test\\u009b31m Phone\\u0085 \\u202e\u5c0f\u7c73"), std::string::npos)
        << args.front() << ": " << result.out;
    for (const char* raw : {"\u009b", "\u0085", "\u202e", "\x1b"})
      EXPECT_EQ(result.out.find(raw), std::string::npos) << args.front();
  }
}

}  // namespace
}  // namespace xfu::test
