// xfu device: the phones on USB, as adb and fastboot describe them, one card each.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/phone.hpp"
#include "core/region.hpp"
#include "render/card.hpp"
#include "render/sanitize.hpp"

namespace xfu {

namespace {

struct DeviceOptions {
  bool json = false;
};

bool is_catalog_record_of(const Rom& rom, const Phone& phone) {
  if (!phone.variant.empty() && phone.variant != phone.codename) return rom.variant == phone.variant;
  if (!phone.region.empty()) return rom.codename == phone.codename && rom.region == phone.region;
  return rom.codename == phone.codename;
}

// "Mi 8 Global" for a phone whose variant (or region) the catalog knows; "Mi 8" when only its codename is known.
std::string catalog_name(Context& context, const Phone& phone) {
  if (phone.codename.empty()) return "";
  const Catalog& roms = context.roms_of(phone.codename);
  for (const Rom& rom : roms.roms) {
    if (!is_catalog_record_of(rom, phone)) continue;
    if (!phone.variant.empty() || !phone.region.empty()) return rom.device;
    const auto space = rom.device.find_last_of(' ');
    const bool ends_in_region = space != std::string::npos && region_named(rom.device.substr(space + 1));
    return ends_in_region ? rom.device.substr(0, space) : rom.device;
  }
  return "";
}

std::string or_unknown(const std::string& text) { return text.empty() ? "Unknown" : sanitize_line(text); }

std::string lock_state(const std::optional<bool>& locked) {
  if (!locked) return "Unknown";
  return *locked ? "Locked" : "Unlocked";
}

std::string phone_card(const Phone& phone, const std::string& device, const CardStyle& style) {
  std::vector<CardField> fields{{"Serial", {sanitize_line(phone.serial)}},
                                {"Mode", {std::string(phone_mode_slug(phone.mode))}}};
  if (phone.mode != PhoneMode::Unauthorized) {
    fields.push_back({"Device", {or_unknown(device)}});
    fields.push_back({"Codename", {or_unknown(phone.codename)}});
    fields.push_back({"Variant", {or_unknown(phone.variant)}});
    fields.push_back({"Region", {or_unknown(phone.region)}});
    fields.push_back({"Build", {or_unknown(phone.build)}});
    fields.push_back({"Android", {or_unknown(phone.android)}});
    fields.push_back(
        {"Anti-rollback", {phone.anti_rollback ? std::to_string(*phone.anti_rollback) : std::string("Unknown")}});
    fields.push_back({"Bootloader", {lock_state(phone.locked)}});
  }
  std::vector<std::string> notes;
  for (const std::string& note : phone.notes) notes.push_back(sanitize_line(note));
  if (!notes.empty()) fields.push_back({"Notes", notes, Colour::None, true});
  const std::string name = device.empty() ? phone.codename.empty() ? "Phone" : phone.codename : device;
  return render_card(sanitize_line(name) + (style.unicode ? " \u00B7 " : " - ") + sanitize_line(phone.serial), fields,
                     style);
}

// The catalog only adds the device's name: a catalog that cannot be read is a note, not a failure.
std::string catalog_name_or_note(Context& context, const Phone& phone, bool& noted) {
  try {
    return catalog_name(context, phone);
  } catch (const Error& e) {
    if (!noted) print_note(std::string("the device names are left out: ") + e.what());
    noted = true;
    return "";
  }
}

void run_device(Context& context, const DeviceOptions& options) {
  const std::vector<Phone>& phones = connected_phones();
  bool noted = false;
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  const CardStyle style = stdout_card_style(context.options.colour_mode());
  std::string out;
  for (const Phone& phone : phones) {
    const std::string device = catalog_name_or_note(context, phone, noted);
    if (options.json) array.push_back(phone_json(phone, device));
    else out += (out.empty() ? "" : "\n") + phone_card(phone, device, style);
  }
  if (options.json) return write_json(array);
  write_stdout(out);
}

}  // namespace

void add_device_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<DeviceOptions>();
  CLI::App* device = app.add_subcommand(
      "device", "Show each phone on USB (through adb or fastboot): codename, region, build, anti-rollback index, "
                "bootloader lock");
  device->add_flag("--json", options->json, "Print the phones as JSON");
  device->footer("ANDROID_SERIAL limits it to the phone with that serial.\n" + global_options_footer());
  device->callback([&context, options] { run_device(context, *options); });
}

}  // namespace xfu
