// The segment plan, the resume state file and the prefix hasher: the parts
// of a segmented download that need no network.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "core/hash.hpp"
#include "download/part_state.hpp"
#include "download/prefix_hasher.hpp"
#include "download/segments.hpp"

namespace xfu {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t MiB = 1 << 20;

using Ranges = std::vector<std::array<uint64_t, 3>>;

TEST(SegmentPlan, ConnectionsTakeChunksInOrder) {
  SegmentPlan plan(10 * MiB);
  const auto a = plan.assign(0, 4 * MiB, 256 << 10), b = plan.assign(1, 4 * MiB, 256 << 10),
             c = plan.assign(2, 4 * MiB, 256 << 10);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(plan.ranges(), (Ranges{{0, 0, 4 * MiB}, {4 * MiB, 4 * MiB, 8 * MiB}, {8 * MiB, 8 * MiB, 10 * MiB}}));
  EXPECT_EQ(plan.find(*c)->owner, 2);
}

TEST(SegmentPlan, TheHashablePrefixStopsAtTheFirstGap) {
  SegmentPlan plan(3 * MiB);
  const auto a = *plan.assign(0, MiB, 1), b = *plan.assign(1, MiB, 1), c = *plan.assign(2, MiB, 1);
  plan.advance(b, MiB);  // the second chunk is done before the first
  plan.advance(c, 10);
  EXPECT_EQ(plan.contiguous_prefix(), 0u);
  EXPECT_EQ(plan.done_bytes(), MiB + 10);
  plan.advance(a, MiB);
  EXPECT_EQ(plan.contiguous_prefix(), 2 * MiB + 10);  // done segments merged into the next
  EXPECT_EQ(plan.ranges(), (Ranges{{0, 2 * MiB + 10, 3 * MiB}}));
  EXPECT_FALSE(plan.complete());
  plan.advance(c, MiB - 10);
  EXPECT_TRUE(plan.complete());
}

TEST(SegmentPlan, AnIdleConnectionStealsHalfOfTheLargestRemainder) {
  SegmentPlan plan(8 * MiB);
  const auto a = *plan.assign(0, 4 * MiB, 256 << 10), b = *plan.assign(1, 4 * MiB, 256 << 10);
  plan.advance(a, 4 * MiB);
  plan.advance(b, MiB);
  plan.release(a);
  const auto stolen = plan.assign(0, 4 * MiB, 256 << 10);
  ASSERT_TRUE(stolen);
  EXPECT_EQ(plan.find(b)->end, 6 * MiB + MiB / 2);  // b keeps the lower half of its 3 MiB
  EXPECT_EQ(plan.find(*stolen)->start, 6 * MiB + MiB / 2);
  EXPECT_EQ(plan.find(*stolen)->end, 8 * MiB);
  // Too little left to be worth a request: nothing to take.
  SegmentPlan small(MiB);
  const auto only = *small.assign(0, MiB, 256 << 10);
  small.advance(only, MiB - 300000);
  EXPECT_FALSE(small.assign(1, MiB, 256 << 10));
}

TEST(SegmentPlan, AConnectionHelpsTheLowestSegmentWhenItLagsTooFarBehind) {
  SegmentPlan plan(64 * MiB);
  const uint64_t lead = 3 * MiB;
  const auto slow = *plan.assign(0, MiB, 1, lead), fast = *plan.assign(1, MiB, 1, lead);
  plan.advance(slow, MiB / 4);
  // The fast connection runs ahead while the lead allows it: new work each time.
  plan.advance(fast, MiB);
  plan.release(fast);
  const auto next = *plan.assign(1, MiB, 1, lead);
  EXPECT_EQ(plan.find(next)->pos, 2 * MiB);
  plan.advance(next, MiB);
  plan.release(next);
  const auto ahead = *plan.assign(1, MiB, 1, lead);
  EXPECT_EQ(plan.find(ahead)->pos, 3 * MiB);
  plan.advance(ahead, MiB);
  plan.release(ahead);
  // Free work now starts 4 MiB - 256 KiB past the slow segment's position,
  // more than the lead: the upper half of the slow segment comes first.
  const auto help = *plan.assign(1, MiB, 1, lead);
  EXPECT_EQ(plan.find(help)->pos, MiB / 4 + (3 * MiB / 4) / 2);
  EXPECT_EQ(plan.find(help)->end, MiB);
  EXPECT_EQ(plan.find(slow)->end, plan.find(help)->pos);
  // Without a lead limit the same plan hands out the next free chunk.
  EXPECT_EQ(plan.find(*plan.assign(2, MiB, 1))->pos, 4 * MiB);
}

TEST(SegmentPlan, AReleasedSegmentIsTakenAgainFromWhereItStopped) {
  SegmentPlan plan(4 * MiB);
  const auto a = *plan.assign(0, 2 * MiB, 1);
  plan.advance(a, 1000);
  plan.release(a);
  const auto again = *plan.assign(3, 2 * MiB, 1);
  EXPECT_EQ(plan.find(again)->pos, 1000u);
  EXPECT_EQ(plan.find(again)->owner, 3);
}

TEST(SegmentPlan, ShortenFreesTheRest) {
  SegmentPlan plan(4 * MiB);
  const auto a = *plan.assign(0, SegmentPlan::kUnknownEnd, 1);
  plan.shorten(a, MiB);
  EXPECT_EQ(plan.ranges(), (Ranges{{0, 0, MiB}, {MiB, MiB, 4 * MiB}}));
  EXPECT_EQ(plan.find(plan.segments()[1].id)->owner, -1);
}

TEST(SegmentPlan, AnUnknownSizeIsOneOpenSegment) {
  SegmentPlan plan;
  const auto a = *plan.assign(0, MiB, 1);
  plan.advance(a, 5 * MiB);
  EXPECT_FALSE(plan.complete());
  plan.set_total(5 * MiB);
  EXPECT_TRUE(plan.complete());
}

TEST(SegmentPlan, IdsAreNeverReusedAfterAReset) {
  SegmentPlan plan(MiB);
  const auto before = *plan.assign(0, MiB, 1);
  plan.reset(std::nullopt);
  EXPECT_EQ(plan.find(before), nullptr);
}

TEST(SegmentPlan, SavedRangesMustTileTheFile) {
  EXPECT_TRUE(SegmentPlan::from_ranges({{0, 10, 50}, {50, 60, 100}}, 100));
  EXPECT_FALSE(SegmentPlan::from_ranges({}, 100));
  EXPECT_FALSE(SegmentPlan::from_ranges({{0, 10, 50}}, 100));                 // short of the total
  EXPECT_FALSE(SegmentPlan::from_ranges({{0, 10, 50}, {60, 60, 100}}, 100));  // a hole
  EXPECT_FALSE(SegmentPlan::from_ranges({{0, 60, 50}, {50, 60, 100}}, 100));  // pos past end
  EXPECT_FALSE(SegmentPlan::from_ranges({{0, 10, 50}, {40, 60, 100}}, 100));  // overlap
  EXPECT_FALSE(SegmentPlan::from_ranges({{0, 0, 0}, {0, 10, 100}}, 100));     // an empty one
  EXPECT_FALSE(SegmentPlan::from_ranges({{0, 10, 150}}, 100));
}

class TempDir : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("xfu-unit-" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
};

using PartStateFile = TempDir;

TEST_F(PartStateFile, VersionTwoRoundTrips) {
  const PartState state{"http://h/f.zip", "\"etag\"", 100, {{0, 10, 50}, {50, 70, 100}}, "", {}};
  save_part_state(dir / "s", state);
  const auto loaded = load_part_state(dir / "s", 100);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->url, state.url);
  EXPECT_EQ(loaded->validator, state.validator);
  EXPECT_EQ(loaded->total, state.total);
  EXPECT_EQ(loaded->ranges, state.ranges);
  EXPECT_TRUE(loaded->mirrors.empty());
}

