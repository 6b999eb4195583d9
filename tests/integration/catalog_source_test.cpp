// Where the catalog comes from: the real xfu against the local test server.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <regex>
#include <thread>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

size_t count_lines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

size_t count_requests(const TestServer& server) {
  const std::string log = server.log();
  size_t count = 0;
  for (size_t pos = log.find("\"method\""); pos != std::string::npos; pos = log.find("\"method\"", pos + 1)) ++count;
  return count;
}

class CatalogSource : public ::testing::Test {
 protected:
  TestServer server;
  XfuHome home;
  std::string catalog_url;

  void SetUp() override {
    std::filesystem::copy_file(fixture("catalog-small.json"), server.root() / "catalog.json");
    catalog_url = server.url("catalog.json");
  }

  RunResult list(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--catalog", catalog_url, "list", "dipper", "--format", "tsv"};
    args.insert(args.end(), extra.begin(), extra.end());
    return home.run(args);
  }

  std::string info() const {
    return home.run({"--catalog", catalog_url, "--offline", "catalog", "info", "--json"}).out;
  }
};

TEST_F(CatalogSource, FirstFetchDownloadsAndCaches) {
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(count_lines(result.out), 7u);
  EXPECT_EQ(result.out.substr(0, result.out.find('\t')), "Mi 8 China");
  EXPECT_EQ(count_requests(server), 1u);
  EXPECT_NE(info().find("\"etag\": \"\\\""), std::string::npos);
  EXPECT_NE(info().find("\"records\": 26"), std::string::npos);
}

TEST_F(CatalogSource, FreshCacheIsUsedWithoutARequest) {
  ASSERT_EQ(list().exit_code, 0);
  server.reset_log();
  const RunResult again = list();
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(count_lines(again.out), 7u);
  EXPECT_EQ(count_requests(server), 0u);
}

