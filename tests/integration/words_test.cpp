// What a new user meets first, through the real binary: usage errors in
// plain words, one vocabulary for machines, exit 3 whenever nothing is
// found, and suggestions instead of dead ends.
#include <gtest/gtest.h>

#include "support/harness.hpp"
#include "util/strings.hpp"

namespace xfu::test {
namespace {

class Words : public ::testing::Test {
 protected:
  XfuHome home;
  RunResult small(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--catalog", fixture("catalog-small.json").string()});
    return home.run(args);
  }
  RunResult builtin(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--catalog", "builtin"});
    return home.run(args);
  }
  // One line on stderr and the exit code, nothing on stdout.
  void expect_error(const RunResult& result, int code, const std::string& line) const {
    EXPECT_EQ(result.exit_code, code) << result.err;
    EXPECT_EQ(result.err, "xfu: " + line + "\n");
    EXPECT_EQ(result.out, "");
  }
};

TEST_F(Words, UsageErrorsSayWhatToTypeInstead) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"lst"}, "unknown command 'lst'; did you mean 'list'?"},
      {{"dowload", "dipper"}, "unknown command 'dowload'; did you mean 'download'?"},
      {{"frobnicate"},
       "unknown command 'frobnicate'; the commands are list, show, devices, device, verify, download, inspect, catalog "
       "(see xfu "
       "--help)"},
      {{}, "a command is needed: list, show, devices, device, verify, download, inspect, catalog (see xfu --help)"},
      {{"catalog"}, "catalog needs a command: info, update, split, check (see xfu catalog --help)"},
      {{"catalog", "inf"}, "unknown command 'inf' for xfu catalog; did you mean 'info'?"},
      {{"--bogus"}, "unknown option '--bogus' for xfu (see xfu --help)"},
      {{"list", "--lmit", "3"}, "unknown option '--lmit' for xfu list; did you mean '--limit'?"},
      {{"list", "--md5", "x"},
       "list has no --md5 option; it belongs to xfu verify and xfu download (see xfu list --help)"},
      {{"list", "--limit", "0"}, "--limit must be a whole number of at least 1, not \"0\""},
      {{"list", "--limit", "zero"}, "--limit must be a whole number of at least 1, not \"zero\""},
      {{"list", "--limit", "-1"}, "--limit must be a whole number of at least 1, not \"-1\""},
      {{"list", "--format", "xml"}, "invalid --format \"xml\": expected table, tsv, json, cards"},
      {{"list", "--format", "jsn"}, "invalid --format \"jsn\": expected table, tsv, json, cards; did you mean 'json'?"},
      {{"list", "--branch"}, "--branch needs a value: stable, stable-beta, weekly or public-beta"},
      {{"list", "--android", "ten"}, "invalid --android \"ten\": expected an Android version such as 14 or 9.0"},
      {{"list", "dipper", "--android", "1e3"},
       "invalid --android \"1e3\": expected an Android version such as 14 or 9.0"},
      {{"show", "dipper", "--android", "12345678901234567890"},
       "invalid --android \"12345678901234567890\": expected an Android version such as 14 or 9.0"},
      {{"list", "--branch", "weekly", "--branch", "stable"}, "--branch was given 2 times; give it once"},
      {{"download", "dipper", "--retries", "200"}, "--retries must be a whole number between 0 and 100, not 200"},
      {{"show"}, "show needs a codename or a package name, e.g. xfu show dipper 8.12.7"},
      {{"list", "dipper", "8.12.7"},
       "list takes one CODENAME, not a version; type xfu list dipper --version 8.12.7, or xfu show dipper 8.12.7"},
      {{"show", "dipper", "8.12.7", "extra"},
       "unexpected argument 'extra': xfu show takes [CODENAME|FILENAME] [VERSION] (see xfu show --help)"},
      {{"catalog", "info", "extra"},
       "catalog info takes no arguments; unexpected 'extra' (see xfu catalog info --help)"},
  };
  for (const auto& [args, line] : cases) {
    SCOPED_TRACE(args.empty() ? "(none)" : args.front() + " ...");
    expect_error(small(args), 2, line);
  }
}

