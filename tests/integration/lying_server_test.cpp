// xfu download against servers that lie: about which file their bytes
// belong to, about the body's length, or about taking ranges. The real
// binary against the fault-injecting server on 127.0.0.1, every result
// checked with the real md5sum.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>

#include "support/download_fixture.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;

// The record says "3.0 MB": with half its last digit and 1%, 3,080,000 bytes at most.
constexpr const char* kTooLong =
    "the server sent more than 3080000 bytes, more than the catalog's size (3.0 MB) allows";

class LyingServer : public TestPhoneDownload {
 protected:
  LyingServer() : TestPhoneDownload(3'000'000, "3.0 MB") {}

  // Leaves NAME.part with the file's first 1,000,000 bytes and its state.
  void leave_a_part(const std::string& behaviours = "") {
    write_catalog(server.url(behaviours + "~drop=1000000/" + name), {}, md5);
    ASSERT_EQ(download({"testdev", "--retries", "0"}).exit_code, 4);
    ASSERT_EQ(fs::file_size(out / (name + ".part")), 1000000u);
    server.reset_log();
  }

  // The Last-Modified the server sends for the file (its mtime, as an HTTP date).
  std::string last_modified() const {
    struct stat info {};
    EXPECT_EQ(::stat((server.root() / name).c_str(), &info), 0);
    std::tm when{};
    gmtime_r(&info.st_mtime, &when);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &when);
    return text;
  }

  // The file on the server changes: other bytes in its first megabyte and later.
  std::string change_the_file() const {
    std::string data = read_text(server.root() / name);
    data[10] = static_cast<char>(data[10] ^ 0x5A);
    data[2'500'000] = static_cast<char>(data[2'500'000] ^ 0x5A);
    write_text(server.root() / name, data);
    return md5sum_of(server.root() / name);
  }

  // Without a full MD5: NAME.part holds 1,000,000 bytes fetched under `before`; the file then changes but keeps its
  // modification time (so Last-Modified agrees), and is served under `after`. Only the ETag tells the versions apart:
  // xfu must start over and end with the whole new version, not a mix of both.
  void expect_another_version_starts_over(const std::string& before, const std::string& after) {
    write_catalog(server.url(before + "~drop=1000000/" + name), {}, "");
    ASSERT_EQ(download({"testdev", "--retries", "0"}).exit_code, 4);
    ASSERT_EQ(fs::file_size(out / (name + ".part")), 1000000u);
    const auto modified = fs::last_write_time(server.root() / name);
    const std::string new_md5 = change_the_file();
    fs::last_write_time(server.root() / name, modified);
    write_catalog(server.url(after + name), {}, "");
    const RunResult result = download({"testdev"});
    EXPECT_NE(result.err.find("the server's validator changed between pieces of the file"), std::string::npos)
        << result.err;
    // The whole new version, not a mix; the name's MD5 prefix (of the fixture) then tells it is not that file.
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.err.find("got " + new_md5), std::string::npos) << result.err;
    EXPECT_EQ(md5sum_of(out / (name + ".corrupt")), new_md5);
  }
};

TEST_F(LyingServer, A206OfAChangedFileIsNeverMixedWithThePart) {
  leave_a_part();
  const std::string old_md5 = md5;
  const std::string new_md5 = change_the_file();
  write_catalog(server.url("~if-range-ignored/" + name), {}, new_md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), new_md5);
  EXPECT_NE(result.err.find("the server sent part of another version of the file (its validator is not the one sent "
                            "in If-Range); starting over"),
            std::string::npos)
      << result.err;
  const std::string log = server.log();
  EXPECT_EQ(count_of(log, "\"GET\""), 2u) << log;
  EXPECT_EQ(count_of(log, "\"If-Range\": \"\\\"" + old_md5 + "\\\"\""), 1u) << log;
  EXPECT_FALSE(leftovers());
}

