#include "core/rom_name.hpp"

#include <gtest/gtest.h>

namespace xfu {
namespace {

void expect_prefix(const char* name, const char* prefix, const char* pattern) {
  const auto found = md5_prefix_in_name(name);
  ASSERT_TRUE(found.has_value()) << name;
  EXPECT_EQ(found->md5_prefix, prefix) << name;
  EXPECT_EQ(found->pattern, pattern) << name;
}

TEST(RomName, KnowsEveryPattern) {
  expect_prefix("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", "c18aad4fc4", "recovery");
  expect_prefix("miui_AGATEEEAGlobal_OS1.0.19.0.UKWEUXM_89548479a2_14.0.zip", "89548479a2", "recovery");
  expect_prefix("miui_ALIOTH_V14.0.23.4.17.DEV_8d19a97090_13.0.zip", "8d19a97090", "recovery");
  expect_prefix("dipper_global_images_8.12.7_20181207.0000.00_9.0_global_2363b6e14c.tgz", "2363b6e14c", "fastboot");
  expect_prefix("cancro_global_images_5.8.28_20150723.0000.6_4.4_global_dc51dc8b4d.tgz", "dc51dc8b4d", "fastboot");
  expect_prefix("cancro_images_V6.1.2.0.KXDCNBJ_4.4_cn_2cbb2e76e8.tgz", "2cbb2e76e8", "fastboot");  // no date
  expect_prefix("cancro_images_V6.1.2.0.KXDCNBJ_4.4_2cbb2e76e8.tgz", "2cbb2e76e8", "fastboot");     // no region
  expect_prefix("angelicain_in_rf_global_images_V12.5.5.0.RCRINRF_20230801.0000.00_11.0_in_e44487def7.tgz",
                "e44487def7", "fastboot");
  expect_prefix("air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-fc3ec2da64.zip", "fc3ec2da64", "hyperos");
  expect_prefix("air_in_global-ota_full-OS2.0.207.0.VGQINXM-user-15.0-eba6e3654a.zip", "eba6e3654a", "hyperos");
  expect_prefix("miui-blockota-wayne-20.1.2-20.1.16-ffe4801b72-9.0.zip", "ffe4801b72", "incremental");
  expect_prefix("miui-blockota-dipper_global-V10.2.2.0.PEAMIXM-V10.2.3.0.PEAMIXM-54b5785969-9.0.zip", "54b5785969",
                "incremental");
  expect_prefix("miui-ota-virgo_global-7.11.10-7.11.16-eeef2820ad-6.0.zip", "eeef2820ad", "incremental");
}

TEST(RomName, IgnoresNamesThatOnlyLookClose) {
  for (const char* name : {"miui_MI8Global_8.12.7_c18aad4fc_9.0.zip",        // 9 hex digits
                           "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip.part",  // not the archive
                           "miui_MI8Global_8.12.7_C18AAD4FC4_9.0.zip",       // upper case is not Xiaomi's
                           "miui_MI8Global_8.12.7_c18aad4fcg_9.0.zip",       // not hex
                           "miui_MI8 Global_8.12.7_c18aad4fc4_9.0.zip",      // space
                           "dipper_global_images_8.12.7_9.0_global_2363b6e14c.tar",
                           "air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-fc3ec2da64.zip.1", "photo_c18aad4fc4.jpg", "",
                           "c18aad4fc41b831d1107f10a7bb2de0f"})
    EXPECT_FALSE(md5_prefix_in_name(name).has_value()) << name;
}

}  // namespace
}  // namespace xfu
