// xfu show CODENAME [VERSION] [filters] | xfu show FILENAME: one card per ROM file.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "cli/package_views.hpp"
#include "cli/phone.hpp"
#include "render/rom_views.hpp"

namespace xfu {

namespace {

struct ShowOptions {
  std::string target;  // codename or package name
  std::string version;
  FilterFlags filters;
  bool json = false;
  bool device = false;
};

// Codenames never contain a dot or a slash; ROM file names, their paths and links do.
bool looks_like_filename(const std::string& target) { return target.find_first_of("./") != std::string::npos; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A link copied from a browser may spell the name's characters as %XX (miui%5FMI8Global...).
std::string percent_decoded(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const int high = i + 2 < text.size() && text[i] == '%' ? hex_digit(text[i + 1]) : -1;
    const int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
    if (low < 0) {
      out += text[i];
      continue;
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// What Tab completion or a copied link gives: ./miui_X.zip, /path/to/miui_X.zip, https://host/dir/miui_X.zip?t=1.
std::string package_name_of(std::string target) {
  const bool is_url = target.find("://") != std::string::npos;
  if (is_url) target = target.substr(0, target.find_first_of("?#"));
  const auto slash = target.find_last_of('/');
  const std::string name = slash == std::string::npos ? target : target.substr(slash + 1);
  if (name.empty())
    throw Error(ExitCode::Usage, "\"" + target + "\" names no file: give a ROM's package name, e.g. " +
                                     "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip, or its download link");
  return is_url ? percent_decoded(name) : name;
}

// Why records with this package name exist but none passed the filter flags: the flags that exclude them.
[[noreturn]] void throw_excluded_by_filters(const std::string& package_name, const std::vector<const Rom*>& records,
                                            const RomFilter& filter) {
  const Rom& rom = *records.front();
  throw Error(ExitCode::NothingMatched, package_name + " is a " + std::string(branch_slug(rom.branch)) + " " +
                                            std::string(type_slug(rom.type)) + " ROM of " + rom.variant + ", which " +
                                            filter_flags_text(filter) + " excludes; a package name needs no filters");
}

bool is_record_of(const Rom& rom, const std::string& target, const std::string& package_name) {
  return rom.filename == package_name || rom.link == target ||
         std::find(rom.mirrors.begin(), rom.mirrors.end(), target) != rom.mirrors.end();
}

std::vector<const Rom*> select_for_show(Context& context, const ShowOptions& options) {
  if (looks_like_filename(options.target)) {
    if (!options.version.empty())
      throw Error(ExitCode::Usage, "a package name names one file and takes no VERSION: type xfu show " +
                                       options.target + ", or xfu show CODENAME " + options.version);
    RomFilter filter = make_filter(options.filters, "");
    const std::string package_name = package_name_of(options.target);
    std::vector<const Rom*> records;
    for (const Rom* rom : select_roms(context.all_roms(), RomFilter{}))
      if (is_record_of(*rom, options.target, package_name)) records.push_back(rom);
    if (records.empty())
      throw Error(ExitCode::NothingMatched, "no ROM in the catalog has the package name \"" + package_name +
                                                "\"; xfu list CODENAME shows a device's package names");
    std::vector<const Rom*> roms;
    for (const Rom* rom : select_roms(context.all_roms(), filter))
      if (std::find(records.begin(), records.end(), rom) != records.end()) roms.push_back(rom);
    if (roms.empty()) throw_excluded_by_filters(package_name, records, filter);
    return roms;
  }
  return select_release(context, options.target, options.version, options.filters);
}

void run_show(Context& context, ShowOptions options) {
  if (options.device) aim_at_phone(options.target, options.version, options.filters);
  if (options.target.empty()) throw CLI::RequiredError("target");
  std::vector<const Rom*> roms;
  try {
    roms = select_for_show(context, options);
  } catch (const Error& e) {
    // As list --json: a script always gets JSON to parse; the exit status and stderr say why it is empty.
    if (options.json && e.code() == ExitCode::NothingMatched) write_json(roms_to_json({}));
    throw;
  }
  // The records as list --json prints them; scripts get warnings from download --dry-run --json and inspect --json.
  if (options.json) return write_json(roms_to_json(roms));
  const Phone* phone = options.device ? &connected_phone() : nullptr;
  const auto warnings_of = [&](const Rom& rom) {
    FitInput input{&rom, nullptr, phone, rom.filename, std::nullopt};
    context.complete_fit_input(input);
    return fit_warnings(input);
  };
  const CardStyle style = stdout_card_style(context.options.colour_mode());
  std::string out;
  for (const auto& group : group_by_file(roms))
    out += (out.empty() ? "" : "\n") + render_rom_card(group, style, warning_lines(warnings_of(*group.front())));
  write_stdout(out);
}

}  // namespace

void add_show_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* show = app.add_subcommand(
      "show", "Show ROM cards: every field, every mirror, the changelog. Without VERSION: the newest release of "
              "each variant, branch and type");
  show->add_option("target", options->target, "Device codename, or a ROM's package name (file name)")
      ->option_text("CODENAME|FILENAME");
  show->add_option("version", options->version, "Version, exact or a prefix: 8.12.7, V12.5, OS2")
      ->option_text("VERSION");
  add_filter_options(*show, options->filters, false);
  add_device_flag(*show, options->device);
  show->add_flag("--json", options->json, "Print the records as JSON (as list --json does)");
  show->footer(global_options_footer());
  show->callback([&context, options] { run_show(context, *options); });
}

}  // namespace xfu
