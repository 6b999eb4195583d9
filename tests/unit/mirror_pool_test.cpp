// The decisions of a download spread over several mirrors: where the next
// connection goes, when a mirror is too slow to keep its work, when it is dead.
#include <gtest/gtest.h>

#include "download/mirror_pool.hpp"

namespace xfu {
namespace {

MirrorPool three_mirrors() {
  return MirrorPool({"http://127.0.0.1:4001/f.zip", "http://127.0.0.1:4002/f.zip", "https://b.example.com/f.zip"});
}

// Puts `mirror` in service with `connections` running and a rate measured
// from `bytes` over the first window.
void serve(MirrorPool& pool, size_t mirror, int connections, uint64_t bytes) {
  pool.serving(mirror);
  for (int i = 0; i < connections; ++i) pool.started(mirror);
  pool.received(mirror, bytes, 0);
}

TEST(MirrorOrigin, SchemeHostAndPortTellMirrorsApart) {
  EXPECT_EQ(url_origin("http://127.0.0.1:4001/a/f.zip?t=1"), "127.0.0.1:4001");
  EXPECT_EQ(url_origin("https://BigOta.d.miui.com/V1/f.zip"), "bigota.d.miui.com");
  EXPECT_EQ(url_origin("https://h.example.com:443/f"), "h.example.com");
  EXPECT_EQ(url_origin("http://user@h.example.com:8080/f"), "h.example.com:8080");
  EXPECT_TRUE(several_origins({"http://127.0.0.1:4001/f", "http://127.0.0.1:4002/f"}));
  EXPECT_FALSE(several_origins({"http://127.0.0.1:4001/a/f", "http://127.0.0.1:4001/b/f"}));
  EXPECT_FALSE(several_origins({"http://127.0.0.1:4001/f"}));
}

TEST(MirrorPool, EachUntriedMirrorIsProbedFirstInOrder) {
  MirrorPool pool = three_mirrors();
  EXPECT_EQ(pool.pick(0), 0u);
  pool.started(0);
  EXPECT_EQ(pool.pick(0), 1u);
  pool.started(1);
  EXPECT_EQ(pool.pick(0), 2u);
  pool.started(2);
  EXPECT_EQ(pool.pick(0), std::nullopt);  // every mirror is being probed, none serves yet
}

TEST(MirrorPool, TheFastestPerConnectionWithRoomGetsTheNextConnection) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 1, 1'000'000);
  serve(pool, 1, 1, 3'000'000);
  serve(pool, 2, 1, 2'000'000);
  pool.measure(kRateWindowMs);
  EXPECT_EQ(pool.pick(kRateWindowMs), 1u);
  pool.started(1);  // at its cap of 2 now
  EXPECT_EQ(pool.pick(kRateWindowMs), 2u);
}

TEST(MirrorPool, AMirrorNotYetMeasuredGetsNoSecondConnectionAndComesLast) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 1, 1'000'000);
  pool.measure(kRateWindowMs);
  pool.serving(1);
  pool.started(1);
  pool.kill(2, "HTTP 404 Not Found");
  EXPECT_EQ(pool.pick(kRateWindowMs), 0u);
  pool.started(0);  // the measured one is at its cap
  EXPECT_EQ(pool.pick(kRateWindowMs), std::nullopt);
  pool.stopped(1);
  EXPECT_EQ(pool.pick(kRateWindowMs), 1u);
}

TEST(MirrorPool, AMirrorFarSlowerThanTheBestGetsNoNewConnectionAndIsCutShort) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 2, 10'000'000);
  serve(pool, 1, 1, 50'000);
  pool.kill(2, "HTTP 404 Not Found");
  pool.measure(1000);
  EXPECT_TRUE(pool.too_slow(1));
  EXPECT_FALSE(pool.too_slow(0));
  EXPECT_EQ(pool.pick(1000), std::nullopt);  // the fast one is at its cap; the slow one would hold the tail
  EXPECT_EQ(pool.keep_when_cut(1, 256 << 10), 256u << 10);
  EXPECT_EQ(pool.keep_when_cut(0, 256 << 10), 5'000'000u);  // a second of what one connection brings
}

