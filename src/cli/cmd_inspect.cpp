// xfu inspect FILE...: what a ROM package will do to a phone, read from the package itself (one pass over each
// file that also takes its MD5), and what the catalog says about it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/package_views.hpp"
#include "cli/phone.hpp"
#include "core/file_hash.hpp"
#include "core/region.hpp"
#include "core/rom_name.hpp"
#include "fit/fit.hpp"
#include "package/package_reader.hpp"
#include "render/progress.hpp"
#include "render/sanitize.hpp"
#include "verify/md5sum_format.hpp"

namespace xfu {

namespace {

// Files at least this large get a progress line.
constexpr uint64_t kProgressThreshold = 64ull << 20;

struct InspectOptions {
  std::vector<std::string> files;
  bool json = false;
  bool device = false;  // --device: check each package against the phone on USB
};

// A zip is read through its central directory, at its end: cheap, and more reliable than streaming it. Anything
// else is read as it streams by, in the same pass as its MD5.
bool starts_like_zip(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; only a regular file is read at all.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat info {};
  char magic[4] = {};
  const bool zip = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && ::read(fd, magic, 4) == 4 && magic[0] == 'P' &&
                   magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
  ::close(fd);
  return zip;
}

Inspection read_one(const std::string& file, const std::atomic<bool>& interrupted) {
  Inspection result;
  result.file = file;
  const std::filesystem::path path(file);
  ProgressLine progress("inspecting " + display_name(path.filename().string()), 0);
  std::error_code error;
  const uint64_t size = std::filesystem::is_regular_file(path, error) ? std::filesystem::file_size(path, error) : 0;
  HashProgress report;
  if (progress.enabled() && size >= kProgressThreshold) {
    progress.set(0, size, "", 0);
    report = [&](uint64_t bytes) { progress.advance(bytes); };
  }
  if (starts_like_zip(path)) {
    result.hash = md5_of_file(path, report, true, &interrupted);
    progress.finish();
    if (result.hash.md5.empty()) return result;
    try {
      result.facts = inspect_package(path, interrupted);
    } catch (const Error& e) {
      if (e.code() == ExitCode::Interrupted) throw;
      result.problem = e.what();
    }
    return result;
  }
  StreamInspector inspector;
  result.hash = md5_of_file(path, report, true, &interrupted,
                            [&](uint64_t offset, std::span<const char> bytes) { inspector.feed(offset, bytes); });
  progress.finish();
  if (interrupted) throw Error(ExitCode::Interrupted, "interrupted");
  if (result.hash.md5.empty()) return result;
  result.facts = inspector.finish(result.hash.size);
  if (!result.facts) result.problem = inspector.problem();
  return result;
}

// The records of the same file: by MD5 first (a renamed file is still known), else by name. The package's own
// devices narrow the search to their records; the whole catalog is read only when they do not hold it.
void look_up(Context& context, Inspection& inspection) {
  const std::string name = std::filesystem::path(inspection.file).filename().string();
  const auto search = [&](const Catalog& catalog) {
    for (const Rom& rom : catalog.roms)
      if (!inspection.hash.md5.empty() && rom.md5 == inspection.hash.md5) inspection.by_md5.push_back(rom);
    for (const Rom& rom : catalog.roms)
      if (rom.filename == name) inspection.by_name.push_back(rom);
    return !inspection.by_md5.empty() || !inspection.by_name.empty();
  };
  try {
    std::vector<std::string> codenames;
    if (inspection.facts) codenames = inspection.facts->devices;
    const std::string named = variant_in_name(name);
    if (!named.empty()) codenames.emplace_back(base_codename(named));
    for (const std::string& codename : codenames)
      if (search(context.roms_of(codename))) return;
    search(context.all_roms());
  } catch (const Error& e) {
    if (e.code() == ExitCode::Interrupted) throw;
    inspection.notes.push_back(std::string("the catalog was not consulted: ") + e.what());
  }
}

ExitCode exit_code_of(const Inspection& inspection) {
  if (inspection.md5_mismatch()) return ExitCode::ChecksumMismatch;
  if (inspection.hash.md5.empty() || !inspection.problem.empty()) return ExitCode::LocalFile;
  if (inspection.facts->kind == PackageKind::NotRom) return ExitCode::NothingMatched;
  return ExitCode::Success;
}

// The worst of the files' outcomes, in verify's order: a mismatch, then a file that cannot be read, then one that
// is no ROM.
ExitCode worst(ExitCode a, ExitCode b) {
  for (ExitCode code : {ExitCode::ChecksumMismatch, ExitCode::LocalFile, ExitCode::NothingMatched})
    if (a == code || b == code) return code;
  return ExitCode::Success;
}

void report_problems(const Inspection& inspection) {
  const std::string name = escaped_name(inspection.file);
  if (inspection.hash.md5.empty()) return print_error(name + ": " + inspection.hash.error);
  if (!inspection.problem.empty()) return print_error(name + ": not a readable package: " + inspection.problem);
  if (inspection.md5_mismatch())
    print_error(name + ": MD5 mismatch: the catalog lists this name with " + inspection.by_name.front().md5 +
                ", the file is " + inspection.hash.md5 + ": it is damaged or another file");
  if (inspection.facts->kind == PackageKind::NotRom) print_error(name + ": " + facts_summary(*inspection.facts));
}

void run_inspect(Context& context, const InspectOptions& options, const std::atomic<bool>& interrupted) {
  ExitCode code = ExitCode::Success;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  std::string cards;
  const Phone* phone = options.device ? &connected_phone() : nullptr;
  for (const std::string& file : options.files) {
    Inspection inspection = read_one(file, interrupted);
    if (phone) inspection.phone = *phone;
    if (inspection.facts) look_up(context, inspection);
    FitInput input = inspection.fit_input();
    context.complete_fit_input(input);
    inspection.warnings = fit_warnings(input);
    code = worst(code, exit_code_of(inspection));
    report_problems(inspection);
    if (options.json) {
      json.push_back(inspection_to_json(inspection));
    } else if (inspection.facts) {
      const CardStyle style = stdout_card_style(context.options.colour_mode());
      write_stdout((cards.empty() ? "" : "\n") + render_inspection_card(inspection, style));
      cards = "printed";
    }
  }
  if (options.json) write_json(json);
  context.exit_code = code;
}

}  // namespace

void add_inspect_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Read ROM packages without unpacking them: the devices they are for, their anti-rollback index and "
                 "flash scripts, or their OTA metadata, and what the catalog says about them");
  inspect->add_option("file", options->files, "ROM package: a fastboot .tgz or a recovery/OTA .zip")
      ->option_text("FILE...")
      ->required();
  inspect->add_flag("--json", options->json, "Print what each package says as JSON");
  inspect->add_flag("--device", options->device,
                    "Check each package against the connected phone: its device, region, anti-rollback index (asks "
                    "adb or fastboot; ANDROID_SERIAL picks one of several phones)");
  inspect->footer(global_options_footer());
  // Reading writes nothing, so Ctrl-C may simply end it.
  static const std::atomic<bool> never_interrupted{false};
  inspect->callback([&context, options] { run_inspect(context, *options, never_interrupted); });
}

}  // namespace xfu