TEST_F(Words, HelpAndVersionAsWords) {
  const RunResult help = home.run({"help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out, home.run({"--help"}).out);
  const RunResult list_help = home.run({"help", "list"});
  EXPECT_EQ(list_help.exit_code, 0);
  EXPECT_EQ(list_help.out, home.run({"list", "--help"}).out);
  const std::string version = home.run({"--version"}).out;
  ASSERT_FALSE(version.empty());
  for (const char* spelling : {"version", "-V"}) {
    const RunResult result = home.run({spelling});
    EXPECT_EQ(result.exit_code, 0) << spelling;
    EXPECT_EQ(result.out, version) << spelling;
  }
}

TEST_F(Words, HowToUseVersionIsOneLine) {
  const std::string usage =
      "Usage: xfu version (or xfu -V, xfu --version): Print the versions of xfu, its built-in catalog, libcurl and "
      "OpenSSL\n";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"version", "--help"},
                                               {"version", "-h"},
                                               {"version", "help"},
                                               {"help", "version"},
                                               {"help", "-V"},
                                               {"help", "--version"}}) {
    const RunResult result = home.run(args);
    EXPECT_EQ(result.exit_code, 0) << args.front() << " " << args.back();
    EXPECT_EQ(result.out, usage) << args.front() << " " << args.back();
    EXPECT_EQ(result.err, "");
  }
  EXPECT_NE(home.run({"--help"}).out.find("Print the versions of xfu, its built-in catalog, libcurl and OpenSSL"),
            std::string::npos);
}

TEST_F(Words, HelpAsAValueStaysAValue) {
  expect_error(small({"list", "dipper", "--region", "help"}), 2,
               "invalid --region \"help\": expected china, global, eea, india, russia, indonesia, turkey, taiwan, "
               "japan, korea, singapore");
}

TEST_F(Words, HelpNamesCommandsAndVersionStandsAlone) {
  expect_error(home.run({"help", "lst"}), 2, "unknown command 'lst'; did you mean 'xfu help list'?");
  expect_error(home.run({"help", "catalog", "infoo"}), 2,
               "catalog has no command 'infoo'; did you mean 'xfu help catalog info'?");
  expect_error(home.run({"help", "foo", "bar"}), 2, "unknown command 'foo'; xfu help lists them");
  expect_error(home.run({"help", "list", "dipper"}), 2, "list has no commands under it; type xfu help list");
  expect_error(home.run({"version", "extra"}), 2, "version takes no arguments, not 'extra'; type xfu version");
  expect_error(home.run({"-V", "extra"}), 2, "--version takes no arguments, not 'extra'; type xfu --version");
  EXPECT_EQ(home.run({"--help", "list"}).out, home.run({"list", "--help"}).out);
  EXPECT_EQ(home.run({"help", "catalog", "info"}).out, home.run({"catalog", "info", "--help"}).out);
  // --help before a word and help after a command mean xfu help WORDS.
  expect_error(home.run({"--help", "extra"}), 2, "unknown command 'extra'; xfu help lists them");
  expect_error(home.run({"--offline", "-h", "lst"}), 2, "unknown command 'lst'; did you mean 'xfu help list'?");
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> same_help{
      {{"list", "help"}, {"list", "--help"}},
      {{"catalog", "info", "help"}, {"catalog", "info", "--help"}},
      {{"--offline", "list", "help"}, {"list", "--help"}},
  };
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> more_help{
      {{"help", "help"}, {"--help"}},
      {{"help", "--help"}, {"--help"}},
      {{"list", "dipper", "help"}, {"list", "--help"}},
      {{"show", "dipper", "help"}, {"show", "--help"}},
      {{"show", "dipper", "8.12.7", "help"}, {"show", "--help"}},
      {{"download", "dipper", "help"}, {"download", "--help"}},
  };
  for (const auto& [words, spelled_out] : more_help) same_help.push_back({words, spelled_out});
  for (const auto& [words, spelled_out] : same_help) {
    const RunResult result = home.run(words);
    EXPECT_EQ(result.exit_code, 0) << words.front();
    EXPECT_EQ(result.out, home.run(spelled_out).out) << words.front();
  }
}

