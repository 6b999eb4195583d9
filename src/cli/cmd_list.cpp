// xfu list [CODENAME] [filters]: ROMs as a table, TSV, JSON or cards.
#include <CLI/CLI.hpp>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "render/rom_views.hpp"

namespace xfu {

namespace {

struct ListOptions {
  std::string codename;
  FilterFlags filters;
  std::string format;
  bool json = false;
  bool header = false;
};

void run_list(Context& context, const ListOptions& options) {
  const RomFilter filter = make_filter(options.filters, options.codename);
  const Catalog& catalog = context.roms_of(filter.codename);
  require_known_region(catalog, filter.region);
  require_known_codename(context, catalog, filter.codename);
  const auto roms = select_roms(catalog, filter);

  std::string format = options.json ? "json" : options.format;
  if (format.empty()) format = is_terminal(stdout) ? "table" : "tsv";
  if (roms.empty()) {
    // Scripts still get something to parse; the exit status says nothing was found, in every format.
    if (format == "json") write_json(roms_to_json(roms));
    if (format == "tsv") write_stdout(render_rom_tsv(roms, options.header));
    throw_nothing_matched(catalog, filter);
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
  list->add_option("--format", options->format, "table (default on a terminal), tsv (default otherwise), json or cards")
      ->option_text("FORMAT")
      ->check(CLI::IsMember({"table", "tsv", "json", "cards"}));
  list->add_flag("--json", options->json, "Same as --format json");
  list->add_flag("--header", options->header, "With tsv: print a header line first");
  list->footer("TSV columns: " + std::string(kRomTsvColumns) + " (tab-separated; size in bytes; \"-\" when unknown)\n" +
               global_options_footer());
  list->callback([&context, options] { run_list(context, *options); });
}

}  // namespace xfu
