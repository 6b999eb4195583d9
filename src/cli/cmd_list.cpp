// xfu list [CODENAME] [filters]: ROMs as a table, TSV, JSON or cards.
#include <CLI/CLI.hpp>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "cli/phone.hpp"
#include "render/rom_views.hpp"

namespace xfu {

namespace {

struct ListOptions {
  std::string codename;
  FilterFlags filters;
  std::string format;
  bool json = false;
  bool header = false;
  bool device = false;
};

// --header asks for TSV: alone it picks it; with another format it is a contradiction, not something to ignore.
std::string chosen_format(const ListOptions& options) {
  std::string format = options.json ? "json" : options.format;
  if (options.header && !format.empty() && format != "tsv")
    throw Error(ExitCode::Usage, "--header is for tsv output; drop --header or " +
                                     std::string(options.json ? "--json" : "--format " + format));
  if (format.empty()) format = options.header || !is_terminal(stdout) ? "tsv" : "table";
  return format;
}

// Scripts still get something to parse when nothing is found, whatever the reason (an unknown codename
// too); the exit status and the message on stderr say why.
void write_nothing_found(const std::string& format, bool header) {
  if (format == "json") write_json(roms_to_json({}));
  if (format == "tsv") write_stdout(render_rom_tsv({}, header));
}

void run_list(Context& context, ListOptions options) {
  const std::string format = chosen_format(options);
  if (options.device) aim_at_phone(options.codename, options.filters);
  const RomFilter filter = make_filter(options.filters, options.codename);
  const Catalog& catalog = context.roms_of(filter.codename);
  require_known_region(catalog, filter.region);
  std::vector<const Rom*> roms;
  try {
    require_known_codename(context, catalog, filter.codename);
    roms = select_roms(catalog, filter);
    if (roms.empty()) throw_nothing_matched(catalog, filter);
  } catch (const Error& e) {
    if (e.code() == ExitCode::NothingMatched) write_nothing_found(format, options.header);
    throw;
  }
  if (format == "json") {
    write_json(roms_to_json(roms));
  } else if (format == "table") {
    write_stdout(render_rom_table(roms, stdout_table_options(context.options.colour_mode())));
  } else if (format == "cards") {
    const CardStyle style = stdout_card_style(context.options.colour_mode());
    std::string out;
    for (const auto& group : group_by_file(roms)) out += (out.empty() ? "" : "\n") + render_rom_card(group, style);
    write_stdout(out);
  } else {
    write_stdout(render_rom_tsv(roms, options.header));
  }
}

}  // namespace

void add_list_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* list = app.add_subcommand("list", "List ROM releases, newest first");
  list->add_option("codename", options->codename,
                   "Device codename: the base (dipper covers dipper_global, ...) or an exact variant; "
                   "all devices when left out")
      ->option_text("CODENAME");
  add_filter_options(*list, options->filters, true);
  add_device_flag(*list, options->device);
  list->add_option("--format", options->format, "table (default on a terminal), tsv (default otherwise), json or cards")
      ->option_text("FORMAT")
      ->check(CLI::IsMember({"table", "tsv", "json", "cards"}));
  CLI::Option* json = list->add_flag("--json", options->json, "Same as --format json");
  json->excludes(list->get_option("--format"));
  list->add_flag("--header", options->header, "Print a header line first (tsv; picks tsv when no format is given)");
  list->footer("TSV columns: " + std::string(kRomTsvColumns) +
               " (tab-separated; \"-\" when unknown; size is bytes only when the catalog knows them exactly, "
               "else its label such as 2.1 GB: scripts read size_bytes or size_approx_bytes from --json)\n" +
               global_options_footer());
  list->callback([&context, options] { run_list(context, *options); });
}

}  // namespace xfu
