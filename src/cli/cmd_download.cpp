// xfu download CODENAME [VERSION] [filters] | xfu download FILE | xfu download URL: fetch one ROM,
// verified while it arrives, resumable, never left corrupt at its name.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <string_view>
#include <unordered_set>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/download_facts.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "cli/package_views.hpp"
#include "cli/phone.hpp"
#include "cli/usage_errors.hpp"
#include "core/config.hpp"
#include "core/filename.hpp"
#include "core/size.hpp"
#include "download/download.hpp"
#include "download/mirror_pool.hpp"
#include "download/mirror_speeds.hpp"
#include "download/mirrors.hpp"
#include "fit/fit.hpp"
#include "render/progress.hpp"
#include "render/rom_views.hpp"
#include "render/sanitize.hpp"
#include "render/terminal.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) { g_interrupted = true; }

void catch_sigint() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

struct DownloadOptions {
  std::string target;  // codename, package name (or a path ending in one) or URL
  std::string version;
  FilterFlags filters;
  std::string output;  // -o; empty: the directory of a FILE target, else the current one
  bool dry_run = false, json = false, print_url = false;
  int retries = 5;
  int connections = 0;
  long timeout = 60;
  std::string limit_rate;
  std::string mirror;
  bool mirror_given = false;  // --mirror "" is given too, and wrong
  std::string md5;
  bool force = false, require_md5 = false, quiet = false;
  bool device = false;
  bool no_inspect = false;  // --no-inspect: do not read the package's facts as it arrives
};

// What will be fetched: one file, the URLs to try, what its MD5 must be.
struct Plan {
  std::string filename;
  std::vector<const Rom*> roms;  // catalog records of this file (several device names)
  std::vector<Rom> owned;        // records looked up by file name for a URL
  std::vector<std::string> urls;
  Expectation expected;
};

// The flags whose values differ between the candidates: what would tell them apart.
std::string telling_flags(const std::vector<std::vector<const Rom*>>& files) {
  std::vector<std::string> flags;
  const auto differs = [&](auto key) {
    for (const auto& file : files)
      if (key(*file.front()) != key(*files.front().front())) return true;
    return false;
  };
  if (differs([](const Rom& r) { return std::string(branch_slug(r.branch)); })) flags.push_back("--branch");
  if (differs([](const Rom& r) { return std::string(type_slug(r.type)); })) flags.push_back("--type");
  if (differs([](const Rom& r) { return to_lower(r.region); })) flags.push_back("--region");
  if (differs([](const Rom& r) { return r.version; })) flags.push_back("VERSION");
  if (flags.empty()) flags.push_back("the variant as CODENAME");
  return join(flags, " or ");
}

[[noreturn]] void ambiguous(const std::vector<std::vector<const Rom*>>& files) {
  std::vector<const Rom*> rows;
  for (const auto& file : files) rows.push_back(file.front());
  TableOptions options;
  options.max_width = is_terminal(stderr) ? terminal_width(stderr) : 1000;
  const std::vector<TableColumn> columns{{"Variant"}, {"Version"}, {"Branch"},
                                         {"Type"},    {"Region"},  {"Package Name", false, 1}};
  std::vector<std::vector<TableCell>> cells;
  for (const Rom* rom : rows)
    cells.push_back({{sanitize_line(rom->variant)},
                     {sanitize_line(rom->version)},
                     {std::string(branch_slug(rom->branch))},
                     {std::string(type_slug(rom->type))},
                     {to_lower(sanitize_line(rom->region))},
                     {sanitize_line(rom->filename)}});
  const std::string table = render_table(columns, cells, options);
  std::fwrite(table.data(), 1, table.size(), stderr);
  throw Error(ExitCode::NothingMatched,
              std::to_string(files.size()) + " files match; choose one with " + telling_flags(files));
}

