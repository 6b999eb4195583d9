// What people see in real terminals and pagers: tables and cards that fit
// from 40 to 200 columns, URLs and file names that stay whole, colour and
// terminal hyperlinks only where they belong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

using nlohmann::json;

// `line` without its escape sequences (CSI ... final byte, OSC ... ST or BEL).
std::string without_escapes(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\x1b') {
      out += line[i];
    } else if (i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && !(line[i] >= 0x40 && line[i] <= 0x7e)) ++i;
    } else if (i + 1 < line.size() && line[i + 1] == ']') {
      while (i < line.size() && line[i] != '\a' && !(line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '\\'))
        ++i;
      if (i < line.size() && line[i] == '\x1b') ++i;
    }
  }
  return out;
}

// Display columns of a line that holds no wide characters: its code points.
size_t columns_of(const std::string& line) {
  size_t width = 0;
  for (unsigned char c : without_escapes(line)) width += (c & 0xC0) != 0x80;
  return width;
}

class Terminal : public ::testing::Test {
 protected:
  XfuHome home;
  void SetUp() override {
    home.env["TERM"] = "xterm-256color";
    home.env["LANG"] = "C.UTF-8";
  }
  // xfu in a pseudo-terminal `columns` wide (util-linux script; stty sets
  // the window size xfu reads), its output without the pty's "\r".
  std::string on_terminal(size_t columns, const std::string& args) {
    const std::string command = "stty cols " + std::to_string(columns) + " rows 50; " + XFU_BINARY +
                                " --catalog builtin " + args;
    const RunResult result = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env);
    EXPECT_EQ(result.exit_code, 0) << result.out;
    std::string out;
    for (char c : result.out)
      if (c != '\r') out += c;
    return out;
  }
  RunResult piped(std::vector<std::string> args) {
    args.insert(args.begin(), {"--catalog", "builtin"});
    return home.run(args);
  }
};

TEST_F(Terminal, ListFitsEveryWidthAndRowsStayApart) {
  const auto records = json::parse(piped({"list", "dipper", "--json"}).out);
  std::set<std::string> versions;
  for (const auto& record : records) versions.insert(record["version"].get<std::string>());
  const size_t distinct_wide = [&] {
    const auto lines = lines_of(on_terminal(200, "list dipper"));
    return std::set<std::string>(lines.begin(), lines.end()).size();
  }();
  for (size_t columns : {40, 60, 80, 200}) {
    SCOPED_TRACE(columns);
    const auto lines = lines_of(on_terminal(columns, "list dipper"));
    ASSERT_EQ(lines.size(), records.size() + 1);
    for (const auto& line : lines) EXPECT_LE(columns_of(line), columns) << line;
    EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), distinct_wide);
    std::set<std::string> shown;
    for (const auto& line : lines) {
      const std::string plain = without_escapes(line);
      for (const auto& version : versions)
        if (plain.find(" " + version + " ") != std::string::npos) shown.insert(version);
    }
    EXPECT_EQ(shown, versions);  // never cut
  }
  // At 40 columns, the region (in the cut variant codename: "dipper_ru\u2026"), branch and type are still there.
  const std::string narrow = without_escapes(on_terminal(40, "list dipper --branch stable --limit 40"));
  for (const char* part : {"dipper_gl\u2026 ", "dipper_ru\u2026 ", " China ", "Stable ", "Fast", "Rec"})
    EXPECT_NE(narrow.find(part), std::string::npos) << part << "\n" << narrow;
}

