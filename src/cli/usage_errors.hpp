// Command-line mistakes in plain words: what CLI11 reports, translated into
// one line that says what was wrong and what to type instead. Pure
// functions; main.cpp gathers the facts from CLI11 and prints the answer.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xfu {

// What CLI11 threw, by its exception class.
enum class ParseErrorKind {
  MissingCommand,  // RequiredError "A subcommand is required"
  Extras,          // ExtrasError: an unknown option, an extra argument
  Required,        // RequiredError "NAME is required"
  ArgumentCount,   // ArgumentMismatch: a value missing, an option given twice
  Validation,      // ValidationError: not in a set, out of a range
  Conversion,      // ConversionError: not a number, a value for a flag
  Excludes,        // ExcludesError
  Requires,        // RequiresError
  Other,
};

// Where the parse stopped, and what xfu offers there.
struct CommandLineFacts {
  std::string command = "xfu";                     // "xfu list", "xfu catalog info"
  std::vector<std::string> commands;               // its subcommands
  std::vector<std::string> options;                // its options and the global ones: "--branch"
  std::map<std::string, std::string> option_help;  // "--branch" -> "stable, stable-beta, weekly or public-beta"
  std::map<std::string, std::vector<std::string>> options_elsewhere;  // "--md5" -> {"xfu download", "xfu verify"}
  std::vector<std::string> positionals;                               // "CODENAME"
  std::string needs;                      // what a missing argument should be: "a codename or a package name, e.g. ..."
  std::vector<std::string> given;         // the positional values it got: {"dipper"}
  std::vector<std::string> leftover;      // what CLI11 could not place: {"lst"}, {"--bogus"}, {"8.12.7"}
  std::string leftover_as_filter;         // the filter the first leftover word stands for: "--branch weekly"
  std::vector<std::string> format_words;  // what its --format takes: {"table", "tsv", "json", "cards"}
};

// One line, without the "xfu: " prefix.
std::string usage_message(ParseErrorKind kind, const std::string& cli11_message, const CommandLineFacts& facts);

// The closest of `candidates` to `word` when it is a plausible typo of it; empty otherwise.
std::string nearest_word(const std::string& word, const std::vector<std::string>& candidates);

// The `at_most` closest of `candidates` that are plausible typos of `word`, nearest first, leaving out those
// more than two edits farther than the nearest; empty when none is.
std::vector<std::string> nearest_words(const std::string& word, const std::vector<std::string>& candidates,
                                       size_t at_most);

// Whether `word` could be a version: it begins with a digit, V or OS ("8.12.7", "V12.5", "OS2").
bool looks_like_version(const std::string& word);

// Whether `word` is an Android version or a prefix of one as --android takes it: one to three parts of one or two
// digits, separated by dots ("14", "9.0", "4.4.2").
bool is_android_version(const std::string& word);

// The words of `valid` that `value` abbreviates, in any case: each of its parts (split at '-', '.', '_' or ' ')
// begins the matching part of the word ("rec" -> recovery, "S.Beta" -> stable-beta, "stable-" -> stable-beta).
// A one-part value abbreviates the one-part words it begins first ("st" -> stable); only when it begins none
// does it stand for the multi-part words it begins ("pub" -> public-beta) or one whole later part of
// ("beta" -> stable-beta and public-beta). Empty when it abbreviates none.
std::vector<std::string> abbreviated_words(const std::string& value, const std::vector<std::string>& valid);

// `xfu help [COMMAND...]` becomes `xfu [COMMAND...] --help` (help words among the COMMANDs asking the same are
// dropped: `xfu help help` is `xfu --help`) and `xfu version` becomes `xfu --version`. The word is found where a command would be: after
// the global options, skipping the values of those in `options_with_value`.
std::vector<std::string> expand_help_and_version(std::vector<std::string> args,
                                                 const std::vector<std::string>& options_with_value);

// Where the command word is in `args` (after the program name and the global options), if there is one.
std::optional<size_t> command_word_index(const std::vector<std::string>& args,
                                         const std::vector<std::string>& options_with_value);

// "help", "--help" or "-h".
bool is_help_word(const std::string& word);

// Whether `args` ask how to use `xfu version`: `xfu version --help` (or -h, help), `xfu help version` (or -V,
// --version), as `xfu help list` asks how to use list.
bool asks_for_version_usage(const std::vector<std::string>& args, const std::vector<std::string>& options_with_value);

// What is wrong with the words after `xfu help` (they must name a command: `help catalog info`) or after
// `xfu version` (none may follow), or "" when nothing is. `commands_of(path)` lists the commands under a
// command path ("" for xfu itself, "catalog" for xfu catalog).
std::string help_words_problem(const std::string& verb, const std::vector<std::string>& words,
                               const std::function<std::vector<std::string>(const std::string&)>& commands_of);

}  // namespace xfu
