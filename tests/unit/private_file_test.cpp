// Files xfu writes are never written through a link: the rule, and its use
// on a real directory.
#include "util/private_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "core/filename.hpp"
#include "util/atomic_file.hpp"

namespace xfu {
namespace {

namespace fs = std::filesystem;

struct stat file_with(mode_t type, nlink_t links, uid_t owner) {
  struct stat info {};
  info.st_mode = type | 0644;
  info.st_nlink = links;
  info.st_uid = owner;
  return info;
}

TEST(UnsafeFileProblem, OnlyARegularFileOfOursWithOneLinkIsWritten) {
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFREG, 1, 1000), 1000), std::nullopt);
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFLNK, 1, 1000), 1000), "it is a symbolic link");
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFDIR, 2, 1000), 1000), "it is a directory");
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFIFO, 1, 1000), 1000), "it is not a regular file");
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFREG, 2, 1000), 1000), "it has 2 hard links");
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFREG, 1, 65534), 0), "it belongs to another user (uid 65534)");
  // A link planted by another user to a file of ours is still a link.
  EXPECT_EQ(unsafe_file_problem(file_with(S_IFLNK, 1, 65534), 1000), "it is a symbolic link");
}

TEST(TempFileNames, MatchOnlyMkstempsPatternBesideTheFile) {
  EXPECT_TRUE(is_temp_file_of("a.zip.part.state.tmp.abc123", "a.zip.part.state"));
  EXPECT_TRUE(is_temp_file_of("a.zip.part.state.tmp.XyZ09q", "a.zip.part.state"));
  for (const char* name :
       {"a.zip.part.state", "a.zip.part.state.tmp.abc12", "a.zip.part.state.tmp.abc1234", "a.zip.part.state.tmp.abc-12",
        "b.zip.part.state.tmp.abc123", "a.zip.part.state.tmpXabc123", "a.zip.part.state.tmp.abc12/"})
    EXPECT_FALSE(is_temp_file_of(name, "a.zip.part.state")) << name;
}

TEST(TempSuffix, IsDotTmpAndSixLettersOrDigits) {
  EXPECT_TRUE(has_temp_suffix("a.zip.part.state.tmp.abc123"));
  EXPECT_TRUE(has_temp_suffix(".tmp.XyZ09q"));
  for (const char* name : {"a.zip", ".tmp.abc12", "a.tmp.abc1234", "a.tmp.abc-12", "a.tmpXabc123", "tmp.abc123"})
    EXPECT_FALSE(has_temp_suffix(name)) << name;
}

TEST(NameLength, LeavesRoomForTheLongestSuffix) {
  const std::string suffix = ".part.state.tmp.XXXXXX";
  EXPECT_EQ(name_length_problem(std::string(233, 'a'), suffix, 255), std::nullopt);
  EXPECT_EQ(name_length_problem(std::string(234, 'a'), suffix, 255),
            "the name is too long for its file system (with \".part.state.tmp.XXXXXX\" it is 256 bytes; at most 255)");
  EXPECT_EQ(name_length_problem(std::string(300, 'a'), suffix, -1), std::nullopt);
}

TEST(PackageName, AHiddenNameIsRefused) {
  EXPECT_EQ(package_name_problem(".dipper.zip"), "file name starts with \".\"");
  EXPECT_EQ(package_name_problem("."), "file name starts with \".\"");
  EXPECT_EQ(package_name_problem("dipper.zip."), std::nullopt);
}

class PrivateFile : public ::testing::Test {
 protected:
  fs::path dir;
  fs::path victim;
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "xfu-unit-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir = pattern;
    victim = dir / "victim";
    write(victim, "precious");
  }
  void TearDown() override { fs::remove_all(dir); }
  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::string refusal(const fs::path& path) {
    try {
      const int fd = open_private_file(path, true);
      ::close(fd);
    } catch (const UnsafeFile& e) {
      return e.what();
    }
    return "opened";
  }
};

TEST_F(PrivateFile, CreatesAnAbsentFileAndReopensOurs) {
  const fs::path path = dir / "a.part";
  EXPECT_EQ(open_private_file(path, false), -1);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(refusal(path), "opened");
  EXPECT_TRUE(fs::is_regular_file(path));
  EXPECT_EQ(refusal(path), "opened");
}

TEST_F(PrivateFile, RefusesLinks) {
  fs::create_symlink(victim, dir / "a.part");
  EXPECT_EQ(refusal(dir / "a.part"), "refusing to write " + (dir / "a.part").string() + ": it is a symbolic link");
  fs::create_symlink(dir / "nowhere", dir / "b.part");
  EXPECT_EQ(refusal(dir / "b.part"), "refusing to write " + (dir / "b.part").string() + ": it is a symbolic link");
  EXPECT_FALSE(fs::exists(dir / "nowhere"));
  fs::create_hard_link(victim, dir / "c.part");
  EXPECT_EQ(refusal(dir / "c.part"), "refusing to write " + (dir / "c.part").string() + ": it has 2 hard links");
  EXPECT_THROW(check_private_path(dir / "a.part"), UnsafeFile);
  EXPECT_NO_THROW(check_private_path(dir / "absent"));
  EXPECT_EQ(read(victim), "precious");
}

TEST_F(PrivateFile, AtomicWritesDoNotReplaceALinkSomeoneElsePlanted) {
  fs::create_symlink(victim, dir / "state");
  EXPECT_THROW(write_file_atomically(dir / "state", "new"), UnsafeFile);
  EXPECT_EQ(read(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(dir / "state"));
  // The temporary file is gone too.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
  write_file_atomically(dir / "other", "new");
  EXPECT_EQ(read(dir / "other"), "new");
}

TEST_F(PrivateFile, RemovesOnlyOurOwnRegularTemporaryFiles) {
  write(dir / "a.part.state.tmp.abc123", "{}");
  write(dir / "a.part.state.tmp.abc1234", "not ours");
  fs::create_symlink(victim, dir / "a.part.state.tmp.zzz999");
  remove_temp_files_of(dir / "a.part.state");
  EXPECT_FALSE(fs::exists(dir / "a.part.state.tmp.abc123"));
  EXPECT_TRUE(fs::exists(dir / "a.part.state.tmp.abc1234"));
  EXPECT_TRUE(fs::is_symlink(dir / "a.part.state.tmp.zzz999"));
  EXPECT_EQ(read(victim), "precious");
}

TEST_F(PrivateFile, ADirectoryOfOursIsPrivate) {
  EXPECT_NO_THROW(check_private_directory(dir));
  write(dir / "file", "x");
  EXPECT_THROW(check_private_directory(dir / "file"), UnsafeFile);
  EXPECT_THROW(check_private_directory(dir / "absent"), std::system_error);
}

}  // namespace
}  // namespace xfu
