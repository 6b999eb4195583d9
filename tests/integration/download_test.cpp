// xfu download: the real binary against the fault-injecting server on
// 127.0.0.1, every result checked with the real md5sum.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "support/download_fixture.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;

// "127.0.0.1:PORT", as messages name a server whose URL gives a port.
std::string server_address(const TestServer& server) {
  const std::string url = server.url("");
  return url.substr(url.find("://") + 3, url.size() - url.find("://") - 4);
}

class Download : public TestPhoneDownload {
 protected:
  Download() : TestPhoneDownload(3'000'000, "3.0 MB") {}
};

TEST_F(Download, FetchesVerifiesAndRenames) {
  const RunResult result = download({"testdev", "1.0"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, (out / name).string() + "\n");
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
  EXPECT_NE(result.err.find("xfu: note: downloaded " + name + ": 3.0 MB in "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("MD5 OK (catalog)"), std::string::npos) << result.err;
}

TEST_F(Download, ADroppedConnectionResumesWithRangeAndIfRange) {
  write_catalog(server.url("~drop=700000/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  const std::string log = server.log();
  EXPECT_EQ(count_of(log, "\"Range\": \"bytes="), 4u) << log;
  EXPECT_NE(log.find("\"Range\": \"bytes=700000-\""), std::string::npos) << log;
  EXPECT_EQ(count_of(log, "\"If-Range\": \"\\\"" + md5 + "\\\"\""), 4u) << log;
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, APartialFileIsKeptAndResumedLater) {
  write_catalog(server.url("~drop=1000000/" + name), {}, md5);
  const RunResult first = download({"testdev", "--retries", "0"});
  EXPECT_EQ(first.exit_code, 4);
  EXPECT_NE(first.err.find(name + ".part is kept for resuming"), std::string::npos) << first.err;
  EXPECT_EQ(fs::file_size(out / (name + ".part")), 1000000u);
  EXPECT_TRUE(fs::exists(out / (name + ".part.state")));
  EXPECT_FALSE(fs::exists(out / name));

  write_catalog(server.url(name), {}, md5);
  server.reset_log();
  const RunResult second = download({"testdev"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("xfu: note: resuming " + name + ": 1.0 MB of 3.0 MB already here\n"), std::string::npos)
      << second.err;
  // The rate in the summary is of the 2.0 MB this run fetched, not of the whole file.
  EXPECT_NE(second.err.find("xfu: note: downloaded " + name + ": 3.0 MB, 2.0 MB of it fetched now in "),
            std::string::npos)
      << second.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(count_of(server.log(), "\"Range\": \"bytes=1000000-\""), 1u);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, AFullPartIsCheckedWithoutARequest) {
  // Interrupted after the last byte but before the rename: the state (here an
  // older xfu's version 1) says every byte is there, so only the MD5 is left.
  fs::copy_file(server.root() / name, out / (name + ".part"));
  write_text(out / (name + ".part.state"), "{\"version\": 1, \"url\": \"" + server.url(name) +
                                               "\", \"validator\": \"\\\"" + md5 + "\\\"\", \"total\": 3000000}\n");
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.log(), "[]");
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, ACorruptStateFileStartsOver) {
  write_text(out / (name + ".part"), "stale bytes");
  write_text(out / (name + ".part.state"), "{ not json");
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find(name + ".part has no usable resume state; starting over"), std::string::npos) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, APartLargerThanTheRemoteFileStartsOver) {
  write_text(out / (name + ".part"), std::string(3'000'100, 'x'));
  write_text(out / (name + ".part.state"), "{\"version\": 1, \"url\": \"" + server.url(name) +
                                               "\", \"validator\": \"\\\"" + md5 + "\\\"\", \"total\": 3000000}\n");
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("is larger than the remote file; starting over"), std::string::npos) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Download, BytesAnEarlierRunLeftPastTheEndNeverReachTheFile) {
  // A run that never learned the size (a body without a length) left more than the file; its state has the first
  // 1,000,000 bytes done.
  std::string part = read_text(server.root() / name).substr(0, 1'000'000);
  part += std::string(2'500'000, 'x');
  write_text(out / (name + ".part"), part);
  write_text(out / (name + ".part.state"), "{\"version\": 2, \"url\": \"" + server.url(name) +
                                               "\", \"validator\": \"\\\"" + md5 +
                                               "\\\"\", \"total\": null, \"segments\": [[0, 1000000, 1000000]]}\n");
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("resuming " + name + ": 1.0 MB already here\n"), std::string::npos) << result.err;
  EXPECT_EQ(fs::file_size(out / name), size);
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, AServerThatIgnoresRangeRestartsFromZero) {
  write_catalog(server.url("~drop=1000000/" + name), {}, md5);
  ASSERT_EQ(download({"testdev", "--retries", "0"}).exit_code, 4);
  write_catalog(server.url("~ignore-range/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("the server sent the whole file instead of the rest"), std::string::npos) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Download, AWrongContentRangeStartIsNeverAppended) {
  write_catalog(server.url("~drop=1000000/" + name), {}, md5);
  ASSERT_EQ(download({"testdev", "--retries", "0"}).exit_code, 4);
  write_catalog(server.url("~range-start=5/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("the server sent bytes from 5 when asked for byte 1000000; starting over"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Download, Retries503HonouringRetryAfter) {
  write_catalog(server.url("~fail-first=2/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_of(result.err, "HTTP 503 Service Unavailable; retrying in 1 s"), 2u) << result.err;
  EXPECT_GE(result.seconds, 2.0);
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Download, GivesUpAfterTheRetriesWithExit4) {
  write_catalog(server.url("~status=500/" + name), {}, md5);
  const RunResult result = download({"testdev", "--retries", "1"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("xfu: cannot download " + name + ": 127.0.0.1: HTTP 500 Internal Server Error\n"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Download, AStalledServerTimesOut) {
  write_catalog(server.url("~stall/" + name), {}, md5);
  const RunResult result = download({"testdev", "--timeout", "2", "--retries", "1"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_LT(result.seconds, 20.0);
  EXPECT_NE(result.err.find("Operation too slow"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(out / name));
}

TEST_F(Download, ACorruptedByteMovesTheDataAside) {
  write_catalog(server.url("~corrupt=1000/" + name), {}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(fs::exists(out / name));
  EXPECT_FALSE(fs::exists(out / (name + ".part")));
  ASSERT_TRUE(fs::exists(out / (name + ".corrupt")));
  const std::string actual = md5sum_of(out / (name + ".corrupt"));
  EXPECT_EQ(result.err, "xfu: " + name + ": MD5 mismatch: expected " + md5 + " (catalog), got " + actual +
                            " for the bytes from " + server_address(server) + "; the data was moved to " + name +
                            ".corrupt\n");
}

// The first mirror breaks off, the second sends the rest, and a byte of it is wrong: the error names both.
TEST_F(Download, AMismatchNamesEveryServerTheBytesCameFrom) {
  TestServer second;
  fs::copy_file(server.root() / name, second.root() / name);
  fs::last_write_time(second.root() / name, fs::last_write_time(server.root() / name));
  const std::string same_etag = "~etag=%22" + md5 + "%22/";
  write_catalog(server.url(same_etag + "~drop=1000000/" + name), {second.url(same_etag + "~corrupt=2000000/" + name)},
                md5);
  const RunResult result = download({"testdev", "--retries", "0"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  ASSERT_TRUE(fs::exists(out / (name + ".corrupt")));
  const std::string actual = md5sum_of(out / (name + ".corrupt"));
  EXPECT_NE(actual, md5);
  EXPECT_NE(second.log().find("\"Range\": \"bytes=1000000-\""), std::string::npos) << second.log();
  const std::string last_line = result.err.substr(result.err.rfind("xfu: " + name));
  EXPECT_EQ(last_line, "xfu: " + name + ": MD5 mismatch: expected " + md5 + " (catalog), got " + actual +
                           " for the bytes from " + server_address(server) + " and " + server_address(second) +
                           "; the data was moved to " + name + ".corrupt\n");
  EXPECT_FALSE(fs::exists(out / name));
  EXPECT_FALSE(fs::exists(out / (name + ".part")));
}

// Only the download goes through the proxy (the catalog is a file): the error names the proxy, never its password.
TEST_F(Download, AProxyThatCannotBeReachedIsNamedWithoutItsCredentials) {
  home.env["http_proxy"] = "http://user:secret@127.0.0.1:1";
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.err, "xfu: cannot download " + name +
                            ": cannot reach proxy 127.0.0.1:1 (from http_proxy): Connection refused\n");
  EXPECT_EQ(server.log().find(name), std::string::npos) << server.log();
  EXPECT_TRUE(fs::is_empty(out));
  home.env.erase("http_proxy");
  home.env["ALL_PROXY"] = "127.0.0.1:1";
  const RunResult all = download({"testdev"});
  EXPECT_EQ(all.exit_code, 4);
  EXPECT_EQ(all.err,
            "xfu: cannot download " + name + ": cannot reach proxy 127.0.0.1:1 (from ALL_PROXY): Connection refused\n");
  // A catalog fetched through it names it too.
  const RunResult catalog = home.run({"--catalog", server.url("catalog.json"), "list", "testdev"});
  EXPECT_EQ(catalog.exit_code, 4);
  EXPECT_NE(catalog.err.find(": cannot reach proxy 127.0.0.1:1 (from ALL_PROXY): Connection refused"),
            std::string::npos)
      << catalog.err;
  // no_proxy lists the host: straight to the server.
  home.env["no_proxy"] = "127.0.0.1";
  const RunResult direct = download({"testdev"});
  EXPECT_EQ(direct.exit_code, 0) << direct.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Download, AMirrorWhoseBytesDoNotMatchTheMd5GivesWayToTheNext) {
  write_catalog(server.url("~corrupt=100/" + name), {server.url(name)}, md5);
  const RunResult result = download({"testdev"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("xfu: note: the MD5 of what " + server_address(server) + " sent is "), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(", not " + md5 + "; trying the next mirror from byte 0\n"), std::string::npos)
      << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, ErrorPagesAreNeverSaved) {
  write_catalog(server.url("missing/" + name), {}, md5);
  const RunResult missing = download({"testdev"});
  EXPECT_EQ(missing.exit_code, 4);
  // The only mirror: no note promises another, the error says what failed.
  EXPECT_EQ(missing.err, "xfu: cannot download " + name + ": 127.0.0.1: HTTP 404 Not Found\n");
  EXPECT_TRUE(fs::is_empty(out));
  write_catalog(server.url("~html/" + name), {}, md5);
  const RunResult html = download({"testdev"});
  EXPECT_EQ(html.exit_code, 4);
  EXPECT_NE(html.err.find("the server sent an HTML page instead of the file"), std::string::npos) << html.err;
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Download, RedirectsOnlyToHttp) {
  write_catalog(server.url("~redirect=" + name + "/" + name), {}, md5);
  const RunResult ok = download({"testdev"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  fs::remove(out / name);
  write_catalog(server.url("~redirect-to=file%3A%2F%2F%2Fetc%2Fpasswd/" + name), {}, md5);
  const RunResult hostile = download({"testdev"});
  EXPECT_EQ(hostile.exit_code, 4);
  EXPECT_NE(hostile.err.find("Protocol \"file\" not supported"), std::string::npos) << hostile.err;
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Download, FailsOverToTheNextMirror) {
  write_catalog(server.url("gone/" + name), {server.url("~status=503/" + name), server.url(name)}, md5);
  const RunResult result = download({"testdev", "--retries", "0"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(count_of(result.err, "trying the next mirror"), 1u) << result.err;
  EXPECT_EQ(count_of(result.err, "giving up on this mirror"), 1u) << result.err;
  // --mirror puts a host first.
  fs::remove(out / name);
  server.reset_log();
  const RunResult chosen = download({"testdev", "--mirror", "127.0.0.1", "--retries", "0"});
  EXPECT_EQ(chosen.exit_code, 0);
  EXPECT_EQ(download({"testdev", "--mirror", "bad host!"}).exit_code, 2);
}

TEST_F(Download, WhenEveryMirrorFailsTheErrorNamesEachInOrder) {
  write_catalog(server.url("gone/" + name), {server.url("~status=503/" + name)}, md5);
  const RunResult result = download({"testdev", "--retries", "0"});
  EXPECT_EQ(result.exit_code, 4);
  // The next mirror is promised once, after the first; the last gives up without promising one.
  EXPECT_EQ(result.err, "xfu: note: 127.0.0.1: HTTP 404 Not Found; trying the next mirror\n"
                        "xfu: note: 127.0.0.1: HTTP 503 Service Unavailable; giving up after 0 retries\n"
                        "xfu: cannot download " +
                            name +
                            ": every mirror failed: 127.0.0.1: HTTP 404 Not Found; 127.0.0.1: HTTP 503 Service "
                            "Unavailable\n");
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Download, AnUnknownMirrorNameIsAUsageErrorThatListsTheKnownOnes) {
  const RunResult result = download({"testdev", "--mirror", "bigotaa"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "xfu: unknown --mirror \"bigotaa\"; expected a mirror this ROM is on: 127.0.0.1\n");
  EXPECT_EQ(server.log(), "[]");
  // A host none of the ROM's URLs is on would be ignored: refused, and so is an empty one.
  const RunResult elsewhere = download({"testdev", "--mirror", "mirror.example.com", "--dry-run"});
  EXPECT_EQ(elsewhere.exit_code, 2);
  EXPECT_EQ(
      elsewhere.err,
      "xfu: this ROM has no URL on --mirror \"mirror.example.com\"; expected a mirror this ROM is on: 127.0.0.1\n");
  EXPECT_EQ(download({"testdev", "--mirror", "", "--dry-run"}).err,
            "xfu: --mirror needs a value, not an empty one: Try this mirror first: bigota, cdnorg, hugeota, bn, "
            "aliyun, or another host one of the ROM's URLs is on\n");
  EXPECT_EQ(download({"testdev", "--mirror", "127.0.0.1", "--dry-run"}).exit_code, 0);
}

// With --md5 the catalog has nothing to add: a catalog that cannot be had does not stop the download.
TEST_F(Download, AUrlWithMd5NeedsNoCatalog) {
  const RunResult result = home.run({"--catalog", server.url("~status=500/catalog.json"), "download", server.url(name),
                                     "--md5", md5, "-o", out.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(count_of(server.log(), "catalog.json"), 0u) << server.log();
}

TEST_F(Download, ANamedCatalogThatCannotBeFetchedSaysWhatToDo) {
  const RunResult result = home.run(
      {"--catalog", server.url("~status=500/catalog.json"), "download", "testdev", "-o", out.string()});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(result.err.find("; check the catalog URL, or use --catalog builtin for the built-in copy\n"),
            std::string::npos)
      << result.err;
}

// Only http and https are fetched; any other scheme is neither a URL to follow nor a path to create.
TEST_F(Download, OtherSchemesAreUsageErrorsAndCreateNothing) {
  for (const std::string& url : std::vector<std::string>{"ftp://127.0.0.1/" + name, "file:///etc/passwd"}) {
    const RunResult result = download({url});
    EXPECT_EQ(result.exit_code, 2) << url;
    EXPECT_EQ(result.err, "xfu: only http and https URLs can be downloaded, not " + url + "\n");
  }
  EXPECT_TRUE(fs::is_empty(out));
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Download, AUrlThatNamesNoFileOrHasAVersionSaysWhatToType) {
  const RunResult bare = download({server.url("")});
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_EQ(bare.err, "xfu: cannot download " + server.url("") +
                          ": the URL names no file; give the URL of the ROM file itself (…/NAME.zip)\n");
  const RunResult versioned = download({server.url(name), "1.0"});
  EXPECT_EQ(versioned.exit_code, 2);
  EXPECT_EQ(versioned.err, "xfu: a URL cannot be followed by a VERSION: the URL names the file; drop \"1.0\"\n");
}

// A URL or a package name is one file: a filter or a second output would be silently ignored.
TEST_F(Download, FiltersAndContradictoryOutputsAreUsageErrors) {
  const RunResult url = download({server.url(name), "--type", "fastboot"});
  EXPECT_EQ(url.exit_code, 2);
  EXPECT_EQ(url.err, "xfu: --type does not apply to a URL, which names one file; drop --type, or give a CODENAME to "
                     "choose among files\n");
  const RunResult file = download({name, "--branch", "stable", "--dry-run"});
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_EQ(file.err, "xfu: --branch does not apply to a package name, which names one file; drop --branch, or give a "
                      "CODENAME to choose among files\n");
  const RunResult both = download({"testdev", "--dry-run", "--print-url"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err, "xfu: --print-url and --dry-run print different things; drop one of them\n");
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(Download, APackageNameIsLookedUpInTheCatalog) {
  const RunResult result = download({name});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, (out / name).string() + "\n");
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_NE(result.err.find("MD5 OK (catalog)"), std::string::npos) << result.err;
  fs::remove(out / name);
  EXPECT_EQ(download({"./" + name}).exit_code, 0);
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
  const RunResult unknown = download({"miui_NOPE_2.0_9876543210_12.0.tgz"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_EQ(unknown.err,
            "xfu: no ROM in the catalog has the package name \"miui_NOPE_2.0_9876543210_12.0.tgz\"; xfu list "
            "CODENAME shows a device's package names\n");
}

TEST_F(Download, AMisspeltPackageNameSuggestsTheNearestOne) {
  const RunResult typo = download({"miui_TESTGlobl_1.0_0123456789_9.0.zip"});
  EXPECT_EQ(typo.exit_code, 3);
  EXPECT_EQ(typo.err,
            "xfu: no ROM in the catalog has the package name \"miui_TESTGlobl_1.0_0123456789_9.0.zip\"; did you mean "
            "'" +
                name + "'?\n");
  EXPECT_TRUE(fs::is_empty(out));
}

// On the built-in catalog's 58k records: a wrong digit of the MD5 prefix, a letter left out of the device.
TEST_F(Download, AMisspeltPackageNameSuggestsTheNearestFromTheBuiltinCatalog) {
  const auto builtin = [&](const std::string& target) {
    return home.run({"--catalog", "builtin", "download", target, "-o", out.string()}, 120);
  };
  const RunResult digit = builtin("miui_MI8Global_8.12.7_c18aad4fc5_9.0.zip");
  EXPECT_EQ(digit.exit_code, 3);
  EXPECT_EQ(digit.err, "xfu: no ROM in the catalog has the package name \"miui_MI8Global_8.12.7_c18aad4fc5_9.0.zip\"; "
                       "did you mean 'miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip'?\n");
  const RunResult letter = builtin("miui_MI8Globl_8.12.7_c18aad4fc4_9.0.zip");
  EXPECT_EQ(letter.exit_code, 3);
  EXPECT_EQ(letter.err, "xfu: no ROM in the catalog has the package name \"miui_MI8Globl_8.12.7_c18aad4fc4_9.0.zip\"; "
                        "did you mean 'miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip'?\n");
  EXPECT_TRUE(fs::is_empty(out));
}

// -o through a link that points nowhere: mkdir -p would only say "File exists".
TEST_F(Download, AnOutputPathThatIsADanglingLinkIsRefused) {
  fs::create_directory_symlink(home.root() / "missing", out / "x");
  const RunResult dangling = home.run({"download", "testdev", "-o", (out / "x").string()}, 90);
  EXPECT_EQ(dangling.exit_code, 6);
  EXPECT_EQ(dangling.err, "xfu: cannot write to " + (out / "x").string() + ": it is a symbolic link to " +
                              (home.root() / "missing").string() + ", which does not exist\n");
  const RunResult below = home.run({"download", "testdev", "-o", (out / "x" / "sub").string()}, 90);
  EXPECT_EQ(below.exit_code, 6);
  EXPECT_EQ(below.err, "xfu: cannot write to " + (out / "x" / "sub").string() + ": " + (out / "x").string() +
                           " is a symbolic link to " + (home.root() / "missing").string() + ", which does not exist\n");
  EXPECT_FALSE(fs::exists(home.root() / "missing"));
}

// A link to a directory that exists is followed: the file lands in the directory it points to.
TEST_F(Download, AnOutputPathThatLinksToADirectoryIsFollowed) {
  fs::create_directory(home.root() / "real");
  fs::create_directory_symlink(home.root() / "real", home.root() / "link");
  const RunResult result = home.run({"download", "testdev", "-o", (home.root() / "link").string()}, 90);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(home.root() / "real" / name), md5);
  EXPECT_TRUE(fs::is_symlink(home.root() / "link"));
}

TEST_F(Download, APathEndingInAPackageNameSavesThere) {
  const RunResult result = home.run({"download", (out / name).string()}, 90);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, (out / name).string() + "\n");
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, AMissingOutputDirectoryIsMade) {
  const fs::path nested = out / "roms" / "testdev";
  const RunResult result = home.run({"download", "testdev", "-o", nested.string()}, 90);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(nested / name), md5);
  write_text(out / "plain-file", "x");
  const RunResult blocked = home.run({"download", "testdev", "-o", (out / "plain-file" / "sub").string()}, 90);
  EXPECT_EQ(blocked.exit_code, 6);
  EXPECT_EQ(blocked.err, "xfu: cannot create " + (out / "plain-file" / "sub").string() + ": Not a directory\n");
  EXPECT_FALSE(fs::exists(out / "plain-file" / "sub"));
}

// --offline: neither the catalog nor the file is fetched; only a file already there and verified will do.
TEST_F(Download, OfflineNeverTouchesTheNetwork) {
  write_text(server.root() / "catalog.json", read_text(home.root() / "catalog.json"));
  home.env["XFU_CATALOG"] = server.url("catalog.json");
  ASSERT_EQ(home.run({"list", "testdev"}).exit_code, 0);  // the catalog is cached
  server.reset_log();
  const RunResult offline = home.run({"--offline", "download", "testdev", "-o", out.string()}, 90);
  EXPECT_EQ(offline.exit_code, 4);
  const std::string refusal = "xfu: cannot download " + name + " while offline (--offline): no verified copy is in ";
  EXPECT_EQ(offline.err, refusal + out.string() + ", and fetching one needs the network\n");
  EXPECT_TRUE(fs::is_empty(out));
  const RunResult nowhere = home.run({"--offline", "download", "testdev", "-o", (out / "new").string()}, 90);
  EXPECT_EQ(nowhere.exit_code, 4);
  EXPECT_EQ(nowhere.err, refusal + (out / "new").string() + ", and fetching one needs the network\n");
  EXPECT_TRUE(fs::is_empty(out));  // not even the directory is made
  fs::copy_file(server.root() / name, out / name);
  const RunResult there = home.run({"--offline", "download", "testdev", "-o", out.string()}, 90);
  EXPECT_EQ(there.exit_code, 0) << there.err;
  EXPECT_NE(there.err.find(name + " is already there and verified (catalog)"), std::string::npos) << there.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Download, AlreadyThereIsNotDownloadedAgain) {
  ASSERT_EQ(download({"testdev"}).exit_code, 0);
  server.reset_log();
  const RunResult again = download({"testdev"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find(name + " is already there and verified (catalog); nothing to download"), std::string::npos)
      << again.err;
  EXPECT_EQ(server.log(), "[]");
  const RunResult forced = download({"testdev", "--force"});
  EXPECT_EQ(forced.exit_code, 0);
  EXPECT_EQ(count_of(server.log(), "GET"), 1u);
  // A file at NAME that does not verify is replaced.
  write_text(out / name, "not the rom");
  const RunResult replaced = download({"testdev"});
  EXPECT_EQ(replaced.exit_code, 0);
  EXPECT_EQ(count_of(replaced.err, "is there but does not match its checksum; downloading it again"), 1u)
      << replaced.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(Download, InterruptKeepsThePartAndTheNextRunResumes) {
  write_catalog(server.url("~slow=20/" + name), {}, md5);
  auto running = home.start({"download", "testdev", "-o", out.string()});
  for (int i = 0; i < 100 && (!fs::exists(out / (name + ".part")) || fs::file_size(out / (name + ".part")) < 100000);
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  running->signal(SIGINT);
  const RunResult stopped = running->wait(10);
  EXPECT_EQ(stopped.exit_code, 130) << stopped.err;
  EXPECT_LT(stopped.seconds, 1.5);
  EXPECT_NE(stopped.err.find("interrupted; " + name + ".part is kept, and the same command resumes it"),
            std::string::npos)
      << stopped.err;
  const uint64_t kept = fs::file_size(out / (name + ".part"));
  EXPECT_GT(kept, 0u);
  EXPECT_TRUE(fs::exists(out / (name + ".part.state")));

  write_catalog(server.url(name), {}, md5);
  server.reset_log();
  const RunResult resumed = download({"testdev"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_NE(server.log().find("\"Range\": \"bytes=" + std::to_string(kept) + "-\""), std::string::npos);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, TwoRunsAtOnceDoNotCorruptTheFile) {
  write_catalog(server.url("~slow=5/" + name), {}, md5);
  auto first = home.start({"download", "testdev", "-o", out.string()});
  auto second = home.start({"download", "testdev", "-o", out.string()});
  const RunResult a = first->wait(60), b = second->wait(60);
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(count_of(a.err + b.err, "already there"), 1u) << a.err << b.err;
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, HostileNamesNeverLeaveTheTargetDirectory) {
  const RunResult url = download({server.url("..%2F..%2Fevil.zip")});
  EXPECT_EQ(url.exit_code, 2);
  EXPECT_NE(url.err.find("file name contains \"..\""), std::string::npos) << url.err;
  name = "../../evil.zip";
  write_catalog(server.url("evil.zip"), {}, md5);
  const RunResult record = download({"testdev"});
  EXPECT_EQ(record.exit_code, 3);
  EXPECT_NE(record.err.find("skipped 1 invalid catalog record"), std::string::npos) << record.err;
  EXPECT_TRUE(fs::is_empty(out));
  EXPECT_FALSE(fs::exists(home.root() / "evil.zip"));
}

TEST_F(Download, ByUrlVerifiesWithTheCatalogOrTheNamePrefix) {
  const RunResult by_catalog = download({server.url(name)});
  EXPECT_EQ(by_catalog.exit_code, 0) << by_catalog.err;
  EXPECT_NE(by_catalog.err.find("MD5 OK (catalog)"), std::string::npos);
  const std::string prefixed = "miui_TESTGlobal_1.0_" + md5.substr(0, 10) + "_9.0.zip";
  fs::copy_file(server.root() / name, server.root() / prefixed);
  const RunResult by_prefix = download({server.url(prefixed + "?t=123&s=abc")});
  EXPECT_EQ(by_prefix.exit_code, 0) << by_prefix.err;
  EXPECT_NE(by_prefix.err.find("MD5 prefix OK (name-prefix)"), std::string::npos) << by_prefix.err;
  EXPECT_EQ(md5sum_of(out / prefixed), md5);
  const RunResult name_only = download({server.url(prefixed), "--require-md5", "--force"});
  EXPECT_EQ(name_only.exit_code, 3);
  EXPECT_EQ(name_only.err, "xfu: only the MD5 prefix in its name (40 bits) is known for " + prefixed +
                               ", and --require-md5 asks for a full MD5; give one with --md5\n");
  fs::copy_file(server.root() / name, server.root() / "plain.zip");
  const RunResult refused = download({server.url("plain.zip"), "--require-md5"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_FALSE(fs::exists(out / "plain.zip"));
  const RunResult unverified = download({server.url("plain.zip")});
  EXPECT_EQ(unverified.exit_code, 0);
  EXPECT_NE(unverified.err.find("no checksum is known for plain.zip: it will be downloaded but not verified"),
            std::string::npos);
  const RunResult flagged = download({server.url("plain.zip"), "--md5", "0123456789abcdef0123456789abcdef", "--force"});
  EXPECT_EQ(flagged.exit_code, 1);
}

TEST_F(Download, DryRunAndPrintUrl) {
  const RunResult dry = download({"testdev", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0);
  EXPECT_EQ(dry.out, "would download " + name + " (3.0 MB)\n  to    " + (out / name).string() + "\n  from  " +
                         server.url(name) + "\n  md5   " + md5 + " (catalog)\n");
  const RunResult json = download({"testdev", "--dry-run", "--json"});
  EXPECT_NE(json.out.find("\"urls\": [\n    \"" + server.url(name) +
                          "\"\n  ],\n  \"mirrors_together\": false,\n  \"measured_bytes_per_second\": {},\n  "
                          "\"expected\": \"" +
                          md5 + "\",\n  \"source\": \"catalog\""),
            std::string::npos)
      << json.out;
  EXPECT_EQ(download({"testdev", "--print-url"}).out, server.url(name) + "\n");
  EXPECT_TRUE(fs::is_empty(out));
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Download, SeveralMatchingFilesAreListedWithTheFlagsThatTellThemApart) {
  const RunResult result = home.run({"--catalog", "builtin", "download", "dipper", "8.12.7", "--dry-run"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("xfu: 4 files match; choose one with --type or --region\n"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"), std::string::npos);
  const RunResult one = home.run(
      {"--catalog", "builtin", "download", "cancro", "7.12.8", "--type", "recovery", "--dry-run"});
  EXPECT_EQ(one.exit_code, 0) << one.err;  // one file, listed under two device names
  EXPECT_NE(one.out.find("miui_MI3WMI4WGlobal_7.12.8_7d3da38965_6.0.zip"), std::string::npos);
  EXPECT_NE(one.out.find("https://cdnorg.d.miui.com/7.12.8/miui_MI3WMI4WGlobal_7.12.8_7d3da38965_6.0.zip"),
            std::string::npos)
      << one.out;
}

TEST_F(Download, AFullDiskKeepsThePartForResuming) {
  // RLIMIT_FSIZE stands in for a full disk: writes past 1,024,000 bytes fail.
  const std::string command = "ulimit -f 1000; exec " + std::string(XFU_BINARY) + " download testdev -o " +
                              out.string();
  const RunResult full = run_process({"/bin/sh", "-c", command}, home.env, 60);
  EXPECT_EQ(full.exit_code, 6) << full.err;
  EXPECT_NE(full.err.find("xfu: cannot write " + (out / (name + ".part")).string() +
                          ": File too large; the partial download is kept and resumes once this is fixed\n"),
            std::string::npos)
      << full.err;
  const uint64_t kept = fs::file_size(out / (name + ".part"));
  EXPECT_GT(kept, 0u);
  EXPECT_LE(kept, 1024000u);
  EXPECT_TRUE(fs::exists(out / (name + ".part.state")));
  EXPECT_FALSE(fs::exists(out / name));
  const RunResult resumed = download({"testdev"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming " + name + ": "), std::string::npos) << resumed.err;
  EXPECT_NE(resumed.err.find(" of 3.0 MB already here\n"), std::string::npos) << resumed.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

// A mounted tmpfs of `megabytes` at `path`, unmounted when done; `mounted`
// is false where mounting is not allowed (not root, or a container without
// the capability).
struct SmallTmpfs {
  static inline const std::map<std::string, std::string> kEnv{{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}};
  std::filesystem::path path;
  bool mounted = false;
  SmallTmpfs(std::filesystem::path at, int megabytes) : path(std::move(at)) {
    mounted = ::geteuid() == 0 && fs::exists("/bin/mount") &&
              run_process({"/bin/mount", "-t", "tmpfs", "-o", "size=" + std::to_string(megabytes) + "m", "tmpfs",
                           path.string()},
                          kEnv)
                      .exit_code == 0;
  }
  bool grow(int megabytes) const {
    return run_process({"/bin/mount", "-o", "remount,size=" + std::to_string(megabytes) + "m", path.string()}, kEnv)
               .exit_code == 0;
  }
  ~SmallTmpfs() {
    if (mounted) run_process({"/bin/umount", path.string()}, kEnv);
  }
};

TEST_F(Download, ARealFullDiskEndsWithExit6AndResumesOnceThereIsRoom) {
  const SmallTmpfs disk(out, 2);  // the file is 3 MB: NAME.part, then its state, find no room
  if (!disk.mounted) GTEST_SKIP() << "needs root and tmpfs mounts";
  const RunResult full = download({"testdev"});
  EXPECT_EQ(full.exit_code, 6) << full.err;
  EXPECT_NE(full.err.find("No space left on device; the partial download is kept"), std::string::npos) << full.err;
  EXPECT_EQ(full.err.find("terminate"), std::string::npos) << full.err;
  EXPECT_FALSE(fs::exists(out / name));
  for (const auto& entry : fs::directory_iterator(out))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
  ASSERT_TRUE(disk.grow(8));
  const RunResult resumed = download({"testdev"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_FALSE(leftovers());
}

TEST_F(Download, LocalProblemsAreExit6) {
  const RunResult unwritable = home.run({"download", "testdev", "-o", "/sys"});
  EXPECT_EQ(unwritable.exit_code, 6);
  EXPECT_EQ(unwritable.err, "xfu: cannot open /sys/" + name + ".part: Permission denied\n");
  fs::create_directories(out / name);
  const RunResult is_dir = download({"testdev"});
  EXPECT_EQ(is_dir.exit_code, 6);
  EXPECT_EQ(is_dir.err, "xfu: " + (out / name).string() + " is a directory\n");
}

TEST_F(Download, ProxiesFromTheEnvironment) {
  // The test server answers a proxy's absolute-form requests from its own files.
  home.env["http_proxy"] = server.url("").substr(0, server.url("").size() - 1);
  const RunResult result = download({"http://rom.example.invalid/" + name});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_NE(server.log().find("\"path\": \"http://rom.example.invalid/" + name + "\""), std::string::npos)
      << server.log();
}

TEST_F(Download, LimitRateSlowsTheTransfer) {
  // Unlimited, 3 MB from 127.0.0.1 takes milliseconds; at 500 KiB/s it takes
  // seconds even with libcurl's initial burst. The bound is far from both.
  const RunResult result = download({"testdev", "--limit-rate", "500K"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GE(result.seconds, 2.0);
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(download({"testdev", "--limit-rate", "fast"}).exit_code, 2);
}

TEST_F(Download, ProgressOnATerminalAndASummaryOtherwise) {
  write_catalog(server.url("~slow=2/" + name), {}, md5);
  home.env["TERM"] = "xterm";
  const std::string command = std::string(XFU_BINARY) + " download testdev -o " + out.string();
  const std::string screen = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env, 60).out;
  EXPECT_NE(screen.find("\r\x1b[Kmiui_TESTGlobal_1.0_"), std::string::npos) << screen;
  EXPECT_NE(screen.find("...  "), std::string::npos) << screen;  // 80 columns: the name gives way
  EXPECT_NE(screen.find(" / 3.0 MB  "), std::string::npos) << screen;
  EXPECT_NE(screen.find("  127.0.0.1"), std::string::npos) << screen;
  EXPECT_NE(screen.find("ETA "), std::string::npos) << screen;
  fs::remove(out / name);
  write_catalog(server.url(name), {}, md5);
  const RunResult plain = download({"testdev"});
  EXPECT_EQ(plain.err.find('\r'), std::string::npos);
  // The summary, then what the package holds: these test bytes are no archive, which a ROM's zip would be.
  EXPECT_EQ(std::count(plain.err.begin(), plain.err.end(), '\n'), 2) << plain.err;
  EXPECT_NE(plain.err.find("\nxfu: warning: cannot read what the package holds: not a readable archive"),
            std::string::npos)
      << plain.err;
  const RunResult quiet = download({"testdev", "--force", "-q"});
  EXPECT_EQ(quiet.exit_code, 0);
  // --quiet keeps warnings: these test bytes are no readable package.
  EXPECT_EQ(quiet.out + quiet.err,
            "xfu: warning: cannot read what the package holds: not a readable archive: Unrecognized archive format\n");
}

TEST(DownloadFromNginx, EndToEnd) {
  Nginx nginx;
  XfuHome home;
  const std::string name = "dipper_global_images_1.0_20260101.0000.00_9.0_global_0000000000.tgz";
  write_pattern_file(nginx.root() / name, 20'000'000);
  const std::string md5 = md5sum_of(nginx.root() / name);
  const RunResult result = home.run(
      {"--catalog", "builtin", "download", nginx.url(name), "--md5", md5, "-o", home.root().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(home.root() / name), md5);
  EXPECT_NE(nginx.access_log().find("GET /" + name + " HTTP/1.1\" 200 20000000"), std::string::npos)
      << nginx.access_log();
  // Resume against nginx: cut the file short, keep the state, and run again.
  const RunResult again = home.run(
      {"--catalog", "builtin", "download", nginx.url(name), "--md5", md5, "-o", home.root().string()});
  EXPECT_NE(again.err.find("already there"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace xfu::test