TEST_F(PartStateFile, EachMirrorsValidatorRoundTrips) {
  const PartState state{"http://a:1/f.zip",
                        "\"a\"",
                        100,
                        {{0, 10, 50}, {50, 70, 100}},
                        "",
                        {{"http://a:1/f.zip", "\"a\"", ""},
                         {"http://b:2/f.zip", "Mon, 05 Jan 2026 10:00:00 GMT", "W/\"b\""}}};
  save_part_state(dir / "s", state);
  const auto loaded = load_part_state(dir / "s", 100);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->mirrors, state.mirrors);
  // A state written before mirrors were kept still resumes.
  write(dir / "s", R"({"version": 2, "url": "u", "validator": "v", "total": 100, "segments": [[0, 10, 100]]})");
  ASSERT_TRUE(load_part_state(dir / "s", 100));
  EXPECT_TRUE(load_part_state(dir / "s", 100)->mirrors.empty());
}

TEST_F(PartStateFile, VersionOneMeansThePartIsOnePrefix) {
  write(dir / "s", R"({"version": 1, "url": "u", "validator": "v", "total": 100})");
  const auto loaded = load_part_state(dir / "s", 30);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->ranges, (Ranges{{0, 30, 100}}));
  write(dir / "s", R"({"version": 1, "url": "u", "validator": "v", "total": null})");
  EXPECT_EQ(load_part_state(dir / "s", 30)->ranges, (Ranges{{0, 30, 30}}));
}

TEST_F(PartStateFile, AnythingElseIsUnusable) {
  EXPECT_FALSE(load_part_state(dir / "missing", 0));
  for (const char* text : {"", "{", "[]", R"({"version": 3, "url": "u", "validator": "v", "total": 1, "segments": []})",
                           R"({"version": 2, "url": "u", "validator": "v", "total": 1})",
                           R"({"version": 2, "url": "u", "validator": "v", "total": 1, "segments": [[0, -1, 1]]})",
                           R"({"version": 2, "url": 5, "validator": "v", "total": 1, "segments": []})"}) {
    write(dir / "s", text);
    EXPECT_FALSE(load_part_state(dir / "s", 0)) << text;
  }
}