TEST_F(LyingServer, AWeakETagResumesWithLastModifiedInsteadOfRestarting) {
  leave_a_part("~weak-etag/");
  write_catalog(server.url("~weak-etag/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(result.err.find("starting over"), std::string::npos) << result.err;
  const std::string log = server.log();
  EXPECT_EQ(count_of(log, "\"GET\""), 1u) << log;
  EXPECT_EQ(count_of(log, "\"Range\": \"bytes=1000000-\""), 1u) << log;
  EXPECT_EQ(count_of(log, "\"If-Range\": \"" + last_modified() + "\""), 1u) << log;
  EXPECT_FALSE(leftovers());
}

TEST_F(LyingServer, WithoutAFullMd5AWeakETagThatChangedUnderTheSameLastModifiedStartsOver) {
  expect_another_version_starts_over("~weak-etag/", "~weak-etag/");
}

TEST_F(LyingServer, WithoutAFullMd5AMalformedETagThatChangedStartsOver) {
  expect_another_version_starts_over("~etag=v1/", "~etag=v2/");
}

TEST_F(LyingServer, AValidatorWithControlCharactersIsNeverSentBack) {
  for (const std::string etag : {"%22a%0Db%22", "%22a%01b%22"}) {
    write_catalog(server.url("~etag=" + etag + "/~no-last-modified/~drop=1000000/" + name), {}, md5);
    const RunResult result = download({"testdev", "--force"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(md5sum_of(out / name), md5);
    const std::string log = server.log();
    EXPECT_EQ(count_of(log, "\"Range\": \"bytes=1000000-\""), 1u) << log;
    EXPECT_EQ(count_of(log, "If-Range"), 0u) << log;
    EXPECT_FALSE(leftovers());
    server.reset_log();
  }
}

TEST_F(LyingServer, AnEndlessBodyIsCutAtTheCatalogsSize) {
  for (const std::string endless : {"~endless/", "~endless=close/"}) {
    write_catalog(server.url(endless + name), {}, md5);
    const RunResult result = download({"testdev"});
    EXPECT_EQ(result.exit_code, 4) << endless;
    // The only mirror: the error alone says what happened.
    EXPECT_EQ(result.err, "xfu: cannot download " + name + ": 127.0.0.1: " + kTooLong + "\n");
    EXPECT_TRUE(fs::is_empty(out)) << endless;  // nothing of it is kept
  }
}

TEST_F(LyingServer, ABodyLongerThanItsContentLengthIsCut) {
  write_catalog(server.url("~extra=100000/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(fs::file_size(out / name), size);
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(LyingServer, AFileLargerThanTheCatalogsSizeIsRefused) {
  DownloadRecord smaller = catalog_record;
  smaller.size = "2.0 MB";
  write_text(home.root() / "catalog.json", one_record_catalog(smaller, name, server.url(name), {}, md5));
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("xfu: cannot download " + name +
                            ": 127.0.0.1: the server announces 3000000 bytes, more than the catalog's size (2.0 MB) "
                            "allows\n"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(LyingServer, WithoutAFullMd5PiecesWithoutAValidatorNeverReachTheFinalName) {
  const std::string pieces = "~no-etag/~no-last-modified/~drop=1000000/";
  write_catalog(server.url(pieces + name), {}, "");
  const RunResult result = download({"testdev", "--retries", "1"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_NE(result.err.find(": the server gives no validator (ETag or Last-Modified), and without a full MD5 the "
                            "pieces of the file cannot be proven to belong together\n"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(fs::is_empty(out));
  // With the catalog's MD5 the same pieces are checked at the end, and pass.
  write_catalog(server.url(pieces + name), {}, md5);
  const RunResult checked = download({"testdev", "--retries", "1"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(LyingServer, AServerWithoutRangesThatBreaksOffStopsAfterTheRetries) {
  write_catalog(server.url("~no-ranges/~drop=1000000/" + name), {}, md5);
  const RunResult result = download({"testdev", "--retries", "2"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  // The first answer, then one whole file per restart, then the one refused.
  EXPECT_EQ(count_of(server.log(), "\"GET\""), 4u) << server.log();
  EXPECT_NE(result.err.find("127.0.0.1: the server sends the whole file instead of the rest; giving up after 2 "
                            "restarts from zero\n"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(LyingServer, AnOverstatedContentLengthStopsAfterTheRetries) {
  write_catalog(server.url("~overstate=1000/" + name), {}, md5);
  const RunResult result = download({"testdev", "--retries", "2"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  // Each round: the whole body, then a range past its real end (416).
  EXPECT_EQ(count_of(server.log(), "\"GET\""), 6u) << server.log();
  EXPECT_NE(result.err.find("giving up after 2 restarts from zero\n"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(out / name));
}

TEST_F(LyingServer, AHealthyMirrorAmongBrokenOnesWins) {
  const std::string healthy = server.url(name);
  const std::vector<std::string> broken{server.url("~overstate=1000/" + name),
                                        server.url("~no-ranges/~drop=1000000/" + name), server.url("~endless/" + name),
                                        server.url("~if-range-ignored/~weak-etag/" + name)};
  // The healthy mirror first, last, and between broken ones.
  const std::vector<std::vector<std::string>> orders{{healthy, broken[0], broken[1]},
                                                     {broken[0], broken[1], broken[2], healthy},
                                                     {broken[2], healthy, broken[3]},
                                                     {broken[1], broken[3], broken[0], healthy}};
  for (const auto& order : orders) {
    write_catalog(order.front(), {order.begin() + 1, order.end()}, md5);
    const RunResult result = download({"testdev", "--retries", "1", "--force"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(md5sum_of(out / name), md5);
    EXPECT_FALSE(leftovers());
  }
}

}  // namespace
}  // namespace xfu::test
