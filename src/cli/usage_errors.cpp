#include "cli/usage_errors.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <regex>

#include "util/strings.hpp"

namespace xfu {

namespace {

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// The command as a sentence starts with it, after the "xfu: " every message gets: "show", "catalog info".
std::string subject(const CommandLineFacts& facts) {
  return facts.command.starts_with("xfu ") ? facts.command.substr(4) : facts.command;
}

std::string see_help(const CommandLineFacts& facts) { return " (see " + facts.command + " --help)"; }

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string near = nearest_word(word, candidates);
  return near.empty() ? std::string() : "; did you mean " + quoted(near) + "?";
}

}  // namespace

bool looks_like_version(const std::string& word) {
  return !word.empty() &&
         (std::isdigit(static_cast<unsigned char>(word[0])) || istarts_with(word, "V") || istarts_with(word, "OS"));
}

bool is_android_version(const std::string& word) {
  static const std::regex android("[0-9]{1,2}(\\.[0-9]{1,2}){0,2}");
  return std::regex_match(word, android);
}

namespace {

// "xfu --branch stable list dipper": the command's own option, typed before the command's name.
std::string option_before_command(const std::string& name, const CommandLineFacts& facts) {
  std::vector<std::string> words{facts.command};
  words.insert(words.end(), facts.given.begin(), facts.given.end());
  words.insert(words.end(), facts.leftover.begin(), facts.leftover.end());
  return name + " goes after the command: " + join(words, " ");
}

// "--cards": a format given as a flag of its own.
std::string format_as_flag(const std::string& name, const CommandLineFacts& facts) {
  if (!name.starts_with("--")) return "";
  const std::string word = name.substr(2);
  const bool is_format = std::find(facts.format_words.begin(), facts.format_words.end(), word) !=
                         facts.format_words.end();
  return is_format ? "; did you mean --format " + word + "?" : "";
}

std::string unknown_option(const std::string& option, const CommandLineFacts& facts) {
  const std::string name = option.substr(0, option.find('='));
  if (std::find(facts.options.begin(), facts.options.end(), name) != facts.options.end())
    return option_before_command(name, facts);
  if (const auto it = facts.options_elsewhere.find(name); it != facts.options_elsewhere.end())
    return subject(facts) + " has no " + name + " option; it belongs to " + join(it->second, " and ") + see_help(facts);
  if (const std::string format = format_as_flag(name, facts); !format.empty())
    return "unknown option " + quoted(name) + " for " + facts.command + format;
  // One letter is as near to every other letter: any "did you mean" would be a guess.
  const bool one_letter = name.size() == 2 && name[0] == '-' && name[1] != '-';
  const std::string hint = one_letter ? std::string() : did_you_mean(name, facts.options);
  return "unknown option " + quoted(name) + " for " + facts.command + (hint.empty() ? see_help(facts) : hint);
}

// Words users reach for at the top level that live elsewhere, or that xfu reads as --help/--version.
std::string top_level_hint(const std::string& word) {
  if (word == "info" || word == "update" || word == "split" || word == "check")
    return "; did you mean 'xfu catalog " + word + "'?";
  return did_you_mean(word, {"help", "version"});
}

std::string unknown_command(const std::string& word, const CommandLineFacts& facts) {
  std::string hint = did_you_mean(word, facts.commands);
  if (hint.empty() && facts.command == "xfu") hint = top_level_hint(word);
  const std::string where = facts.command == "xfu" ? "" : " for " + facts.command;
  if (!hint.empty()) return "unknown command " + quoted(word) + where + hint;
  return "unknown command " + quoted(word) + where + "; the commands are " + join(facts.commands, ", ") +
         see_help(facts);
}

std::string extra_argument(const std::string& word, const CommandLineFacts& facts) {
  if (facts.command == "xfu list" && !facts.leftover_as_filter.empty() && !facts.given.empty())
    return "list takes one CODENAME; " + quoted(word) + " is a filter: type xfu list " + facts.given.front() + " " +
           facts.leftover_as_filter;
  if (facts.command == "xfu list" && looks_like_version(word) && !facts.given.empty())
    return "list takes one CODENAME, not a version; type xfu list " + facts.given.front() + " --version " + word +
           ", or xfu show " + facts.given.front() + " " + word;
  if (facts.positionals.empty()) {
    if (!facts.commands.empty()) return unknown_command(word, facts);
    return subject(facts) + " takes no arguments; unexpected " + quoted(word) + see_help(facts);
  }
  std::vector<std::string> usage;
  for (const auto& name : facts.positionals) usage.push_back("[" + name + "]");
  return "unexpected argument " + quoted(word) + ": " + facts.command + " takes " + join(usage, " ") + see_help(facts);
}

std::string option_values(const std::string& option, const CommandLineFacts& facts) {
  const auto it = facts.option_help.find(option);
  return it == facts.option_help.end() || it->second.empty() ? std::string() : ": " + it->second;
}

// "--limit: Value 0 not in range 1 to 18446744073709551615"
std::optional<std::string> range_message(const std::string& option, const std::string& detail) {
  static const std::regex range("Value (.*) not in range ([-0-9.]+) to ([-0-9.e+]+)");
  std::smatch match;
  if (!std::regex_match(detail, match, range)) return std::nullopt;
  // CLI11 prints double bounds as 1.000000: the user only ever types whole numbers.
  const auto whole = [](const std::string& number) { return number.substr(0, number.find('.')); };
  const std::string low = whole(match[2]), high = whole(match[3]);
  const bool no_upper_bound = high.size() >= 10;
  const std::string value = match[1];
  const bool is_number = !value.empty() && value.find_first_not_of("-0123456789") == std::string::npos;
  const std::string bounds = no_upper_bound ? "at least " + low : "between " + low + " and " + high;
  return option + " must be a whole number " + bounds + (is_number ? ", not " : ", not \"") + value +
         (is_number ? "" : "\"");
}

std::string validation(const std::string& message, const CommandLineFacts& facts) {
  const auto colon = message.find(": ");
  if (colon == std::string::npos) return message + see_help(facts);
  const std::string option = message.substr(0, colon), detail = message.substr(colon + 2);
  if (!option.starts_with("-")) return detail;  // a positional's checks name it themselves
  if (auto text = range_message(option, detail)) return *text;
  static const std::regex not_in_set("(.*) not in \\{(.*)\\}");
  std::smatch match;
  if (std::regex_match(detail, match, not_in_set)) {
    const std::vector<std::string> valid = split(match[2].str(), ',');
    const std::string hint = did_you_mean(match[1], valid);
    return "invalid " + option + " \"" + match[1].str() + "\": expected " + join(valid, ", ") + hint;
  }
  return option + " " + detail;  // our own checks already say "must be ..."
}

std::string argument_count(const std::string& message, const CommandLineFacts& facts) {
  static const std::regex missing("(.*): \\d+ required \\S+ missing");
  static const std::regex too_many("(.*): At Most (\\d+) required but received (\\d+)");
  static const std::regex flag_value("(.*) was given a disallowed flag override");
  std::smatch match;
  if (std::regex_match(message, match, flag_value)) {
    const std::string name = match[1].str();
    return (name.starts_with("-") ? "" : name.size() == 1 ? "-" : "--") + name + " takes no value";
  }
  if (std::regex_match(message, match, missing)) {
    // The filter --version and xfu's own -V,--version share a name: say which is which.
    const std::string own_version = match[1].str() == "--version" && facts.command != "xfu"
                                        ? "; xfu --version prints xfu's own version"
                                        : "";
    return match[1].str() + " needs a value" + option_values(match[1], facts) + own_version;
  }
  if (std::regex_match(message, match, too_many))
    return match[1].str() + " was given " + match[3].str() + " times; give it once";
  return message + see_help(facts);
}

std::string conversion(const std::string& message, const CommandLineFacts& facts) {
  static const std::regex could_not("Could not convert: (.*) = (.*)");
  static const std::regex flag_value("(.*): too many inputs for a flag");
  static const std::regex true_false("(.*): Should be true/false or a number");
  std::smatch match;
  if (std::regex_match(message, match, could_not))
    return "invalid " + match[1].str() + " \"" + match[2].str() + "\"" + option_values(match[1], facts);
  if (std::regex_match(message, match, flag_value) || std::regex_match(message, match, true_false))
    return match[1].str() + " is a switch and takes no value";
  return message + see_help(facts);
}

std::string pair_rule(const std::string& message, const char* verb, const char* says) {
  const auto at = message.find(verb);
  if (at == std::string::npos) return message;
  return message.substr(0, at) + says + message.substr(at + std::string(verb).size());
}

}  // namespace