TEST_F(Terminal, LongDeviceNamesGiveWayToTheirCodenameAndRegion) {
  const auto path = home.root() / "long.json";
  std::string records;
  for (const char* region : {"Global", "EEA", "India"})
    records += std::string(records.empty() ? "" : ",") +
               R"({"codename": "x", "device": "Redmi Note 13 Pro+ 5G Extra Long Edition )" + region +
               R"(", "region": ")" + region +
               R"(", "version": "OS1.0.12.0.UNOMIXM", "android": "14.0", "branch": "Stable Beta", "type": "Fastboot",
               "size": "6.2 GB", "date": "2024-05-01", "link": "https://h.example/)" +
               region + ".tgz\"}";
  write_text(path, R"({"schema": "xfu-catalog/1", "roms": [)" + records + "]}");
  for (size_t columns : {40, 60, 80}) {
    home.env["COLUMNS"] = std::to_string(columns);
    const RunResult result = home.run({"--catalog", path.string(), "list", "--format", "table"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto lines = lines_of(result.out);
    ASSERT_EQ(lines.size(), 4u);
    for (const auto& line : lines) EXPECT_LE(columns_of(line), columns) << line;
    for (const char* region : {"Global", "EEA", "India"}) {
      const std::string cut = std::string(" ") + region + " ";  // whole, or as "x Global"
      EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                              [&](const std::string& line) { return line.find(cut) != std::string::npos; }),
                1)
          << region << "\n"
          << result.out;
    }
    for (size_t i = 1; i < 4; ++i) EXPECT_NE(lines[i].find("OS1.0.12.0.UNOMIXM"), std::string::npos) << result.out;
  }
}

TEST_F(Terminal, DevicesFitsEveryWidthAndKeepsTheCodename) {
  const auto devices = json::parse(piped({"devices", "--json"}).out);
  for (size_t columns : {40, 60, 80, 200}) {
    SCOPED_TRACE(columns);
    const auto lines = lines_of(on_terminal(columns, "devices"));
    ASSERT_EQ(lines.size(), devices.size() + 1);
    for (const auto& line : lines) EXPECT_LE(columns_of(line), columns) << line;
    for (size_t i = 0; i < devices.size(); ++i) {
      const std::string plain = without_escapes(lines[i + 1]);
      EXPECT_EQ(plain.substr(0, plain.find(' ')), devices[i]["variant"].get<std::string>());
    }
  }
}

// Card lines wider than the terminal must be a label and one whole value
// (URL, package name, MD5), without a border after it.
void expect_card_lines_fit(const std::string& out, size_t columns, const std::set<std::string>& whole_values) {
  for (const auto& raw : lines_of(out)) {
    const std::string line = without_escapes(raw);
    if (columns_of(line) <= columns) continue;
    const std::string value = line.substr(line.find_last_of(' ') + 1);
    EXPECT_TRUE(whole_values.count(value)) << "too wide and not a whole value: " << line;
    static const std::regex label("(\u2502|\\|) ([A-Za-z0-9 ]+:)? *");
    EXPECT_TRUE(std::regex_match(line.substr(0, line.size() - value.size()), label)) << line;
  }
}

std::set<std::string> whole_values_of(const json& records) {
  std::set<std::string> values;
  for (const auto& record : records) {
    for (const char* key : {"filename", "md5", "link", "incremental"})
      if (record.contains(key) && record[key].is_string()) values.insert(record[key].get<std::string>());
    if (record.contains("mirrors"))
      for (const auto& mirror : record["mirrors"]) values.insert(mirror.get<std::string>());
  }
  values.erase("");
  return values;
}

TEST_F(Terminal, CardsFitAndEveryUrlAndFileNameIsWholeOnOneLine) {
  const auto records = json::parse(piped({"show", "dipper", "--json"}).out);
  const auto whole = whole_values_of(records);
  ASSERT_GT(whole.size(), 8u);
  for (size_t columns : {40, 60, 80, 200}) {
    SCOPED_TRACE(columns);
    const std::string out = on_terminal(columns, "--color never show dipper");
    expect_card_lines_fit(out, columns, whole);
    for (const auto& value : whole) {
      bool alone = false;
      for (const auto& line : lines_of(out)) {
        const auto at = line.find(value);
        alone = alone ||
                (at != std::string::npos && line.find_first_not_of(" \u2502", at + value.size()) == std::string::npos);
      }
      EXPECT_TRUE(alone) << value;
    }
  }
}

