#include "download/mirror_speeds.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace xfu {
namespace {

constexpr int64_t kDay = 24 * 3600;
constexpr int64_t kNow = 1'800'000'000;

TEST(SpeedMemory, AMemoryFadesByHalfEveryHalfLife) {
  EXPECT_DOUBLE_EQ(memory_weight(kNow, kNow), 1.0);
  EXPECT_DOUBLE_EQ(memory_weight(kNow - 14 * kDay, kNow), 0.5);
  EXPECT_DOUBLE_EQ(memory_weight(kNow - 28 * kDay, kNow), 0.25);
  EXPECT_DOUBLE_EQ(memory_weight(kNow + kDay, kNow), 1.0);  // a clock set back never makes a memory count more
}

TEST(SpeedMemory, ANewMeasurementCountsAtLeastAsMuchAsTheOldOnes) {
  SpeedMemory memory = remember_speed({}, "bn.d.miui.com", 1e6, kNow);
  EXPECT_DOUBLE_EQ(memory.at("bn.d.miui.com").bytes_per_second, 1e6);
  memory = remember_speed(memory, "bn.d.miui.com", 3e6, kNow);
  EXPECT_DOUBLE_EQ(memory.at("bn.d.miui.com").bytes_per_second, 2e6);  // equal weights
  memory = remember_speed(memory, "bn.d.miui.com", 8e6, kNow + 14 * kDay);
  EXPECT_DOUBLE_EQ(memory.at("bn.d.miui.com").bytes_per_second, (2e6 * 0.5 + 8e6) / 1.5);
  EXPECT_EQ(memory.at("bn.d.miui.com").measured_at, kNow + 14 * kDay);
}

TEST(SpeedMemory, NonsenseIsNeverRemembered) {
  EXPECT_TRUE(remember_speed({}, "bn.d.miui.com", 0, kNow).empty());
  EXPECT_TRUE(remember_speed({}, "bn.d.miui.com", -5, kNow).empty());
  EXPECT_TRUE(remember_speed({}, "bn.d.miui.com", std::nan(""), kNow).empty());
  EXPECT_TRUE(remember_speed({}, "evil\nhost", 1e6, kNow).empty());
  EXPECT_TRUE(remember_speed({}, "", 1e6, kNow).empty());
}

TEST(SpeedMemory, OnlyTheHostsMeasuredLatestAreKept) {
  SpeedMemory memory;
  for (size_t i = 0; i < kMostRememberedHosts + 5; ++i)
    memory = remember_speed(memory, "h" + std::to_string(i), 1e6, kNow + static_cast<int64_t>(i));
  EXPECT_EQ(memory.size(), kMostRememberedHosts);
  EXPECT_EQ(memory.count("h0"), 0u);
  EXPECT_EQ(memory.count("h" + std::to_string(kMostRememberedHosts + 4)), 1u);
}

TEST(SpeedMemory, FadedMemoriesCountAsLittleAsKnowingNothing) {
  SpeedMemory memory;
  memory = remember_speed(memory, "fast", 30e6, kNow);
  memory = remember_speed(memory, "slow", 1e6, kNow);
  memory = remember_speed(memory, "middle", 10e6, kNow);
  EXPECT_DOUBLE_EQ(expected_speed(memory, "fast", kNow), 30e6);
  EXPECT_DOUBLE_EQ(expected_speed(memory, "never-seen", kNow), 10e6);  // the median
  // A year later the fast host is expected to do about what an unknown one does.
  EXPECT_NEAR(expected_speed(memory, "fast", kNow + 365 * kDay), 10e6, 1e3);
  EXPECT_DOUBLE_EQ(expected_speed({}, "any", kNow), 0);
}

TEST(SpeedMemory, UrlsFastestFirstAfterTheChosenOne) {
  SpeedMemory memory;
  memory = remember_speed(memory, "cdnorg.d.miui.com", 20e6, kNow);
  memory = remember_speed(memory, "bn.d.miui.com", 1e6, kNow);
  memory = remember_speed(memory, "127.0.0.1:8080", 5e6, kNow);
  const std::vector<std::string> urls{"https://bn.d.miui.com/V1/a.zip", "https://bigota.d.miui.com/V1/a.zip",
                                      "https://cdnorg.d.miui.com/V1/a.zip", "http://127.0.0.1:8080/a.zip"};
  // bigota was never measured: it is expected to do what the median host does (5 MB/s), and keeps its place
  // among equals.
  EXPECT_EQ(fastest_first(urls, memory, kNow), (std::vector<std::string>{urls[2], urls[1], urls[3], urls[0]}));
  // --mirror bn: it stays first.
  EXPECT_EQ(fastest_first(urls, memory, kNow, 1), (std::vector<std::string>{urls[0], urls[2], urls[1], urls[3]}));
  EXPECT_EQ(fastest_first(urls, {}, kNow), urls);
}

TEST(SpeedMemory, TheFileReadsBackAndNonsenseInItIsSkipped) {
  SpeedMemory memory = remember_speed({}, "cdnorg.d.miui.com", 12345678, kNow);
  memory = remember_speed(memory, "127.0.0.1:8080", 42, kNow - kDay);
  const SpeedMemory back = parse_speed_memory(format_speed_memory(memory));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_DOUBLE_EQ(back.at("cdnorg.d.miui.com").bytes_per_second, 12345678);
  EXPECT_EQ(back.at("127.0.0.1:8080").measured_at, kNow - kDay);
  EXPECT_TRUE(parse_speed_memory("").empty());
  EXPECT_TRUE(parse_speed_memory("[1,2]").empty());
  EXPECT_TRUE(
      parse_speed_memory(R"({"version": 2, "hosts": {"a": {"bytes_per_second": 1, "measured_at": 1}}})").empty());
  const SpeedMemory mixed = parse_speed_memory(R"({"version": 1, "hosts": {
      "good": {"bytes_per_second": 100, "measured_at": 5},
      "negative": {"bytes_per_second": -1, "measured_at": 5},
      "text": {"bytes_per_second": "fast", "measured_at": 5},
      "bad host\u001b": {"bytes_per_second": 100, "measured_at": 5},
      "no-time": {"bytes_per_second": 100}}})");
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed.count("good"), 1u);
}

}  // namespace
}  // namespace xfu
