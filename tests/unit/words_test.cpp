// The usage-error translation, the one device matcher and near misses.
#include <gtest/gtest.h>

#include "catalog/device_match.hpp"
#include "catalog/query.hpp"
#include "cli/usage_errors.hpp"

namespace xfu {
namespace {

std::string join_for_trace(const std::vector<std::string>& args) {
  std::string text;
  for (const auto& arg : args) text += arg + " ";
  return text;
}

CommandLineFacts top_level() {
  CommandLineFacts facts;
  facts.commands = {"list", "show", "devices", "verify", "download", "catalog"};
  facts.options = {"--catalog", "--offline", "--help", "--version", "-V"};
  return facts;
}

CommandLineFacts list_command() {
  CommandLineFacts facts;
  facts.command = "xfu list";
  facts.options = {"--branch", "--type", "--limit", "--format", "--json", "--catalog"};
  facts.option_help["--branch"] = "stable, stable-beta, weekly or public-beta";
  facts.options_elsewhere["--md5"] = {"xfu verify", "xfu download"};
  facts.positionals = {"CODENAME"};
  return facts;
}

TEST(UsageMessage, AbbreviatedWords) {
  const std::vector<std::string> branches{"stable", "stable-beta", "weekly", "public-beta"};
  EXPECT_EQ(abbreviated_words("S.Beta", branches), std::vector<std::string>{"stable-beta"});
  EXPECT_EQ(abbreviated_words("p beta", branches), std::vector<std::string>{"public-beta"});
  EXPECT_EQ(abbreviated_words("beta", branches), (std::vector<std::string>{"stable-beta", "public-beta"}));
  EXPECT_EQ(abbreviated_words("week", branches), std::vector<std::string>{"weekly"});
  EXPECT_EQ(abbreviated_words("st", branches), std::vector<std::string>{"stable"});
  EXPECT_EQ(abbreviated_words("s", branches), std::vector<std::string>{"stable"});
  // A trailing separator starts a multi-part word; a one-part value that begins no one-part word begins one.
  EXPECT_EQ(abbreviated_words("stable-", branches), std::vector<std::string>{"stable-beta"});
  EXPECT_EQ(abbreviated_words("St.", branches), std::vector<std::string>{"stable-beta"});
  for (const char* start : {"p", "pub", "publ", "PUBLIC"})
    EXPECT_EQ(abbreviated_words(start, branches), std::vector<std::string>{"public-beta"}) << start;
  EXPECT_TRUE(abbreviated_words("weekly-", branches).empty());
  EXPECT_TRUE(abbreviated_words("-", branches).empty());
  EXPECT_EQ(abbreviated_words("Rec", {"recovery", "fastboot"}), std::vector<std::string>{"recovery"});
  EXPECT_TRUE(abbreviated_words("zip", {"recovery", "fastboot"}).empty());
  EXPECT_TRUE(abbreviated_words("", {"recovery", "fastboot"}).empty());
  EXPECT_TRUE(abbreviated_words("...", {"recovery", "fastboot"}).empty());
}

TEST(UsageMessage, AndroidVersionsAreDigitsAndDots) {
  for (const char* version : {"14", "9", "9.0", "4.4.2", "10"}) EXPECT_TRUE(is_android_version(version)) << version;
  for (const char* word : {"", "ten", "1e3", "12345678901234567890", "9.", ".9", "9..0", "v14", "14 ", "1.2.3.4", "-1"})
    EXPECT_FALSE(is_android_version(word)) << word;
}

TEST(UsageMessage, HelpWordsMustNameACommand) {
  const auto commands_of = [](const std::string& path) -> std::vector<std::string> {
    if (path.empty()) return {"list", "show", "catalog"};
    if (path == "catalog") return {"info", "update"};
    return {};
  };
  EXPECT_EQ(help_words_problem("help", {}, commands_of), "");
  EXPECT_EQ(help_words_problem("help", {"catalog", "info"}, commands_of), "");
  EXPECT_EQ(help_words_problem("help", {"lst"}, commands_of), "unknown command 'lst'; did you mean 'xfu help list'?");
  EXPECT_EQ(help_words_problem("help", {"catalog", "updte"}, commands_of),
            "catalog has no command 'updte'; did you mean 'xfu help catalog update'?");
  EXPECT_EQ(help_words_problem("help", {"zzzzzz"}, commands_of), "unknown command 'zzzzzz'; xfu help lists them");
  EXPECT_EQ(help_words_problem("version", {}, commands_of), "");
  EXPECT_EQ(help_words_problem("version", {"x"}, commands_of), "version takes no arguments, not 'x'; type xfu version");
  EXPECT_EQ(command_word_index({"xfu", "--catalog", "builtin", "help"}, {"--catalog"}), 3u);
  EXPECT_EQ(command_word_index({"xfu", "--offline"}, {"--catalog"}), std::nullopt);
}

TEST(UsageMessage, UnknownCommandSuggestsTheNearest) {
  CommandLineFacts facts = top_level();
  facts.leftover = {"lst"};
  EXPECT_EQ(usage_message(ParseErrorKind::MissingCommand, "A subcommand is required", facts),
            "unknown command 'lst'; did you mean 'list'?");
  facts.leftover = {"frobnicate"};
  EXPECT_EQ(usage_message(ParseErrorKind::MissingCommand, "A subcommand is required", facts),
            "unknown command 'frobnicate'; the commands are list, show, devices, verify, download, catalog "
            "(see xfu --help)");
  facts.leftover = {};
  EXPECT_EQ(usage_message(ParseErrorKind::MissingCommand, "A subcommand is required", facts),
            "a command is needed: list, show, devices, verify, download, catalog (see xfu --help)");
}

TEST(UsageMessage, UnknownOptionSuggestsTheNearestOrWhereItBelongs) {
  CommandLineFacts facts = list_command();
  facts.leftover = {"--lmit"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "The following argument was not expected: --lmit", facts),
            "unknown option '--lmit' for xfu list; did you mean '--limit'?");
  facts.leftover = {"--md5"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
            "list has no --md5 option; it belongs to xfu verify and xfu download (see xfu list --help)");
  facts.leftover = {"--zzzzzz"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
            "unknown option '--zzzzzz' for xfu list (see xfu list --help)");
}

TEST(UsageMessage, AnUnknownOneLetterOptionGetsNoGuess) {
  CommandLineFacts facts = list_command();
  facts.options.insert(facts.options.end(), {"-h", "-V"});
  for (const char* option : {"-b", "-x", "-H"}) {
    facts.leftover = {option};
    EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
              "unknown option '" + std::string(option) + "' for xfu list (see xfu list --help)");
  }
}

