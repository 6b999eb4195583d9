// What every subcommand shares: the global options, the catalog (loaded once,
// on first use) and the way messages reach stderr.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "catalog/catalog_source.hpp"
#include "core/exit_code.hpp"
#include "fit/fit.hpp"
#include "render/terminal.hpp"

namespace CLI {
class App;
}

namespace xfu {

struct GlobalOptions {
  std::optional<std::string> catalog;
  std::string ca_file;
  bool offline = false;
  bool refresh = false;
  std::string color = "auto";  // --color
  bool no_color = false;       // --no-color, the same as --color never
  ColourMode colour_mode() const;
};

class Context {
 public:
  GlobalOptions options;
  ExitCode exit_code = ExitCode::Success;

  // Adds --catalog, --offline, --refresh, --ca-file, --color and --no-color to `app`.
  void add_global_options(CLI::App& app);

  // The catalog every query uses, loaded once; its notes go to stderr.
  LoadedCatalog& loaded();
  // Loads with explicit settings (xfu catalog update).
  LoadedCatalog& loaded(const LoadOptions& load_options);
  // Every record; a warning about skipped records goes to stderr once.
  const Catalog& all_roms();
  // The records of `codename` (every record when it is empty).
  const Catalog& roms_of(const std::string& codename);
  // Prints the notes the catalog gathered since it was loaded.
  void print_later_notes();
  LoadOptions load_options() const;
  CatalogSource source() const;
  // Error(InvalidCatalog) when the catalog holds no records at all: nothing can be found or suggested in it.
  void require_records();
  // Whether the catalog has a fastboot package of `rom`'s release (its variant and version). Read apart from
  // roms_of(), so the records it returned stay valid.
  bool release_has_fastboot(const Rom& rom);
  // What the fit warnings need to know from the catalog beyond the record itself.
  void complete_fit_input(FitInput& input);

 private:
  mutable std::optional<Config> config_;  // read once, on first use
  const Config& config() const;
  std::optional<LoadedCatalog> loaded_;
  std::optional<Catalog> subset_;
  bool warned_ = false;
  std::set<std::string> printed_notes_;
  void note_once(const std::string& note);
  const Catalog& warn_once(const Catalog& catalog);
};

// Lines on stderr, each prefixed with "xfu: " and sanitized.
void print_note(const std::string& message);
void print_warning(const std::string& message);
void print_error(const std::string& message);

// The footer every subcommand's --help ends with.
std::string global_options_footer();

}  // namespace xfu