Plan plan_for_codename(Context& context, const DownloadOptions& options) {
  const auto files = group_by_file(select_release(context, options.target, options.version, options.filters));
  if (files.size() > 1) ambiguous(files);
  Plan plan;
  plan.roms = files.front();
  plan.filename = plan.roms.front()->filename;
  std::vector<Rom> records;
  for (const Rom* rom : plan.roms) records.push_back(*rom);
  plan.expected = expect_from_catalog(plan.filename, records);
  plan.urls = download_urls(plan.roms.front()->link, plan.roms.front()->mirrors, "");
  return plan;
}

// Codenames never contain a dot or a slash; package names always have a dot.
bool names_a_file(const std::string& target) { return target.find_first_of("./") != std::string::npos; }

// The records of one package name: the cheap look-up first (a sharded
// catalog's cached shards), then every record.
std::vector<Rom> records_of_file(Context& context, const std::string& filename) {
  std::vector<Rom> found = context.loaded().roms_with_file(filename);
  if (!found.empty()) return found;
  for (const Rom& rom : context.all_roms().roms)
    if (rom.filename == filename) found.push_back(rom);
  return found;
}

// The catalog's package names a typo of `filename` could stand for: only those with its extension and about its
// length, so that comparing them costs little beside reading every record, which a miss needs anyway.
std::vector<std::string> package_names_like(Context& context, const std::string& filename) {
  constexpr size_t kLengthSlack = 3;
  const std::string extension = std::filesystem::path(filename).extension().string();
  std::unordered_set<std::string_view> seen;
  std::vector<std::string> names;
  for (const Rom& rom : context.all_roms().roms) {
    const size_t length = rom.filename.size();
    if (length + kLengthSlack < filename.size() || length > filename.size() + kLengthSlack) continue;
    if (!rom.filename.ends_with(extension) || !seen.insert(rom.filename).second) continue;
    names.push_back(rom.filename);
  }
  return names;
}

// What to do about a package name the catalog does not have: the nearest ones it has, else where to find them.
std::string package_name_hint(Context& context, const std::string& filename) {
  constexpr size_t kMostSuggestions = 3;
  const std::vector<std::string> near = nearest_words(filename, package_names_like(context, filename),
                                                      kMostSuggestions);
  if (near.empty()) return "xfu list CODENAME shows a device's package names";
  std::string text = "did you mean ";
  for (size_t i = 0; i < near.size(); ++i)
    text += (i == 0 ? "" : i + 1 == near.size() ? " or " : ", ") + ("'" + sanitize_line(near[i]) + "'");
  return text + "?";
}

// `xfu download miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip` (or ./NAME): the file the catalog knows by that name.
Plan plan_for_file(Context& context, const DownloadOptions& options) {
  if (!options.version.empty()) throw Error(ExitCode::Usage, "a package name cannot be followed by a VERSION");
  Plan plan;
  plan.filename = std::filesystem::path(options.target).filename().string();
  if (auto problem = package_name_problem(plan.filename))
    throw Error(ExitCode::Usage, "not a package name: \"" + options.target + "\": " + *problem);
  plan.owned = records_of_file(context, plan.filename);
  if (plan.owned.empty())
    throw Error(ExitCode::NothingMatched, "no ROM in the catalog has the package name \"" + plan.filename + "\"; " +
                                              package_name_hint(context, plan.filename));
  for (const Rom& rom : plan.owned) plan.roms.push_back(&rom);
  plan.expected = expect_from_catalog(plan.filename, plan.owned);
  std::vector<std::string> mirrors;
  for (const Rom& rom : plan.owned) mirrors.insert(mirrors.end(), rom.mirrors.begin(), rom.mirrors.end());
  plan.urls = download_urls(plan.owned.front().link, mirrors, "");
  return plan;
}