TEST(MirrorPool, SlowIsRelativeToTheBestNotAbsolute) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 1, 50'000);
  serve(pool, 1, 1, 60'000);
  pool.kill(2, "HTTP 404 Not Found");
  pool.measure(1000);
  EXPECT_FALSE(pool.too_slow(0));
  EXPECT_FALSE(pool.too_slow(1));
  // Alone, even a slow mirror is the best there is.
  pool.kill(1, "dropped");
  EXPECT_FALSE(pool.too_slow(0));
}

TEST(MirrorPool, RatesAreMeasuredOnlyOverAFullWindowAndSmoothed) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 1, 100'000);
  pool.measure(kRateWindowMs - 1);
  EXPECT_FALSE(pool[0].measured);
  pool.measure(1000);
  EXPECT_DOUBLE_EQ(pool[0].rate, 100'000);
  pool.received(0, 300'000, 1000);
  pool.measure(2000);
  EXPECT_DOUBLE_EQ(pool[0].rate, 200'000);  // half the old, half the new
}

TEST(MirrorPool, ADeadMirrorIsNeverPickedAndAllDeadMeansGivingUp) {
  MirrorPool pool = three_mirrors();
  pool.kill(0, "HTTP 404 Not Found");
  EXPECT_EQ(pool.pick(0), 1u);
  pool.kill(1, "the server sent an HTML page instead of the file");
  EXPECT_FALSE(pool.all_dead());
  pool.kill(2, "HTTP 503 Service Unavailable (5 retries)");
  EXPECT_TRUE(pool.all_dead());
  EXPECT_EQ(pool.pick(0), std::nullopt);
  const auto failures = pool.failures();
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0].host, "127.0.0.1:4001");
  EXPECT_EQ(failures[0].why, "HTTP 404 Not Found");
  EXPECT_EQ(failures[2].host, "b.example.com");
}

TEST(MirrorPool, ALoweredCapNeverGoesBelowOneAndAPauseIsHonoured) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 1, 1000);
  pool.kill(1, "gone");
  pool.kill(2, "gone");
  pool.lower_cap(0, 0);
  EXPECT_EQ(pool[0].cap, 1);
  EXPECT_EQ(pool.pick(0), std::nullopt);  // its one connection runs
  pool.stopped(0);
  pool[0].not_before = 1000;
  EXPECT_EQ(pool.pick(999), std::nullopt);
  EXPECT_EQ(pool.pick(1000), 0u);
}

TEST(MirrorPool, RatesReportWhatEachMirrorDelivered) {
  MirrorPool pool = three_mirrors();
  serve(pool, 0, 1, 500'000);
  pool.measure(500);
  const auto rates = pool.rates();
  ASSERT_EQ(rates.size(), 3u);
  EXPECT_EQ(rates[0].host, "127.0.0.1:4001");
  EXPECT_EQ(rates[0].bytes, 500'000u);
  EXPECT_DOUBLE_EQ(rates[0].bytes_per_second, 1'000'000);
  EXPECT_EQ(rates[1].bytes, 0u);
}

TEST(CulpritNotes, OnlyTheMirrorsWhoseRangesDifferAreNamed) {
  const std::vector<RangeSource> ranges{{0, 4194304, "127.0.0.1:4001", "aa", "aa"},
                                        {4194304, 5242880, "127.0.0.1:4002", "bb", "cc"},
                                        {5242880, 6291456, "127.0.0.1:4001", "dd", "dd"},
                                        {6291456, 7340032, "127.0.0.1:4002", "ee", "ff"}};
  EXPECT_EQ(culprit_notes(ranges),
            std::vector<std::string>{
                "bytes 4194304-5242879, 6291456-7340031 from 127.0.0.1:4002 did not match the file"});
  EXPECT_EQ(culprit_notes(ranges, 1),
            std::vector<std::string>{
                "bytes 4194304-5242879 and 1 more range from 127.0.0.1:4002 did not match the file"});
  EXPECT_TRUE(culprit_notes({{0, 10, "a", "x", "x"}}).empty());
}

}  // namespace
}  // namespace xfu