TEST_F(Words, FilterValuesAsNarrowTablesPrintThemOrAsCodesWork) {
  // Each list names a device: a list of every device reads the whole built-in catalog, slow under sanitizers.
  const std::string recovery = builtin({"list", "dipper", "--type", "recovery", "--region", "china"}).out;
  ASSERT_FALSE(recovery.empty());
  EXPECT_EQ(builtin({"list", "dipper", "--type", "Rec", "--region", "cn"}).out, recovery);
  EXPECT_EQ(builtin({"list", "dipper", "--type", "recovery", "--region", "chinese"}).out, recovery);
  const std::string eea = builtin({"list", "houji", "--region", "eea", "--limit", "5"}).out;
  ASSERT_FALSE(eea.empty());
  for (const char* europe : {"eu", "europe", "EU"})
    EXPECT_EQ(builtin({"list", "houji", "--region", europe, "--limit", "5"}).out, eea) << europe;
  const std::string global = builtin({"list", "dipper", "--region", "global"}).out;
  ASSERT_FALSE(global.empty());
  EXPECT_EQ(builtin({"list", "dipper", "--region", "mi"}).out, global);
  const std::string beta = builtin({"list", "fuxi", "--branch", "stable-beta", "--limit", "5"}).out;
  ASSERT_FALSE(beta.empty());
  EXPECT_EQ(builtin({"list", "fuxi", "--branch", "S.Beta", "--limit", "5"}).out, beta);
  EXPECT_EQ(builtin({"list", "fuxi", "--branch", "stable-", "--limit", "5"}).out, beta);
  const std::string public_beta = builtin({"list", "fuxi", "--branch", "public-beta", "--limit", "5"}).out;
  ASSERT_FALSE(public_beta.empty());
  for (const char* start : {"p", "pub", "publ"})
    EXPECT_EQ(builtin({"list", "fuxi", "--branch", start, "--limit", "5"}).out, public_beta) << start;
  const std::string stable = builtin({"list", "fuxi", "--branch", "stable", "--limit", "5"}).out;
  for (const char* start : {"s", "st"})
    EXPECT_EQ(builtin({"list", "fuxi", "--branch", start, "--limit", "5"}).out, stable);
  expect_error(builtin({"list", "dipper", "--branch", "beta"}), 2,
               "invalid --branch \"beta\": it may be stable-beta or public-beta; type one of them");
  expect_error(builtin({"list", "dipper", "--type", "recovry"}), 2,
               "invalid --type \"recovry\": did you mean 'recovery'? expected recovery, fastboot");
  expect_error(builtin({"list", "dipper", "--region", "russian"}), 2,
               "invalid --region \"russian\": did you mean 'russia'? expected china, global, eea, india, russia, "
               "indonesia, turkey, taiwan, japan, korea, singapore");
}

TEST_F(Words, AFilterWordWhereACodenameOrVersionGoesSaysWhichFlag) {
  expect_error(builtin({"list", "dipper", "weekly"}), 2,
               "list takes one CODENAME; 'weekly' is a filter: type xfu list dipper --branch weekly");
  expect_error(builtin({"list", "dipper", "cn"}), 2,
               "list takes one CODENAME; 'cn' is a filter: type xfu list dipper --region china");
  expect_error(builtin({"show", "dipper", "weekly"}), 2, "'weekly' is not a version; use --branch weekly instead");
  expect_error(builtin({"show", "dipper", "Rec"}), 2, "'Rec' is not a version; use --type recovery instead");
  expect_error(builtin({"download", "dipper", "fastboot", "--dry-run"}), 2,
               "'fastboot' is not a version; use --type fastboot instead");
  expect_error(builtin({"show", "dipper", "latest"}), 2, "without a VERSION the newest is taken: leave out 'latest'");
  EXPECT_EQ(builtin({"show", "dipper", "8.12.7", "--json"}).exit_code, 0);
  EXPECT_EQ(builtin({"show", "dipper", "V12.0.3.0.QEAMIXM", "--json"}).exit_code, 0);
}

