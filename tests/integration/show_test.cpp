// xfu show: the seed pages' cards, field by field, and card layout.
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "core/changelog.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

using Fields = std::map<std::string, std::vector<std::string>>;

std::string strip_tags(const std::string& html) {
  std::string text = std::regex_replace(html, std::regex("<[^>]*>"), "");
  const auto first = text.find_first_not_of(' ');
  const auto last = text.find_last_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// Every card of a seed page as label -> values.
std::vector<Fields> seed_cards(const std::string& page) {
  std::vector<Fields> cards;
  const std::string marker = "<div class=\"card card-body\">";
  for (size_t pos = page.find(marker); pos != std::string::npos;) {
    const size_t next = page.find(marker, pos + 1);
    const std::string chunk = page.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    pos = next;
    Fields card;
    const std::regex field("<b>([A-Za-z0-9 ]+): </b>(.*?)</h5>");
    for (std::sregex_iterator it(chunk.begin(), chunk.end(), field), end; it != end; ++it)
      if ((*it)[1] != "Download" && (*it)[1] != "Changelog") card[(*it)[1]] = {strip_tags((*it)[2])};
    const std::regex link("window\\.open\\('([^']+)'");
    for (std::sregex_iterator it(chunk.begin(), chunk.end(), link), end; it != end; ++it)
      card["Download"].push_back((*it)[1]);
    std::smatch changelog;
    if (std::regex_search(chunk, changelog, std::regex("<p id=\"changelog_text\">([^]*?)</p>")))
      card["Changelog"] = {changelog_to_text(changelog[1].str())};
    if (card.count("Package Name")) cards.push_back(card);
  }
  return cards;
}

// The cards xfu printed, as label -> value lines.
std::vector<Fields> printed_cards(const std::string& out) {
  std::vector<Fields> cards;
  std::string label;
  size_t pos = 0;
  while (pos < out.size()) {
    const size_t end = out.find('\n', pos);
    std::string line = out.substr(pos, end - pos);
    pos = end == std::string::npos ? out.size() : end + 1;
    if (line.rfind("\u256D", 0) == 0) {
      cards.emplace_back();
      continue;
    }
    if (line.rfind("\u2502 ", 0) != 0) continue;
    line = line.substr(4);  // "│ " (│ is 3 bytes)
    // " │" ends every line but one with a whole URL, name or MD5 too long for the card.
    if (line.size() >= 4 && line.compare(line.size() - 4, 4, " \u2502") == 0) line.resize(line.size() - 4);
    const std::string head = line.substr(0, 14);
    const auto colon = head.find(':');
    if (colon != std::string::npos) label = head.substr(0, colon);
    std::string value = line.substr(14);
    value.erase(value.find_last_not_of(' ') + 1);
    cards.back()[label].push_back(value);
  }
  return cards;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : " ") + line;
  return std::regex_replace(out, std::regex("\\s+"), " ");
}

class Show : public ::testing::Test {
 protected:
  XfuHome home;
  RunResult show(std::vector<std::string> args, const std::string& columns = "300") {
    home.env["COLUMNS"] = columns;
    args.insert(args.begin(), {"--catalog", "builtin", "show"});
    return home.run(args);
  }
};

TEST_F(Show, EverySeedCardIsReproducedFieldByField) {
  size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture("seeds"))) {
    const std::string page = read_text(entry.path());
    const auto expected_cards = seed_cards(page);
    ASSERT_FALSE(expected_cards.empty()) << entry.path();
    const Fields& first = expected_cards.front();
    const RunResult result = show({first.at("Codename")[0], first.at("Version")[0]});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto cards = printed_cards(result.out);
    for (const Fields& expected : expected_cards) {
      SCOPED_TRACE(entry.path().filename().string() + ": " + expected.at("Package Name")[0] + " for " +
                   expected.at("Device")[0]);
      const auto card = std::find_if(cards.begin(), cards.end(), [&](const Fields& c) {
        return c.count("Package Name") && c.at("Package Name")[0] == expected.at("Package Name")[0];
      });
      ASSERT_NE(card, cards.end());
      for (const char* label : {"Codename", "Version", "Branch", "Type", "Size", "Release Date", "MD5"})
        EXPECT_EQ(card->at(label), expected.at(label)) << label;
      const auto& devices = card->at("Device");
      EXPECT_NE(std::find(devices.begin(), devices.end(), expected.at("Device")[0]), devices.end());
      const auto& links = card->at("Download");
      for (const auto& link : expected.at("Download"))
        EXPECT_NE(std::find(links.begin(), links.end(), link), links.end()) << link;
      EXPECT_EQ(links.front(), expected.at("Download").front());
      EXPECT_EQ(joined(card->at("Changelog")), joined({expected.at("Changelog")[0]}));
      ++checked;
    }
    // One card per file: the same file under two device names is shown once.
    std::set<std::string> files;
    for (const auto& expected : expected_cards) files.insert(expected.at("Package Name")[0]);
    EXPECT_EQ(cards.size(), files.size()) << entry.path();
  }
  EXPECT_EQ(checked, 4u + 4u + 6u + 4u + 2u);
}

