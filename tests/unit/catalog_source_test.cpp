// Where a catalog comes from: what stands in for a remote that cannot be had,
// and bounded reads of local catalog files.
#include "catalog/catalog_source.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "catalog/file_catalog.hpp"
#include "core/exit_code.hpp"
#include "util/atomic_file.hpp"

namespace xfu {
namespace {

TEST(CatalogFallback, CatalogUpdateNeverFallsBack) {
  EXPECT_EQ(fallback_for(true, true, true), Fallback::None);
  EXPECT_EQ(fallback_for(true, false, true), Fallback::None);
}

TEST(CatalogFallback, TheCachedCopyComesFirstForAnySource) {
  EXPECT_EQ(fallback_for(false, true, true), Fallback::CachedCopy);
  EXPECT_EQ(fallback_for(false, true, false), Fallback::CachedCopy);
}

TEST(CatalogFallback, OnlyTheDefaultSourceFallsBackToTheBuiltinSnapshot) {
  EXPECT_EQ(fallback_for(false, false, true), Fallback::Builtin);
  EXPECT_EQ(fallback_for(false, false, false), Fallback::None);
}

TEST(CatalogFallback, OnlyTheDefaultSourceIsAllowedTheBuiltinSnapshot) {
  ::unsetenv("XFU_CATALOG");
  EXPECT_TRUE(choose_source(std::nullopt, Config{}).builtin_fallback);
  EXPECT_FALSE(choose_source(std::string("http://127.0.0.1/c.json"), Config{}).builtin_fallback);
  Config config;
  config.catalog = "http://127.0.0.1/c.json";
  EXPECT_FALSE(choose_source(std::nullopt, config).builtin_fallback);
}

// A copy at hand (cached, or the built-in snapshot for the default source) is
// worth more than a server that accepts and never answers: it is given seconds.
TEST(CatalogFetchBounds, TighterWithACopyToFallBackOn) {
  HttpOptions patient;
  patient.connect_timeout_seconds = 99;
  patient.stall_seconds = 99;
  patient.min_bytes_per_second = 1024;
  patient.total_seconds = 300;
  for (Fallback copy : {Fallback::CachedCopy, Fallback::Builtin}) {
    const HttpOptions bounded = catalog_fetch_bounds(patient, copy);
    EXPECT_EQ(bounded.connect_timeout_seconds, kCatalogConnectSecondsWithCopy);
    EXPECT_EQ(bounded.stall_seconds, kCatalogStallSecondsWithCopy);
    EXPECT_EQ(bounded.min_bytes_per_second, 1024);
    EXPECT_EQ(bounded.total_seconds, 300);
  }
  const HttpOptions alone = catalog_fetch_bounds(patient, Fallback::None);
  EXPECT_EQ(alone.connect_timeout_seconds, kCatalogConnectSeconds);
  EXPECT_EQ(alone.stall_seconds, kCatalogStallSeconds);
  EXPECT_EQ(alone.total_seconds, 300);
  EXPECT_LT(kCatalogStallSecondsWithCopy, kCatalogStallSeconds);
  EXPECT_LT(kCatalogConnectSecondsWithCopy, kCatalogConnectSeconds);
}

TEST(CatalogFallback, HtmlIsToldFromJson) {
  EXPECT_TRUE(looks_like_html("<!DOCTYPE html><html>"));
  EXPECT_TRUE(looks_like_html("\xEF\xBB\xBF\r\n  <html><body>Sign in</body></html>"));
  EXPECT_FALSE(looks_like_html("{\"schema\": \"xfu-catalog/1\"}"));
  EXPECT_FALSE(looks_like_html("  [ ]"));
  EXPECT_FALSE(looks_like_html(""));
}

class LocalCatalogFile : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("xfu-unit-" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static ExitCode code_of(const std::function<void()>& action) {
    try {
      action();
    } catch (const Error& e) {
      return e.code();
    }
    return ExitCode::Success;
  }
};

TEST_F(LocalCatalogFile, ReadsUpToTheBoundAndNotAByteMore) {
  write_file_atomically(dir / "c.json", "0123456789");
  EXPECT_EQ(read_catalog_file(dir / "c.json", 10), "0123456789");
  EXPECT_EQ(code_of([&] { read_catalog_file(dir / "c.json", 9); }), ExitCode::InvalidCatalog);
  const OpenFile file(dir / "c.json");
  EXPECT_EQ(file.read_at_most(10), "0123456789");
  EXPECT_EQ(file.read_at_most(9), std::nullopt);
}

TEST_F(LocalCatalogFile, ACharacterDeviceIsRefusedUnread) {
  EXPECT_EQ(code_of([&] { read_catalog_file("/dev/zero"); }), ExitCode::LocalFile);
}

TEST_F(LocalCatalogFile, AFifoIsRefusedWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  try {
    read_catalog_file(dir / "fifo");
    FAIL() << "a FIFO was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::LocalFile);
    EXPECT_EQ(std::string(e.what()), "cannot read " + (dir / "fifo").string() + ": not a regular file (a FIFO)");
  }
}

}  // namespace
}  // namespace xfu
