// xfu list and xfu devices: formats, golden output, ordering, filters,
// sanitising and terminal detection.
#include <gtest/gtest.h>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

std::vector<std::string> column(const std::string& tsv, size_t index) {
  std::vector<std::string> values;
  for (const auto& line : lines_of(tsv)) {
    size_t start = 0;
    for (size_t i = 0; i < index; ++i) start = line.find('\t', start) + 1;
    values.push_back(line.substr(start, line.find('\t', start) - start));
  }
  return values;
}

class List : public ::testing::Test {
 protected:
  XfuHome home;
  RunResult small(std::vector<std::string> args) {
    args.insert(args.begin(), {"--catalog", fixture("catalog-small.json").string()});
    return home.run(args);
  }
  RunResult builtin(std::vector<std::string> args) {
    args.insert(args.begin(), {"--catalog", "builtin"});
    return home.run(args);
  }
};

TEST_F(List, TsvGolden) {
  const RunResult result = small({"list", "--header"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_text(fixture("golden/list-small.tsv")));
}

TEST_F(List, TableGolden) {
  home.env["COLUMNS"] = "100";
  const RunResult result = small({"list", "--format", "table"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_text(fixture("golden/list-small-table.txt")));
}

// Android leaves first; the device names stay whole, so China and Global rows
// no longer read the same.
TEST_F(List, NarrowTableLeavesOutAndroidFirst) {
  home.env["COLUMNS"] = "70";
  const RunResult result = small({"list", "cancro", "--format", "table"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_text(fixture("golden/list-cancro-narrow.txt")));
  for (const auto& line : lines_of(result.out)) {
    size_t width = 0;
    for (unsigned char c : line) width += (c & 0xC0) != 0x80;
    EXPECT_LE(width, 70u) << line;
  }
}

TEST_F(List, CardsFormatMatchesShow) {
  home.env["COLUMNS"] = "100";
  const RunResult listed = small({"list", "dipper", "--version", "8.12.7", "--format", "cards"});
  const RunResult shown = small({"show", "dipper", "8.12.7"});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_EQ(listed.out, shown.out);
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n') > 40, true);
}

TEST_F(List, CutTheVersionColumn) {
  const RunResult result = small({"list", "dipper", "--branch", "weekly"});
  EXPECT_EQ(column(result.out, 1), (std::vector<std::string>{"8.12.7", "8.12.7", "8.12.7", "8.12.7"}));
  EXPECT_EQ(column(result.out, 11)[0],
            "http://bigota.d.miui.com/8.12.7/dipper_images_8.12.7_20181207.0000.00_9.0_cn_d96ca0c952.tgz");
}

TEST_F(List, OrderIsDateThenVersionThenDevice) {
  const auto path = home.root() / "order.json";
  std::string records;
  const auto record = [&](const char* device, const char* version, const char* date) {
    records += std::string(records.empty() ? "" : ",") + R"({"codename": "x", "device": ")" + device +
               R"(", "version": ")" + version + R"(", "branch": "Stable", "type": "Recovery", "date": ")" + date +
               R"(", "link": "https://h/)" + version + device + ".zip\"}";
  };
  record("B", "V12.5.9.0.A", "2021-01-01");
  record("B", "V12.5.10.0.A", "2021-01-01");
  record("A", "V14.0.30.0.A", "2021-01-01");
  record("A", "OS2.0.1.0.A", "2021-01-01");
  record("A", "20.1.16", "2020-01-16");
  record("A", "9.12.26", "2020-01-16");
  record("A", "V12.5.10.0.A", "2021-01-01");
  record("A", "1.0", "2022-05-01");
  write_text(path, "[" + records + "]");
  const RunResult result = home.run({"--catalog", path.string(), "list"});
  EXPECT_EQ(column(result.out, 1), (std::vector<std::string>{"1.0", "OS2.0.1.0.A", "V14.0.30.0.A", "V12.5.10.0.A",
                                                             "V12.5.10.0.A", "V12.5.9.0.A", "20.1.16", "9.12.26"}));
  EXPECT_EQ(column(result.out, 0)[3], "A");
  EXPECT_EQ(column(result.out, 0)[4], "B");
}

TEST_F(List, FiltersCombineAndIgnoreCase) {
  EXPECT_EQ(lines_of(small({"list", "--branch", "Stable Beta"}).out).size(), 1u);
  EXPECT_EQ(lines_of(small({"list", "--branch", "STABLE-BETA"}).out).size(), 1u);
  EXPECT_EQ(lines_of(small({"list", "dipper", "--type", "FASTBOOT"}).out).size(), 5u);
  EXPECT_EQ(lines_of(small({"list", "--region", "GLOBAL", "--type", "recovery"}).out).size(), 7u);
  EXPECT_EQ(lines_of(small({"list", "--region", "eea"}).out).size(), 3u);
  EXPECT_EQ(lines_of(small({"list", "--version", "V9"}).out).size(), 3u);
  EXPECT_EQ(lines_of(small({"list", "--version", "OS1"}).out).size(), 2u);
  EXPECT_EQ(lines_of(small({"list", "--version", "8.12.7"}).out).size(), 4u);
  EXPECT_EQ(lines_of(small({"list", "--version", "8.12"}).out).size(), 4u);
  EXPECT_EQ(lines_of(small({"list", "--version", "8.1"}).out).size(), 0u);
  EXPECT_EQ(lines_of(small({"list", "--android", "14"}).out).size(), 2u);
  EXPECT_EQ(lines_of(small({"list", "--since", "2018-01-01", "--until", "2018-12-31"}).out).size(), 7u);
  EXPECT_EQ(lines_of(small({"list", "dipper_global"}).out).size(), 2u);
  EXPECT_EQ(lines_of(small({"list", "DIPPER"}).out).size(), 7u);
  EXPECT_EQ(lines_of(small({"list", "--limit", "3"}).out).size(), 3u);
  const RunResult latest = small({"list", "dipper", "--latest"});
  EXPECT_EQ(column(latest.out, 1),
            (std::vector<std::string>{"8.12.7", "8.12.7", "8.12.7", "8.12.7", "V9.6.7.0.OEACNFD"}));
}

TEST_F(List, NoMatchIsEmptyAndExit3) {
  const RunResult result = small({"list", "dipper", "--branch", "public-beta"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "xfu: no dipper ROM matches --branch public-beta; dipper has ROMs with --branch stable or weekly\n");
  const RunResult json = small({"list", "dipper", "--branch", "public-beta", "--json"});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_EQ(json.out, "[]\n");
}

TEST_F(List, UnknownCodenameSuggests) {
  const RunResult typo = builtin({"list", "dipepr"});
  EXPECT_EQ(typo.exit_code, 3);
  EXPECT_EQ(typo.err, "xfu: unknown codename \"dipepr\"; did you mean dipper (Mi 8)?\n");
  EXPECT_EQ(builtin({"list", "mi8"}).err, "xfu: unknown codename \"mi8\"; did you mean dipper (Mi 8)?\n");
  EXPECT_EQ(builtin({"list", "zzzzzzzz"}).err,
            "xfu: unknown codename \"zzzzzzzz\"; xfu devices NAME finds a codename by device name\n");
}

TEST_F(List, JsonRecordsAreNormalised) {
  const RunResult result = small({"list", "capricorn_global", "--type", "fastboot", "--json"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_text(fixture("golden/list-capricorn.json")));
}

TEST_F(List, HostileTextIsPrintedHarmlessly) {
  const std::string hostile = fixture("hostile.json").string();
  home.env["COLUMNS"] = "100";
  for (const char* format : {"table", "tsv", "cards", "json"}) {
    const RunResult result = home.run({"--catalog", hostile, "--no-color", "list", "--format", format});
    EXPECT_EQ(result.exit_code, 0) << format << result.err;
    // The C1 CSI in the link is shown escaped, never sent to the terminal.
    EXPECT_EQ(result.err, "xfu: warning: skipped 1 invalid catalog record (first: record 3: link is not an http(s) "
                          "URL: \"https://m.example/evil\\u009b31m.zip\")\n");
    for (unsigned char c : result.out)
      EXPECT_TRUE(c >= 0x20 || c == '\n' || (c == '\t' && std::string(format) == "tsv")) << format << int(c);
    EXPECT_EQ(result.out.find("\xc2\x9b"), std::string::npos) << format;
    EXPECT_NE(result.out.find("Evil"), std::string::npos) << format;
  }
  const RunResult cards = home.run({"--catalog", hostile, "show", "evil", "1.0"});
  EXPECT_NE(cards.out.find("Evil Phone Global"), std::string::npos) << cards.out;
  EXPECT_NE(cards.out.find("[System]"), std::string::npos) << cards.out;
  EXPECT_NE(cards.out.find("Fix done"), std::string::npos) << cards.out;
}

TEST_F(List, WideCharactersAreMeasuredInColumns) {
  home.env["COLUMNS"] = "100";
  const RunResult result = home.run({"--catalog", fixture("hostile.json").string(), "list", "--format", "table"});
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u);
  // "Evil 小米 Phone" takes 14 columns, not its 17 bytes or 12 characters.
  EXPECT_EQ(lines[1], "Evil \u5c0f\u7c73 Phone    2.0      Weekly  Fastboot                   2020-02-01");
  EXPECT_EQ(lines[2], "Evil Phone Global  1.0      Stable  Recovery  9.0      1.0 GB  2020-01-01");
}

TEST_F(List, DevicesSearch) {
  const RunResult result = builtin({"devices", "mi 8"});
  EXPECT_EQ(result.exit_code, 0);
  const auto variants = column(result.out, 0);
  EXPECT_EQ(variants[0], "dipper");
  EXPECT_EQ(variants[1], "dipper_global");
  EXPECT_EQ(std::count(variants.begin(), variants.end(), "lavender"), 0);  // Redmi Note 7 is not a Mi 8
  EXPECT_EQ(lines_of(result.out)[0], "dipper\tMi 8 China\tchina\t217\tV12.5.2.0.QEACNXM\t-\t20.9.4\t-");
  EXPECT_EQ(column(builtin({"devices", "Dipper"}).out, 0),
            (std::vector<std::string>{"dipper", "dipper_global", "dipper_ru_global"}));
  const RunResult json = builtin({"devices", "dipper_ru", "--json"});
  EXPECT_EQ(json.out, "[\n  {\n    \"codename\": \"dipper\",\n    \"variant\": \"dipper_ru_global\",\n    \"device\": "
                      "\"Mi 8 Russia\",\n    \"region\": \"russia\",\n    \"roms\": 19,\n    \"newest\": {\n      "
                      "\"stable\": \"V12.0.2.0.QEARUXM\"\n    }\n  }\n]\n");
  EXPECT_EQ(builtin({"devices", "no such phone"}).exit_code, 3);
}

// Runs xfu under a pseudo-terminal (util-linux script) and returns what it printed.
std::string on_terminal(XfuHome& home, const std::string& args) {
  const std::string command = std::string(XFU_BINARY) + " --catalog builtin " + args;
  const RunResult result = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env);
  return result.out;
}

TEST_F(List, TerminalGetsAColouredTablePipeGetsTsv) {
  home.env["COLUMNS"] = "100";
  home.env["TERM"] = "xterm";
  const std::string table = on_terminal(home, "list dipper --branch weekly --limit 2");
  EXPECT_EQ(table.rfind("\x1b[1mDevice\x1b[0m", 0), 0u) << table;
  EXPECT_NE(table.find("\x1b[33mWeekly\x1b[0m"), std::string::npos) << table;
  EXPECT_EQ(table.find('\t'), std::string::npos);

  home.env["NO_COLOR"] = "1";
  const std::string plain = on_terminal(home, "list dipper --branch weekly --limit 2");
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  EXPECT_EQ(plain.rfind("Device", 0), 0u) << plain;
  home.env.erase("NO_COLOR");
  EXPECT_EQ(on_terminal(home, "--no-color list dipper --limit 1").find('\x1b'), std::string::npos);

  const RunResult piped = builtin({"list", "dipper", "--branch", "weekly", "--limit", "2"});
  EXPECT_EQ(piped.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(std::count(piped.out.begin(), piped.out.end(), '\t'), 22);
}

TEST_F(List, NoMatchOnATerminalSaysWhatExists) {
  home.env["TERM"] = "xterm";
  const std::string out = on_terminal(home, "list dipper --branch public-beta");
  EXPECT_NE(out.find("xfu: no dipper ROM matches --branch public-beta; dipper has ROMs with --branch stable"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace xfu::test
