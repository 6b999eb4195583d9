#include "cli/context.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "core/exit_code.hpp"
#include "render/sanitize.hpp"

namespace xfu {

namespace {

void print_line(const char* kind, const std::string& message) {
  const std::string line = std::string("xfu: ") + kind + sanitize_line(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void print_note(const std::string& message) { print_line("note: ", message); }
void print_warning(const std::string& message) { print_line("warning: ", message); }
void print_error(const std::string& message) { print_line("", message); }

void Context::add_global_options(CLI::App& app) {
  app.add_option("--catalog", options.catalog,
                 "Catalog to read: an http(s) URL, a file path, or \"builtin\" "
                 "(default: $XFU_CATALOG, the config file, then the project's published catalog)")
      ->option_text("SRC");
  app.add_flag(
      "--offline", options.offline,
      "Never touch the network: use the cached or built-in catalog; download only checks a file already there");
  app.add_flag("--refresh", options.refresh, "Revalidate the cached catalog with the server now");
  app.add_option("--ca-file", options.ca_file, "Trust the certificates in this PEM file for HTTPS")
      ->option_text("FILE");
  CLI::Option* color =
      app.add_option("--color", options.color,
                     "Colour in tables, cards and verify's lines: auto (on a terminal, unless NO_COLOR is set "
                     "and not empty; CLICOLOR_FORCE forces it), always (also into a pipe or pager; never in TSV "
                     "or JSON) or never")
          ->option_text("WHEN")
          ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--no-color", options.no_color, "Same as --color never")->excludes(color);
}

ColourMode GlobalOptions::colour_mode() const {
  if (no_color) return ColourMode::Never;
  return parse_colour_mode(color).value_or(ColourMode::Auto);
}

const Config& Context::config() const {
  if (!config_) config_ = load_config();
  return *config_;
}

CatalogSource Context::source() const { return choose_source(options.catalog, config()); }

LoadOptions Context::load_options() const {
  const Config& config = this->config();
  LoadOptions load;
  load.offline = options.offline;
  load.refresh = options.refresh;
  load.max_age = config.max_age.value_or(kDefaultMaxAge);
  load.cache_dir = cache_dir();
  load.http.ca_file = options.ca_file;
  // A catalog (or a shard) that trickles in is not worth waiting for: the
  // cached copy or an error beats a command that never ends. With a copy at
  // hand the loader tightens these (catalog_fetch_bounds).
  load.http.connect_timeout_seconds = kCatalogConnectSeconds;
  load.http.stall_seconds = kCatalogStallSeconds;
  load.http.min_bytes_per_second = 1024;
  load.http.total_seconds = config.fetch_timeout.value_or(kDefaultFetchTimeout);
  return load;
}

LoadedCatalog& Context::loaded() { return loaded(load_options()); }

LoadedCatalog& Context::loaded(const LoadOptions& load_options) {
  if (loaded_) return *loaded_;
  const CatalogSource chosen = source();
  try {
    loaded_ = load_catalog(chosen, load_options);
  } catch (const Error& e) {
    // A file the user named that cannot be used: what would tell more, and what works meanwhile.
    const bool hinted = std::string_view(e.what()).find("--catalog builtin") != std::string_view::npos;
    if (chosen.kind != SourceKind::File || hinted ||
        (e.code() != ExitCode::InvalidCatalog && e.code() != ExitCode::LocalFile))
      throw;
    throw Error(e.code(),
                std::string(e.what()) + "; " +
                    (e.code() == ExitCode::InvalidCatalog ? "xfu catalog check " + chosen.location + " says more, and "
                                                          : "") +
                    "--catalog builtin uses the built-in catalog");
  }
  for (const auto& note : loaded_->notes) note_once(note);
  return *loaded_;
}

void Context::require_records() {
  if (!loaded().names().empty()) return;
  const CatalogSource chosen = source();
  throw Error(ExitCode::InvalidCatalog, "catalog " + chosen.location + " holds no ROM records; xfu catalog check " +
                                            chosen.location +
                                            " says more, and --catalog builtin uses the built-in one");
}

const Catalog& Context::warn_once(const Catalog& catalog) {
  if (!warned_) {
    warned_ = true;
    if (const std::string skipped = skipped_summary(catalog); !skipped.empty()) print_warning(skipped);
  }
  return catalog;
}

const Catalog& Context::all_roms() {
  const Catalog& all = loaded().catalog();
  print_later_notes();  // what fetching the shards had to say
  return warn_once(all);
}

const Catalog& Context::roms_of(const std::string& codename) {
  if (codename.empty()) return all_roms();
  subset_ = loaded().catalog_for(codename);
  print_later_notes();
  return warn_once(*subset_);
}

bool Context::release_has_fastboot(const Rom& rom) {
  const Catalog records = loaded().catalog_for(rom.variant.empty() ? rom.codename : rom.variant);
  return std::any_of(records.roms.begin(), records.roms.end(), [&](const Rom& other) {
    return other.type == RomType::Fastboot && other.variant == rom.variant && other.version == rom.version;
  });
}

void Context::complete_fit_input(FitInput& input) {
  if (input.record && input.record->branch == Branch::StableBeta)
    input.release_has_fastboot = release_has_fastboot(*input.record);
}

// A note about the cache holds for every shard: it is said once.
void Context::note_once(const std::string& note) {
  if (printed_notes_.insert(note).second) print_note(note);
}

void Context::print_later_notes() {
  if (!loaded_) return;
  for (const auto& note : *loaded_->later_notes) note_once(note);
  loaded_->later_notes->clear();
}

std::string global_options_footer() {
  return "Global options (see xfu --help): --catalog SRC, --offline, --refresh, --ca-file FILE, --color WHEN, "
         "--no-color";
}

}  // namespace xfu