TEST_F(Words, ACatalogThatIsADirectoryOrATypoSaysSo) {
  expect_error(home.run({"--catalog", "builtn", "list", "dipper"}), 6,
               "cannot read catalog builtn: No such file or directory; did you mean --catalog builtin?");
  const std::string dir = home.root().string();
  expect_error(home.run({"--catalog", dir, "list", "dipper"}), 6,
               "cannot read catalog " + dir +
                   ": it is a directory without index.json (a sharded catalog's directory "
                   "has one); --catalog builtin uses the built-in catalog");
  // A URL with a slash missing is neither a file nor a URL.
  expect_error(home.run({"--catalog", "http:/example.com/c.json", "list"}), 2,
               "catalog source http:/example.com/c.json (from --catalog) is neither a file nor a URL; a URL starts "
               "with http:// or https://");
  // A catalog without a single record says so, and what to do.
  const auto empty = home.root() / "empty.json";
  write_text(empty, "[]");
  for (std::vector<std::string> command :
       {std::vector<std::string>{"devices"}, {"devices", "mi 8"}, {"list", "dipper"}, {"show", "dipper"}}) {
    command.insert(command.begin(), {"--catalog", empty.string()});
    expect_error(home.run(command), 5,
                 "catalog " + empty.string() + " holds no ROM records; xfu catalog check " + empty.string() +
                     " says more, and --catalog builtin uses the built-in one");
  }
  expect_error(home.run({"catalog", "check", empty.string()}), 5,
               empty.string() + ": invalid: it holds no ROM records");
  // Versions of unrelated devices are no hint.
  expect_error(small({"list", "--version", "OS9"}), 3,
               "no ROM matches --version OS9; xfu list CODENAME lists a device's versions (xfu devices NAME finds its "
               "codename)");
}

std::vector<std::vector<std::string>> tsv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    std::vector<std::string> fields;
    std::string line = text.substr(pos, end - pos);
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      fields.push_back(line.substr(start, tab - start));
    fields.push_back(line.substr(start));
    rows.push_back(fields);
    pos = end + 1;
  }
  return rows;
}

std::vector<std::string> json_field(const std::string& json, const std::string& name) {
  std::vector<std::string> values;
  const std::string key = "\"" + name + "\": \"";
  for (size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
    const size_t start = at + key.size();
    values.push_back(json.substr(start, json.find('"', start) - start));
  }
  return values;
}

TEST_F(Words, TsvAndJsonSpeakTheFlagsVocabulary) {
  const RunResult tsv = small({"list"});
  const RunResult json = small({"list", "--json"});
  ASSERT_EQ(tsv.exit_code, 0);
  ASSERT_EQ(json.exit_code, 0);
  const auto rows = tsv_rows(tsv.out);
  std::vector<std::string> branches, types, regions;
  for (const auto& row : rows) {
    branches.push_back(row[2]);
    types.push_back(row[3]);
    regions.push_back(row[7]);
  }
  EXPECT_EQ(json_field(json.out, "branch"), branches);
  EXPECT_EQ(json_field(json.out, "type"), types);
  EXPECT_EQ(json_field(json.out, "region"), regions);
  for (const char* branch : {"stable", "stable-beta", "weekly"}) {
    EXPECT_NE(std::find(branches.begin(), branches.end(), branch), branches.end()) << branch;
    // What machine output says can go straight back to the flag.
    const RunResult back = small({"list", "--branch", branch, "--json"});
    for (const auto& value : json_field(back.out, "branch")) EXPECT_EQ(value, branch);
  }
  for (const char* type : {"recovery", "fastboot"})
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  EXPECT_NE(std::find(regions.begin(), regions.end(), "eea"), regions.end());
  EXPECT_EQ(json_field(small({"show", "agate_eea_global", "--json"}).out, "os").front(), "hyperos");
  const RunResult devices = small({"devices", "dipper", "--json"});
  EXPECT_EQ(json_field(devices.out, "region"), (std::vector<std::string>{"china", "global"}));
}

TEST_F(Words, NothingFoundIsExit3InEveryFormat) {
  for (const char* format : {"table", "tsv", "json", "cards"}) {
    const RunResult list = small({"list", "gemini", "--branch", "stable", "--format", format});
    EXPECT_EQ(list.exit_code, 3) << format;
    EXPECT_EQ(list.out, std::string(format) == "json" ? "[]\n" : "") << format;
    EXPECT_EQ(list.err, "xfu: no gemini ROM matches --branch stable; gemini has ROMs with --branch weekly\n");
  }
  for (const char* format : {"table", "tsv", "json"}) {
    const RunResult devices = small({"devices", "zzz", "--format", format});
    EXPECT_EQ(devices.exit_code, 3) << format;
    EXPECT_EQ(devices.out, std::string(format) == "json" ? "[]\n" : "") << format;
    EXPECT_EQ(devices.err, "xfu: no device matches \"zzz\"; xfu devices lists them all\n");
  }
  const RunResult show = small({"show", "gemini", "--branch", "stable", "--json"});
  EXPECT_EQ(show.exit_code, 3);
  const RunResult header = small({"list", "gemini", "--branch", "stable", "--header"});
  EXPECT_EQ(header.exit_code, 3);
  EXPECT_EQ(header.out, "device\tversion\tbranch\ttype\tandroid\tsize\tdate\tregion\tvariant\tfilename\tmd5\tlink\n");
}