std::vector<std::string> nearest_words(const std::string& word, const std::vector<std::string>& candidates,
                                       size_t at_most) {
  const auto bare = [](const std::string& text) { return text.substr(text.find_first_not_of('-')); };
  if (word.find_first_not_of('-') == std::string::npos) return {};
  const std::string wanted = bare(word);
  const size_t tolerance = std::max<size_t>(1, wanted.size() / 3);
  std::vector<std::pair<size_t, std::string>> near;  // distance, candidate; in the candidates' order
  for (const auto& candidate : candidates) {
    if (candidate.find_first_not_of('-') == std::string::npos) continue;
    const std::string name = bare(candidate);
    size_t distance = edit_distance(wanted, name);
    if (wanted.size() >= 3 && name.starts_with(to_lower(wanted))) distance = std::min<size_t>(distance, 1);
    if (distance <= tolerance) near.emplace_back(distance, candidate);
  }
  // Stable: of equally near candidates, the first given wins.
  std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // A typo is close to one word: words much farther than the nearest would only be noise beside it.
  constexpr size_t kFartherThanNearest = 2;
  std::vector<std::string> words;
  for (size_t i = 0; i < near.size() && i < at_most && near[i].first <= near[0].first + kFartherThanNearest; ++i)
    words.push_back(near[i].second);
  return words;
}