TEST_F(Terminal, PipedCardsHonourColumnsAndIgnoreInvalidValues) {
  const auto whole = whole_values_of(json::parse(piped({"show", "dipper", "8.12.7", "--json"}).out));
  home.env["COLUMNS"] = "50";
  const RunResult narrow = piped({"show", "dipper", "8.12.7"});
  ASSERT_EQ(narrow.exit_code, 0);
  EXPECT_EQ(columns_of(lines_of(narrow.out)[0]), 50u);
  expect_card_lines_fit(narrow.out, 50, whole);
  for (const char* invalid : {"abc", "0", "-40", "50x", ""}) {
    home.env["COLUMNS"] = invalid;
    const RunResult result = piped({"show", "dipper", "8.12.7"});
    ASSERT_EQ(result.exit_code, 0);
    EXPECT_EQ(columns_of(lines_of(result.out)[0]), 80u) << invalid;  // the default
  }
}

TEST_F(Terminal, AnEmptyNoColorLeavesColourOn) {
  home.env["NO_COLOR"] = "";
  EXPECT_NE(on_terminal(80, "list dipper --limit 1").find("\x1b[1mDevice\x1b[0m"), std::string::npos);
  home.env["NO_COLOR"] = "1";
  EXPECT_EQ(on_terminal(80, "list dipper --limit 1").find('\x1b'), std::string::npos);
  EXPECT_NE(on_terminal(80, "--color always list dipper --limit 1").find("\x1b[1m"), std::string::npos);
}

TEST_F(Terminal, ColourForcedIntoAPipeButNeverIntoTsvOrJson) {
  for (const auto& force :
       std::vector<std::pair<std::string, std::string>>{{"--color=always", ""}, {"", "1"}, {"", "yes"}}) {
    SCOPED_TRACE(force.first + " CLICOLOR_FORCE=" + force.second);
    if (!force.second.empty()) home.env["CLICOLOR_FORCE"] = force.second;
    std::vector<std::string> global;
    if (!force.first.empty()) global.push_back(force.first);
    const auto run = [&](std::vector<std::string> args) {
      args.insert(args.begin(), global.begin(), global.end());
      return piped(args);
    };
    EXPECT_NE(run({"list", "dipper", "--format", "table", "--limit", "2"}).out.find("\x1b[1mDevice\x1b[0m"),
              std::string::npos);
    EXPECT_NE(run({"show", "dipper", "8.12.7"}).out.find("\x1b[1mDevice:\x1b[0m"), std::string::npos);
    EXPECT_NE(run({"devices", "dipper", "--format", "table"}).out.find("\x1b[1m"), std::string::npos);
    for (const auto& machine : std::vector<std::vector<std::string>>{{"list", "dipper"},
                                                                     {"list", "dipper", "--json"},
                                                                     {"devices", "dipper"},
                                                                     {"show", "dipper", "8.12.7", "--json"}})
      EXPECT_EQ(run(machine).out.find('\x1b'), std::string::npos) << machine.back();
    EXPECT_EQ(run({"show", "dipper", "8.12.7"}).out.find("\x1b]8"), std::string::npos);  // no links in a pipe
    home.env.erase("CLICOLOR_FORCE");
  }
}

