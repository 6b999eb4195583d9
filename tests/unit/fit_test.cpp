#include "fit/fit.hpp"

#include <gtest/gtest.h>

#include "core/rom_name.hpp"

namespace xfu {
namespace {

std::vector<std::string> codes(const std::vector<FitWarning>& warnings) {
  std::vector<std::string> result;
  for (const auto& warning : warnings) result.push_back(warning.code);
  return result;
}

Rom global_dipper() {
  Rom rom;
  rom.codename = "dipper";
  rom.variant = "dipper_global";
  rom.region = "Global";
  rom.branch = Branch::Stable;
  rom.type = RomType::Fastboot;
  return rom;
}

PackageFacts fastboot_for(std::vector<std::string> devices, std::optional<int> anti_rollback) {
  PackageFacts package;
  package.kind = PackageKind::Fastboot;
  package.devices = std::move(devices);
  package.anti_rollback = anti_rollback;
  package.flash_scripts = {"flash_all", "flash_all_except_storage"};
  return package;
}

Phone phone_in_fastboot(std::string codename, std::optional<int> anti_rollback) {
  Phone phone;
  phone.serial = "abc123";
  phone.codename = std::move(codename);
  phone.anti_rollback = anti_rollback;
  phone.locked = false;
  return phone;
}

TEST(Fit, NothingToSayWhenEverythingAgrees) {
  const Rom record = global_dipper();
  const PackageFacts package = fastboot_for({"dipper"}, 1);
  Phone phone = phone_in_fastboot("dipper", 1);
  phone.region = "Global";
  EXPECT_TRUE(fit_warnings({&record, &package, &phone, "dipper_global_images_V10.3.6.0.PEAMIXM_9.0.tgz", std::nullopt})
                  .empty());
  EXPECT_TRUE(fit_warnings({&record, nullptr, nullptr, "", std::nullopt}).empty());
  EXPECT_TRUE(fit_warnings({}).empty());
}

TEST(Fit, AntiRollbackBelowThePhonesIsTheFirstThingSaid) {
  const PackageFacts package = fastboot_for({"dipper"}, 1);
  const Phone phone = phone_in_fastboot("dipper", 2);
  const auto warnings = fit_warnings({nullptr, &package, &phone, "", std::nullopt});
  ASSERT_EQ(codes(warnings), std::vector<std::string>{"anti-rollback"});
  EXPECT_EQ(warnings[0].message,
            "the package's anti-rollback index is 1, below the phone's 2: flashing it will fail, or brick the phone "
            "if the check is removed");
}

TEST(Fit, AntiRollbackAboveThePhonesSaysItRaisesIt) {
  const PackageFacts package = fastboot_for({"dipper"}, 3);
  const Phone phone = phone_in_fastboot("dipper", 1);
  const auto warnings = fit_warnings({nullptr, &package, &phone, "", std::nullopt});
  ASSERT_EQ(codes(warnings), std::vector<std::string>{"anti-rollback-raise"});
  EXPECT_NE(warnings[0].message.find("from 1 to 3"), std::string::npos);
}

TEST(Fit, AnUnknownIndexMattersOnlyWhenThePhoneHasOne) {
  const PackageFacts package = fastboot_for({"dipper"}, std::nullopt);
  const Phone protected_phone = phone_in_fastboot("dipper", 1);
  const Phone unprotected_phone = phone_in_fastboot("dipper", 0);
  const Phone unknown_phone = phone_in_fastboot("dipper", std::nullopt);  // and the package states none either
  EXPECT_EQ(codes(fit_warnings({nullptr, &package, &protected_phone, "", std::nullopt})),
            std::vector<std::string>{"anti-rollback-unknown"});
  EXPECT_TRUE(fit_warnings({nullptr, &package, &unprotected_phone, "", std::nullopt}).empty());
  EXPECT_TRUE(fit_warnings({nullptr, &package, &unknown_phone, "", std::nullopt}).empty());
}

TEST(Fit, APhoneThatDoesNotSayWhatItIsIsNotCheckedAgainstAndSaysSo) {
  const PackageFacts package = fastboot_for({"dipper"}, 1);
  Phone phone = phone_in_fastboot("", std::nullopt);
  phone.mode = PhoneMode::Unauthorized;
  const auto warnings = fit_warnings({nullptr, &package, &phone, "", std::nullopt});
  ASSERT_EQ(codes(warnings), std::vector<std::string>{"phone-unknown"});
  EXPECT_EQ(warnings[0].message,
            "the phone does not tell its codename (unauthorized mode): nothing was checked against it");
}

TEST(Fit, APhoneWhoseIndexIsUnknownSaysTheIndexWasNotCompared) {
  const PackageFacts package = fastboot_for({"dipper"}, 1);
  const Phone phone = phone_in_fastboot("dipper", std::nullopt);
  EXPECT_EQ(codes(fit_warnings({nullptr, &package, &phone, "", std::nullopt})),
            std::vector<std::string>{"anti-rollback-unchecked"});
}

TEST(Fit, AnOtaPackageHasNoAntiRollbackWarning) {
  PackageFacts package = fastboot_for({"dipper"}, std::nullopt);
  package.kind = PackageKind::Ota;
  package.flash_scripts.clear();
  const Phone phone = phone_in_fastboot("dipper", 4);
  EXPECT_TRUE(fit_warnings({nullptr, &package, &phone, "", std::nullopt}).empty());
}

TEST(Fit, TheWrongDeviceIsNamedAgainstPhoneCatalogAndName) {
  const Rom record = global_dipper();
  const PackageFacts package = fastboot_for({"ursa"}, 1);
  const Phone phone = phone_in_fastboot("dipper", 1);
  const auto warnings = fit_warnings(
      {&record, &package, &phone, "dipper_global_images_V10.3.6.0.PEAMIXM_9.0.tgz", std::nullopt});
  ASSERT_EQ(codes(warnings), (std::vector<std::string>{"device", "catalog-device", "name-device"}));
  EXPECT_EQ(warnings[0].message,
            "the package is for ursa, but the phone is dipper: it will not flash, and forcing it can brick the phone");
}

TEST(Fit, APackageForSeveralDevicesFitsEachOfThem) {
  const PackageFacts package = fastboot_for({"umi", "umiin"}, 1);
  const Phone phone = phone_in_fastboot("umiin", 1);
  EXPECT_TRUE(fit_warnings({nullptr, &package, &phone, "umi_images_V12.0.1.0.QJBCNXM_10.0.tgz", std::nullopt}).empty());
}

TEST(Fit, ARegionChangeIsSaidAndTheLockScriptBecomesDangerous) {
  const Rom record = global_dipper();
  PackageFacts package = fastboot_for({"dipper"}, 1);
  package.flash_scripts.push_back("flash_all_lock");
  package.relocking_scripts.push_back("flash_all_lock");
  Phone phone = phone_in_fastboot("dipper", 1);
  phone.variant = "dipper_eea_global";
  const auto warnings = fit_warnings({&record, &package, &phone, "", std::nullopt});
  ASSERT_EQ(codes(warnings), (std::vector<std::string>{"region", "lock-script-region"}));
  EXPECT_EQ(warnings[0].message, "a Global ROM on an EEA phone: it changes the phone's region");
}

TEST(Fit, AScriptThatRelocksIsNamedWhateverItsName) {
  PackageFacts package = fastboot_for({"dipper"}, 1);
  package.relocking_scripts = {"flash_all"};
  const auto warnings = fit_warnings({nullptr, &package, nullptr, "", std::nullopt});
  ASSERT_EQ(codes(warnings), std::vector<std::string>{"lock-script"});
  EXPECT_EQ(warnings[0].message, "flash_all relocks the bootloader: use it only with the phone's own region's ROM");
}

TEST(Fit, ADeviceListCutShortClaimsNoMismatch) {
  PackageFacts package = fastboot_for({"dev000", "dev001"}, 1);
  package.devices_cut = true;
  const Phone phone = phone_in_fastboot("umi", 1);
  EXPECT_TRUE(fit_warnings({nullptr, &package, &phone, "", std::nullopt}).empty());
}

TEST(Fit, TheLockScriptAlwaysGetsAPlainWarning) {
  PackageFacts package = fastboot_for({"dipper"}, 1);
  package.flash_scripts.push_back("flash_all_lock");
  package.relocking_scripts.push_back("flash_all_lock");
  EXPECT_EQ(codes(fit_warnings({nullptr, &package, nullptr, "", std::nullopt})),
            std::vector<std::string>{"lock-script"});
}

TEST(Fit, TheRegionOfAFileWithoutARecordComesFromAFastbootName) {
  Phone phone = phone_in_fastboot("dipper", std::nullopt);
  phone.region = "China";
  EXPECT_EQ(
      codes(fit_warnings({nullptr, nullptr, &phone, "dipper_global_images_V10.3.6.0.PEAMIXM_9.0.tgz", std::nullopt})),
      std::vector<std::string>{"region"});
  EXPECT_TRUE(fit_warnings(
                  {nullptr, nullptr, &phone, "air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-fc3ec2da64.zip", std::nullopt})
                  .empty());
}

TEST(Fit, AStableBetaReleaseWithoutAFastbootPackageSaysSo) {
  Rom record = global_dipper();
  record.branch = Branch::StableBeta;
  record.type = RomType::Recovery;
  FitInput input;
  input.record = &record;
  EXPECT_TRUE(fit_warnings(input).empty());  // not asked
  input.release_has_fastboot = true;
  EXPECT_TRUE(fit_warnings(input).empty());
  input.release_has_fastboot = false;
  EXPECT_EQ(codes(fit_warnings(input)), std::vector<std::string>{"stable-beta"});
  record.branch = Branch::Stable;
  EXPECT_TRUE(fit_warnings(input).empty());
}

TEST(Fit, AnIncrementalPackageNamesItsBaseAndThePhonesBuild) {
  PackageFacts package;
  package.kind = PackageKind::Ota;
  package.devices = {"dipper"};
  package.incremental = true;
  package.source_fingerprint = "Xiaomi/dipper/dipper:9/PKQ1.180729.001/V10.3.5.0.PEAMIXM:user/release-keys";
  Phone phone = phone_in_fastboot("dipper", std::nullopt);
  phone.build = "V10.3.6.0.PEAMIXM";
  const auto warnings = fit_warnings({nullptr, &package, &phone, "", std::nullopt});
  ASSERT_EQ(codes(warnings), std::vector<std::string>{"incremental"});
  EXPECT_NE(warnings[0].message.find("V10.3.5.0.PEAMIXM:user"), std::string::npos);
  EXPECT_NE(warnings[0].message.find("the phone runs V10.3.6.0.PEAMIXM"), std::string::npos);
}

TEST(Fit, ALockedBootloaderStopsAFastbootFlash) {
  const Rom record = global_dipper();
  Phone phone = phone_in_fastboot("dipper", 1);
  phone.locked = true;
  EXPECT_EQ(codes(fit_warnings({&record, nullptr, &phone, "", std::nullopt})), std::vector<std::string>{"locked"});
}

TEST(RomName, VariantInName) {
  EXPECT_EQ(variant_in_name("dipper_global_images_V10.3.6.0.PEAMIXM_20190911.0000.00_9.0_global_2363b6e14c.tgz"),
            "dipper_global");
  EXPECT_EQ(variant_in_name("laurel_sprout_eea_global_images_V12.0.1.0.QFQEUXM_10.0.tgz"), "laurel_sprout_eea_global");
  EXPECT_EQ(variant_in_name("air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-fc3ec2da64.zip"), "air");
  EXPECT_EQ(variant_in_name("miui-blockota-wayne-20.1.2-20.1.16-ffe4801b72-9.0.zip"), "wayne");
  EXPECT_EQ(variant_in_name("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"), "");
  EXPECT_EQ(variant_in_name(""), "");
  EXPECT_EQ(variant_in_name("Dipper_images_x.tgz"), "");
}

}  // namespace
}  // namespace xfu