TEST_F(Words, ALimitBeyondAnyCatalogIsNoLimit) {
  const RunResult all = small({"list", "dipper"});
  const RunResult huge = small({"list", "dipper", "--limit", "99999999999999999999999"});
  EXPECT_EQ(huge.exit_code, 0) << huge.err;
  EXPECT_EQ(huge.out, all.out);
  expect_error(small({"list", "dipper", "--limit", "-1"}), 2,
               "--limit must be a whole number of at least 1, not \"-1\"");
  expect_error(home.run({"verify", "--print"}), 2, "--print needs at least one FILE to print the MD5 of");
}

TEST_F(Words, NoDeadEnds) {
  expect_error(small({"show", "dipper", "8.12.7", "--branch", "stable"}), 3,
               "no dipper ROM matches --branch stable --version 8.12.7; 8.12.7 exists with --branch weekly");
  // Other versions are named only when nothing but the version stands in the way.
  expect_error(small({"show", "dipper", "8.12.7", "--android", "10"}), 3,
               "no dipper ROM matches --version 8.12.7 --android 10; 8.12.7 exists with --android 9.0");
  expect_error(small({"list", "dipper", "--region", "eea"}), 3,
               "no dipper ROM matches --region eea; dipper has ROMs with --region china or global");
  expect_error(small({"list", "dipper", "--since", "2025-01-01"}), 3,
               "no dipper ROM matches --since 2025-01-01; dipper has ROMs with --since 2018-12-10");
}

TEST_F(Words, DevicesAndListShareOneForgivingMatcher) {
  // A typo, a brand with spaces, another case (the unit tests take the matcher through every rule).
  for (const char* query : {"dippr", "xiaomi mi 8", "MI 8"}) {
    const RunResult devices = builtin({"devices", query});
    EXPECT_EQ(devices.exit_code, 0) << query << devices.err;
    EXPECT_EQ(devices.out.rfind("dipper\t", 0), 0u) << query << devices.out;
  }
  EXPECT_EQ(builtin({"list", "dippr"}).err, "xfu: unknown codename \"dippr\"; did you mean dipper (Mi 8)?\n");
  EXPECT_EQ(builtin({"list", "xiaomi mi 8"}).err,
            "xfu: unknown codename \"xiaomi mi 8\"; did you mean dipper (Mi 8)?\n");
}

// Each `devices` query reads the whole built-in catalog: the cases are split so that none nears the timeout under
// sanitizers.
TEST_F(Words, ListSuggestsVariantsAndRegions) {
  // A region in the name names the variant.
  EXPECT_EQ(builtin({"list", "Mi 8 Global"}).err,
            "xfu: unknown codename \"Mi 8 Global\"; did you mean dipper_global (Mi 8 Global)?\n");
  // A variant mistyped, or one the device does not have, and two devices by one name.
  EXPECT_EQ(builtin({"list", "dipper_globl"}).err,
            "xfu: unknown codename \"dipper_globl\"; did you mean dipper_global?\n");
  EXPECT_EQ(builtin({"list", "dipper_eea_global"}).err,
            "xfu: unknown codename \"dipper_eea_global\"; dipper's variants are dipper, dipper_global, "
            "dipper_ru_global\n");
  EXPECT_EQ(builtin({"list", "redmi note 8 pro"}).err,
            "xfu: unknown codename \"redmi note 8 pro\"; did you mean begonia (Redmi Note 8 Pro), begoniain (Redmi "
            "Note 8 Pro India)?\n");
}