Plan plan_for_url(Context& context, const DownloadOptions& options) {
  if (!is_http_url(options.target))
    throw Error(ExitCode::Usage, "not an http(s) URL: " + sanitize_line(options.target));
  if (!options.version.empty())
    throw Error(ExitCode::Usage, "a URL cannot be followed by a VERSION: the URL names the file; drop \"" +
                                     sanitize_line(options.version) + "\"");
  Plan plan;
  plan.filename = filename_from_url(options.target);
  if (plan.filename.empty())
    throw Error(ExitCode::Usage, "cannot download " + sanitize_line(options.target) +
                                     ": the URL names no file; give the URL of the ROM file itself (…/NAME.zip)");
  if (auto problem = package_name_problem(plan.filename))
    throw Error(ExitCode::Usage, "cannot save " + options.target + ": " + *problem);
  // The catalog is only asked for this file's checksum and mirrors: with --md5, it is not needed.
  if (options.md5.empty()) {
    LoadOptions load = context.load_options();
    load.cache_first = true;
    plan.owned = context.loaded(load).roms_with_file(plan.filename);
  }
  for (const Rom& rom : plan.owned) plan.roms.push_back(&rom);
  plan.expected = expect_from_catalog(plan.filename, plan.owned);
  std::vector<std::string> mirrors;
  for (const Rom& rom : plan.owned) {
    mirrors.push_back(rom.link);
    mirrors.insert(mirrors.end(), rom.mirrors.begin(), rom.mirrors.end());
  }
  plan.urls = download_urls(options.target, mirrors, "");
  return plan;
}

std::string expected_text(const Expectation& expected) {
  if (expected.source == ChecksumSource::None) return "unknown: the file will not be verified";
  if (expected.source == ChecksumSource::NamePrefix) return expected.prefix + "... (name prefix, 40 bits)";
  return expected.shown() + " (" + std::string(source_name(expected.source)) + ")";
}

void print_dry_run(const Plan& plan, const std::filesystem::path& path, bool json, const SpeedMemory& speeds,
                   const std::vector<FitWarning>& warnings) {
  const Rom* rom = plan.roms.empty() ? nullptr : plan.roms.front();
  // The mirrors used together, or one after another: what each did before, when it was measured.
  const bool spread = !plan.expected.md5s.empty() && several_origins(plan.urls);
  nlohmann::ordered_json remembered = nlohmann::ordered_json::object();
  for (const std::string& url : plan.urls)
    if (const auto known = speeds.find(url_origin(url)); known != speeds.end())
      remembered[url_origin(url)] = std::llround(known->second.bytes_per_second);
  if (json) {
    const nlohmann::ordered_json record = rom ? rom_to_json(*rom) : nlohmann::ordered_json();
    return write_json({{"filename", plan.filename},
                       {"path", path.string()},
                       {"size", rom ? record["size"] : record},
                       {"size_bytes", rom ? record["size_bytes"] : record},
                       {"urls", plan.urls},
                       {"mirrors_together", spread},
                       {"measured_bytes_per_second", remembered},
                       {"expected", plan.expected.shown().empty() ? nlohmann::ordered_json()
                                                                  : nlohmann::ordered_json(plan.expected.shown())},
                       {"source", source_name(plan.expected.source)},
                       {"warnings", warnings_to_json(warnings)},
                       {"rom", record}});
  }
  for (const FitWarning& warning : warnings) print_warning(warning.message);
  std::string out = "would download " + display_name(plan.filename);
  if (rom && !display_size(*rom).empty()) out += " (" + sanitize_line(display_size(*rom)) + ")";
  out += "\n  to    " + display_name(path.string()) + "\n";
  for (size_t i = 0; i < plan.urls.size(); ++i) {
    const auto known = speeds.find(url_origin(plan.urls[i]));
    out += (i ? "        " : "  from  ") + sanitize_line(plan.urls[i]) +
           (known == speeds.end() ? "" : "  (" + format_rate(known->second.bytes_per_second) + " before)") + "\n";
  }
  if (plan.urls.size() > 1)
    out += std::string("  using ") +
           (spread ? "these mirrors together, more connections to the faster ones"
                   : "one mirror at a time, in this order (the next when one fails)") +
           "\n";
  out += "  md5   " + expected_text(plan.expected) + "\n";
  write_stdout(out);
}

