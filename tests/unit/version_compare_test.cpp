#include "core/version_compare.hpp"

#include <gtest/gtest.h>

namespace xfu {
namespace {

TEST(VersionCompare, NumericPartByPart) {
  EXPECT_GT(compare_versions("V12.5.10.0.RKWEUXM", "V12.5.9.0.RKWEUXM"), 0);
  EXPECT_GT(compare_versions("20.1.16", "9.12.26"), 0);
  EXPECT_LT(compare_versions("8.12.7", "8.12.27"), 0);
  EXPECT_EQ(compare_versions("8.12.7", "8.12.7"), 0);
}

TEST(VersionCompare, HyperOsAfterMiui) {
  EXPECT_GT(compare_versions("OS2.0.1", "V14.0.30"), 0);
  EXPECT_GT(compare_versions("OS1.0.19.0.UKWEUXM", "V14.0.8.0.TKWEUXM"), 0);
  EXPECT_LT(compare_versions("V9.5.6.0.OEACNFA", "OS1.0.1.0"), 0);
}

}  // namespace
}  // namespace xfu
