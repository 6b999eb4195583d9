// The catalog index in the cache, and sharded catalogs: the real xfu against
// real files and the local test server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

std::vector<std::filesystem::path> index_files(const XfuHome& home) {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(home.cache_dir(), error))
    if (entry.path().extension() == ".idx") found.push_back(entry.path());
  return found;
}

std::vector<std::string> requested_paths(const TestServer& server) {
  std::vector<std::string> paths;
  const std::string log = server.log();
  const std::string key = "\"path\": \"";
  for (size_t pos = log.find(key); pos != std::string::npos; pos = log.find(key, pos + 1))
    paths.push_back(log.substr(pos + key.size(), log.find('"', pos + key.size()) - pos - key.size()));
  return paths;
}

class CatalogIndexTest : public ::testing::Test {
 protected:
  XfuHome home;
  std::filesystem::path catalog = home.root() / "catalog.json";

  void SetUp() override { std::filesystem::copy_file(fixture("catalog-small.json"), catalog); }

  RunResult list(const std::string& codename = "dipper") const {
    return home.run({"--catalog", catalog.string(), "list", codename, "--format", "tsv"});
  }
};

TEST_F(CatalogIndexTest, IsBuiltOnFirstReadAndThenUsedAsItIs) {
  const RunResult first = list();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto indexes = index_files(home);
  ASSERT_EQ(indexes.size(), 1u);
  const std::string built = read_text(indexes[0]);
  const auto written = std::filesystem::last_write_time(indexes[0]);

  const RunResult second = list();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  EXPECT_EQ(second.err, "");
  EXPECT_EQ(read_text(indexes[0]), built);
  EXPECT_EQ(std::filesystem::last_write_time(indexes[0]), written);  // used, not rebuilt
  // The same answer as reading the catalog in full without any cache.
  XfuHome fresh;
  fresh.env.erase("XDG_CACHE_HOME");
  fresh.env.erase("HOME");
  EXPECT_EQ(fresh.run({"--catalog", catalog.string(), "list", "dipper", "--format", "tsv"}).out, first.out);
}

TEST_F(CatalogIndexTest, IsRebuiltWhenTheCatalogChanges) {
  ASSERT_EQ(list().exit_code, 0);
  const std::string before = read_text(index_files(home).at(0));
  std::string text = read_text(catalog);
  const auto at = text.find("\"8.12.7\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, "\"9.99.99\"");  // one byte longer: every later record moves
  write_text(catalog, text);
  const RunResult changed = list();
  EXPECT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_TRUE(changed.out.starts_with("Mi 8 China\t9.99.99\tweekly\tfastboot\t")) << changed.out;
  EXPECT_NE(read_text(index_files(home).at(0)), before);
  EXPECT_NE(list("gemini").out.find("gemini"), std::string::npos);
}

TEST_F(CatalogIndexTest, DamagedOrOlderIndexesAreRebuilt) {
  const RunResult good = list();
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const auto index = index_files(home).at(0);
  const std::string built = read_text(index);
  const std::vector<std::string> damaged{built.substr(0, built.size() / 2),            // torn
                                         std::string(built.size(), 'x'),               // overwritten
                                         built.substr(0, 7) + '\1' + built.substr(8),  // an older format
                                         built.substr(0, 40) + char(built[40] ^ 1) +
                                             built.substr(41),  // one bit flipped
                                         ""};
  for (const std::string& bytes : damaged) {
    write_text(index, bytes);
    const RunResult again = list();
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, good.out);
    EXPECT_EQ(again.err, "");
    EXPECT_EQ(read_text(index), built);
  }
}

TEST_F(CatalogIndexTest, ALinkOrAnOversizedIndexIsNeverReadAndIsRebuilt) {
  const RunResult good = list();
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const auto index = index_files(home).at(0);
  const std::string built = read_text(index);
  std::filesystem::remove(index);
  std::filesystem::create_symlink("/dev/zero", index);
  RunResult again = list();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, good.out);
  EXPECT_FALSE(std::filesystem::is_symlink(index));
  EXPECT_EQ(read_text(index), built);
  std::filesystem::resize_file(index, 2ull << 30);  // sparse: costs no disk
  again = list();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, good.out);
  EXPECT_EQ(read_text(index), built);
}

