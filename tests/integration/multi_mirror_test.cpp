// xfu download spread over several mirrors at once: several test servers on
// 127.0.0.1 (each port one mirror) serve the same file, each with its own
// fault; every result checked with the real md5sum.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/download_fixture.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t MiB = 1 << 20;
constexpr uint64_t kSize = 32 * MiB;

class MultiMirror : public DownloadFixture {
 protected:
  MultiMirror() : DownloadFixture("miui_TESTGlobal_3.0_0123456789_12.0.zip") {}

  std::vector<std::unique_ptr<TestServer>> servers;

  // `count` servers, each with the same file.
  void start_servers(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      servers.push_back(std::make_unique<TestServer>());
      write_pattern_file(servers.back()->root() / name, kSize);
    }
    md5 = md5sum_of(servers.front()->root() / name);
  }

  // The record's link is the first URL, its mirrors the others.
  void catalog(const std::vector<std::string>& urls) {
    const DownloadRecord record{.codename = "mirdev_global",
                                .device = "Mirror Phone",
                                .version = "3.0",
                                .size = "33.6 MB",
                                .with_mirrors = true};
    write_text(home.root() / "catalog.json",
               one_record_catalog(record, name, urls.front(), {urls.begin() + 1, urls.end()}, md5));
    home.env["XFU_CATALOG"] = (home.root() / "catalog.json").string();
  }

  // Server `i`'s URL for the file behind `behaviours` ("~slow=50/").
  std::string url(size_t i, const std::string& behaviours = "") const { return servers[i]->url(behaviours + name); }

  std::string host(size_t i) const {
    const std::string full = servers[i]->url("");
    return full.substr(std::string("http://").size(), full.size() - std::string("http://").size() - 1);
  }

  // The GETs server `i` saw for the file.
  size_t requests(size_t i) const {
    size_t count = 0;
    for (const auto& entry : nlohmann::json::parse(servers[i]->log()))
      if (entry["method"] == "GET" && entry["path"].get<std::string>().ends_with(name)) ++count;
    return count;
  }

  RunResult download(std::vector<std::string> args = {}) { return run_download({"mirdev"}, args, 120); }

  void expect_the_file(const RunResult& result) const {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(md5sum_of(out / name), md5);
    EXPECT_FALSE(leftovers());
  }
};

TEST_F(MultiMirror, BytesComeFromEveryMirror) {
  start_servers(3);
  catalog({url(0), url(1), url(2)});
  const RunResult result = download();
  expect_the_file(result);
  for (size_t i = 0; i < servers.size(); ++i) EXPECT_GE(requests(i), 1u) << i << "\n" << servers[i]->log();
  // After the first plain GET, each request is a range guarded by that mirror's own validator.
  for (size_t i = 1; i < servers.size(); ++i)
    EXPECT_NE(servers[i]->log().find("\"Range\": \"bytes="), std::string::npos) << servers[i]->log();
}

TEST_F(MultiMirror, AMirrorAnswering404IsAskedOnce) {
  start_servers(3);
  catalog({url(0), url(1, "missing/"), url(2)});
  const RunResult result = download();
  expect_the_file(result);
  EXPECT_EQ(requests(1), 1u) << servers[1]->log();
  EXPECT_NE(result.err.find("xfu: note: " + host(1) + ": HTTP 404 Not Found; going on with the other mirrors\n"),
            std::string::npos)
      << result.err;
  EXPECT_GE(requests(2), 1u);
}

TEST_F(MultiMirror, AMirrorDroppingConnectionsHasItsWorkFinishedByOthers) {
  start_servers(3);
  catalog({url(0), url(1, "~drop=200000/"), url(2)});
  const RunResult result = download();
  expect_the_file(result);
  EXPECT_GE(requests(0), 2u) << servers[0]->log();
  EXPECT_GE(requests(2), 1u) << servers[2]->log();
}

TEST_F(MultiMirror, AHardThrottledMirrorServesLittleAndDoesNotHoldTheTail) {
  start_servers(3);
  catalog({url(0), url(1, "~slow=50/"), url(2)});  // about 80 KB/s
  const RunResult result = download();
  expect_the_file(result);
  // Its probe is cut short once it proves slow, and it gets no more work.
  EXPECT_LE(requests(1), 2u) << servers[1]->log();
  EXPECT_GE(requests(0) + requests(2), 8u);
}

TEST_F(MultiMirror, AMirrorWithAnotherSizeIsDropped) {
  start_servers(3);
  write_pattern_file(servers[1]->root() / name, kSize - 4096);
  catalog({url(0), url(1), url(2)});
  const RunResult result = download();
  expect_the_file(result);
  EXPECT_EQ(requests(1), 1u) << servers[1]->log();
  EXPECT_NE(result.err.find("xfu: note: " + host(1) + ": the remote file's size changed from " + std::to_string(kSize) +
                            " to " + std::to_string(kSize - 4096) + " bytes; going on with the other mirrors\n"),
            std::string::npos)
      << result.err;
}

