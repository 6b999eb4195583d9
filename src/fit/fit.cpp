#include "fit/fit.hpp"

#include <algorithm>

#include "core/region.hpp"
#include "core/rom_name.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// "a Global", "an EEA": regions as adjectives.
std::string with_article(const std::string& region) {
  const bool vowel = !region.empty() && std::string_view("AEIOU").find(region[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + region;
}

// The region the file is for: the catalog's word when it has a record, else what a fastboot name's variant says
// (the other names carry the region only inside the version).
std::string file_region(const FitInput& input) {
  if (input.record && !input.record->region.empty()) return input.record->region;
  if (input.filename.find("_images_") == std::string::npos) return {};
  const std::string variant = variant_in_name(input.filename);
  return variant.empty() ? std::string() : derive_region("", variant);
}

// The phone's region once it is known, else empty (fastboot mode does not tell it).
std::string phone_region(const Phone* phone) {
  if (!phone) return {};
  if (!phone->region.empty()) return phone->region;
  return phone->variant.empty() ? std::string() : derive_region("", phone->variant);
}

void check_devices(const FitInput& input, std::vector<FitWarning>& warnings) {
  const PackageFacts* package = input.package;
  // A list cut short proves nothing about a device not on it.
  if (!package || package->devices.empty() || package->devices_cut) return;
  const std::string accepted = join(package->devices, ", ");
  if (input.phone && !input.phone->codename.empty() && !contains(package->devices, input.phone->codename))
    warnings.push_back({"device", "the package is for " + accepted + ", but the phone is " + input.phone->codename +
                                      ": it will not flash, and forcing it can brick the phone"});
  if (input.record) {
    const std::string expected(
        base_codename(input.record->variant.empty() ? input.record->codename : input.record->variant));
    if (!contains(package->devices, expected) && !contains(package->devices, input.record->codename))
      warnings.push_back({"catalog-device", "the package is for " + accepted +
                                                ", but the catalog lists this file for " + input.record->variant +
                                                ": it is not the file it claims to be"});
  }
  const std::string named = variant_in_name(input.filename);
  if (!named.empty() && !contains(package->devices, base_codename(named)) && !contains(package->devices, named))
    warnings.push_back(
        {"name-device", "the package is for " + accepted + ", but its file name says " + named + ": it was renamed"});
}

// A phone that does not say what it is cannot be checked against: silence would read as "it fits".
void check_phone_known(const FitInput& input, std::vector<FitWarning>& warnings) {
  if (!input.phone || !input.phone->codename.empty()) return;
  warnings.push_back({"phone-unknown", "the phone does not tell its codename (" +
                                           std::string(phone_mode_slug(input.phone->mode)) +
                                           " mode): nothing was checked against it"});
}

void check_anti_rollback(const FitInput& input, std::vector<FitWarning>& warnings) {
  const PackageFacts* package = input.package;
  if (!package || package->kind != PackageKind::Fastboot || !input.phone || input.phone->codename.empty()) return;
  if (!input.phone->anti_rollback) {
    if (package->anti_rollback)
      warnings.push_back(
          {"anti-rollback-unchecked", "the phone's anti-rollback index is unknown, so the package's " +
                                          std::to_string(*package->anti_rollback) +
                                          " was not compared with it: the phone tells it in fastboot mode (adb reboot "
                                          "bootloader)"});
    return;
  }
  const int phone = *input.phone->anti_rollback;
  if (!package->anti_rollback) {
    if (phone > 0)
      warnings.push_back({"anti-rollback-unknown", "the package states no anti-rollback index and the phone's is " +
                                                       std::to_string(phone) +
                                                       ": nothing stops it if it is older; flashing an older one "
                                                       "bricks the phone"});
    return;
  }
  const int index = *package->anti_rollback;
  if (index < phone)
    warnings.push_back({"anti-rollback", "the package's anti-rollback index is " + std::to_string(index) +
                                             ", below the phone's " + std::to_string(phone) +
                                             ": flashing it will fail, or brick the phone if the check is removed"});
  else if (index > phone)
    warnings.push_back({"anti-rollback-raise", "flashing raises the phone's anti-rollback index from " +
                                                   std::to_string(phone) + " to " + std::to_string(index) +
                                                   ": packages below " + std::to_string(index) +
                                                   " can never be flashed again"});
}

void check_region(const FitInput& input, std::vector<FitWarning>& warnings) {
  const std::string phone = phone_region(input.phone);
  const std::string file = file_region(input);
  if (phone.empty() || file.empty() || phone == file) return;
  warnings.push_back(
      {"region", with_article(file) + " ROM on " + with_article(phone) + " phone: it changes the phone's region"});
}

void check_lock_script(const FitInput& input, std::vector<FitWarning>& warnings) {
  const PackageFacts* package = input.package;
  if (!package || package->relocking_scripts.empty()) return;
  const std::string scripts = join(package->relocking_scripts, ", ");
  const bool one = package->relocking_scripts.size() == 1;
  const std::string phone = phone_region(input.phone);
  const std::string file = file_region(input);
  if (!phone.empty() && !file.empty() && phone != file) {
    warnings.push_back({"lock-script-region", "do not run " + scripts + ": " + (one ? "it relocks" : "they relock") +
                                                  " the bootloader, and with " + with_article(file) + " ROM on " +
                                                  with_article(phone) +
                                                  " phone that can leave the phone unable to boot"});
    return;
  }
  std::string message = scripts + (one ? " relocks" : " relock") +
                        " the bootloader: use it only with the phone's own region's ROM";
  if (!contains(package->relocking_scripts, "flash_all")) message += "; flash_all keeps the bootloader unlocked";
  warnings.push_back({"lock-script", message});
}

// Most Stable Beta releases come only as a recovery package: a failed update then needs an older fastboot
// package to recover, which the user should know before starting.
void check_stable_beta(const FitInput& input, std::vector<FitWarning>& warnings) {
  if (!input.record || input.record->branch != Branch::StableBeta || input.release_has_fastboot != false) return;
  warnings.push_back({"stable-beta", "this Stable Beta release has no fastboot package: if the update fails, "
                                     "recovering needs the fastboot package of an earlier release"});
}

void check_incremental(const FitInput& input, std::vector<FitWarning>& warnings) {
  const PackageFacts* package = input.package;
  if (!package || !package->incremental) return;
  std::string message = "an incremental package: it installs only over ";
  message += package->source_fingerprint.empty() ? "the one build it was made from" : package->source_fingerprint;
  if (input.phone && !input.phone->build.empty() && !package->source_fingerprint.empty() &&
      package->source_fingerprint.find(input.phone->build) == std::string::npos)
    message += ", and the phone runs " + input.phone->build;
  warnings.push_back({"incremental", message});
}

void check_lock_state(const FitInput& input, std::vector<FitWarning>& warnings) {
  const PackageFacts* package = input.package;
  const bool fastboot = (package && package->kind == PackageKind::Fastboot) ||
                        (!package && input.record && input.record->type == RomType::Fastboot);
  if (!fastboot || !input.phone || input.phone->locked != true) return;
  warnings.push_back({"locked", "the phone's bootloader is locked: a fastboot package flashes only once it is "
                                "unlocked"});
}

}  // namespace

std::vector<FitWarning> fit_warnings(const FitInput& input) {
  std::vector<FitWarning> warnings;
  check_phone_known(input, warnings);
  check_devices(input, warnings);
  check_anti_rollback(input, warnings);
  check_region(input, warnings);
  check_lock_script(input, warnings);
  check_stable_beta(input, warnings);
  check_incremental(input, warnings);
  check_lock_state(input, warnings);
  return warnings;
}

}  // namespace xfu