TEST_F(Words, DevicesRanksTheClosestFirst) {
  // A typo finds every variant of the device; a typo of a variant finds it.
  const auto codenames = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--format", "tsv"});
    std::vector<std::string> out;
    for (const std::string& line : split(builtin(args).out, '\n'))
      if (!line.empty()) out.push_back(line.substr(0, line.find('\t')));
    return out;
  };
  EXPECT_EQ(codenames({"devices", "dipperr"}),
            (std::vector<std::string>{"dipper", "dipper_global", "dipper_ru_global"}));
  EXPECT_EQ(codenames({"devices", "dipper_globall"}), (std::vector<std::string>{"dipper_global"}));
  // The device named first, then those whose name it starts; never a later word of another brand's name.
  const std::vector<std::string> fourteen = codenames({"devices", "xiaomi 14"});
  ASSERT_FALSE(fourteen.empty());
  EXPECT_EQ(fourteen.front(), "houji");
  EXPECT_EQ(codenames({"devices", "note 8"}).front(), "ginkgo");  // Redmi Note 8 before Redmi Note 8 Pro
  for (const std::string& codename : fourteen) EXPECT_EQ(codename.find("amethyst"), std::string::npos) << codename;
}

TEST_F(Words, ShowTakesAPathOrALinkToARom) {
  const std::string name = "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip";
  const RunResult by_name = small({"show", name});
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
  TempDir dir;
  for (const std::string& target : {"./" + name, (dir / name).string(), "https://bigota.d.miui.com/8.12.7/" + name,
                                    "https://bigota.d.miui.com/8.12.7/" + name + "?from=browser"}) {
    const RunResult result = small({"show", target});
    EXPECT_EQ(result.exit_code, 0) << target << result.err;
    EXPECT_EQ(result.out, by_name.out) << target;
  }
  expect_error(small({"show", "./miui_NOSUCH_1.0.zip"}), 3,
               "no ROM in the catalog has the package name \"miui_NOSUCH_1.0.zip\"; xfu list CODENAME shows a "
               "device's package names");
  // Percent-encoded as a browser may copy it.
  const RunResult encoded = small(
      {"show", "https://bigota.d.miui.com/8.12.7/miui%5FMI8Global_8.12.7_c18aad4fc4_9.0.zip"});
  EXPECT_EQ(encoded.exit_code, 0) << encoded.err;
  EXPECT_EQ(encoded.out, by_name.out);
  expect_error(small({"show", "https://bigota.d.miui.com/8.12.7/"}), 2,
               "\"https://bigota.d.miui.com/8.12.7/\" names no file: give a ROM's package name, e.g. "
               "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip, or its download link");
}

TEST_F(Words, APackageNameExcludedByAFilterIsSaidToExist) {
  const std::string name = "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip";
  for (const std::string& target : {name, "https://bigota.d.miui.com/8.12.7/" + name})
    expect_error(small({"show", target, "--branch", "stable"}), 3,
                 name + " is a weekly recovery ROM of dipper_global, which --branch stable excludes; a package name "
                        "needs no filters");
  expect_error(small({"show", name, "8.12.7"}), 2,
               "a package name names one file and takes no VERSION: type xfu show " + name +
                   ", or xfu show CODENAME 8.12.7");
}

TEST_F(Words, NothingFoundPrintsEmptyJsonAndTheHeaderEvenForAnUnknownCodename) {
  for (const char* codename : {"nosuchdev", "dippr"}) {
    const RunResult json = small({"list", codename, "--json"});
    EXPECT_EQ(json.exit_code, 3) << codename;
    EXPECT_EQ(json.out, "[]\n") << codename;
    const RunResult tsv = small({"list", codename, "--format", "tsv", "--header"});
    EXPECT_EQ(tsv.exit_code, 3) << codename;
    EXPECT_EQ(tsv.out.rfind("device\tversion\t", 0), 0u) << codename;
  }
  for (const std::vector<std::string>& args : {std::vector<std::string>{"show", "dipper", "99.9", "--json"},
                                               {"show", "dipper", "--branch", "public-beta", "--json"},
                                               {"show", "nothing.zip", "--json"},
                                               {"show", "nosuchdev", "--json"}}) {
    const RunResult show = small(args);
    EXPECT_EQ(show.exit_code, 3) << args[1] << show.err;
    EXPECT_EQ(show.out, "[]\n") << args[1];
  }
}