TEST(UsageMessage, AFormatGivenAsAFlagPointsToFormat) {
  CommandLineFacts facts = list_command();
  facts.format_words = {"table", "tsv", "json", "cards"};
  for (const char* format : {"cards", "table", "tsv"}) {
    facts.leftover = {"--" + std::string(format)};
    EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
              "unknown option '--" + std::string(format) + "' for xfu list; did you mean --format " + format + "?");
  }
  facts.format_words = {"table", "tsv", "json"};
  facts.leftover = {"--cards"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
            "unknown option '--cards' for xfu list (see xfu list --help)");
}

TEST(UsageMessage, AFlagGivenAValueTakesNone) {
  EXPECT_EQ(usage_message(ParseErrorKind::ArgumentCount, "json was given a disallowed flag override", list_command()),
            "--json takes no value");
  EXPECT_EQ(usage_message(ParseErrorKind::ArgumentCount, "q was given a disallowed flag override", list_command()),
            "-q takes no value");
}

TEST(UsageMessage, ACommandsOptionBeforeTheCommandIsPutWhereItGoes) {
  CommandLineFacts facts = list_command();
  facts.given = {"dipper"};
  facts.leftover = {"--branch", "stable"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
            "--branch goes after the command: xfu list dipper --branch stable");
}

TEST(UsageMessage, TopLevelWordsThatLiveElsewhere) {
  CommandLineFacts facts = top_level();
  facts.leftover = {"info"};
  EXPECT_EQ(usage_message(ParseErrorKind::MissingCommand, "A subcommand is required", facts),
            "unknown command 'info'; did you mean 'xfu catalog info'?");
  facts.leftover = {"versoin"};
  EXPECT_EQ(usage_message(ParseErrorKind::MissingCommand, "A subcommand is required", facts),
            "unknown command 'versoin'; did you mean 'version'?");
}

TEST(UsageMessage, TheVersionFilterIsToldApartFromXfusOwnVersion) {
  CommandLineFacts facts = list_command();
  facts.option_help["--version"] = "Exact version, or a prefix such as V14 or OS2";
  EXPECT_EQ(usage_message(ParseErrorKind::ArgumentCount, "--version: 1 required TEXT missing", facts),
            "--version needs a value: Exact version, or a prefix such as V14 or OS2; xfu --version prints xfu's own "
            "version");
  EXPECT_EQ(usage_message(ParseErrorKind::Excludes, "--json excludes --format", facts),
            "--json cannot be combined with --format; drop one of them");
  EXPECT_EQ(usage_message(ParseErrorKind::Validation, "codename: CODENAME needs a value, not an empty one", facts),
            "CODENAME needs a value, not an empty one");
}