TEST_F(MultiMirror, AMirrorWithOtherBytesFailsTheMd5AndTheFileIsFetchedOneMirrorAtATime) {
  start_servers(3);
  // Same size, a different byte in every 64 KiB: whatever it sends is wrong.
  {
    std::fstream file(servers[1]->root() / name, std::ios::in | std::ios::out | std::ios::binary);
    for (uint64_t at = 1000; at < kSize; at += 64 << 10) {
      file.seekg(static_cast<std::streamoff>(at));
      const char byte = static_cast<char>(file.get() ^ 0xFF);
      file.seekp(static_cast<std::streamoff>(at));
      file.put(byte);
    }
  }
  catalog({url(0), url(1), url(2)});
  const RunResult result = download();
  expect_the_file(result);
  EXPECT_GE(requests(1), 1u);
  EXPECT_NE(result.err.find(", not " + md5 + "; fetching it again one mirror at a time\n"), std::string::npos)
      << result.err;
  // Once the copy from one mirror verified, the ranges of the mix show who sent the wrong bytes.
  EXPECT_NE(result.err.find(" from " + host(1) + " did not match the file\n"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(" from " + host(0) + " did not match"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(" from " + host(2) + " did not match"), std::string::npos) << result.err;
}

TEST_F(MultiMirror, InterruptedThenResumedOnSeveralMirrors) {
  start_servers(3);
  catalog({url(0, "~slow=2/"), url(1, "~slow=2/"), url(2, "~slow=2/")});
  auto running = home.start({"download", "mirdev", "-o", out.string()});
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
  for (int i = 0; i < 400 && partly_done() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  running->signal(SIGINT);
  const RunResult stopped = running->wait(20);
  EXPECT_EQ(stopped.exit_code, 130) << stopped.err;
  ASSERT_TRUE(fs::exists(out / (name + ".part")));
  // Each mirror's own validator is kept, so each resumes with its own If-Range.
  const auto state = nlohmann::json::parse(read_text(state_path));
  EXPECT_GE(state["mirrors"].size(), 2u) << state.dump();
  for (size_t i = 0; i < servers.size(); ++i) {
    EXPECT_GE(requests(i), 1u) << i;
    servers[i]->reset_log();
  }
  const RunResult resumed = download();
  expect_the_file(resumed);
  EXPECT_NE(resumed.err.find("resuming " + name + ": "), std::string::npos) << resumed.err;
  for (size_t i = 0; i < servers.size(); ++i) EXPECT_GE(requests(i), 1u) << i << "\n" << servers[i]->log();
  // Nothing done before is fetched again from the start.
  EXPECT_EQ(count_of(servers[0]->log(), "\"Range\": \"bytes=0-"), 0u) << servers[0]->log();
}

}  // namespace
}  // namespace xfu::test

namespace xfu::test {
namespace {

// What a download measured is remembered in the cache, and the next one
// starts on the mirror that was fastest; --dry-run shows it.
TEST_F(MultiMirror, MeasuredSpeedsAreRememberedAndTheFastestComesFirst) {
  start_servers(2);
  catalog({url(0), url(1)});
  expect_the_file(download());
  const fs::path memory = home.root() / "cache" / "xfu" / "mirror-speeds.json";
  ASSERT_TRUE(fs::exists(memory));
  const auto hosts = nlohmann::json::parse(read_text(memory))["hosts"];
  size_t remembered = 0;
  for (size_t i = 0; i < servers.size(); ++i)
    if (hosts.contains(host(i))) {
      ++remembered;
      EXPECT_GT(hosts[host(i)]["bytes_per_second"].get<double>(), 0) << hosts.dump();
    }
  EXPECT_GE(remembered, 1u) << hosts.dump();

  // Server 1 was fast a day ago, server 0 slow: server 1 comes first, and the dry run says so.
  const int64_t a_day_ago = static_cast<int64_t>(std::time(nullptr)) - 24 * 3600;
  nlohmann::json speeds{{"version", 1},
                        {"hosts",
                         {{host(0), {{"bytes_per_second", 1000000}, {"measured_at", a_day_ago}}},
                          {host(1), {{"bytes_per_second", 50000000}, {"measured_at", a_day_ago}}}}}};
  write_text(memory, speeds.dump());
  const RunResult dry = run_download({"mirdev"}, {"--dry-run"}, 30);
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  const std::string expected_start = "  from  " + url(1) + "  (50.0 MB/s before)\n        " + url(0) +
                                     "  (1.0 MB/s before)\n  using these mirrors together";
  EXPECT_NE(dry.out.find(expected_start), std::string::npos) << dry.out;
  // --mirror still chooses where to start.
  const RunResult chosen = run_download({"mirdev"}, {"--dry-run", "--mirror", host(0).substr(0, host(0).find(':'))},
                                        30);
  EXPECT_NE(chosen.out.find("  from  " + url(0)), std::string::npos) << chosen.out << chosen.err;
}

}  // namespace
}  // namespace xfu::test