std::string summary(const DownloadResult& result, const Expectation& expected, double seconds) {
  const std::string name = sanitize_line(result.path.filename().string());
  if (result.outcome == DownloadOutcome::AlreadyThere)
    return name + " is already there and verified (" + std::string(source_name(expected.source)) +
           "); nothing to download";
  std::string text = "downloaded " + name + ": " + transfer_summary(result.size, result.received, seconds);
  if (result.outcome == DownloadOutcome::Unverified) return text + "; no checksum was known, so it is NOT verified";
  return text + ", MD5 " + (expected.source == ChecksumSource::NamePrefix ? "prefix " : "") + "OK (" +
         std::string(source_name(expected.source)) + ")";
}

uint64_t parse_rate(const std::string& text) {
  if (text.empty()) return 0;
  const auto bytes = parse_size(text);
  if (!bytes || *bytes == 0)
    throw Error(ExitCode::Usage,
                "invalid --limit-rate \"" + text + "\": expected bytes per second, such as 500K or 2M");
  return *bytes;
}

// "ftp://host/x.zip", "file:///etc/passwd": a URL of a kind xfu does not fetch, never a path.
bool has_other_scheme(const std::string& target) {
  const auto colon = target.find("://");
  if (colon == std::string::npos || colon == 0) return false;
  return std::all_of(target.begin(), target.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// A URL or a package name is one file already: a filter would choose nothing, so it must not be silently ignored.
void refuse_filters(const DownloadOptions& options, const std::string& what) {
  const FilterFlags& f = options.filters;
  const std::vector<std::pair<const char*, bool>> given{
      {"--branch", !f.branch.empty()},   {"--type", !f.type.empty()},       {"--region", !f.region.empty()},
      {"--version", !f.version.empty()}, {"--android", !f.android.empty()}, {"--since", !f.since.empty()},
      {"--until", !f.until.empty()}};
  for (const auto& [flag, set] : given)
    if (set)
      throw Error(ExitCode::Usage, std::string(flag) + " does not apply to " + what + ", which names one file; drop " +
                                       flag + ", or give a CODENAME to choose among files");
}

// Options that ask for two different outputs at once.
void refuse_contradictions(const DownloadOptions& options) {
  if (options.print_url && options.dry_run)
    throw Error(ExitCode::Usage, "--print-url and --dry-run print different things; drop one of them");
  if (options.print_url && options.json)
    throw Error(ExitCode::Usage, "--print-url prints the URL alone, --json a JSON plan; drop one of them");
}

Plan plan_for_target(Context& context, const DownloadOptions& options) {
  if (!has_http_scheme(options.target) && has_other_scheme(options.target))
    throw Error(ExitCode::Usage, "only http and https URLs can be downloaded, not " + sanitize_line(options.target));
  if (has_http_scheme(options.target)) {
    refuse_filters(options, "a URL");
    return plan_for_url(context, options);
  }
  if (names_a_file(options.target)) {
    refuse_filters(options, "a package name");
    return plan_for_file(context, options);
  }
  return plan_for_codename(context, options);
}

// --mirror is judged against this ROM's own URLs: a host none of them is on would be ignored. The mirrors it did
// not choose follow fastest first, as measured before (the speed memory in the cache).
Plan make_plan(Context& context, const DownloadOptions& options, const SpeedMemory& speeds) {
  Plan plan = plan_for_target(context, options);
  size_t chosen = 0;
  if (options.mirror_given) {
    const MirrorChoice choice = choose_mirror(options.mirror, plan.urls);
    if (!choice.problem.empty()) throw Error(ExitCode::Usage, choice.problem);
    plan.urls = prefer_host(std::move(plan.urls), choice.host);
    chosen = static_cast<size_t>(std::count_if(plan.urls.begin(), plan.urls.end(),
                                               [&](const std::string& url) { return url_host(url) == choice.host; }));
  }
  plan.urls = fastest_first(std::move(plan.urls), speeds, unix_now(), chosen);
  return plan;
}

// What this download measured, added to the speed memory. A few megabytes say little about a mirror.
void remember_speeds(const std::filesystem::path& path, SpeedMemory speeds, const DownloadResult& result,
                     double seconds) {
  constexpr uint64_t kEnoughBytes = 4 << 20;
  std::vector<MirrorRate> measured = result.mirrors;
  if (measured.empty() && !result.url.empty() && seconds > 0)
    measured.push_back({url_origin(result.url), result.received, static_cast<double>(result.received) / seconds});
  bool learnt = false;
  for (const MirrorRate& mirror : measured) {
    if (mirror.bytes < kEnoughBytes) continue;
    speeds = remember_speed(std::move(speeds), mirror.host, mirror.bytes_per_second, unix_now());
    learnt = true;
  }
  if (!learnt) return;
  try {
    save_speed_memory(path, speeds);
  } catch (const std::exception&) {
    // Only a hint for the next download: a cache that cannot be written costs nothing now.
  }
}

// -o, else the directory a FILE target names ("dir/NAME"), else the current one.
std::filesystem::path output_directory(const DownloadOptions& options) {
  if (!options.output.empty()) return options.output;
  if (has_http_scheme(options.target) || !names_a_file(options.target)) return ".";
  const std::filesystem::path parent = std::filesystem::path(options.target).parent_path();
  return parent.empty() ? "." : parent;
}

// A symbolic link on the way to `directory` that points nowhere: mkdir -p would fail on it with a bare "File
// exists". A link to a directory that exists is followed, like any path.
void refuse_dangling_link(const std::filesystem::path& directory) {
  for (std::filesystem::path at = directory; !at.empty(); at = at.parent_path()) {
    std::error_code error;
    if (!std::filesystem::is_symlink(std::filesystem::symlink_status(at, error))) {
      if (at == at.parent_path()) return;
      continue;
    }
    if (std::filesystem::exists(at, error) || error) return;  // a loop or no access: mkdir -p says which
    const std::filesystem::path points_to = std::filesystem::read_symlink(at, error);
    throw Error(ExitCode::LocalFile, "cannot write to " + display_name(directory.string()) + ": " +
                                         (at == directory ? "it" : display_name(at.string())) +
                                         " is a symbolic link to " + display_name(points_to.string()) +
                                         ", which does not exist");
  }
}

// Like mkdir -p: a directory that is not there yet is made, before anything is fetched.
void make_directory(const std::filesystem::path& directory) {
  std::error_code error;
  if (std::filesystem::exists(directory, error)) return;
  refuse_dangling_link(directory);
  std::filesystem::create_directories(directory, error);
  if (error) throw Error(ExitCode::LocalFile, "cannot create " + directory.string() + ": " + error.message());
}

// The catalog's record of the file, when there is one.
const Rom* record_of(const Plan& plan) {
  if (!plan.roms.empty()) return plan.roms.front();
  return plan.owned.empty() ? nullptr : &plan.owned.front();
}

// What the downloaded package says about itself, and whether it fits: the facts as a note, then each warning that
// the package itself raised (the ones the catalog alone raises were said before the download).
void report_package(DownloadFacts& facts, const DownloadResult& result, FitInput input, bool quiet) {
  std::string problem;
  const std::optional<PackageFacts> package = facts.finish(result, problem);
  if (!package) {
    // The MD5 matched, yet the bytes are no readable package: worth a warning, since it is meant to be flashed.
    print_warning("cannot read what the package holds: " + problem);
    return;
  }
  if (!quiet) {
    print_note(facts_summary(*package));
    for (const std::string& note : package->notes) print_note(sanitize_line(note));
  }
  if (package->kind == PackageKind::NotRom) return;
  const std::vector<FitWarning> before = fit_warnings(input);
  input.package = &*package;
  const std::vector<FitWarning> after = fit_warnings(input);
  bool device_warning = false;
  for (const FitWarning& warning : after) {
    device_warning = device_warning || warning.code.find("device") != std::string::npos;
    const auto said = std::find_if(before.begin(), before.end(),
                                   [&](const FitWarning& other) { return other.code == warning.code; });
    if (said == before.end()) print_warning(warning.message);
  }
  if (device_warning || quiet || package->devices.empty() || !input.record) return;
  const std::string devices = join(package->devices, ", ");
  const std::string which = package->devices.size() == 1
                                ? "for " + devices + ", as the catalog says"
                                : "for " + devices + ", among them the catalog's " + input.record->codename;
  print_note(sanitize_line("device check: the package is " + which) + (input.phone ? ", and so is the phone" : ""));
}

void run_download(Context& context, DownloadOptions options) {
  refuse_contradictions(options);
  if (options.json && !options.dry_run) throw Error(ExitCode::Usage, "--json goes with --dry-run");
  if (options.device) aim_at_phone(options.target, options.version, options.filters);
  if (options.target.empty()) throw CLI::RequiredError("target");
  const uint64_t limit_rate = parse_rate(options.limit_rate);
  if (!options.md5.empty()) check_md5_option(options.md5);
  const std::filesystem::path speeds_path = speed_memory_path(cache_dir());
  const SpeedMemory speeds = load_speed_memory(speeds_path);
  Plan plan = make_plan(context, options, speeds);
  if (!options.md5.empty()) {
    std::vector<Rom> roms = std::move(plan.expected.roms);
    plan.expected = expect_md5(ChecksumSource::Md5Flag, to_lower(options.md5));
    plan.expected.roms = std::move(roms);
  }
  const std::filesystem::path directory = output_directory(options);
  FitInput fit{record_of(plan), nullptr, options.device ? &connected_phone() : nullptr, plan.filename, std::nullopt};
  context.complete_fit_input(fit);
  const std::vector<FitWarning> warnings = fit_warnings(fit);
  if (options.print_url) {  // for another downloader: the warnings still reach the user, on stderr
    for (const FitWarning& warning : warnings) print_warning(warning.message);
    return write_stdout(sanitize_line(plan.urls.front()) + "\n");
  }
  if (options.dry_run) return print_dry_run(plan, directory / plan.filename, options.json, speeds, warnings);
  if (plan.expected.source == ChecksumSource::None && options.require_md5)
    throw Error(ExitCode::NothingMatched,
                "no checksum is known for " + plan.filename + ", and --require-md5 was given");
  if (plan.expected.source == ChecksumSource::NamePrefix && options.require_md5)
    throw Error(ExitCode::NothingMatched, "only the MD5 prefix in its name (40 bits) is known for " + plan.filename +
                                              ", and --require-md5 asks for a full MD5; give one with --md5");
  if (plan.expected.source == ChecksumSource::None && !options.quiet)
    print_warning("no checksum is known for " + plan.filename + ": it will be downloaded but not verified");

  if (context.options.offline && !std::filesystem::exists(directory))  // nothing there, and nothing to fetch
    throw Error(ExitCode::Network, offline_refusal(plan.filename, directory));
  make_directory(directory);
  DownloadRequest request;
  request.urls = plan.urls;
  request.directory = directory;
  request.filename = plan.filename;
  request.expected = plan.expected;
  request.retries = options.retries;
  request.http.ca_file = context.options.ca_file;
  request.http.connect_timeout_seconds = 15;
  request.http.stall_seconds = options.timeout;
  request.limit_rate = limit_rate;
  request.force = options.force;
  request.offline = context.options.offline;
  request.connections = options.connections;
  for (const FitWarning& warning : warnings) print_warning(warning.message);
  DownloadFacts facts(plan.filename);
  if (!options.no_inspect) request.in_order_bytes = facts.tap();

  ProgressLine progress(sanitize_line(plan.filename), 0);
  DownloadEvents events;
  events.note = [&](const std::string& message) {
    if (options.quiet) return;
    progress.finish();
    print_note(message);
  };
  if (!options.quiet)
    events.progress = [&](const DownloadProgress& p) {
      std::string detail = sanitize_line(p.host);
      if (p.connections > 1) detail += ", " + std::to_string(p.connections) + " connections";
      if (p.mirrors.size() > 1) {
        std::vector<std::pair<std::string, int>> mirrors;
        for (const auto& [host, count] : p.mirrors) mirrors.emplace_back(sanitize_line(host), count);
        detail = mirrors_detail(std::move(mirrors));
      }
      progress.set(p.done, p.total.value_or(0), detail, p.received);
    };
  catch_sigint();
  const auto start = std::chrono::steady_clock::now();
  const DownloadResult result = download(request, events, g_interrupted);
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.outcome != DownloadOutcome::AlreadyThere) remember_speeds(speeds_path, speeds, result, seconds);
  if (!options.quiet) print_note(summary(result, plan.expected, seconds));
  if (!options.no_inspect) report_package(facts, result, fit, options.quiet);
  if (!options.quiet) write_stdout(display_name(result.path.string()) + "\n");
}

}  // namespace