TEST_F(Words, AnEmptyValueIsAUsageError) {
  expect_error(small({"show", ""}), 2, "CODENAME|FILENAME needs a value, not an empty one");
  expect_error(small({"show", "", "8.12.7"}), 2, "CODENAME|FILENAME needs a value, not an empty one");
  expect_error(small({"list", ""}), 2, "CODENAME needs a value, not an empty one");
  expect_error(
      small({"list", "--region", ""}), 2,
      "--region needs a value, not an empty one: china, global, eea, india, russia, indonesia, turkey, taiwan, japan, "
      "korea, singapore");
  expect_error(small({"list", "--version", ""}), 2,
               "--version needs a value, not an empty one: Exact version, or a prefix such as V14 or OS2");
  expect_error(small({"list", "--android", ""}), 2,
               "--android needs a value, not an empty one: Android version, or a prefix: 9.0, 14");
  expect_error(small({"list", "--type", ""}), 2, "--type needs a value, not an empty one: recovery or fastboot");
  expect_error(small({"list", "---branch"}), 2, "unknown option '---branch' (see xfu --help)");
  const RunResult catalog = home.run({"--catalog", "", "list", "dipper"});
  EXPECT_EQ(catalog.exit_code, 2) << catalog.err;
  EXPECT_EQ(catalog.err.rfind("xfu: --catalog needs a value, not an empty one: ", 0), 0u) << catalog.err;
}

TEST_F(Words, OptionsSaidInTheWrongPlaceOrWithoutAValue) {
  expect_error(small({"--branch", "stable", "list", "dipper"}), 2,
               "--branch goes after the command: xfu list dipper --branch stable");
  expect_error(small({"--json", "list"}), 2, "--json goes after the command: xfu list --json");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"list", "--version"},
                                               {"show", "dipper", "--version"},
                                               {"list", "dipper", "--version="}})
    expect_error(small(args), 2,
                 "--version needs a value: Exact version, or a prefix such as V14 or OS2; xfu --version prints xfu's "
                 "own version");
}

TEST_F(Words, MisspeltOptionsGetNoWrongGuess) {
  expect_error(small({"list", "-b", "stable"}), 2, "unknown option '-b' for xfu list (see xfu list --help)");
  expect_error(small({"show", "dipper", "-x"}), 2, "unknown option '-x' for xfu show (see xfu show --help)");
  for (const char* format : {"cards", "table", "tsv"})
    expect_error(small({"list", "dipper", "--" + std::string(format)}), 2,
                 "unknown option '--" + std::string(format) + "' for xfu list; did you mean --format " + format + "?");
  expect_error(small({"devices", "--tsv"}), 2, "unknown option '--tsv' for xfu devices; did you mean --format tsv?");
  for (const char* json : {"--json=banana", "--json=no", "--json=0"})
    expect_error(small({"list", "dipper", json}), 2, "--json takes no value");
  expect_error(small({"list", "dipper", "--latest=false"}), 2, "--latest takes no value");
  expect_error(small({"--offline=yes", "list", "dipper"}), 2, "--offline takes no value");
}

TEST_F(Words, ContradictoryOutputOptionsAreUsageErrors) {
  expect_error(small({"list", "--json", "--format", "tsv"}), 2,
               "--format cannot be combined with --json; drop one of them");
  expect_error(small({"list", "--json", "--header"}), 2, "--header is for tsv output; drop --header or --json");
  expect_error(small({"list", "--format", "table", "--header"}), 2,
               "--header is for tsv output; drop --header or --format table");
  const RunResult header = small({"list", "dipper", "--header"});
  EXPECT_EQ(header.exit_code, 0);
  EXPECT_EQ(header.out.rfind("device\tversion\t", 0), 0u);
}

TEST_F(Words, CommandsUsersReachForAtTheTop) {
  expect_error(small({"versoin"}), 2, "unknown command 'versoin'; did you mean 'version'?");
  expect_error(small({"hlep"}), 2, "unknown command 'hlep'; did you mean 'help'?");
  expect_error(small({"info"}), 2, "unknown command 'info'; did you mean 'xfu catalog info'?");
  expect_error(small({"update"}), 2, "unknown command 'update'; did you mean 'xfu catalog update'?");
}

}  // namespace
}  // namespace xfu::test
