// xfu: find, show, download and verify official Xiaomi ROMs.
#include <openssl/crypto.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sstream>

#include "catalog/builtin_catalog.hpp"
#include "catalog/catalog_source.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "cli/usage_errors.hpp"
#include "core/http.hpp"
#include "core/version.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr const char* kVersionHelp = "Print the versions of xfu, its built-in catalog, libcurl and OpenSSL";

std::string version_text() {
  // The built-in snapshot is checked in full by the tests, so its index's counts are enough.
  uint64_t records = 0;
  for (const ShardEntry& entry : builtin_index().shards) records += entry.records;
  return std::string("xfu ") + kXfuVersion + "\n" + "built-in catalog: " + builtin_catalog_date() + ", " +
         std::to_string(records) + " ROMs\n" + "libcurl " + curl_version_string() + "\n" +
         OpenSSL_version(OPENSSL_VERSION);
}

std::string exit_status_footer() {
  std::string out = "Exit status:\n";
  for (const auto& entry : exit_code_table()) {
    const std::string code = std::to_string(static_cast<int>(entry.code));
    out += "  " + code + std::string(5 - code.size(), ' ') + std::string(entry.meaning) + "\n";
  }
  return out;
}

// The subcommand the parse reached: "xfu catalog info" is catalog's info.
const CLI::App* deepest_command(const CLI::App& app) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().back();
  return at;
}

std::string command_path(const CLI::App& app, const CLI::App* command) {
  std::string path;
  for (const CLI::App* at = command; at && at != &app; at = at->get_parent()) path = " " + at->get_name() + path;
  return "xfu" + path;
}

std::vector<std::string> option_names(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const auto& name : option.get_lnames()) names.push_back("--" + name);
  for (const auto& name : option.get_snames()) names.push_back("-" + name);
  return names;
}

void add_options_of(const CLI::App& command, CommandLineFacts& facts) {
  for (const CLI::Option* option : command.get_options()) {
    if (!option->nonpositional()) continue;
    for (const auto& name : option_names(*option)) {
      facts.options.push_back(name);
      // The command's own --version (a filter) comes first and wins over the global -V,--version.
      facts.option_help.emplace(name, option->get_description());
    }
  }
}

// Options of every other command, so that one typed in the wrong place can be pointed to where it belongs.
void add_options_elsewhere(const CLI::App& root, const CLI::App& parent, const CLI::App& at, CommandLineFacts& facts) {
  for (const CLI::App* command : parent.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_group().empty()) continue;
    for (const CLI::Option* option : command->get_options())
      for (const auto& name : option_names(*option))
        if (std::find(facts.options.begin(), facts.options.end(), name) == facts.options.end() && command != &at)
          facts.options_elsewhere[name].push_back(command_path(root, command));
    add_options_elsewhere(root, *command, at, facts);
  }
}

// What a missing argument should be, said as an example where a bare name would not help.
std::string what_is_needed(const CLI::App& command, const std::string& path, const std::string& message) {
  if (path == "xfu show") return "a codename or a package name, e.g. xfu show dipper 8.12.7";
  if (path == "xfu download") return "a codename or a ROM's URL, e.g. xfu download dipper 8.12.7";
  const std::string name = message.substr(0, message.find(" is required"));
  for (const CLI::Option* option : command.get_options())
    if (!option->nonpositional() && option->get_name() == name)
      return option->get_option_text() + " (" + option->get_description() + ")";
  return {};
}

// What --format takes here, as its check lists them: "{table,tsv,json,cards}".
std::vector<std::string> format_words(const CLI::App& command) {
  const CLI::Option* format = command.get_option_no_throw("--format");
  if (!format) return {};
  // get_validator has no const overload; it only reads here.
  const std::string listed = const_cast<CLI::Option*>(format)->get_validator(0)->get_description();
  if (!listed.starts_with("{") || !listed.ends_with("}")) return {};
  return split(listed.substr(1, listed.size() - 2), ',');
}

