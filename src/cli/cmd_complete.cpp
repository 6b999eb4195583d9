// xfu __complete codenames [PREFIX] | versions CODENAME [PREFIX]: candidates
// for the shell completion scripts, one per line. Hidden from --help. Reads
// the catalog the user already has (cached or built-in), never the network,
// and says nothing on failure: a completion must never print errors.
#include <CLI/CLI.hpp>
#include <set>

#include "catalog/query.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "render/sanitize.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

struct CompleteOptions {
  std::vector<std::string> words;
};

// Codenames and variants starting with `prefix`, any case: from the index, no record parsed.
std::vector<std::string> codenames(LoadedCatalog& loaded, const std::string& prefix) {
  std::vector<std::string> names;
  for (const std::string& name : loaded.names())
    if (name.find('\\') == std::string::npos && istarts_with(name, prefix)) names.push_back(name);
  return names;
}

// Versions of `codename` starting with `prefix`, newest first.
std::vector<std::string> versions(LoadedCatalog& loaded, const std::string& codename, const std::string& prefix) {
  const Catalog catalog = loaded.catalog_for(codename);
  RomFilter filter;
  filter.codename = codename;
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Rom* rom : select_roms(catalog, filter))
    if (istarts_with(rom->version, prefix) && seen.insert(rom->version).second) out.push_back(rom->version);
  return out;
}

std::vector<std::string> candidates_for(Context& context, const std::vector<std::string>& words) {
  try {
    if (words.empty()) return {};
    LoadOptions load = context.load_options();
    load.offline = true;
    load.quiet_offline = true;
    LoadedCatalog& loaded = context.loaded(load);
    if (words[0] == "codenames") return codenames(loaded, words.size() > 1 ? words[1] : "");
    if (words[0] == "versions" && words.size() > 1) return versions(loaded, words[1], words.size() > 2 ? words[2] : "");
  } catch (const std::exception&) {
    // A catalog that cannot be read has no candidates: a completion prints candidates or nothing.
  }
  return {};
}

void run_complete(Context& context, const CompleteOptions& options) {
  std::string out;
  for (const auto& candidate : candidates_for(context, options.words)) out += sanitize_line(candidate) + "\n";
  write_stdout(out);  // a failed write is reported like any other command's
}

}  // namespace

void add_complete_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<CompleteOptions>();
  CLI::App* complete = app.add_subcommand("__complete", "Candidates for shell completion");
  complete->group("");  // hidden
  complete->add_option("words", options->words);
  complete->allow_extras();
  complete->callback([&context, options] { run_complete(context, *options); });
}

}  // namespace xfu