void add_download_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<DownloadOptions>();
  CLI::App* download = app.add_subcommand(
      "download", "Download one ROM, verifying its MD5 as it arrives; resumes, retries and fails over to mirrors");
  download
      ->add_option("target", options->target,
                   "Device codename, a package name the catalog knows (or a path ending in one), or an http(s) URL")
      ->option_text("CODENAME|FILE|URL");
  download->add_option("version", options->version, "Version; without it, the newest release that matches")
      ->option_text("VERSION");
  add_filter_options(*download, options->filters, false);
  add_device_flag(*download, options->device);
  download
      ->add_option("-o,--output", options->output,
                   "Directory to save into, made if missing (default: FILE's directory, else the current one)")
      ->option_text("DIR");
  download->add_flag("--dry-run", options->dry_run, "Print what would be fetched, from where, and the expected MD5");
  download->add_flag("--json", options->json, "With --dry-run: print it as JSON");
  download->add_flag("--print-url", options->print_url, "Print only the URL, for other downloaders");
  download->add_option("--retries", options->retries, "Retries per mirror after transient failures (default 5)")
      ->option_text("N")
      ->check(CLI::Range(0, 100));
  download
      ->add_option("--timeout", options->timeout,
                   "Give up on a connection after this many seconds without data (default 60)")
      ->option_text("SECONDS")
      ->check(CLI::Range(1, 3600));
  download
      ->add_option("-c,--connections", options->connections,
                   "Connections to fetch segments over, 1 to " + std::to_string(kMaxConnections) + " (default: " +
                       std::to_string(kAutoConnections) + " for files over " + std::to_string(kAutoSegmentBytes >> 20) +
                       " MiB when the server takes ranges and the network is the limit, else 1)")
      ->option_text("N")
      ->check(CLI::Range(1, kMaxConnections));
  download
      ->add_option("--limit-rate", options->limit_rate,
                   "At most this many bytes per second in total, over all connections: 500K, 2M")
      ->option_text("RATE");
  CLI::Option* mirror = download
                            ->add_option("--mirror", options->mirror,
                                         "Try this mirror first: bigota, cdnorg, hugeota, bn, aliyun, or another "
                                         "host one of the ROM's URLs is on")
                            ->option_text("NAME|HOST");
  download->add_option("--md5", options->md5, "The expected MD5, instead of the catalog's or the file name's")
      ->option_text("HASH");
  download->add_flag("--force", options->force, "Download even if the file is already there and verifies");
  download->add_flag("--require-md5", options->require_md5,
                     "Refuse (exit 3) unless a full MD5 is known (the MD5 prefix in a name is not enough)");
  download->add_flag("-q,--quiet", options->quiet, "Print nothing but errors and warnings");
  download->add_flag("--no-inspect", options->no_inspect,
                     "Do not read the package's own facts (devices, anti-rollback index) as it arrives: the checks of "
                     "them, against the catalog and with --device the phone, are then left out too");
  download->footer(
      "The file is written to NAME.part and renamed to NAME only when its MD5 matched; a mismatch is moved to "
      "NAME.corrupt. Run the same command again to resume an interrupted download.\n" +
      global_options_footer());
  download->callback([&context, options, mirror] {
    options->mirror_given = mirror->count() > 0;
    run_download(context, *options);
  });
}

}  // namespace xfu