TEST(UsageMessage, AVersionAfterTheCodenameOfListPointsToVersionAndShow) {
  CommandLineFacts facts = list_command();
  facts.given = {"dipper"};
  facts.leftover = {"8.12.7"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "The following argument was not expected: 8.12.7", facts),
            "list takes one CODENAME, not a version; type xfu list dipper --version 8.12.7, or xfu show dipper "
            "8.12.7");
  facts.leftover = {"extra"};
  EXPECT_EQ(usage_message(ParseErrorKind::Extras, "", facts),
            "unexpected argument 'extra': xfu list takes [CODENAME] (see xfu list --help)");
}

TEST(UsageMessage, ValuesAndRangesInPlainWords) {
  const CommandLineFacts facts = list_command();
  EXPECT_EQ(usage_message(ParseErrorKind::Validation, "--retries: Value 200 not in range 0 to 100", facts),
            "--retries must be a whole number between 0 and 100, not 200");
  EXPECT_EQ(usage_message(ParseErrorKind::Validation,
                          "--limit: Value 0 not in range 0.000000 to 179769313486231570000000000000.000000", facts),
            "--limit must be a whole number at least 0, not 0");
  EXPECT_EQ(usage_message(ParseErrorKind::Validation, "--limit: must be a whole number of at least 1, not \"0\"",
                          facts),
            "--limit must be a whole number of at least 1, not \"0\"");
  EXPECT_EQ(usage_message(ParseErrorKind::Validation, "--format: xml not in {table,tsv,json,cards}", facts),
            "invalid --format \"xml\": expected table, tsv, json, cards");
  EXPECT_EQ(usage_message(ParseErrorKind::Validation, "--format: jsn not in {table,tsv,json,cards}", facts),
            "invalid --format \"jsn\": expected table, tsv, json, cards; did you mean 'json'?");
  EXPECT_EQ(usage_message(ParseErrorKind::ArgumentCount, "--branch: 1 required TEXT missing", facts),
            "--branch needs a value: stable, stable-beta, weekly or public-beta");
  EXPECT_EQ(usage_message(ParseErrorKind::ArgumentCount, "--branch: At Most 1 required but received 2", facts),
            "--branch was given 2 times; give it once");
  EXPECT_EQ(usage_message(ParseErrorKind::Conversion, "Could not convert: --retries = many", facts),
            "invalid --retries \"many\"");
  EXPECT_EQ(usage_message(ParseErrorKind::Conversion, "--json: too many inputs for a flag", facts),
            "--json is a switch and takes no value");
  EXPECT_EQ(usage_message(ParseErrorKind::Excludes, "--print excludes --json", facts),
            "--print cannot be combined with --json; drop one of them");
  EXPECT_EQ(usage_message(ParseErrorKind::Requires, "--json requires --dry-run", facts), "--json needs --dry-run");
}

TEST(UsageMessage, AMissingArgumentSaysWhatToGive) {
  CommandLineFacts facts;
  facts.command = "xfu show";
  facts.needs = "a codename or a package name, e.g. xfu show dipper 8.12.7";
  EXPECT_EQ(usage_message(ParseErrorKind::Required, "target is required", facts),
            "show needs a codename or a package name, e.g. xfu show dipper 8.12.7");
}

TEST(HelpAndVersionWords, BecomeTheirFlags) {
  const std::vector<std::string> with_value{"--catalog"};
  using Args = std::vector<std::string>;
  EXPECT_EQ(expand_help_and_version({"xfu", "help"}, with_value), (Args{"xfu", "--help"}));
  EXPECT_EQ(expand_help_and_version({"xfu", "help", "list"}, with_value), (Args{"xfu", "list", "--help"}));
  EXPECT_EQ(expand_help_and_version({"xfu", "--catalog", "help", "version"}, with_value),
            (Args{"xfu", "--catalog", "help", "--version"}));
  EXPECT_EQ(expand_help_and_version({"xfu", "version"}, with_value), (Args{"xfu", "--version"}));
  EXPECT_EQ(expand_help_and_version({"xfu", "show", "help"}, with_value), (Args{"xfu", "show", "help"}));
  // The help asking for itself is the general help.
  EXPECT_EQ(expand_help_and_version({"xfu", "help", "help"}, with_value), (Args{"xfu", "--help"}));
  EXPECT_EQ(expand_help_and_version({"xfu", "help", "--help"}, with_value), (Args{"xfu", "--help"}));
  EXPECT_EQ(expand_help_and_version({"xfu", "help", "-h", "list"}, with_value), (Args{"xfu", "list", "--help"}));
}