TEST_F(CatalogIndexTest, ACacheDirectoryOfAnotherUserIsNotUsed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the directory away";
  const RunResult good = list();
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const auto index = index_files(home).at(0);
  const std::string built = read_text(index);
  ASSERT_EQ(::chown(home.cache_dir().c_str(), 65534, 65534), 0);
  write_text(index, std::string(built.size(), 'x'));
  const RunResult foreign = list();
  EXPECT_EQ(foreign.exit_code, 0) << foreign.err;
  EXPECT_EQ(foreign.out, good.out);
  EXPECT_EQ(foreign.err,
            "xfu: note: cannot use the cache directory " + home.cache_dir().string() +
                " (it belongs to another user (uid 65534)): the catalog is read without its saved index\n");
  EXPECT_EQ(read_text(index), std::string(built.size(), 'x'));  // neither read nor written
}

TEST_F(CatalogIndexTest, VerifyFindsAFileByNameThroughTheIndex) {
  ASSERT_EQ(list().exit_code, 0);
  const auto file = home.root() / "miui_MI8Global_V10.0.3.0.PEAMIXM_bd4a7a7bb8_9.0.zip";
  write_text(file, "not the ROM");
  const RunResult result = home.run({"--catalog", catalog.string(), "verify", file.string()});
  // The catalog knows this file: its MD5 is compared, and this one is wrong.
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
}

TEST(CatalogIndexCache, ACacheFromAnOlderXfuWithoutIndexIsIndexedOnUse) {
  TestServer server;
  XfuHome home;
  std::filesystem::copy_file(fixture("catalog-small.json"), server.root() / "catalog.json");
  const std::string url = server.url("catalog.json");
  const RunResult fetched = home.run({"--catalog", url, "list", "dipper", "--format", "tsv"});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  for (const auto& index : index_files(home)) std::filesystem::remove(index);
  ASSERT_TRUE(index_files(home).empty());
  const RunResult offline = home.run({"--catalog", url, "--offline", "list", "dipper", "--format", "tsv"});
  EXPECT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_EQ(offline.out, fetched.out);
  EXPECT_EQ(index_files(home).size(), 1u);
}

class ShardedCatalog : public ::testing::Test {
 protected:
  TestServer server;
  XfuHome home;
  std::string index_url;
  std::filesystem::path single = home.root() / "catalog.json";

  void SetUp() override {
    std::filesystem::copy_file(fixture("catalog-small.json"), single);
    const RunResult split = home.run({"catalog", "split", single.string(), (server.root() / "sharded").string()});
    ASSERT_EQ(split.exit_code, 0) << split.err;
    EXPECT_EQ(split.out,
              "wrote 26 records in 5 shards and index.json to " + (server.root() / "sharded").string() + "\n");
    index_url = server.url("sharded/index.json");
  }

  RunResult sharded(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--catalog", index_url});
    return home.run(args);
  }
};

