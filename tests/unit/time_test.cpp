#include "util/time.hpp"

#include <gtest/gtest.h>

namespace xfu {
namespace {

TEST(Time, Dates) {
  EXPECT_TRUE(is_iso_date("2018-12-07"));
  EXPECT_TRUE(is_iso_date("2020-02-29"));
  EXPECT_FALSE(is_iso_date("2019-02-29"));
  EXPECT_FALSE(is_iso_date("2018-13-01"));
  EXPECT_FALSE(is_iso_date("2018-1-01"));
  EXPECT_FALSE(is_iso_date("20181207"));
}

TEST(Time, Iso8601) {
  EXPECT_EQ(parse_iso8601("1970-01-02"), 86400);
  EXPECT_EQ(parse_iso8601("2026-08-23T00:00:00Z"), 1787443200);
  EXPECT_EQ(parse_iso8601("2026-08-23T02:00:00+02:00"), 1787443200);
  EXPECT_EQ(parse_iso8601("2026-08-23T00:00Z"), 1787443200);
  EXPECT_EQ(parse_iso8601("2026-08-23T00:00:00.123Z"), 1787443200);
  EXPECT_EQ(parse_iso8601("yesterday"), std::nullopt);
  EXPECT_EQ(format_iso8601(1787443200), "2026-08-23T00:00:00Z");
}

TEST(Time, Ages) {
  EXPECT_EQ(format_age(5), "5 s");
  EXPECT_EQ(format_age(600), "10 min");
  EXPECT_EQ(format_age(3 * 3600), "3 h");
  EXPECT_EQ(format_age(5 * 86400), "5 days");
}

}  // namespace
}  // namespace xfu