std::string nearest_word(const std::string& word, const std::vector<std::string>& candidates) {
  const std::vector<std::string> words = nearest_words(word, candidates, 1);
  return words.empty() ? std::string() : words.front();
}

namespace {

// A separator at the end leaves an empty last part: "stable-" is the start of a two-part word.
std::vector<std::string> word_parts(const std::string& text) {
  std::vector<std::string> parts(1);
  for (const char c : text) {
    if (c == '-' || c == '.' || c == '_' || c == ' ') {
      if (!parts.back().empty()) parts.emplace_back();
    } else {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (parts.size() == 1 && parts.back().empty()) parts.pop_back();
  return parts;
}

bool begins_each_part(const std::vector<std::string>& given, const std::vector<std::string>& word) {
  if (given.size() != word.size()) return false;
  for (size_t i = 0; i < given.size(); ++i)
    if (!word[i].starts_with(given[i])) return false;
  return true;
}

// One part: the start of a multi-part word ("pub" -> public-beta) or one of its later parts ("beta").
bool starts_or_is_part_of(const std::string& given, const std::vector<std::string>& word) {
  return word.size() > 1 &&
         (word.front().starts_with(given) || std::find(word.begin() + 1, word.end(), given) != word.end());
}

}  // namespace

std::vector<std::string> abbreviated_words(const std::string& value, const std::vector<std::string>& valid) {
  const auto given = word_parts(value);
  if (given.empty()) return {};
  std::vector<std::string> matches;
  for (const auto& word : valid)
    if (begins_each_part(given, word_parts(word))) matches.push_back(word);
  // A one-part value abbreviates a one-part word first: "st" is stable, not stable-beta.
  if (given.size() != 1 || !matches.empty()) return matches;
  for (const auto& word : valid)
    if (starts_or_is_part_of(given.front(), word_parts(word))) matches.push_back(word);
  return matches;
}

std::string usage_message(ParseErrorKind kind, const std::string& message, const CommandLineFacts& facts) {
  const std::string first = facts.leftover.empty() ? std::string() : facts.leftover.front();
  switch (kind) {
    case ParseErrorKind::MissingCommand:
      if (first.starts_with("-")) return unknown_option(first, facts);
      if (!first.empty()) return unknown_command(first, facts);
      return (facts.command == "xfu" ? std::string("a command is needed") : subject(facts) + " needs a command") +
             ": " + join(facts.commands, ", ") + see_help(facts);
    case ParseErrorKind::Extras:
      if (first.starts_with("-") && first.size() > 1 && !std::isdigit(static_cast<unsigned char>(first[1])))
        return unknown_option(first, facts);
      if (!first.empty()) return extra_argument(first, facts);
      return message + see_help(facts);
    case ParseErrorKind::Required:
      if (!facts.needs.empty()) return subject(facts) + " needs " + facts.needs;
      return subject(facts) + " needs " + pair_rule(message, " is required", "") + see_help(facts);
    case ParseErrorKind::ArgumentCount: return argument_count(message, facts);
    case ParseErrorKind::Validation: return validation(message, facts);
    case ParseErrorKind::Conversion: return conversion(message, facts);
    case ParseErrorKind::Excludes:
      return pair_rule(message, " excludes ", " cannot be combined with ") + "; drop one of them";
    case ParseErrorKind::Requires: return pair_rule(message, " requires ", " needs ");
    case ParseErrorKind::Other: break;
  }
  return message + see_help(facts);
}

std::optional<size_t> command_word_index(const std::vector<std::string>& args,
                                         const std::vector<std::string>& options_with_value) {
  size_t i = 1;
  while (i < args.size() && args[i].starts_with("-") && args[i] != "--") {
    const bool takes_value = std::find(options_with_value.begin(), options_with_value.end(), args[i]) !=
                             options_with_value.end();
    i += takes_value ? 2 : 1;
  }
  if (i >= args.size()) return std::nullopt;
  return i;
}

bool is_help_word(const std::string& word) { return word == "help" || word == "--help" || word == "-h"; }

bool asks_for_version_usage(const std::vector<std::string>& args, const std::vector<std::string>& options_with_value) {
  const auto index = command_word_index(args, options_with_value);
  if (!index || *index + 2 != args.size()) return false;
  const std::string &verb = args[*index], &word = args[*index + 1];
  if (verb == "version") return is_help_word(word);
  return verb == "help" && (word == "version" || word == "-V" || word == "--version");
}

std::vector<std::string> expand_help_and_version(std::vector<std::string> args,
                                                 const std::vector<std::string>& options_with_value) {
  const auto index = command_word_index(args, options_with_value);
  if (!index) return args;
  const size_t i = *index;
  if (args[i] == "version") {
    args[i] = "--version";
  } else if (args[i] == "help") {
    args.erase(std::remove_if(args.begin() + static_cast<std::ptrdiff_t>(i), args.end(), is_help_word), args.end());
    args.push_back("--help");
  }
  return args;
}

std::string help_words_problem(const std::string& verb, const std::vector<std::string>& words,
                               const std::function<std::vector<std::string>(const std::string&)>& commands_of) {
  if (verb == "version")
    return words.empty() ? "" : "version takes no arguments, not '" + words.front() + "'; type xfu version";
  std::string path;
  for (const std::string& word : words) {
    if (is_help_word(word)) continue;  // xfu help help: the help asks for itself
    const auto commands = commands_of(path);
    if (std::find(commands.begin(), commands.end(), word) == commands.end()) {
      const std::string nearest = nearest_word(word, commands);
      if (commands.empty()) return path + " has no commands under it; type xfu help " + path;
      return (path.empty() ? "unknown command '" + word + "'" : path + " has no command '" + word + "'") +
             (nearest.empty() ? "; xfu help " + path + (path.empty() ? "" : " ") + "lists them"
                              : "; did you mean 'xfu help " + path + (path.empty() ? "" : " ") + nearest + "'?");
    }
    path += (path.empty() ? "" : " ") + word;
  }
  return "";
}

}  // namespace xfu