CommandLineFacts facts_at_failure(const CLI::App& app, const CLI::ParseError& error) {
  const CLI::App* command = deepest_command(app);
  CommandLineFacts facts;
  facts.command = command_path(app, command);
  for (const CLI::App* sub : command->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    facts.commands.push_back(sub->get_name());
  add_options_of(*command, facts);
  facts.format_words = format_words(*command);
  if (command != &app) add_options_of(app, facts);
  add_options_elsewhere(app, app, *command, facts);
  for (const CLI::Option* option : command->get_options()) {
    if (option->nonpositional()) continue;
    facts.positionals.push_back(option->get_option_text());
    for (const auto& value : option->results()) facts.given.push_back(value);
  }
  facts.leftover = command->remaining();
  if (facts.leftover.empty()) facts.leftover = app.remaining();
  if (!facts.leftover.empty()) facts.leftover_as_filter = filter_flag_for(facts.leftover.front());
  if (dynamic_cast<const CLI::RequiredError*>(&error) && error.what() != std::string("A subcommand is required"))
    facts.needs = what_is_needed(*command, facts.command, error.what());
  return facts;
}

ParseErrorKind kind_of(const CLI::ParseError& error) {
  if (dynamic_cast<const CLI::RequiredError*>(&error))
    return error.what() == std::string("A subcommand is required") ? ParseErrorKind::MissingCommand
                                                                   : ParseErrorKind::Required;
  if (dynamic_cast<const CLI::ExtrasError*>(&error)) return ParseErrorKind::Extras;
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) return ParseErrorKind::ArgumentCount;
  if (dynamic_cast<const CLI::ValidationError*>(&error)) return ParseErrorKind::Validation;
  if (dynamic_cast<const CLI::ConversionError*>(&error)) return ParseErrorKind::Conversion;
  if (dynamic_cast<const CLI::ExcludesError*>(&error)) return ParseErrorKind::Excludes;
  if (dynamic_cast<const CLI::RequiresError*>(&error)) return ParseErrorKind::Requires;
  return ParseErrorKind::Other;
}

std::vector<std::string> options_with_value(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options())
    if (option->nonpositional() && option->get_expected_min() > 0)
      for (const auto& name : option_names(*option)) names.push_back(name);
  return names;
}

// An empty word ("", --region "") would otherwise read as "not given" and
// quietly widen a filter or fall back to a default: every value must be something.
void reject_empty_values_and_stray_options(CLI::App& command) {
  for (CLI::Option* option : command.get_options()) {
    // A flag given a value (--json=no) is a usage error, never a silent switch.
    if (option->nonpositional() && option->get_expected_max() == 0) option->disable_flag_override();
    if (option->get_type_size() <= 0) continue;
    const std::string needs = option->nonpositional() ? option->get_description() : std::string();
    // A positional's message names it as --help does (CODENAME), not by its internal name.
    const std::string positional = option->nonpositional() ? std::string() : option->get_option_text() + " ";
    option->check(CLI::Validator(
        [positional, needs](std::string& value) {
          // "---branch" is a mistyped option, never a codename or a file name.
          if (positional.starts_with("CODENAME") && value.starts_with("--"))
            return "unknown option '" + value + "' (see xfu --help)";
          if (!value.empty()) return std::string();
          return positional + "needs a value, not an empty one" + (needs.empty() ? std::string() : ": " + needs);
        },
        ""));
  }
  // Hidden commands (shell completion) are fed empty words on purpose.
  for (CLI::App* sub : command.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); }))
    reject_empty_values_and_stray_options(*sub);
}

// `code`, unless what is still buffered for stdout cannot be written: then exit 6, with a message.
int with_stdout_flushed(int code) {
  try {
    flush_stdout();
    return code;
  } catch (const Error& e) {
    print_error(e.what());
    return static_cast<int>(e.code());
  }
}

// `xfu help WORDS` must name a command and `xfu version` stands alone; "" when that holds.
std::string help_or_version_problem(CLI::App& app, const std::vector<std::string>& args) {
  // `xfu --version extra` would print the versions and ignore the word.
  if (args.size() > 2 && (args[1] == "-V" || args[1] == "--version"))
    return "--version takes no arguments, not '" + args[2] + "'; type xfu --version";
  const auto index = command_word_index(args, options_with_value(app));
  if (!index) return "";
  if (args[*index] != "help" && args[*index] != "version") return "";
  const std::vector<std::string> words(args.begin() + static_cast<std::ptrdiff_t>(*index) + 1, args.end());
  return help_words_problem(args[*index], words, [&app](const std::string& path) {
    CLI::App* command = &app;
    std::istringstream names(path);
    for (std::string name; names >> name;) command = command->get_subcommand(name);
    std::vector<std::string> commands;
    for (const CLI::App* sub : command->get_subcommands({}))
      if (!sub->get_group().empty()) commands.push_back(sub->get_name());
    return commands;
  });
}