TEST_F(Show, FindsARomByItsPackageName) {
  const RunResult result = show({"miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"});
  EXPECT_EQ(result.exit_code, 0);
  const auto cards = printed_cards(result.out);
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].at("MD5")[0], "c18aad4fc41b831d1107f10a7bb2de0f");
  EXPECT_EQ(cards[0].at("Device")[0], "Mi 8 Global");
  const RunResult missing = show({"miui_NOPE_1.0_0123456789_9.0.zip"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_EQ(missing.err,
            "xfu: no ROM in the catalog has the package name \"miui_NOPE_1.0_0123456789_9.0.zip\"; xfu list CODENAME "
            "shows a device's package names\n");
}

TEST_F(Show, WithoutVersionShowsTheNewestPerVariantBranchAndType) {
  const RunResult result = show({"dipper", "--branch", "weekly"});
  EXPECT_EQ(result.exit_code, 0);
  const auto cards = printed_cards(result.out);
  std::set<std::string> seen;
  for (const auto& card : cards) {
    const std::string key = card.at("Device")[0] + "/" + card.at("Type")[0];
    EXPECT_TRUE(seen.insert(key).second) << key;
  }
  EXPECT_EQ(seen, (std::set<std::string>{"Mi 8 China/Recovery", "Mi 8 China/Fastboot", "Mi 8 Global/Recovery",
                                         "Mi 8 Global/Fastboot"}));
  EXPECT_EQ(cards[0].at("Version")[0], "20.9.4");
}

TEST_F(Show, NoSuchVersionIsExit3) {
  const RunResult result = show({"dipper", "9.9.99"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err,
            "xfu: no dipper ROM matches --version 9.9.99; dipper has ROMs with --version V12.0.3.0.QEAMIXM, "
            "V12.0.2.0.QEARUXM or V12.5.2.0.QEACNXM\n");
  EXPECT_EQ(show({"dipers", "8.12.7"}).err, "xfu: unknown codename \"dipers\"; did you mean dipper (Mi 8)?\n");
}

TEST_F(Show, JsonIsWhatListPrints) {
  const RunResult shown = show({"dipper", "8.12.7", "--json"});
  home.env.erase("COLUMNS");
  const RunResult listed = home.run({"--catalog", "builtin", "list", "dipper", "--version", "8.12.7", "--json"});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_EQ(shown.out, listed.out);
  EXPECT_NE(shown.out.find("\"md5\": \"c18aad4fc41b831d1107f10a7bb2de0f\""), std::string::npos);
}

// Except a line that holds one whole URL, package name or MD5: it runs past
// the border (and has none) so that it can be copied whole.
TEST_F(Show, CardsNeverExceedTheTerminalWidth) {
  const std::regex whole_value("(\\||\u2502) ([A-Za-z0-9 ]+:)? *[^ ]+");
  for (const std::string columns : {"40", "60", "80", "120"}) {
    for (const char* lang : {"C.UTF-8", "C"}) {
      home.env["LANG"] = lang;
      const RunResult result = show({"cancro", "7.12.8"}, columns);
      ASSERT_EQ(result.exit_code, 0);
      size_t pos = 0;
      while (pos < result.out.size()) {
        const size_t end = result.out.find('\n', pos);
        const std::string line = result.out.substr(pos, end - pos);
        size_t width = 0;  // UTF-8 code points; the card holds no wide characters
        for (unsigned char c : line) width += (c & 0xC0) != 0x80;
        if (width > std::stoul(columns)) {
          EXPECT_TRUE(std::regex_match(line, whole_value)) << line;
        }
        pos = end + 1;
      }
    }
  }
}

TEST_F(Show, AsciiCardsOutsideUtf8Locales) {
  home.env["LANG"] = "C";
  const RunResult result = show({"gemini", "7.6.8", "--type", "recovery"}, "80");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_text(fixture("golden/show-gemini-ascii.txt")));
}

TEST_F(Show, Utf8CardGolden) {
  const RunResult result = show({"dipper", "8.12.7", "--type", "recovery", "--region", "global"}, "100");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_text(fixture("golden/show-dipper-utf8.txt")));
}

}  // namespace
}  // namespace xfu::test
