#include "cli/phone.hpp"

#include <CLI/CLI.hpp>
#include <cctype>
#include <optional>

#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "core/region.hpp"
#include "device/phone_query.hpp"
#include "device/phones.hpp"
#include "util/strings.hpp"

namespace xfu {

const std::vector<Phone>& connected_phones() {
  static std::optional<std::vector<Phone>> phones;
  if (phones) return *phones;
  PhoneScan scan = find_phones();
  for (const std::string& note : scan.notes) print_note(note);
  if (scan.phones.empty()) throw no_phone_error();
  phones = std::move(scan.phones);
  return *phones;
}

const Phone& connected_phone() {
  const std::vector<Phone>& phones = connected_phones();
  if (phones.size() == 1) return phones.front();
  std::vector<std::string> serials;
  for (const Phone& phone : phones) serials.push_back(phone.serial);
  throw Error(ExitCode::Usage, std::to_string(phones.size()) + " phones are connected (" + join(serials, ", ") +
                                   "): set ANDROID_SERIAL to the serial of one of them");
}

void add_device_flag(CLI::App& command, bool& device) {
  command.add_flag("--device", device,
                   "The connected phone's own ROMs: its variant codename in place of CODENAME (asks adb or "
                   "fastboot; ANDROID_SERIAL picks one of several phones)");
}

void aim_at_phone(std::string& codename, FilterFlags& flags) {
  if (!codename.empty())
    throw Error(ExitCode::Usage, "--device and CODENAME \"" + codename + "\" both name the device: drop one of them");
  const Phone& phone = connected_phone();
  PhoneQuery query = query_for_phone(phone, flags.region);
  for (const std::string& note : query.notes) print_note(note);
  codename = query.codename;
  const bool region_given = !flags.region.empty();
  if (!region_given) flags.region = to_lower(query.region);
  const auto region = region_spelled(flags.region);
  const std::string region_word = to_lower(region ? *region : flags.region);
  // Which region the ROMs are chosen for, and whether the phone or --region said it.
  std::string note = "the phone " + phone.serial + " is " + codename;
  if (region_given) note += "; ROMs of --region " + region_word + " are shown";
  else if (!flags.region.empty()) note += ", region " + region_word;
  print_note(note);
}

namespace {

// "8.12.7", "V12.5", "OS2": what a version starts with. Codenames may start with v (vayu), never with "v" and
// a digit.
bool starts_like_version(const std::string& word) {
  const auto digit_at = [&word](size_t i) {
    return i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]));
  };
  return digit_at(0) || ((word[0] == 'V' || word[0] == 'v') && digit_at(1)) ||
         (istarts_with(word, "OS") && digit_at(2));
}

}  // namespace

void aim_at_phone(std::string& codename, std::string& version, FilterFlags& flags) {
  if (!codename.empty() && version.empty() && starts_like_version(codename)) std::swap(codename, version);
  aim_at_phone(codename, flags);
}

namespace {

nlohmann::ordered_json or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

}  // namespace

nlohmann::ordered_json phone_json(const Phone& phone, const std::string& device) {
  nlohmann::ordered_json object{{"serial", phone.serial},
                                {"mode", std::string(phone_mode_slug(phone.mode))},
                                {"codename", or_null(phone.codename)},
                                {"variant", or_null(phone.variant)},
                                {"device", or_null(device)},
                                {"region", or_null(phone.region)},
                                {"build", or_null(phone.build)},
                                {"android", or_null(phone.android)}};
  object["anti_rollback"] = phone.anti_rollback ? nlohmann::ordered_json(*phone.anti_rollback) : nullptr;
  object["locked"] = phone.locked ? nlohmann::ordered_json(*phone.locked) : nullptr;
  object["notes"] = phone.notes;
  return object;
}

}  // namespace xfu
