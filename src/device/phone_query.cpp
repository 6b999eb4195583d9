#include "device/phone_query.hpp"

#include "core/exit_code.hpp"
#include "core/region.hpp"
#include "util/strings.hpp"

namespace xfu {

PhoneQuery query_for_phone(const Phone& phone, std::string_view region_flag) {
  if (phone.mode == PhoneMode::Unauthorized)
    throw Error(ExitCode::NothingMatched, "the phone " + phone.serial +
                                              " has not allowed USB debugging from this computer: accept the prompt "
                                              "on the phone and try again");
  if (phone.codename.empty())
    throw Error(ExitCode::NothingMatched, "the phone " + phone.serial + " does not tell its codename; give CODENAME");
  PhoneQuery query;
  if (!region_flag.empty()) {
    query.codename = phone.codename;
    const auto asked = region_spelled(region_flag);
    if (!phone.region.empty() && (!asked || *asked != phone.region))
      query.notes.push_back("--region " + std::string(region_flag) + " wins over the phone's region, " + phone.region);
    return query;
  }
  if (!phone.variant.empty() && phone.variant != phone.codename) {
    query.codename = phone.variant;
    return query;
  }
  query.codename = phone.codename;
  query.region = phone.region;
  if (query.region.empty())
    query.notes.push_back(std::string(phone.mode == PhoneMode::Fastboot ? "in fastboot mode " : "") +
                          "the phone does not tell its region: using every variant of " + phone.codename +
                          " (--region REGION narrows them)");
  return query;
}

}  // namespace xfu
