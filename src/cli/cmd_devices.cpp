// xfu devices [QUERY]: find a codename from a device name, or the reverse.
#include <CLI/CLI.hpp>

#include "catalog/devices.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "render/sanitize.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

struct DevicesOptions {
  std::string query;
  std::string format;
  bool json = false;
};

nlohmann::ordered_json devices_json(const std::vector<DeviceSummary>& devices) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& device : devices) {
    nlohmann::ordered_json newest = nlohmann::ordered_json::object();
    for (Branch branch : all_branches())
      if (const auto& version = device.newest[static_cast<size_t>(branch)]; !version.empty())
        newest[std::string(branch_slug(branch))] = version;
    array.push_back({{"codename", device.codename},
                     {"variant", device.variant},
                     {"device", device.device},
                     {"region", region_slug(device.region)},
                     {"roms", device.roms},
                     {"newest", newest}});
  }
  return array;
}

// Giving way on a narrow terminal: the Public Beta, Stable Beta and ROMs
// columns leave, Device is cut but keeps its region, then Weekly, Stable
// and Device leave. The codename tells the rows apart: it stays.
std::string devices_table(const std::vector<DeviceSummary>& devices, const TableOptions& options) {
  std::vector<TableColumn> columns{{"Codename"}, {"Device", false, 4, 7}, {"ROMs", true, 0, 3}};
  const auto drop_step = [](Branch branch) {
    switch (branch) {
      case Branch::PublicBeta: return 1;
      case Branch::StableBeta: return 2;
      case Branch::Weekly: return 5;
      case Branch::Stable: return 6;
    }
    return 1;
  };
  for (Branch branch : all_branches())
    columns.push_back({std::string(branch_name(branch)), false, 0, drop_step(branch)});
  std::vector<std::vector<TableCell>> rows;
  for (const auto& device : devices) {
    const std::string region = sanitize_line(device.region);
    std::vector<TableCell> row{{sanitize_line(device.variant)},
                               {sanitize_line(device.device), Colour::None, "", region.empty() ? "" : " " + region},
                               {std::to_string(device.roms)}};
    for (Branch branch : all_branches()) row.push_back({sanitize_line(device.newest[static_cast<size_t>(branch)])});
    rows.push_back(std::move(row));
  }
  return render_table(columns, rows, options);
}

// Columns: variant, device, region, roms, newest stable, stable-beta, weekly, public-beta.
std::string devices_tsv(const std::vector<DeviceSummary>& devices) {
  std::string out;
  for (const auto& device : devices) {
    std::vector<std::string> fields{sanitize_line(device.variant), sanitize_line(device.device),
                                    sanitize_line(region_slug(device.region)), std::to_string(device.roms)};
    for (Branch branch : all_branches()) {
      const std::string version = sanitize_line(device.newest[static_cast<size_t>(branch)]);
      fields.push_back(version.empty() ? "-" : version);
    }
    out += join(fields, "\t") + "\n";
  }
  return out;
}

void run_devices(Context& context, const DevicesOptions& options) {
  const auto devices = find_devices(context.all_roms(), options.query);
  std::string format = options.json ? "json" : options.format;
  if (format.empty()) format = is_terminal(stdout) ? "table" : "tsv";
  if (format == "json") write_json(devices_json(devices));
  if (devices.empty()) context.require_records();
  if (devices.empty() && options.query.empty())  // every record was skipped, as the warning said
    throw Error(ExitCode::InvalidCatalog, "catalog " + context.source().location +
                                              " holds no valid ROM record; --catalog builtin uses the built-in one");
  if (devices.empty())
    throw Error(ExitCode::NothingMatched, "no device matches \"" + options.query + "\"; xfu devices lists them all");
  if (format == "json") return;
  write_stdout(format == "table" ? devices_table(devices, stdout_table_options(context.options.colour_mode()))
                                 : devices_tsv(devices));
}

}  // namespace

void add_devices_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<DevicesOptions>();
  CLI::App* devices = app.add_subcommand(
      "devices",
      "Find devices in the catalog by codename or name, with ROM counts and the newest version per branch (the "
      "phone on USB: xfu device)");
  devices
      ->add_option("query", options->query,
                   "Start of a codename (dipper) or of a word of the device name (\"mi 8\"); all devices when "
                   "left out")
      ->option_text("QUERY");
  devices->add_option("--format", options->format, "table (default on a terminal), tsv (default otherwise) or json")
      ->option_text("FORMAT")
      ->check(CLI::IsMember({"table", "tsv", "json"}));
  devices->add_flag("--json", options->json, "Same as --format json");
  devices->footer(
      "TSV columns: variant, device, region, roms, then the newest stable, stable-beta, weekly and public-beta "
      "versions (\"-\" when none)\n" +
      global_options_footer());
  devices->callback([&context, options] { run_devices(context, *options); });
}

}  // namespace xfu