TEST(HelpAndVersionWords, HowToUseVersion) {
  const std::vector<std::string> with_value{"--catalog"};
  using Args = std::vector<std::string>;
  for (const Args& args : {Args{"xfu", "version", "--help"}, Args{"xfu", "version", "-h"},
                           Args{"xfu", "version", "help"}, Args{"xfu", "help", "version"}, Args{"xfu", "help", "-V"},
                           Args{"xfu", "help", "--version"}, Args{"xfu", "--catalog", "x", "help", "version"}})
    EXPECT_TRUE(asks_for_version_usage(args, with_value)) << join_for_trace(args);
  for (const Args& args :
       {Args{"xfu", "version"}, Args{"xfu", "help"}, Args{"xfu", "help", "list"}, Args{"xfu", "version", "--help", "x"},
        Args{"xfu", "help", "version", "x"}, Args{"xfu", "--version", "--help"}})
    EXPECT_FALSE(asks_for_version_usage(args, with_value)) << join_for_trace(args);
  const auto no_commands = [](const std::string&) { return std::vector<std::string>{"list"}; };
  EXPECT_EQ(help_words_problem("help", {"help"}, no_commands), "");
  EXPECT_EQ(help_words_problem("help", {"--help", "list", "-h"}, no_commands), "");
}

TEST(NearestWord, OnlyPlausibleTypos) {
  EXPECT_EQ(nearest_word("lst", {"list", "show"}), "list");
  EXPECT_EQ(nearest_word("dowload", {"list", "download"}), "download");
  EXPECT_EQ(nearest_word("zzz", {"list", "show"}), "");
  EXPECT_EQ(nearest_word("--brnch", {"--branch", "--type"}), "--branch");
}

TEST(NearestWords, AtMostSoManyNearestFirstWithoutFarOnes) {
  const std::vector<std::string> names{"a_1.0_abcdef_9.zip", "a_1.1_abcdef_9.zip", "a_1.0_abcdeg_9.zip",
                                       "a_1.2_abcdef_9.zip", "a_2.0_abcdef_9.zip", "b_7.7_zzzzzz_9.zip"};
  EXPECT_EQ(nearest_words("a_1.0_abcdef_8.zip", names, 3),
            (std::vector<std::string>{"a_1.0_abcdef_9.zip", "a_1.1_abcdef_9.zip", "a_1.0_abcdeg_9.zip"}));
  EXPECT_EQ(nearest_words("a_1.0_abcdef_8.zip", names, 1), (std::vector<std::string>{"a_1.0_abcdef_9.zip"}));
  // Three edits farther than the nearest: left out.
  EXPECT_EQ(nearest_words("aa_1.0_abcdef_9.zip", {"a_1.0_abcdef_9.zip", "a_2.3_xbcdef_9.zip"}, 3),
            (std::vector<std::string>{"a_1.0_abcdef_9.zip"}));
  EXPECT_TRUE(nearest_words("zzzz", names, 3).empty());
}

