#include "catalog/catalog_pack.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include "core/exit_code.hpp"
#include "core/hash.hpp"
#include "util/atomic_file.hpp"

namespace xfu {
namespace {

class CatalogPackTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("xfu-pack-test-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::map<std::string, std::string> shards{
      {"shards/a.json", "{\"schema\": \"xfu-catalog/1\", \"roms\": [\n"
                        "{\"codename\": \"a\", \"changelog\": \"[Other]<br>Fixes \\\"quoted\\\" \\u00e9\", \"x\": 1},\n"
                        "{\"codename\": \"a\", \"changelog\": \"shared\"},\n"
                        "{\"codename\": \"a\", \"nested\": {\"changelog\": \"not a record's own\"}}\n]}\n"},
      {"shards/b_c.json",
       "{\"schema\": \"xfu-catalog/1\", \"roms\": [{\"changelog\": \"shared\", \"codename\": \"b_c\"},"
       " {\"codename\": \"b_c\", \"changelog\": null}]}"},
  };

  void SetUp() override {
    std::filesystem::create_directories(dir / "shards");
    std::string entries;
    for (const auto& [path, text] : shards) {
      write_file_atomically(dir / path, text);
      const std::string codename = path.substr(7, path.size() - 12);
      entries += std::string(entries.empty() ? "" : ",") + "\"" + codename + "\":[\"" + path + "\",1," +
                 std::to_string(text.size()) + ",\"" + sha256_hex(text) + "\"]";
    }
    write_file_atomically(dir / "index.json",
                          "{\"schema\": \"xfu-catalog-index/1\", \"codenames\": {" + entries + "}}");
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(CatalogPackTest, GivesBackEachShardByteForByte) {
  const std::string bytes = pack_catalog(dir, 3);
  const CatalogPack pack(bytes);
  EXPECT_EQ(pack.index_text(), read_file(dir / "index.json"));
  for (const auto& [path, text] : shards) EXPECT_EQ(pack.shard_text(path), text) << path;
  EXPECT_FALSE(pack.shard_text("shards/none.json").has_value());
  EXPECT_TRUE(pack.shard_may_contain("shards/a.json", "\"x\": 1"));
  EXPECT_FALSE(pack.shard_may_contain("shards/b_c.json", "\"x\": 1"));
}

TEST_F(CatalogPackTest, StoresARepeatedChangelogOnce) {
  // 8,000 letters that barely compress: two copies would cost over 12,000 bytes.
  std::string changelog;
  for (uint32_t state = 1; changelog.size() < 8000;) {
    state = state * 1103515245u + 12345u;
    changelog += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[(state >> 16) % 62];
  }
  shards["shards/a.json"] = "{\"schema\": \"xfu-catalog/1\", \"roms\": [{\"codename\": \"a\", \"changelog\": \"" +
                            changelog + "\"}]}";
  shards["shards/b_c.json"] = "{\"schema\": \"xfu-catalog/1\", \"roms\": [{\"codename\": \"b_c\", \"changelog\": \"" +
                              changelog + "\"}]}";
  SetUp();
  const std::string bytes = pack_catalog(dir, 19);
  EXPECT_LT(bytes.size(), 9000u);
  const CatalogPack pack(bytes);
  for (const auto& [path, text] : shards) EXPECT_EQ(pack.shard_text(path), text) << path;
}

TEST_F(CatalogPackTest, RefusesAShardThatDoesNotMatchItsIndex) {
  write_file_atomically(dir / "shards/a.json", shards["shards/a.json"] + " ");
  try {
    pack_catalog(dir, 1);
    FAIL() << "packed a shard whose SHA-256 is not the index's";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::InvalidCatalog);
  }
}

TEST_F(CatalogPackTest, RefusesDamage) {
  const std::string bytes = pack_catalog(dir, 1);
  for (const std::string& damaged :
       {std::string("not a pack"), bytes.substr(0, 20), bytes.substr(0, bytes.find('\n', 9))}) {
    EXPECT_THROW(CatalogPack{damaged}, Error) << damaged.size();
  }
  // A blob cut short: the directory still parses, the shard does not decompress.
  const std::string cut = bytes.substr(0, bytes.size() - 8);
  try {
    const CatalogPack pack(cut);
    for (const auto& [path, text] : shards) {
      std::optional<std::string> shard;
      try {
        shard = pack.shard_text(path);
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::InvalidCatalog);
        continue;
      }
      EXPECT_EQ(shard, text);
    }
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::InvalidCatalog);
  }
}

}  // namespace
}  // namespace xfu
