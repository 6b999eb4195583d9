// xfu list [CODENAME] [filters]: ROMs as a table (terminal), TSV (pipe) or JSON.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/catalog_json.hpp"
#include "core/query.hpp"
#include "render/sanitize.hpp"
#include "render/table.hpp"
#include "render/terminal.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

struct ListOptions {
  std::string codename;
  std::string branch, type, region, version, android, since, until;
  bool latest = false;
  size_t limit = 0;
  std::string format;
  bool json = false;
  bool header = false;
};

template <typename T, typename Parse, typename Slug, typename All>
std::optional<T> parse_choice(const std::string& value, const char* flag, Parse parse, Slug slug, All all) {
  if (value.empty()) return std::nullopt;
  if (auto parsed = parse(value)) return parsed;
  std::vector<std::string> valid;
  for (T item : all()) valid.emplace_back(slug(item));
  throw Error(ExitCode::Usage, std::string("invalid ") + flag + " \"" + value + "\": expected " + join(valid, ", "));
}

std::string checked_date(const std::string& value, const char* flag) {
  if (!value.empty() && !is_iso_date(value))
    throw Error(ExitCode::Usage, std::string("invalid ") + flag + " \"" + value + "\": expected a date YYYY-MM-DD");
  return value;
}

RomFilter make_filter(const ListOptions& options) {
  RomFilter filter;
  filter.codename = options.codename;
  filter.branch = parse_choice<Branch>(options.branch, "--branch", parse_branch, branch_slug, all_branches);
  filter.type = parse_choice<RomType>(options.type, "--type", parse_type, type_slug, all_types);
  filter.region = options.region;
  filter.version = options.version;
  filter.android = options.android;
  filter.since = checked_date(options.since, "--since");
  filter.until = checked_date(options.until, "--until");
  filter.latest = options.latest;
  filter.limit = options.limit;
  return filter;
}

Colour branch_colour(Branch branch) {
  switch (branch) {
    case Branch::Stable: return Colour::Green;
    case Branch::StableBeta: return Colour::Cyan;
    case Branch::Weekly: return Colour::Yellow;
    case Branch::PublicBeta: return Colour::Magenta;
  }
  return Colour::None;
}

std::string render_list_table(const std::vector<const Rom*>& roms, bool colour, bool header) {
  const std::vector<TableColumn> columns{{"Device", false, 2}, {"Version", false, 1}, {"Branch"}, {"Type"},
                                         {"Android"},         {"Size", true},         {"Date"}};
  std::vector<std::vector<TableCell>> rows;
  for (const Rom* rom : roms) {
    rows.push_back({{sanitize_line(rom->device)},
                    {sanitize_line(rom->version)},
                    {std::string(branch_name(rom->branch)), branch_colour(rom->branch)},
                    {std::string(type_name(rom->type)), rom->type == RomType::Fastboot ? Colour::Blue : Colour::None},
                    {sanitize_line(rom->android)},
                    {sanitize_line(display_size(*rom))},
                    {rom->date}});
  }
  TableOptions options;
  options.max_width = terminal_width(stdout);
  options.colour = colour;
  options.header = header;
  options.ellipsis = utf8_locale() ? "\u2026" : "...";
  return render_table(columns, rows, options);
}

std::string tsv_field(const std::string& text) {
  const std::string clean = sanitize_line(text);
  return clean.empty() ? "-" : clean;
}

// Columns: device version branch type android size date region variant filename md5 link
std::string render_list_tsv(const std::vector<const Rom*>& roms, bool header) {
  std::string out;
  if (header) out += "device\tversion\tbranch\ttype\tandroid\tsize\tdate\tregion\tvariant\tfilename\tmd5\tlink\n";
  for (const Rom* rom : roms) {
    const std::vector<std::string> fields{
        tsv_field(rom->device),   tsv_field(rom->version),  std::string(branch_slug(rom->branch)),
        std::string(type_slug(rom->type)), tsv_field(rom->android),
        rom->size ? std::to_string(*rom->size) : "-", tsv_field(rom->date), tsv_field(rom->region),
        tsv_field(rom->variant),  tsv_field(rom->filename), tsv_field(rom->md5), tsv_field(rom->link)};
    out += join(fields, "\t") + "\n";
  }
  return out;
}

nlohmann::json list_json(const std::vector<const Rom*>& roms) {
  nlohmann::json array = nlohmann::json::array();
  for (const Rom* rom : roms) array.push_back(rom_to_json(*rom));
  return array;
}

void run_list(Context& context, const ListOptions& options) {
  const RomFilter filter = make_filter(options);
  const Catalog& catalog = context.catalog().catalog;
  if (!filter.codename.empty() && !knows_codename(catalog, filter.codename))
    throw Error(ExitCode::NothingMatched, "unknown codename \"" + filter.codename + "\"");
  const auto roms = select_roms(catalog, filter);

  std::string format = options.json ? "json" : options.format;
  if (format.empty()) format = is_terminal(stdout) ? "table" : "tsv";
  if (format == "json") {
    write_json(list_json(roms));
  } else if (roms.empty()) {
    if (is_terminal(stderr)) print_note("no ROM matches these filters");
  } else if (format == "table") {
    write_stdout(render_list_table(roms, colour_wanted(stdout, context.options.no_color), true));
  } else {
    write_stdout(render_list_tsv(roms, options.header));
  }
}

}  // namespace

void add_list_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* list = app.add_subcommand("list", "List ROM releases, newest first");
  list->add_option("codename", options->codename,
                   "Device codename: the base (dipper covers dipper_global, ...) or an exact variant")
      ->option_text("CODENAME");
  list->add_option("--branch", options->branch, "stable, stable-beta, weekly or public-beta")->option_text("BRANCH");
  list->add_option("--type", options->type, "recovery or fastboot")->option_text("TYPE");
  list->add_option("--region", options->region, "global, china, eea, india, russia, indonesia, turkey, taiwan, japan, ...")
      ->option_text("REGION");
  list->add_option("--version", options->version, "Exact version, or a prefix such as V14 or OS2")->option_text("VERSION");
  list->add_option("--android", options->android, "Android version, or a prefix: 9.0, 14")->option_text("VERSION");
  list->add_option("--since", options->since, "Released on or after this date")->option_text("YYYY-MM-DD");
  list->add_option("--until", options->until, "Released on or before this date")->option_text("YYYY-MM-DD");
  list->add_flag("--latest", options->latest, "Only the newest release per variant, branch and type");
  list->add_option("--limit", options->limit, "Print at most N ROMs")->option_text("N")->check(CLI::PositiveNumber);
  list->add_option("--format", options->format,
                   "table (default on a terminal) or tsv (default otherwise: device, version, branch, type, android, "
                   "size in bytes, date, region, variant, filename, md5, link; \"-\" when unknown) or json")
      ->option_text("FORMAT")
      ->check(CLI::IsMember({"table", "tsv", "json"}));
  list->add_flag("--json", options->json, "Same as --format json");
  list->add_flag("--header", options->header, "With tsv: print a header line first");
  list->footer(global_options_footer());
  list->callback([&context, options] { run_list(context, *options); });
}

}  // namespace xfu
