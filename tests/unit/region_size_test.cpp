#include <gtest/gtest.h>

#include "core/region.hpp"
#include "core/rom.hpp"
#include "core/size.hpp"

namespace xfu {
namespace {

TEST(Region, FromTheDeviceNameFirst) {
  EXPECT_EQ(derive_region("Mi 8 Global", "dipper"), "Global");
  EXPECT_EQ(derive_region("Xiaomi 11T EEA", "agate"), "EEA");
  EXPECT_EQ(derive_region("Redmi Note 7 india", "lavender"), "India");
}

TEST(Region, SpelledByNameCodeOrAsVersionsAndUsersSayIt) {
  EXPECT_EQ(region_spelled("eea"), "EEA");
  EXPECT_EQ(region_spelled("Russia"), "Russia");
  EXPECT_EQ(region_spelled("cn"), "China");
  for (const char* europe : {"eu", "EU", "europe", "Europe"}) EXPECT_EQ(region_spelled(europe), "EEA") << europe;
  EXPECT_EQ(region_spelled("mi"), "Global");
  EXPECT_EQ(region_spelled("MI"), "Global");
  EXPECT_EQ(region_spelled("chinese"), "China");
  EXPECT_EQ(region_spelled("russian"), std::nullopt);
  EXPECT_EQ(region_spelled("mars"), std::nullopt);
  EXPECT_EQ(region_spelled(""), std::nullopt);
}

TEST(Region, ThenFromTheVariantSuffix) {
  EXPECT_EQ(derive_region("Mi 8", "dipper"), "China");
  EXPECT_EQ(derive_region("Mi 8", "dipper_global"), "Global");
  EXPECT_EQ(derive_region("Mi 8", "dipper_eea_global"), "EEA");
  EXPECT_EQ(derive_region("Mi 8", "dipper_ru_global"), "Russia");
  EXPECT_EQ(derive_region("X", "begonia_in_rf_global"), "India");
  EXPECT_EQ(derive_region("X", "laurus_p_tr_global"), "Turkey");
  EXPECT_EQ(derive_region("X", "cancro_lte_ct"), "China");
  EXPECT_EQ(derive_region("X", "alioth_id_global"), "Indonesia");
  EXPECT_EQ(derive_region("X", "a_tw_global"), "Taiwan");
  EXPECT_EQ(derive_region("X", "a_jp_global"), "Japan");
}

TEST(Region, VariantCodenameForARegion) {
  EXPECT_EQ(variant_codename("dipper", "China"), "dipper");
  EXPECT_EQ(variant_codename("dipper", "global"), "dipper_global");
  EXPECT_EQ(variant_codename("dipper", "EEA"), "dipper_eea_global");
  EXPECT_EQ(variant_codename("houji", "Indonesia"), "houji_id_global");
  EXPECT_EQ(derive_region("X", variant_codename("x", "Turkey")), "Turkey");
}

TEST(Size, ParsesUpstreamLabels) {
  EXPECT_EQ(parse_size("3.0 GB"), 3000000000u);
  EXPECT_EQ(parse_size("786.3 MB"), 786300000u);
  EXPECT_EQ(parse_size("350 Bytes"), 350u);
  EXPECT_EQ(parse_size("2.8G"), 3006477107u);
  EXPECT_EQ(parse_size("512M"), 536870912u);
  EXPECT_EQ(parse_size("12345"), 12345u);
  EXPECT_EQ(parse_size(" 1.5 gb "), 1500000000u);
  for (const char* bad : {"", "GB", "3.0 XB", "1.2.3 GB", "-1 GB", "1.5", "99999999999999999999999999 GB"})
    EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
}

TEST(Size, FormatsDecimalUnits) {
  EXPECT_EQ(format_size(3000000000u), "3.0 GB");
  EXPECT_EQ(format_size(786300000u), "786.3 MB");
  EXPECT_EQ(format_size(350u), "350 Bytes");
  EXPECT_EQ(format_size(999999999u), "1.0 GB");
}

TEST(Rom, BranchAndTypeSpellings) {
  EXPECT_EQ(parse_branch("Stable Beta"), Branch::StableBeta);
  EXPECT_EQ(parse_branch("stable-beta"), Branch::StableBeta);
  EXPECT_EQ(parse_branch("PUBLIC_BETA"), Branch::PublicBeta);
  EXPECT_EQ(parse_branch("weekly"), Branch::Weekly);
  EXPECT_EQ(parse_branch("beta"), std::nullopt);
  EXPECT_EQ(parse_type("FASTBOOT"), RomType::Fastboot);
  EXPECT_EQ(parse_type("zip"), std::nullopt);
}

}  // namespace
}  // namespace xfu