TEST(DeviceMatch, CaseSpacesBrandAndTypos) {
  EXPECT_EQ(device_match("dipper", "dipper", "dipper_global", "Mi 8 Global"), kExactMatch);
  EXPECT_EQ(device_match("mi8", "dipper", "dipper_global", "Mi 8 Global"), kExactMatch);
  EXPECT_EQ(device_match("Xiaomi Mi 8", "dipper", "dipper_global", "Mi 8 Global"), kExactMatch);
  EXPECT_EQ(device_match("MI 8", "dipper", "dipper", "Mi 8 China"), kExactMatch);
  EXPECT_EQ(device_match("xiaomi 11t", "agate", "agate_global", "Xiaomi 11T Global"), kExactMatch);
  EXPECT_EQ(device_match("dipper_ru", "dipper", "dipper_ru_global", "Mi 8 Russia"), kPrefixMatch);
  EXPECT_EQ(device_match("mi 8", "platina", "platina", "Mi 8 Lite"), kPrefixMatch);
  EXPECT_EQ(device_match("note 7", "lavender", "lavender", "Redmi Note 7"), kPrefixMatch);
  EXPECT_EQ(device_match("dippr", "dipper", "dipper", "Mi 8"), kTypoMatch + 1);
  EXPECT_EQ(device_match("dipepr", "dipper", "dipper", "Mi 8"), kTypoMatch + 1);
  EXPECT_EQ(device_match("redmi not 7", "lavender", "lavender", "Redmi Note 7"), kTypoMatch + 1);
  EXPECT_EQ(device_match("mi 8", "lavender", "lavender", "Redmi 8"), std::nullopt);
  EXPECT_EQ(device_match("mi9", "dipper", "dipper", "Mi 8"), std::nullopt);  // short: no typos allowed
  EXPECT_EQ(device_match("zzzzzzzz", "dipper", "dipper", "Mi 8"), std::nullopt);
  EXPECT_EQ(device_match("  ", "dipper", "dipper", "Mi 8"), std::nullopt);
  // The variant is started word by word, and is as good as the codename for typos.
  EXPECT_EQ(device_match("dipper ru", "dipper", "dipper_ru_global", "Mi 8 Russia"), kPrefixMatch);
  EXPECT_EQ(device_match("dipperr", "dipper", "dipper_ru_global", "Mi 8 Russia"), kTypoMatch + 1);
  EXPECT_EQ(device_match("dipper_globall", "dipper", "dipper_global", "Mi 8 Global"), kTypoMatch + 1);
  // With the brand, the name is started from its beginning only.
  EXPECT_EQ(device_match("xiaomi 14", "houji", "houji", "Xiaomi 14 China"), kExactMatch);
  EXPECT_EQ(device_match("xiaomi 14", "aurora", "aurora", "Xiaomi 14 Ultra China"), kPrefixMatch);
  EXPECT_EQ(device_match("xiaomi 14", "amethyst", "amethyst", "Redmi Note 14 Pro+ 5G China"), std::nullopt);
  EXPECT_EQ(device_match("14", "amethyst", "amethyst", "Redmi Note 14 Pro+ 5G China"), kPrefixMatch);
}

TEST(DeviceMatch, LettersAfterTheMatchRankNamesTheQueryStartsEqually) {
  EXPECT_EQ(letters_after_match("note 8", "Redmi Note 8 Global"), 0u);
  EXPECT_EQ(letters_after_match("note 8", "Redmi Note 8 Pro EEA"), 3u);
  EXPECT_EQ(letters_after_match("note 8", "Redmi Note 8 (2021)"), 4u);
  EXPECT_EQ(letters_after_match("xiaomi 14", "Xiaomi 14 Ultra"), 5u);
  EXPECT_EQ(letters_after_match("mi 9", "Redmi 9"), SIZE_MAX);
}

Rom rom(const std::string& version, Branch branch, RomType type, const std::string& region, const std::string& date) {
  Rom r;
  r.codename = r.variant = "dipper";
  r.device = "Mi 8";
  r.version = version;
  r.branch = branch;
  r.type = type;
  r.region = region;
  r.date = date;
  r.filename = version + (type == RomType::Fastboot ? ".tgz" : ".zip");
  return r;
}

TEST(NearMisses, NameTheFlagThatStandsInTheWayAndWhatItCouldBe) {
  Catalog catalog;
  catalog.roms = {rom("8.12.7", Branch::Weekly, RomType::Recovery, "China", "2018-12-07"),
                  rom("V10.0.1", Branch::Stable, RomType::Recovery, "China", "2018-10-01"),
                  rom("V10.0.2", Branch::Stable, RomType::Fastboot, "Global", "2019-01-01")};
  RomFilter filter;
  filter.codename = "dipper";
  filter.version = "8.12.7";
  filter.branch = Branch::Stable;
  auto misses = near_misses(catalog, filter);
  ASSERT_EQ(misses.size(), 2u);
  EXPECT_EQ(misses[0].flag, "--branch");
  EXPECT_EQ(misses[0].values, (std::vector<std::string>{"weekly"}));
  EXPECT_EQ(misses[1].flag, "--version");
  EXPECT_EQ(misses[1].values, (std::vector<std::string>{"V10.0.2", "V10.0.1"}));

  RomFilter late;
  late.since = "2019-06-01";
  late.region = "global";
  misses = near_misses(catalog, late);
  ASSERT_EQ(misses.size(), 1u);
  EXPECT_EQ(misses[0].flag, "--since");
  EXPECT_EQ(misses[0].values, (std::vector<std::string>{"2019-01-01"}));

  RomFilter two_off;  // no single flag is to blame
  two_off.branch = Branch::PublicBeta;
  two_off.type = RomType::Fastboot;
  two_off.region = "china";
  EXPECT_TRUE(near_misses(catalog, two_off).empty());
}

}  // namespace
}  // namespace xfu
