// xfu download over several connections: the real binary against the
// fault-injecting server (each fault aimed at one segment with ~at=START)
// and against nginx; every result checked with the real md5sum.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/download_fixture.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t MiB = 1 << 20;

// "757.8 KB", "7.6 MB": how xfu writes sizes in its notes (decimal units, one decimal).
std::string decimal_size(uint64_t bytes) {
  char text[32];
  if (bytes < 999'950) std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1e3);
  else std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

// 8 MiB over 4 connections: 1 MiB chunks (the smallest), so segment starts
// are whole MiB and a fault can be aimed at one of them.
class SegmentedDownload : public ServedDownloadFixture {
 protected:
  SegmentedDownload()
      : ServedDownloadFixture("miui_TESTGlobal_2.0_0123456789_12.0.zip", 8 * MiB,
                              {.codename = "segdev_global",
                               .device = "Seg Phone",
                               .version = "2.0",
                               .size = "8.4 MB",
                               .with_mirrors = false}) {}

  // The catalog's link for the file: `path` on the test server.
  void serve(const std::string& path) { write_catalog(server.url(path), {}, md5); }

  RunResult download(std::vector<std::string> args = {}) { return run_download({"segdev", "-c", "4"}, args, 90); }

  std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> list;
    for (const auto& entry : nlohmann::json::parse(server.log())) list.push_back(entry);
    return list;
  }

  static std::string range_of(const nlohmann::json& request) { return request["headers"].value("Range", ""); }

  bool only_the_file() const { return !leftovers() && fs::exists(out / name); }
};

TEST_F(SegmentedDownload, ChunksComeOverSeveralConnectionsEachGuardedByIfRange) {
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_TRUE(only_the_file());
  const auto log = requests();
  ASSERT_GE(log.size(), 4u);
  EXPECT_EQ(range_of(log[0]), "");  // a plain GET finds out the size and that ranges work
  std::set<std::string> ranges;
  for (size_t i = 1; i < log.size(); ++i) {
    ranges.insert(range_of(log[i]));
    EXPECT_EQ(log[i]["headers"].value("If-Range", ""), "\"" + md5 + "\"") << log[i].dump();
  }
  for (uint64_t chunk = 1; chunk < 7; ++chunk)
    EXPECT_EQ(ranges.count("bytes=" + std::to_string(chunk * MiB) + "-" + std::to_string((chunk + 1) * MiB - 1)), 1u)
        << chunk;
}

TEST_F(SegmentedDownload, ADroppedSegmentGoesOnFromWhereItStopped) {
  serve("~at=2097152/~drop=100000/" + name);
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_NE(result.err.find("; resuming at 2.2 MB\n"), std::string::npos) << result.err;  // byte 2197152
  EXPECT_NE(server.log().find("\"Range\": \"bytes=2197152-3145727\""), std::string::npos) << server.log();
  EXPECT_TRUE(only_the_file());
}

TEST_F(SegmentedDownload, A503ToOneSegmentIsRetriedWhileTheOthersGoOn) {
  serve("~at=3145728/~fail-first=1/" + name);
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_EQ(count_of(result.err, "HTTP 503 Service Unavailable; retrying in 1 s"), 1u) << result.err;
  EXPECT_EQ(count_of(server.log(), "\"Range\": \"bytes=3145728-"), 2u) << server.log();
  EXPECT_TRUE(only_the_file());
}

TEST_F(SegmentedDownload, A200ToASegmentFallsBackToOneConnectionFromZero) {
  serve("~at=2097152/~ignore-range/" + name);
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_NE(result.err.find("the server sent the whole file instead of the rest"), std::string::npos) << result.err;
  // That whole-file answer becomes the one connection: the 8 chunks would
  // take at least 8 requests, the fallback stops asking after the few in flight.
  EXPECT_EQ(count_of(server.log(), "\"Range\": \"bytes=2097152-"), 1u) << server.log();
  EXPECT_LT(requests().size(), 8u) << server.log();
  EXPECT_TRUE(only_the_file());
}

TEST_F(SegmentedDownload, ACorruptedSegmentFailsTheMd5AndIsMovedAside) {
  serve("~corrupt=5000000/" + name);
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_FALSE(fs::exists(out / name));
  ASSERT_TRUE(fs::exists(out / (name + ".corrupt")));
  const std::string actual = md5sum_of(out / (name + ".corrupt"));
  EXPECT_NE(actual, md5);
  EXPECT_NE(result.err.find("MD5 mismatch: expected " + md5 + " (catalog), got " + actual), std::string::npos)
      << result.err;
  serve(name);
  const RunResult again = download();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

TEST_F(SegmentedDownload, InterruptedWithSeveralSegmentsPartlyDoneThenResumed) {
  serve("~slow=20/" + name);  // about 200 KB/s per connection
  auto running = home.start({"download", "segdev", "-c", "4", "-o", out.string()});
  const fs::path state_path = out / (name + ".part.state");
  const auto partly_done = [&] {
    try {
      size_t partial = 0;
      const auto state = nlohmann::json::parse(read_text(state_path));
      for (const auto& segment : state["segments"])
        if (segment[1] > segment[0] && segment[1] < segment[2]) ++partial;
      return partial;
    } catch (const std::exception&) {
      return size_t{0};
    }
  };
  for (int i = 0; i < 200 && partly_done() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  running->signal(SIGINT);
  const RunResult stopped = running->wait(10);
  EXPECT_EQ(stopped.exit_code, 130) << stopped.err;
  EXPECT_NE(stopped.err.find("interrupted; " + name + ".part is kept, and the same command resumes it"),
            std::string::npos)
      << stopped.err;
  EXPECT_EQ(fs::file_size(out / (name + ".part")), size);  // preallocated
  const auto state = nlohmann::json::parse(read_text(state_path));
  EXPECT_EQ(state["version"], 2);
  EXPECT_EQ(state["total"], size);
  std::vector<uint64_t> resume_points;
  uint64_t done = 0;
  for (const auto& segment : state["segments"]) {
    done += segment[1].get<uint64_t>() - segment[0].get<uint64_t>();
    if (segment[1] > segment[0] && segment[1] < segment[2]) resume_points.push_back(segment[1]);
  }
  ASSERT_GE(resume_points.size(), 3u) << state.dump();

  serve(name);
  server.reset_log();
  const RunResult resumed = download();
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  // In sizes a person reads, and the summary's rate counts only what this run fetched.
  EXPECT_NE(resumed.err.find("resuming " + name + ": " + decimal_size(done) + " of 8.4 MB already here\n"),
            std::string::npos)
      << resumed.err;
  EXPECT_NE(resumed.err.find("downloaded " + name + ": 8.4 MB, " + decimal_size(size - done) +
                             " of it fetched now in "),
            std::string::npos)
      << resumed.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  for (uint64_t point : resume_points)
    EXPECT_NE(server.log().find("\"Range\": \"bytes=" + std::to_string(point) + "-"), std::string::npos)
        << point << "\n"
        << server.log();
  EXPECT_EQ(count_of(server.log(), "\"Range\": \"bytes=0-"), 0u);  // nothing fetched twice from the start
  EXPECT_TRUE(only_the_file());
}

TEST_F(SegmentedDownload, AServerAllowingOneConnectionGetsOne) {
  serve("~one-at-a-time/" + name);
  const RunResult result = download();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_NE(result.err.find("HTTP 429 Too Many Requests; going on with 1 connection"), std::string::npos) << result.err;
  EXPECT_TRUE(only_the_file());
}

TEST_F(SegmentedDownload, ProgressCountsTheConnections) {
  serve("~slow=5/" + name);
  home.env["TERM"] = "xterm";
  const std::string command = std::string(XFU_BINARY) + " download segdev -c 4 -o " + out.string();
  const std::string screen = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env, 60).out;
  EXPECT_NE(screen.find("127.0.0.1, 4 connections"), std::string::npos) << screen;
  EXPECT_EQ(md5sum_of(out / name), md5);
}

// --limit-rate is one budget over all connections: paced, the chunks still
// come over several connections and the file is whole.
TEST_F(SegmentedDownload, ARateLimitKeepsSeveralConnectionsAndTheFileWhole) {
  const RunResult result = download({"--limit-rate", "16M"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(out / name), md5);
  EXPECT_TRUE(only_the_file());
  std::set<std::string> ranges;
  for (const auto& request : requests()) ranges.insert(range_of(request));
  EXPECT_GE(ranges.size(), 5u) << server.log();  // the first plain GET and the ranged chunks
}

TEST_F(SegmentedDownload, ConnectionsOutOfRangeAreUsageErrors) {
  EXPECT_EQ(download({"-c", "0"}).exit_code, 2);
  EXPECT_EQ(home.run({"download", "segdev", "-c", "17"}).exit_code, 2);
}

// By default the split waits until the network is shown to be the limit:
// here nginx holds every connection to 16 MB/s after its first burst.
TEST(SegmentedDownloadFromNginx, LargeFilesFromAThrottlingServerGetFourConnectionsByDefault) {
  Nginx nginx({}, {}, "limit_rate 16m;");
  XfuHome home;
  const std::string name = "cepheus_global_images_V12.0.1.0_20260101.0000.00_10.0_global_0000000000.tgz";
  write_pattern_file(nginx.root() / name, 70 * MiB);
  const std::string md5 = md5sum_of(nginx.root() / name);
  const RunResult result = home.run(
      {"--catalog", "builtin", "download", nginx.url(name), "--md5", md5, "-o", home.root().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(home.root() / name), md5);
  const std::string log = nginx.access_log();
  EXPECT_EQ(count_of(log, "GET /" + name + " HTTP/1.1\" 200 "), 1u) << log;
  EXPECT_GE(count_of(log, "GET /" + name + " HTTP/1.1\" 206 "), 8u) << log;
}

// --limit-rate caps the total; it does not change how the file is fetched: far
// above what one throttled connection gets, it still opens four.
TEST(SegmentedDownloadFromNginx, ARateLimitAboveOneConnectionsSpeedKeepsTheExtraConnections) {
  Nginx nginx({}, {}, "limit_rate 16m;");
  XfuHome home;
  const std::string name = "cepheus_global_images_V12.0.1.0_20260101.0000.00_10.0_global_0000000000.tgz";
  write_pattern_file(nginx.root() / name, 70 * MiB);
  const std::string md5 = md5sum_of(nginx.root() / name);
  const RunResult result = home.run({"--catalog", "builtin", "download", nginx.url(name), "--md5", md5, "--limit-rate",
                                     "200M", "-o", home.root().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(md5sum_of(home.root() / name), md5);
  const std::string log = nginx.access_log();
  EXPECT_EQ(count_of(log, "GET /" + name + " HTTP/1.1\" 200 "), 1u) << log;
  EXPECT_GE(count_of(log, "GET /" + name + " HTTP/1.1\" 206 "), 8u) << log;
}

}  // namespace
}  // namespace xfu::test