using PrefixHasherTest = TempDir;

TEST_F(PrefixHasherTest, HashesThePrefixAsItGrows) {
  std::string data(3 * MiB + 12345, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + (i >> 9));
  const fs::path path = dir / "part";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  // Written out of order, as segments land; the hasher only ever sees the prefix.
  ASSERT_EQ(::pwrite(fd, data.data() + 2 * MiB, data.size() - 2 * MiB, 2 * MiB),
            static_cast<ssize_t>(data.size() - 2 * MiB));
  std::atomic<bool> interrupted{false};
  {
    PrefixHasher hasher(fd);
    ASSERT_EQ(::pwrite(fd, data.data(), MiB, 0), static_cast<ssize_t>(MiB));
    hasher.advance_to(MiB);
    ASSERT_EQ(::pwrite(fd, data.data() + MiB, MiB, MiB), static_cast<ssize_t>(MiB));
    hasher.advance_to(2 * MiB);
    EXPECT_EQ(hasher.finish(data.size(), interrupted), md5_hex(data));
  }
  {
    PrefixHasher hasher(fd);  // asked for more than the file holds: a read error, not a wrong digest
    EXPECT_THROW(hasher.finish(data.size() + 1, interrupted), std::exception);
  }
  ::close(fd);
}

// Bytes handed over as written are hashed from memory; gaps, bytes out of
// order and bytes beyond what may wait are read back: the digest is the file's
// whichever way each byte took.
TEST_F(PrefixHasherTest, BytesHandedOverAndBytesReadBackMakeOneDigest) {
  std::string data(40 * MiB + 777, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + (i >> 11));
  const fs::path path = dir / "part";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  std::atomic<bool> interrupted{false};
  const auto write_and_offer = [&](PrefixHasher& hasher, uint64_t from, uint64_t length, uint64_t prefix) {
    ASSERT_EQ(::pwrite(fd, data.data() + from, length, static_cast<off_t>(from)), static_cast<ssize_t>(length));
    std::vector<char> bytes = hasher.spare_buffer();
    bytes.assign(data.begin() + static_cast<std::ptrdiff_t>(from),
                 data.begin() + static_cast<std::ptrdiff_t>(from + length));
    hasher.offer(from, std::move(bytes));
    hasher.advance_to(prefix);
  };
  {
    PrefixHasher hasher(fd);
    // In order, 256 KiB at a time, up to 8 MiB.
    for (uint64_t at = 0; at < 8 * MiB; at += 256 * 1024) write_and_offer(hasher, at, 256 * 1024, at + 256 * 1024);
    // A later segment first (not in order: read back), then the gap before it.
    write_and_offer(hasher, 12 * MiB, 4 * MiB, 8 * MiB);
    write_and_offer(hasher, 8 * MiB, 4 * MiB, 16 * MiB);
    // A large piece at once.
    write_and_offer(hasher, 16 * MiB, 24 * MiB, 40 * MiB);
    write_and_offer(hasher, 40 * MiB, 777, data.size());
    EXPECT_EQ(hasher.finish(data.size(), interrupted), md5_hex(data));
  }
  {
    // Handed over bytes that differ from the file: proof that they, not the file, were hashed.
    PrefixHasher hasher(fd);
    std::vector<char> other(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(MiB));
    other[5] ^= 1;
    hasher.offer(0, std::move(other));
    hasher.advance_to(MiB);
    std::string expected = data.substr(0, MiB);
    expected[5] ^= 1;
    EXPECT_EQ(hasher.finish(MiB, interrupted), md5_hex(expected));
  }
  ::close(fd);
}

// The tap sees exactly what the digest sees: every byte once, in order from 0, whichever way it took.
TEST_F(PrefixHasherTest, TheTapGetsEveryByteInOrder) {
  std::string data(20 * MiB + 99, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + (i >> 13));
  const fs::path path = dir / "part";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  std::string tapped;
  bool in_order = true;
  std::atomic<bool> interrupted{false};
  {
    PrefixHasher hasher(fd, [&](uint64_t offset, std::span<const char> bytes) {
      in_order = in_order && offset == tapped.size();
      tapped.append(bytes.data(), bytes.size());
    });
    for (uint64_t at = 0; at < 2 * MiB; at += 100000) {  // handed over from memory
      const uint64_t length = std::min<uint64_t>(100000, 2 * MiB - at);
      hasher.offer(at, std::vector<char>(data.begin() + static_cast<std::ptrdiff_t>(at),
                                         data.begin() + static_cast<std::ptrdiff_t>(at + length)));
      hasher.advance_to(at + length);
    }
    hasher.advance_to(9 * MiB);  // read back
    EXPECT_EQ(hasher.finish(data.size(), interrupted), md5_hex(data));
  }
  EXPECT_TRUE(in_order);
  EXPECT_EQ(tapped.size(), data.size());
  EXPECT_TRUE(tapped == data);
  ::close(fd);
}

}  // namespace
}  // namespace xfu
