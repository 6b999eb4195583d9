// The download engine's smaller decisions: whether NAME.part can be resumed,
// how many connections fetch how much, and how a resumed download is told.
#include <gtest/gtest.h>

#include "download/connections.hpp"
#include "download/resume.hpp"
#include "download/size_limit.hpp"
#include "render/progress.hpp"

namespace xfu {
namespace {

PartState saved_state(std::optional<uint64_t> total, std::vector<std::array<uint64_t, 3>> ranges) {
  return PartState{"http://127.0.0.1/f.zip", "\"v1\"", total, std::move(ranges), "", {}};
}

TEST(Resume, AnEmptyPartStartsOverQuietly) {
  const ResumeDecision decision = decide_resume(0, saved_state(100, {{0, 50, 100}}));
  EXPECT_FALSE(decision.plan);
  EXPECT_EQ(decision.problem, "");
}

TEST(Resume, APartWithoutAValidatorStartsOver) {
  EXPECT_EQ(decide_resume(10, std::nullopt).problem, "has no usable resume state");
  PartState no_validator = saved_state(100, {{0, 10, 100}});
  no_validator.validator.clear();
  const ResumeDecision decision = decide_resume(10, no_validator);
  EXPECT_FALSE(decision.plan);
  EXPECT_EQ(decision.problem, "has no usable resume state");
}

TEST(Resume, AValidatorThatCannotBeSentBackStartsOver) {
  for (const char* validator : {"\"a\r\nX-Evil: 1\"", "\"a\nb\"", "\"a\x01\""}) {
    PartState edited = saved_state(100, {{0, 10, 100}});
    edited.validator = validator;
    EXPECT_EQ(decide_resume(10, edited).problem, "has no usable resume state") << validator;
  }
}

TEST(SizeLimit, ALabelAllowsHalfItsLastDigitAndOnePercent) {
  EXPECT_EQ(label_ceiling("3.0 GB"), 3'000'000'000u + 50'000'000u + 30'000'000u);
  EXPECT_EQ(label_ceiling("786.3 MB"), 786'300'000u + 50'000u + 7'863'000u);
  EXPECT_EQ(label_ceiling("3 MB"), 3'000'000u + 500'000u + 30'000u);
  EXPECT_EQ(label_ceiling("350 Bytes"), 350u + 0u + 3u);
  EXPECT_EQ(label_ceiling("2.8G"), 3'006'477'107u + 53'687'091u + 30'064'771u);
  EXPECT_FALSE(label_ceiling("big"));
}

TEST(SizeLimit, TheLargestOfTheRecordsThatGiveASize) {
  Rom labelled, exact, unknown;
  labelled.size_label = "3.0 MB";
  labelled.size = 3'000'000;
  exact.size = 3'100'000;
  EXPECT_FALSE(size_limit({}));
  EXPECT_FALSE(size_limit({unknown}));
  const auto from_label = size_limit({labelled, unknown});
  ASSERT_TRUE(from_label);
  EXPECT_EQ(from_label->bytes, 3'080'000u);
  EXPECT_EQ(from_label->shown, "3.0 MB");
  const auto larger = size_limit({labelled, exact});
  ASSERT_TRUE(larger);
  EXPECT_EQ(larger->bytes, 3'100'000u);
  EXPECT_EQ(larger->shown, "3.1 MB");
}

TEST(Resume, APartLargerThanTheFileStartsOver) {
  EXPECT_EQ(decide_resume(101, saved_state(100, {{0, 100, 100}})).problem, "is larger than the remote file");
}

TEST(Resume, RangesThatDoNotTileTheFileStartOver) {
  for (const auto& ranges : std::vector<std::vector<std::array<uint64_t, 3>>>{
           {{0, 50, 60}}, {{0, 10, 50}, {40, 50, 100}}, {{0, 120, 100}}, {}})
    EXPECT_EQ(decide_resume(100, saved_state(100, ranges)).problem, "does not match its resume state");
}

TEST(Resume, DoneBytesBeyondThePartStartOver) {
  // The state says bytes up to 80 are done, but NAME.part holds only 60.
  EXPECT_EQ(decide_resume(60, saved_state(100, {{0, 80, 100}})).problem, "does not match its resume state");
}

TEST(Resume, SegmentsAreTakenUpWhereTheyStopped) {
  const ResumeDecision decision = decide_resume(100, saved_state(100, {{0, 30, 50}, {50, 70, 100}}));
  ASSERT_TRUE(decision.plan);
  EXPECT_EQ(decision.plan->done_bytes(), 50u);
  EXPECT_EQ(decision.plan->contiguous_prefix(), 30u);
  EXPECT_EQ(decision.plan->total(), 100u);
}

TEST(Resume, WithoutASizeOnlyAPrefixFromZeroResumes) {
  const ResumeDecision prefix = decide_resume(40, saved_state(std::nullopt, {{0, 40, 40}}));
  ASSERT_TRUE(prefix.plan);
  EXPECT_EQ(prefix.plan->contiguous_prefix(), 40u);
  EXPECT_FALSE(prefix.plan->total());
  EXPECT_EQ(decide_resume(40, saved_state(std::nullopt, {{10, 40, 40}})).problem, "does not match its resume state");
  EXPECT_EQ(decide_resume(40, saved_state(std::nullopt, {{0, 20, 20}, {20, 40, 40}})).problem,
            "does not match its resume state");
}

TEST(Connections, AskedForIsCappedElseFourAtMost) {
  EXPECT_EQ(max_connections({0}), kAutoConnections);
  EXPECT_EQ(max_connections({2}), 2);
  EXPECT_EQ(max_connections({99}), kMaxConnections);
}

TEST(Connections, AutomaticOnlyForLargeFiles) {
  EXPECT_EQ(wanted_connections({0}, kAutoSegmentBytes + 1), kAutoConnections);
  EXPECT_EQ(wanted_connections({0}, kAutoSegmentBytes), 1);
  EXPECT_EQ(wanted_connections({0}, std::nullopt), 1);
  EXPECT_EQ(wanted_connections({3}, 10), 3);
}

TEST(Connections, OneConnectionFetchesEverythingInOneRequest) {
  EXPECT_EQ(chunk_size({0}, 1, 1ull << 30), UINT64_MAX);
  EXPECT_EQ(max_lead({0}, 1, 1ull << 30), UINT64_MAX);
}

TEST(Connections, ChunksAreAnEighthOfEachConnectionsShareWithinBoundsAndAligned) {
  EXPECT_EQ(chunk_size({0}, 4, 1ull << 30), 32ull << 20);  // 1 GiB / 32
  EXPECT_EQ(chunk_size({0}, 4, 16ull << 30), kMaxChunk);   // capped
  EXPECT_EQ(chunk_size({2}, 2, 3ull << 20), kMinChunk);    // at least 1 MiB
  EXPECT_EQ(chunk_size({0}, 4, (1ull << 30) + 1) % kChunkAlign, 0u);
  EXPECT_EQ(max_lead({0}, 4, 1ull << 30), (32ull << 20) * 5);
}

// --limit-rate is one budget over every connection: bytes ahead of rate x elapsed wait, bytes behind do not.
TEST(Pacing, WaitsExactlyAsLongAsTheBytesAreAheadOfTheRate) {
  using std::chrono::microseconds, std::chrono::milliseconds, std::chrono::seconds;
  EXPECT_EQ(pacing_delay(1'000'000, seconds(1), 0), microseconds(0));  // no limit
  EXPECT_EQ(pacing_delay(1'000'000, seconds(1), 1'000'000), microseconds(0));
  EXPECT_EQ(pacing_delay(500'000, seconds(1), 1'000'000), microseconds(0));
  EXPECT_EQ(pacing_delay(2'000'000, seconds(1), 1'000'000), seconds(1));
  EXPECT_EQ(pacing_delay(1'500'000, milliseconds(250), 1'000'000), milliseconds(1250));
  // Four connections' worth arriving at once counts as four times the bytes: the total is what is paced.
  EXPECT_EQ(pacing_delay(4 * 256'000, microseconds(0), 1'024'000), seconds(1));
  // No overflow for the largest files at the slowest rate.
  EXPECT_GT(pacing_delay(1ull << 50, seconds(1), 1), seconds(1'000'000));
}

TEST(Pacing, TimeSpentBehindIsCreditedForOneSecondAtMost) {
  using std::chrono::microseconds, std::chrono::seconds;
  RatePacer pacer(1'000'000);
  EXPECT_EQ(pacer.delay(5'000'000, seconds(100)), microseconds(0));  // the origin: earlier bytes do not count
  EXPECT_EQ(pacer.delay(6'000'000, seconds(100)), seconds(1));
  // A 30 s stall, then a burst: only one second of it is free.
  EXPECT_EQ(pacer.delay(6'000'000, seconds(131)), microseconds(0));
  EXPECT_EQ(pacer.delay(8'000'000, seconds(131)), seconds(1));
  EXPECT_EQ(RatePacer(0).delay(1ull << 40, seconds(0)), microseconds(0));
}

TEST(ResumeNote, SpeaksInSizesAPersonReads) {
  EXPECT_EQ(resume_note("f.zip", 1'000'000, 3'000'000), "resuming f.zip: 1.0 MB of 3.0 MB already here");
  EXPECT_EQ(resume_note("f.zip", 2'500'000'000, std::nullopt), "resuming f.zip: 2.5 GB already here");
}

// The rate is what this run fetched over this run's time: a resumed file's earlier bytes took no time now.
TEST(TransferSummary, TheRateCountsOnlyThisRunsBytes) {
  EXPECT_EQ(transfer_summary(3'000'000, 3'000'000, 2), "3.0 MB in 0:02 (1.5 MB/s)");
  EXPECT_EQ(transfer_summary(1'000'000'000, 10'000'000, 5), "1.0 GB, 10.0 MB of it fetched now in 0:05 (2.0 MB/s)");
  EXPECT_EQ(transfer_summary(3'000'000, 0, 1), "3.0 MB, all of it already there from an earlier run");
}

TEST(MirrorsDetail, EachMirrorWithItsConnectionsTheBusiestFirst) {
  EXPECT_EQ(mirrors_detail({{"a:1", 1}, {"b:2", 2}, {"c:3", 0}, {"d:4", 2}}),
            "3 mirrors: b:2\u00d72 d:4\u00d72 a:1\u00d71");
  EXPECT_EQ(mirrors_detail({{"a:1", 1}, {"b:2", 0}}), "1 mirror: a:1\u00d71");
}

}  // namespace
}  // namespace xfu