TEST_F(Terminal, TheFlagBeatsNoColorWhichBeatsClicolorForce) {
  home.env["CLICOLOR_FORCE"] = "1";
  home.env["NO_COLOR"] = "1";
  const std::vector<std::string> table{"list", "dipper", "--format", "table", "--limit", "1"};
  EXPECT_EQ(piped(table).out.find('\x1b'), std::string::npos);
  std::vector<std::string> forced = table;
  forced.insert(forced.begin(), "--color=always");
  EXPECT_NE(piped(forced).out.find("\x1b[1m"), std::string::npos);
  home.env.erase("NO_COLOR");
  home.env["CLICOLOR_FORCE"] = "0";
  EXPECT_EQ(piped(table).out.find('\x1b'), std::string::npos);
  home.env["CLICOLOR_FORCE"] = "1";
  EXPECT_EQ(on_terminal(80, "--color never list dipper --limit 1").find('\x1b'), std::string::npos);
  EXPECT_EQ(on_terminal(80, "--no-color list dipper --limit 1").find('\x1b'), std::string::npos);

  const RunResult bad = piped({"--color", "sometimes", "list", "dipper"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--color"), std::string::npos) << bad.err;
  EXPECT_EQ(piped({"--no-color", "--color=always", "list", "dipper"}).exit_code, 2);
}

TEST_F(Terminal, HyperlinksOnlyOnATerminalThatTakesThem) {
  const std::string link = "\x1b]8;;https://bigota.d.miui.com/8.12.7/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip\x1b\\";
  const std::string card = on_terminal(120, "show dipper 8.12.7 --region global --type recovery");
  EXPECT_NE(card.find(link + "https://bigota.d.miui.com/8.12.7/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"),
            std::string::npos)
      << card;
  EXPECT_NE(card.find("9.0.zip\x1b]8;;\x1b\\"), std::string::npos) << card;
  EXPECT_EQ(on_terminal(120, "--no-color show dipper 8.12.7").find("\x1b]8"), std::string::npos);
  home.env["XFU_HYPERLINKS"] = "0";
  EXPECT_EQ(on_terminal(120, "show dipper 8.12.7").find("\x1b]8"), std::string::npos);
  home.env.erase("XFU_HYPERLINKS");
  home.env["TERM"] = "dumb";
  EXPECT_EQ(on_terminal(120, "show dipper 8.12.7").find("\x1b]8"), std::string::npos);
  home.env["XFU_HYPERLINKS"] = "1";  // forced, even into a pipe
  EXPECT_NE(piped({"show", "dipper", "8.12.7"}).out.find(link), std::string::npos);
}

// The catalog refuses a link with a control character (the record is
// skipped); what it lets through is printable ASCII, which the hyperlink
// carries as it is. The unit tests feed hyperlink() the hostile bytes directly.
TEST_F(Terminal, AHostileUrlCannotEscapeItsHyperlink) {
  const auto path = home.root() / "hostile.json";
  write_text(path, R"({"schema": "xfu-catalog/1", "roms": [
      {"codename": "evil", "device": "Evil", "version": "1.0", "branch": "Stable", "type": "Recovery",
       "link": "https://h.example/a\u001b]8;;https://evil.example/\u0007b.zip"},
      {"codename": "evil", "device": "Evil", "version": "2.0", "branch": "Stable", "type": "Recovery",
       "link": "https://h.example/a;8;;b?c=%1b%07.zip"}]})");
  const std::string command = "stty cols 200 rows 50; " + std::string(XFU_BINARY) + " --catalog " + path.string() +
                              " show evil";
  const std::string out = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env).out;
  // The record with controls is skipped, and the warning shows them escaped, never as a sequence.
  EXPECT_NE(out.find("URL: \"https://h.example/a\\u001b]8;;https://evil.example/\\u0007b.zip\")"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("\x1b]8;;https://evil"), std::string::npos) << out;
  std::vector<std::string> targets;
  for (size_t at = out.find("\x1b]8;;"); at != std::string::npos; at = out.find("\x1b]8;;", at + 1)) {
    const size_t end = out.find("\x1b\\", at);
    ASSERT_NE(end, std::string::npos);
    targets.push_back(out.substr(at + 5, end - at - 5));
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"https://h.example/a;8;;b?c=%1b%07.zip", ""})) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos);
}

}  // namespace
}  // namespace xfu::test
