// xfu show CODENAME [VERSION] [filters] | xfu show FILENAME: one card per ROM file.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "render/rom_views.hpp"

namespace xfu {

namespace {

struct ShowOptions {
  std::string target;  // codename or package name
  std::string version;
  FilterFlags filters;
  bool json = false;
};

// Codenames never contain a dot or a slash; ROM file names, their paths and links do.
bool looks_like_filename(const std::string& target) { return target.find_first_of("./") != std::string::npos; }

// What Tab completion or a copied link gives: ./miui_X.zip, /path/to/miui_X.zip, https://host/dir/miui_X.zip?t=1.
std::string package_name_of(std::string target) {
  if (target.find("://") != std::string::npos) target = target.substr(0, target.find_first_of("?#"));
  const auto slash = target.find_last_of('/');
  return slash == std::string::npos ? target : target.substr(slash + 1);
}

bool is_record_of(const Rom& rom, const std::string& target, const std::string& package_name) {
  return rom.filename == package_name || rom.link == target ||
         std::find(rom.mirrors.begin(), rom.mirrors.end(), target) != rom.mirrors.end();
}

std::vector<const Rom*> select_for_show(Context& context, const ShowOptions& options) {
  if (looks_like_filename(options.target)) {
    if (!options.version.empty()) throw Error(ExitCode::Usage, "a package name cannot be followed by a VERSION");
    RomFilter filter = make_filter(options.filters, "");
    const std::string package_name = package_name_of(options.target);
    std::vector<const Rom*> roms;
    for (const Rom* rom : select_roms(context.all_roms(), filter))
      if (is_record_of(*rom, options.target, package_name)) roms.push_back(rom);
    if (roms.empty())
      throw Error(ExitCode::NothingMatched, "no ROM in the catalog has the package name \"" + package_name + "\"");
    return roms;
  }
  return select_release(context, options.target, options.version, options.filters);
}

void run_show(Context& context, const ShowOptions& options) {
  const auto roms = select_for_show(context, options);
  if (options.json) return write_json(roms_to_json(roms));
  const CardStyle style = stdout_card_style(context.options.colour_mode());
  std::string out;
  for (const auto& group : group_by_file(roms)) out += (out.empty() ? "" : "\n") + render_rom_card(group, style);
  write_stdout(out);
}

}  // namespace

void add_show_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* show = app.add_subcommand(
      "show", "Show ROM cards: every field, every mirror, the changelog. Without VERSION: the newest release of "
              "each variant, branch and type");
  show->add_option("target", options->target, "Device codename, or a ROM's package name (file name)")
      ->option_text("CODENAME|FILENAME")
      ->required();
  show->add_option("version", options->version, "Version, exact or a prefix: 8.12.7, V12.5, OS2")
      ->option_text("VERSION");
  add_filter_options(*show, options->filters, false);
  show->add_flag("--json", options->json, "Print the records as JSON (as list --json does)");
  show->footer(global_options_footer());
  show->callback([&context, options] { run_show(context, *options); });
}

}  // namespace xfu