// `xfu --help list` and `xfu list help` mean `xfu help list`; `xfu --help lst` is then a usage error like
// `xfu help lst`, not the general help.
std::vector<std::string> help_in_other_places(CLI::App& app, std::vector<std::string> args) {
  const auto index = command_word_index(args, options_with_value(app));
  if (!index) return args;
  const auto is_help = [](const std::string& arg) { return arg == "--help" || arg == "-h"; };
  const auto first = args.begin() + 1, command = args.begin() + static_cast<std::ptrdiff_t>(*index);
  if (const auto help = std::find_if(first, command, is_help); help != command) {
    args.erase(help);
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(*index) - 1, "help");
    return args;
  }
  if (args.back() != "help" || args.size() - 1 == *index) return args;
  CLI::App* path = &app;
  size_t i = *index;
  for (; i + 1 < args.size(); ++i) {
    const auto subcommands = path->get_subcommands({});
    const auto named = std::find_if(subcommands.begin(), subcommands.end(),
                                    [&](const CLI::App* sub) { return sub->get_name() == args[i]; });
    if (named == subcommands.end()) break;
    path = *named;
  }
  if (path == &app) return args;
  if (i + 1 == args.size()) {  // only commands before it: xfu help catalog info, which checks the names
    args.pop_back();
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(*index), "help");
    return args;
  }
  // After a command's arguments (xfu show dipper help) "help" asks for its help, unless it is an option's value.
  const std::string& before = args[args.size() - 2];
  const auto takes_value = [&before](const CLI::App& command) {
    const auto names = options_with_value(command);
    return std::find(names.begin(), names.end(), before) != names.end();
  };
  if (before == "--" || takes_value(*path) || takes_value(app)) return args;
  args.back() = "--help";
  return args;
}

int run(int argc, char** argv) {
  CLI::App app{"xfu: find, show, download and verify official Xiaomi MIUI/HyperOS ROMs", "xfu"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("-V,--version", version_text, kVersionHelp);
  app.footer(exit_status_footer());

  Context context;
  context.add_global_options(app);
  add_list_command(app, context);
  add_show_command(app, context);
  add_devices_command(app, context);
  add_device_command(app, context);
  add_verify_command(app, context);
  add_download_command(app, context);
  add_inspect_command(app, context);
  add_catalog_command(app, context);
  add_complete_command(app, context);
  reject_empty_values_and_stray_options(app);

  // `xfu help list` and `xfu version` read as users expect.
  std::vector<std::string> args = help_in_other_places(app, {argv, argv + argc});
  if (asks_for_version_usage(args, options_with_value(app))) {
    write_stdout(std::string("Usage: xfu version (or xfu -V, xfu --version): ") + kVersionHelp + "\n");
    return with_stdout_flushed(static_cast<int>(ExitCode::Success));
  }
  if (const std::string problem = help_or_version_problem(app, args); !problem.empty()) {
    print_error(problem);
    return static_cast<int>(ExitCode::Usage);
  }
  args = expand_help_and_version(args, options_with_value(app));
  args.erase(args.begin());  // CLI11 takes the arguments without the program name, in reverse order
  std::reverse(args.begin(), args.end());

  try {
    app.parse(args);
  } catch (const CLI::Success& e) {
    return with_stdout_flushed(app.exit(e));
  } catch (const CLI::ParseError& e) {
    print_error(usage_message(kind_of(e), e.what(), facts_at_failure(app, e)));
    return static_cast<int>(ExitCode::Usage);
  } catch (const Error& e) {
    print_error(e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return static_cast<int>(ExitCode::LocalFile);
  } catch (const std::exception& e) {
    // Not expected: every failure should be an Error. Still a message and an exit code, never std::terminate.
    print_error(e.what());
    return static_cast<int>(ExitCode::LocalFile);
  }
  return with_stdout_flushed(static_cast<int>(context.exit_code));
}

}  // namespace
}  // namespace xfu

int main(int argc, char** argv) {
  // Past a file-size limit, a write should fail (EFBIG, reported as exit 6,
  // the partial download kept) instead of the signal killing xfu.
  std::signal(SIGXFSZ, SIG_IGN);
  return xfu::run(argc, argv);
}