TEST_F(CatalogSource, RefreshRevalidatesWithIfNoneMatchAnd304) {
  ASSERT_EQ(list().exit_code, 0);
  const std::string first_info = info();
  server.reset_log();
  const RunResult again = list({"--refresh"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(count_lines(again.out), 7u);
  const std::string log = server.log();
  EXPECT_EQ(count_requests(server), 1u);
  EXPECT_NE(log.find("\"If-None-Match\": \"\\\""), std::string::npos) << log;
  const RunResult json = home.run({"--catalog", catalog_url, "--refresh", "catalog", "info", "--json"});
  EXPECT_NE(json.out.find("confirmed current by the server"), std::string::npos) << json.out;
}

TEST_F(CatalogSource, MaxAgeFromTheConfigFileTriggersRevalidation) {
  std::filesystem::create_directories(home.config_dir());
  write_text(home.config_dir() / "config.json", "{\"catalog\": \"" + catalog_url + "\", \"max_age\": 0}");
  ASSERT_EQ(home.run({"list", "dipper", "--format", "tsv"}).exit_code, 0);
  server.reset_log();
  const RunResult again = home.run({"list", "dipper", "--format", "tsv"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(count_requests(server), 1u);
  EXPECT_NE(server.log().find("If-None-Match"), std::string::npos);
}

TEST_F(CatalogSource, ACatalogThatTricklesInIsGivenUpOnAfterTheFetchTimeout) {
  // 4 KiB every 5 seconds: libcurl's speed check sees a burst each time, the overall bound does not.
  std::filesystem::create_directories(home.config_dir());
  write_text(home.config_dir() / "config.json", "{\"fetch_timeout\": 2}");
  const std::string slow_url = server.url("~slow=5000/catalog.json");
  const RunResult result = home.run({"--catalog", slow_url, "list", "dipper"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("xfu: cannot fetch catalog " + slow_url + ": Operation timed out after 200"),
            std::string::npos)
      << result.err;
  write_text(home.config_dir() / "config.json", "{\"fetch_timeout\": 0}");
  const RunResult invalid = home.run({"--catalog", slow_url, "list", "dipper"});
  EXPECT_EQ(invalid.exit_code, 2) << invalid.err;
  EXPECT_NE(invalid.err.find("\"fetch_timeout\" must be a number of seconds from 1 to 86400"), std::string::npos)
      << invalid.err;
}

TEST_F(CatalogSource, UpdateFailsWhenTheCacheCannotBeWritten) {
  std::filesystem::create_directories(home.cache_dir().parent_path());
  write_text(home.cache_dir(), "a file where the cache directory would be\n");
  const RunResult update = home.run({"--catalog", catalog_url, "catalog", "update"});
  EXPECT_EQ(update.exit_code, 6) << update.err;
  EXPECT_EQ(update.out, "");
  EXPECT_NE(update.err.find("xfu: cannot update the cached catalog in " + home.cache_dir().string() + ": "),
            std::string::npos)
      << update.err;
  EXPECT_EQ(count_requests(server), 0u);
  // Other commands still work, with a note.
  const RunResult listed = list();
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(count_lines(listed.out), 7u);
}

TEST_F(CatalogSource, ChangedCatalogIsDownloadedAgain) {
  ASSERT_EQ(list().exit_code, 0);
  std::string text = read_text(server.root() / "catalog.json");
  text.replace(text.find("\"Mi 8 Global\""), 13, "\"Mi 8 Renamed\"");
  write_text(server.root() / "catalog.json", text);
  const RunResult again = list({"--refresh"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("Mi 8 Renamed"), std::string::npos);
  EXPECT_EQ(list({"--offline"}).out, again.out);
}

TEST_F(CatalogSource, OfflineUsesTheCacheAndNeverTheNetwork) {
  ASSERT_EQ(list().exit_code, 0);
  server.reset_log();
  const RunResult offline = list({"--offline", "--refresh"});
  EXPECT_EQ(offline.exit_code, 0);
  EXPECT_EQ(count_lines(offline.out), 7u);
  EXPECT_EQ(count_requests(server), 0u);
}

TEST_F(CatalogSource, OfflineWithoutCacheIsExit4ForANamedCatalog) {
  const RunResult result = list({"--offline"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(count_requests(server), 0u);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "xfu: offline, and no cached copy of the catalog " + catalog_url + "\n");
}

TEST_F(CatalogSource, OfflineWithoutCacheTheDefaultSourceFallsBackToBuiltin) {
  const RunResult result = home.run({"--offline", "list", "dipper", "--format", "tsv"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(std::regex_match(result.err, std::regex("xfu: note: offline, and no cached copy of the catalog "
                                                      "https://xfu-project.github.io/xfu/catalog/index.json; using the "
                                                      "built-in catalog from 2026-08-23 \\(\\d+ days old\\)\n")))
      << result.err;
  EXPECT_GT(count_lines(result.out), 100u);  // the built-in catalog knows far more dipper ROMs
}

TEST_F(CatalogSource, UnreachableServerFallsBackToStaleCacheWithItsAge) {
  ASSERT_EQ(list().exit_code, 0);
  server.stop();
  const RunResult result = list({"--refresh"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_LT(result.seconds, 5.0);
  EXPECT_EQ(count_lines(result.out), 7u);
  EXPECT_NE(result.err.find("xfu: note: cannot fetch catalog " + catalog_url), std::string::npos) << result.err;
  EXPECT_TRUE(std::regex_search(result.err, std::regex("; using the cached copy, [0-9]+ s old\n$"))) << result.err;
}

TEST_F(CatalogSource, UnreachableNamedCatalogWithoutCacheIsExit4) {
  server.stop();
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.rfind("xfu: cannot fetch catalog " + catalog_url + ": ", 0), 0u) << result.err;
  EXPECT_EQ(count_lines(result.err), 1u);
}

TEST_F(CatalogSource, SilentServerDoesNotHang) {
  catalog_url = server.url("~stall/catalog.json");
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err.rfind("xfu: cannot fetch catalog " + catalog_url + ": ", 0), 0u) << result.err;
}

// A server that accepts and never answers: with a cached copy at hand it is
// given 5 s of silence (not 20), then the copy is used with the usual note.
TEST_F(CatalogSource, ASilentServerGivesWayToTheCachedCopyAfterFiveSeconds) {
  catalog_url = server.url("~silent-after=1/catalog.json");
  ASSERT_EQ(list().exit_code, 0);
  const RunResult result = list({"--refresh"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_lines(result.out), 7u);
  EXPECT_EQ(result.err.rfind("xfu: note: cannot fetch catalog " + catalog_url +
                                 " (Operation too slow. Less than 1024 bytes/sec transferred the last 5 seconds); "
                                 "using the cached copy, ",
                             0),
            0u)
      << result.err;
  EXPECT_EQ(count_lines(result.err), 1u);
  EXPECT_EQ(count_requests(server), 2u);
}

TEST_F(CatalogSource, Http404IsExit4ForANamedCatalog) {
  catalog_url = server.url("missing.json");
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "xfu: cannot fetch catalog " + catalog_url +
                ": HTTP 404 Not Found; check the catalog URL, or use --catalog builtin for the built-in copy\n");
  const RunResult update = home.run({"--catalog", catalog_url, "catalog", "update"});
  EXPECT_EQ(update.exit_code, 4);
  EXPECT_EQ(update.out, "");
  EXPECT_EQ(update.err,
            "xfu: cannot fetch catalog " + catalog_url +
                ": HTTP 404 Not Found; check the catalog URL, or use --catalog builtin for the built-in copy\n");
}

TEST_F(CatalogSource, Http500UsesTheStaleCache) {
  ASSERT_EQ(list().exit_code, 0);
  // Same URL, now failing: move the catalog away and serve an error instead.
  std::filesystem::remove(server.root() / "catalog.json");
  const RunResult result = list({"--refresh"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(count_lines(result.out), 7u);
  EXPECT_NE(result.err.find("(HTTP 404 Not Found); using the cached copy"), std::string::npos) << result.err;

  catalog_url = server.url("~status=500/catalog.json");
  const RunResult failing = list();
  EXPECT_EQ(failing.exit_code, 4);
  EXPECT_EQ(
      failing.err,
      "xfu: cannot fetch catalog " + catalog_url +
          ": HTTP 500 Internal Server Error; check the catalog URL, or use --catalog builtin for the built-in copy\n");
  EXPECT_EQ(home.run({"--catalog", catalog_url, "catalog", "update"}).exit_code, 4);
}

TEST_F(CatalogSource, InvalidJsonFromTheServerKeepsAndUsesTheCache) {
  const std::string broken = "{\"schema\": \"xfu-catalog/1\",\n \"roms\": [\n  {,]}\n";
  const std::string why = "catalog from " + catalog_url +
                          ": invalid JSON at line 3, column 4: syntax error while parsing object key - "
                          "unexpected ','; expected string literal";
  ASSERT_EQ(list().exit_code, 0);
  write_text(server.root() / "catalog.json", broken);
  const RunResult result = list({"--refresh"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(count_lines(result.out), 7u);
  EXPECT_EQ(result.err.rfind("xfu: note: " + why + "; using the cached copy, ", 0), 0u) << result.err;
  EXPECT_TRUE(std::regex_search(result.err, std::regex("; using the cached copy, [0-9]+ s old\n$"))) << result.err;
  EXPECT_EQ(count_lines(result.err), 1u);
  const RunResult update = home.run({"--catalog", catalog_url, "catalog", "update"});
  EXPECT_EQ(update.exit_code, 5);
  EXPECT_EQ(update.err, "xfu: " + why + "\n");
  EXPECT_EQ(count_lines(list({"--offline"}).out), 7u);  // the good copy is still cached

  catalog_url = server.url("other.json");  // nothing cached for this one
  write_text(server.root() / "other.json", broken);
  const RunResult uncached = list();
  EXPECT_EQ(uncached.exit_code, 5);
  EXPECT_EQ(uncached.out, "");
}

TEST_F(CatalogSource, CaptivePortalPageUsesTheCachedCopyWithANote) {
  ASSERT_EQ(list().exit_code, 0);
  write_text(server.root() / "catalog.json", "<!DOCTYPE html>\n<html><body>Sign in to the Wi-Fi</body></html>\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list", "dipper", "--format", "tsv"}, {"show", "dipper"}, {"devices"}}) {
    std::vector<std::string> command{"--catalog", catalog_url, "--refresh"};
    command.insert(command.end(), args.begin(), args.end());
    const RunResult result = home.run(command);
    EXPECT_EQ(result.exit_code, 0) << args[0] << ": " << result.err;
    EXPECT_NE(result.out, "") << args[0];
    EXPECT_TRUE(std::regex_match(result.err, std::regex("xfu: note: catalog from " + catalog_url +
                                                        ": an HTML page, not a catalog \\(a captive portal or a "
                                                        "login page in the way\\?\\); using the cached copy, "
                                                        "[0-9]+ s old\n")))
        << args[0] << ": " << result.err;
  }
  EXPECT_EQ(home.run({"--catalog", catalog_url, "catalog", "update"}).exit_code, 5);
}

TEST_F(CatalogSource, JsonWithoutOneValidRecordNeverReplacesTheCachedCopy) {
  const RunResult good = list();
  ASSERT_EQ(good.exit_code, 0);
  for (const std::string junk : {"[1, 2, 3]\n", "[{\"error\": \"rate limited\"}]\n"}) {
    write_text(server.root() / "catalog.json", junk);
    const RunResult result = list({"--refresh"});
    EXPECT_EQ(result.exit_code, 0) << junk << result.err;
    EXPECT_EQ(result.out, good.out) << junk;
    EXPECT_TRUE(std::regex_match(result.err, std::regex("xfu: note: catalog from " + catalog_url +
                                                        ": not one of its records is valid; using the cached copy, "
                                                        "[0-9]+ s old\n")))
        << junk << result.err;
    // Still the good copy on the next run.
    EXPECT_EQ(list({"--offline"}).out, good.out);
  }
}

TEST_F(CatalogSource, AnEmptyCatalogNeverReplacesTheCachedCopy) {
  const RunResult good = list();
  ASSERT_EQ(good.exit_code, 0);
  for (const std::string empty : {"[]\n", "{\"schema\": \"xfu-catalog/1\", \"roms\": []}\n"}) {
    write_text(server.root() / "catalog.json", empty);
    const RunResult update = home.run({"--catalog", catalog_url, "catalog", "update"});
    EXPECT_EQ(update.exit_code, 5) << empty << update.err;
    EXPECT_NE(update.err.find("catalog from " + catalog_url + ": it holds no records"), std::string::npos)
        << update.err;
    EXPECT_EQ(list({"--offline"}).out, good.out) << empty;
  }
}

TEST_F(CatalogSource, DamagedCacheIsDiscardedWithANote) {
  ASSERT_EQ(list().exit_code, 0);
  for (const auto& entry : std::filesystem::directory_iterator(home.cache_dir()))
    if (entry.path().filename().string().ends_with(".json") &&
        !entry.path().filename().string().ends_with(".meta.json"))
      write_text(entry.path(), "{ truncated");
  server.reset_log();
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(count_lines(result.out), 7u);
  EXPECT_NE(result.err.find("xfu: note: cached catalog for " + catalog_url + " was damaged"), std::string::npos);
  EXPECT_EQ(count_requests(server), 1u);
  EXPECT_EQ(list().err, "");  // repaired
}

TEST_F(CatalogSource, DamagedCacheMetadataIsDiscardedWithANote) {
  ASSERT_EQ(list().exit_code, 0);
  for (const auto& entry : std::filesystem::directory_iterator(home.cache_dir()))
    if (entry.path().filename().string().ends_with(".meta.json")) write_text(entry.path(), "[1,2");
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("was damaged (metadata is not JSON) and was discarded"), std::string::npos) << result.err;
}

TEST_F(CatalogSource, CacheLeavesNoTemporaryFiles) {
  ASSERT_EQ(list().exit_code, 0);
  ASSERT_EQ(list({"--refresh"}).exit_code, 0);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(home.cache_dir()))
    names.push_back(entry.path().filename().string());
  // The body's name has a random part, so order the names by role, not alphabetically.
  const auto role = [](const std::string& name) {
    return name.ends_with(".meta.json") ? 2 : name.ends_with(".idx") ? 1 : 0;
  };
  std::sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return role(a) < role(b); });
  ASSERT_EQ(names.size(), 3u);  // the body, its index and the metadata
  EXPECT_TRUE(names[0].ends_with(".json")) << names[0];
  EXPECT_EQ(names[1], names[0] + ".idx");
  EXPECT_TRUE(names[2].ends_with(".meta.json")) << names[2];
  for (const auto& name : names) EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
}

TEST_F(CatalogSource, RedirectsAreFollowedButOnlyToHttp) {
  catalog_url = server.url("~redirect=catalog.json/x.json");
  const RunResult result = list();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_lines(result.out), 7u);
  catalog_url = server.url("~redirect-to=file%3A%2F%2F%2Fetc%2Fpasswd/x.json");
  const RunResult hostile = home.run({"--catalog", catalog_url, "catalog", "update"});
  EXPECT_EQ(hostile.exit_code, 4);
  EXPECT_NE(hostile.err.find("cannot fetch catalog"), std::string::npos) << hostile.err;
}

TEST_F(CatalogSource, SourceOrderIsFlagThenEnvironmentThenConfigThenDefault) {
  const auto a = home.root() / "a.json", b = home.root() / "b.json", c = home.root() / "c.json";
  for (const auto& path : {a, b, c}) std::filesystem::copy_file(fixture("catalog-small.json"), path);
  std::filesystem::create_directories(home.config_dir());
  write_text(home.config_dir() / "config.json", "{\"catalog\": \"" + a.string() + "\"}");
  const auto chosen = [&](XfuHome& h, std::vector<std::string> args) {
    args.insert(args.end(), {"catalog", "info", "--json"});
    const std::string out = h.run(args).out;
    const auto start = out.find("\"chosen_by\": \"") + 14;
    return out.substr(start, out.find('"', start) - start);
  };
  EXPECT_EQ(chosen(home, {}), "config file " + (home.config_dir() / "config.json").string());
  home.env["XFU_CATALOG"] = b.string();
  EXPECT_EQ(chosen(home, {}), "XFU_CATALOG");
  EXPECT_EQ(chosen(home, {"--catalog", c.string()}), "--catalog");
  std::filesystem::remove(home.config_dir() / "config.json");
  home.env.erase("XFU_CATALOG");
  EXPECT_EQ(chosen(home, {"--offline"}), "default");
}

TEST_F(CatalogSource, CatalogInfoDescribesTheCache) {
  ASSERT_EQ(list().exit_code, 0);
  const RunResult text = home.run({"--catalog", catalog_url, "catalog", "info"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Source:     " + catalog_url + " (--catalog)\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("In use:     cached copy\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Records:    26\nDevices:    5\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ETag:       \""), std::string::npos) << text.out;
}

TEST_F(CatalogSource, CatalogUpdateFetchesNow) {
  const RunResult update = home.run({"--catalog", catalog_url, "catalog", "update", "--json"});
  EXPECT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.out.find("\"origin\": \"downloaded now\""), std::string::npos) << update.out;
  const RunResult again = home.run({"--catalog", catalog_url, "catalog", "update", "--json"});
  EXPECT_NE(again.out.find("confirmed current by the server"), std::string::npos) << again.out;
  EXPECT_EQ(home.run({"--catalog", catalog_url, "--offline", "catalog", "update"}).exit_code, 2);
}

TEST_F(CatalogSource, TheTempFileOfAKilledFetchIsRemovedByALaterOne) {
  catalog_url = server.url("~slow=100/catalog.json");
  const auto temp_files = [&] {
    std::vector<std::filesystem::path> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(home.cache_dir(), error))
      if (entry.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(entry.path());
    return found;
  };
  auto killed = home.start({"--catalog", catalog_url, "list", "dipper"});
  for (int i = 0; i < 500 && temp_files().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  killed->signal(SIGKILL);
  killed->wait();
  const auto left = temp_files();
  ASSERT_EQ(left.size(), 1u);
  // A fetch in progress elsewhere may still own a young temp file: only one
  // older than the grace period counts as abandoned.
  std::filesystem::last_write_time(left[0], std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  const RunResult result = list({"--refresh"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_lines(result.out), 7u) << result.out;
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(CatalogSource, FiftyConcurrentListsWithAnUpdateInTheMiddle) {
  std::filesystem::create_directories(home.config_dir());
  write_text(home.config_dir() / "config.json", "{\"max_age\": 0}");  // every run revalidates
  ASSERT_EQ(list().exit_code, 0);
  std::string updated = read_text(server.root() / "catalog.json");
  updated.replace(updated.find("\"Mi 8 Global\""), 13, "\"Mi 8 Updated\"");
  std::vector<std::unique_ptr<BackgroundProcess>> runs;
  for (int i = 0; i < 50; ++i) {
    if (i == 25) {  // renamed into place: a request never sees a half-written catalog
      write_text(server.root() / "catalog.json.new", updated);
      std::filesystem::rename(server.root() / "catalog.json.new", server.root() / "catalog.json");
    }
    runs.push_back(home.start({"--catalog", catalog_url, "list", "dipper", "--format", "tsv"}));
  }
  size_t old_answers = 0, new_answers = 0;
  for (auto& run : runs) {
    const RunResult result = run->wait(120);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    EXPECT_EQ(count_lines(result.out), 7u) << result.out;
    if (result.out.find("Mi 8 Updated") != std::string::npos) ++new_answers;
    else if (result.out.find("Mi 8 Global") != std::string::npos) ++old_answers;
  }
  EXPECT_EQ(old_answers + new_answers, 50u);
  EXPECT_GT(new_answers, 0u);
  // The cache is whole, and holds the new catalog.
  const RunResult after = list({"--offline"});
  EXPECT_EQ(after.err, "");
  EXPECT_NE(after.out.find("Mi 8 Updated"), std::string::npos);
  size_t bodies = 0;
  for (const auto& entry : std::filesystem::directory_iterator(home.cache_dir())) {
    const std::string file = entry.path().filename().string();
    EXPECT_EQ(file.find(".tmp."), std::string::npos) << file;
    bodies += !file.ends_with(".meta.json");
  }
  EXPECT_GE(bodies, 1u);  // replaced bodies stay for a grace period, for readers of the old metadata
}

}  // namespace
}  // namespace xfu::test