TEST_F(ShardedCatalog, ListFetchesTheIndexAndOneShardOnly) {
  server.reset_log();
  const RunResult result = sharded({"list", "dipper", "--format", "tsv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(requested_paths(server), (std::vector<std::string>{"/sharded/index.json", "/sharded/shards/dipper.json"}));

  // Revalidated: the index is asked for again, the shard (same SHA-256) is not.
  server.reset_log();
  const RunResult again = sharded({"--refresh", "list", "dipper", "--format", "tsv"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, result.out);
  EXPECT_EQ(requested_paths(server), (std::vector<std::string>{"/sharded/index.json"}));
}

// A cache directory that cannot be written: every query still works, the
// index and shards fetched into memory, with one note that says so.
TEST_F(ShardedCatalog, AnUnusableCacheDirectoryOnlyCostsCaching) {
  const std::string expected = home.run({"--catalog", single.string(), "list", "--format", "tsv"}).out;
  write_text(home.root() / "not-a-directory", "");
  home.env["XDG_CACHE_HOME"] = (home.root() / "not-a-directory" / "cache").string();
  for (const std::vector<std::string>& query :
       {std::vector<std::string>{"list", "--format", "tsv"}, {"list", "dipper", "--format", "tsv"}}) {
    const RunResult result = sharded(query);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out, "");
    EXPECT_NE(expected.find(result.out), std::string::npos);
    EXPECT_EQ(result.err, "xfu: note: cannot write to the cache directory " + home.env["XDG_CACHE_HOME"] +
                              "/xfu (Not a directory): the catalog is used without being cached\n");
  }
  EXPECT_EQ(sharded({"list", "--format", "tsv"}).out, expected);
}

// The same with a real read-only cache directory, as an unprivileged user
// (root writes anywhere): with a cached index.json and without.
TEST_F(ShardedCatalog, AReadOnlyCacheDirectoryOnlyCostsCaching) {
  const bool root = ::geteuid() == 0;
  if (root && ::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "running as root without setpriv";
  const std::string expected = home.run({"--catalog", single.string(), "list", "--format", "tsv"}).out;
  ASSERT_EQ(sharded({"list", "dipper", "--format", "tsv"}).exit_code, 0);  // index and one shard cached
  const auto cache = home.cache_dir();
  const auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {XFU_BINARY, "--catalog", index_url});
    if (root) args.insert(args.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    return run_process(args, home.env);
  };
  std::filesystem::permissions(home.root(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                std::filesystem::perms::group_exec |
                                                std::filesystem::perms::others_read |
                                                std::filesystem::perms::others_exec);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(home.root() / "cache"))
    std::filesystem::permissions(entry.path(), std::filesystem::perms::others_read, std::filesystem::perm_options::add);
  std::filesystem::permissions(home.root() / "cache", std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(cache, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                          std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                                          std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  // Run by root, the directory is root's, and xfu (as uid 65534) will not keep catalogs in another user's directory.
  const std::string why = root ? "it belongs to another user (uid 0)" : "Permission denied";
  const std::string note = "xfu: note: cannot write to the cache directory " + cache.string() + " (" + why +
                           "): the catalog is used without being cached\n";
  const RunResult all = run({"--refresh", "list", "--format", "tsv"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out, expected);
  EXPECT_EQ(all.err, "xfu: note: cannot write to the cache directory " + cache.string() +
                         " (Permission denied): the server's answer is not recorded, the next run asks again\n" + note);
  std::filesystem::remove_all(home.root() / "cache");
  std::filesystem::create_directories(cache);
  std::filesystem::permissions(home.root() / "cache", std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(cache, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                          std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  const RunResult empty = run({"list", "dipper", "--format", "tsv"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out, "");
  EXPECT_EQ(empty.err, note);
  std::filesystem::permissions(cache, std::filesystem::perms::owner_all);
}

TEST_F(ShardedCatalog, SplitThenQueryGivesExactlyWhatTheSingleFileGives) {
  const std::string directory = (server.root() / "sharded").string();
  for (const std::vector<std::string>& query : {std::vector<std::string>{"list", "dipper", "--format", "tsv"},
                                                {"list", "cancro", "--json"},
                                                {"list", "agate_eea_global", "--format", "tsv"},
                                                {"list", "gemini", "--branch", "weekly", "--format", "tsv"},
                                                {"show", "dipper", "8.12.7"},
                                                {"show", "capricorn"},
                                                {"list", "dippr"}}) {
    std::vector<std::string> from_file{"--catalog", single.string()};
    from_file.insert(from_file.end(), query.begin(), query.end());
    const RunResult expected = home.run(from_file);
    const RunResult remote = sharded(query);
    EXPECT_EQ(remote.exit_code, expected.exit_code) << query[1];
    EXPECT_EQ(remote.out, expected.out) << query[1];
    std::vector<std::string> local{"--catalog", directory};
    local.insert(local.end(), query.begin(), query.end());
    EXPECT_EQ(home.run(local).out, expected.out) << query[1];
  }
}

TEST_F(ShardedCatalog, AShardThatDoesNotMatchTheIndexIsRefused) {
  const auto shard = server.root() / "sharded" / "shards" / "dipper.json";
  std::string text = read_text(shard);
  text[text.find("8.12.7")] = '9';  // same size, different bytes
  write_text(shard, text);
  const RunResult result = sharded({"list", "dipper"});
  EXPECT_EQ(result.exit_code, 5);
  EXPECT_NE(result.err.find("xfu: shard shards/dipper.json does not match the catalog index: its SHA-256 is "),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "");
  // Other devices are still served, and the bad shard was not cached.
  EXPECT_EQ(sharded({"list", "cancro", "--format", "tsv"}).exit_code, 0);
  EXPECT_EQ(sharded({"--offline", "list", "dipper"}).exit_code, 4);

  const RunResult check = home.run({"catalog", "check", index_url});
  EXPECT_EQ(check.exit_code, 5);
  EXPECT_NE(check.out.find("shard shards/dipper.json does not match the catalog index"), std::string::npos)
      << check.out;
  EXPECT_NE(check.err.find("invalid: 1 problem in 26 records in 5 shards"), std::string::npos) << check.err;
}

TEST_F(ShardedCatalog, AHostileIndexIsRefused) {
  for (const std::string& entry : {std::string(R"(["../../etc/passwd", 1, 2, ")") + std::string(64, 'a') + "\"]",
                                   std::string(R"(["/etc/passwd", 1, 2, ")") + std::string(64, 'a') + "\"]",
                                   std::string(R"(["shards/dipper.json", -1, 2, "abc"])")}) {
    write_text(server.root() / "sharded" / "index.json",
               R"({"schema": "xfu-catalog-index/1", "codenames": {"dipper": )" + entry + "}}");
    const RunResult result = sharded({"--refresh", "list", "dipper"});
    EXPECT_EQ(result.exit_code, 5) << entry;
    EXPECT_NE(result.err.find("codename \"dipper\": "), std::string::npos) << result.err;
  }
}

TEST(CatalogCheck, ReportsEveryBadRecordAndExits5) {
  XfuHome home;
  const auto good = home.run({"catalog", "check", fixture("catalog-small.json").string()});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(good.out, fixture("catalog-small.json").string() + ": valid, 26 records\n");

  const auto records = home.root() / "records.json";
  const std::string good_record =
      R"({"codename": "dipper", "device": "Mi 8", "version": "1.0", "branch": "Stable", "type": "Recovery", )"
      R"("link": "https://h.example/a.zip"})";
  write_text(records, "{\"schema\": \"xfu-catalog/1\", \"roms\": [" + good_record + ",\n" +
                          R"({"codename": "dipper", "device": "Mi 8", "version": "1.0", "branch": "Stable", )"
                          R"("type": "Recovery", "link": "https://h.example/b.zip", "md5": "xyz"},)" +
                          "\n{\"codename\": \"dipper\"},\n" + good_record + "]}");
  const auto bad = home.run({"catalog", "check", records.string()});
  EXPECT_EQ(bad.exit_code, 5);
  EXPECT_EQ(bad.out, "record 2: bad md5 \"xyz\"\n"
                     "record 3: missing required field \"device\"\n"
                     "record 4: duplicate of record 1\n")
      << bad.out;
  EXPECT_EQ(bad.err, "xfu: " + records.string() + ": invalid: 3 problems in 4 records\n");

  const auto path = home.root() / "broken.json";
  write_text(path, "{\"schema\": \"xfu-catalog/1\", \"roms\": [\n{,}]}");
  const auto broken = home.run({"catalog", "check", path.string()});
  EXPECT_EQ(broken.exit_code, 5);
  EXPECT_NE(broken.out.find("invalid JSON at line 2, column 2"), std::string::npos) << broken.out;
}

}  // namespace
}  // namespace xfu::test
