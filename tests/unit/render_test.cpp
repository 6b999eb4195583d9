// The rendering decisions: which columns a table keeps and how wide, colour
// and hyperlinks, and cards that never break what users copy.
#include <gtest/gtest.h>

#include "render/card.hpp"
#include "render/sanitize.hpp"
#include "render/table.hpp"
#include "render/terminal.hpp"

namespace xfu {
namespace {

size_t shown_width(const ColumnFit& fit) {
  size_t total = 0, shown = 0;
  for (size_t width : fit.widths) {
    total += width;
    shown += width > 0;
  }
  return shown ? total + fit.gap * (shown - 1) : 0;
}

// The list table's columns as rom_views gives them: Device (cut at step 3),
// Version, Branch (shortened at 5), Type (at 6), Android (out at 1), Size
// (out at 2), Date (out at 4).
std::vector<ColumnNeeds> list_columns() {
  return {{18, 8, 3, 0}, {17, 17, 0, 0}, {11, 6, 5, 0, true}, {8, 4, 6, 0, true},
          {7, 7, 0, 1},  {8, 8, 0, 2},   {10, 10, 0, 4}};
}

TEST(FitColumns, EverythingAtItsNaturalWidthWhenThereIsRoom) {
  const ColumnFit fit = fit_columns(list_columns(), 200);
  EXPECT_EQ(fit.widths, (std::vector<size_t>{18, 17, 11, 8, 7, 8, 10}));
  EXPECT_EQ(fit.gap, 2u);
}

TEST(FitColumns, ColumnsGiveWayInTheOrderOfTheirSteps) {
  // 91 wide: Android leaves first.
  EXPECT_EQ(fit_columns(list_columns(), 85).widths, (std::vector<size_t>{18, 17, 11, 8, 0, 8, 10}));
  // Then Size.
  EXPECT_EQ(fit_columns(list_columns(), 75).widths, (std::vector<size_t>{18, 17, 11, 8, 0, 0, 10}));
  // Then Device is cut (keeping its region), by no more than needed.
  EXPECT_EQ(fit_columns(list_columns(), 70).widths, (std::vector<size_t>{16, 17, 11, 8, 0, 0, 10}));
  // Then Date leaves, and Device gets its width back.
  EXPECT_EQ(fit_columns(list_columns(), 60).widths, (std::vector<size_t>{18, 17, 11, 8, 0, 0, 0}));
  EXPECT_EQ(fit_columns(list_columns(), 60).gap, 2u);
}

TEST(FitColumns, AtFortyColumnsVersionRegionBranchAndTypeRemain) {
  const ColumnFit fit = fit_columns(list_columns(), 40);
  EXPECT_EQ(fit.gap, 1u);  // two spaces would not fit them
  EXPECT_EQ(fit.widths[1], 17u);
  EXPECT_EQ(fit.widths[0], 10u);  // the two columns left go to Device: shorter Branch and Type gain nothing
  EXPECT_GE(fit.widths[2], 6u);
  EXPECT_GE(fit.widths[3], 4u);
  EXPECT_EQ(fit.widths[4] + fit.widths[5] + fit.widths[6], 0u);
  EXPECT_EQ(shown_width(fit), 40u);
}

TEST(FitColumns, NeverWiderThanAskedAtAnyWidth) {
  for (size_t width = 1; width <= 120; ++width) {
    const ColumnFit fit = fit_columns(list_columns(), width);
    EXPECT_LE(shown_width(fit), width) << width;
    EXPECT_GT(std::count_if(fit.widths.begin(), fit.widths.end(), [](size_t w) { return w > 0; }), 0) << width;
  }
}

// A column shrunk and then left out is not brought back by the room its shrinking gave.
TEST(FitColumns, AColumnShrunkThenLeftOutStaysOut) {
  const std::vector<ColumnNeeds> columns{{27, 27, 0, 0}, {28, 8, 4, 7}, {19, 19, 0, 6}};
  const ColumnFit fit = fit_columns(columns, 30);
  EXPECT_EQ(fit.widths, (std::vector<size_t>{27, 0, 0}));
}

TEST(FitColumns, BelowTheCompactWidthShrinkableColumnsAreCutFirst) {
  const ColumnFit fit = fit_columns(list_columns(), 30);  // compact needs 38 with single gaps
  EXPECT_EQ(fit.gap, 1u);
  EXPECT_EQ(fit.widths[0], 4u);  // Device and Branch go down to 4
  EXPECT_EQ(fit.widths[2], 4u);
  EXPECT_EQ(fit.widths[3], 4u);
  EXPECT_EQ(fit.widths[1], 15u);  // then the version is cut
  EXPECT_EQ(shown_width(fit), 30u);
}

TEST(FitColumns, ALeftOutColumnComesBackWhenALaterStepLeavesRoomForIt) {
  // Dropping C (step 2) leaves 10 spare, where A (left out at step 1) fits.
  const std::vector<ColumnNeeds> columns{{5, 5, 0, 1}, {20, 20, 0, 0}, {14, 14, 0, 2}};
  EXPECT_EQ(fit_columns(columns, 30).widths, (std::vector<size_t>{5, 20, 0}));
}

TEST(RenderTable, AColumnEmptyInEveryRowNeverTakesThePlaceOfOneThatIsNot) {
  // Weekly would go first and come back first: empty, it is left out before anything is fitted.
  const std::vector<TableColumn> columns{{"Codename"}, {"Stable", false, 0, 2}, {"Weekly", false, 0, 1}};
  const std::vector<std::vector<TableCell>> rows{{{"marble"}, {"OS3.0.4.0.VMRCNXM"}, {""}},
                                                 {{"pearl"}, {"OS3.0.3.0.VLHCNXM"}, {""}}};
  TableOptions options;
  options.max_width = 30;
  EXPECT_EQ(render_table(columns, rows, options), "Codename  Stable\n"
                                                  "marble    OS3.0.4.0.VMRCNXM\n"
                                                  "pearl     OS3.0.3.0.VLHCNXM\n");
}

TEST(RenderTable, NarrowCellsKeepTheirTailOrTakeTheirShortForm) {
  const std::vector<TableColumn> columns{{"Device", false, 1}, {"Branch", false, 2}};
  const std::vector<std::vector<TableCell>> rows{
      {{"MI 3 / Mi 4 China", Colour::None, "", " China"}, {"Stable Beta", Colour::None, "S.Beta"}},
      {{"MI 3 / Mi 4 Global", Colour::None, "", " Global"}, {"Stable", Colour::None, "Stable"}}};
  TableOptions options;
  options.ellipsis = "\u2026";
  options.max_width = 20;
  // Device is cut to 8, Branch shortened to 6; the 4 columns left go back to
  // Device, where they show more: Branch would need all 5 to show its full text.
  EXPECT_EQ(render_table(columns, rows, options), "Device        Branch\n"
                                                  "MI 3 \u2026 China  S.Beta\n"
                                                  "MI 3\u2026 Global  Stable\n");
}

TEST(RenderTable, BelowItsTailACellKeepsTheEndOfIt) {
  const std::vector<TableColumn> columns{{"D", false, 1}};
  const std::vector<std::vector<TableCell>> rows{{{"Redmi Note 8 Indonesia", Colour::None, "", " Indonesia"}}};
  TableOptions options;
  options.ellipsis = "\u2026";
  options.header = false;
  options.max_width = 6;
  EXPECT_EQ(render_table(columns, rows, options), "\u2026nesia\n");
}

TEST(Colour, TheExplicitFlagWinsThenNoColorThenClicolorForceThenTheTerminal) {
  ColourEnvironment tty{.terminal = true}, pipe{};
  EXPECT_TRUE(decide_colour(ColourMode::Auto, tty));
  EXPECT_FALSE(decide_colour(ColourMode::Auto, pipe));
  EXPECT_TRUE(decide_colour(ColourMode::Always, pipe));
  tty.no_color = "1";
  EXPECT_FALSE(decide_colour(ColourMode::Auto, tty));
  EXPECT_TRUE(decide_colour(ColourMode::Always, tty));
  tty.no_color = "";  // set but empty: no effect (no-color.org)
  EXPECT_TRUE(decide_colour(ColourMode::Auto, tty));
  EXPECT_FALSE(decide_colour(ColourMode::Never, tty));

  pipe.clicolor_force = "1";
  EXPECT_TRUE(decide_colour(ColourMode::Auto, pipe));
  EXPECT_FALSE(decide_colour(ColourMode::Never, pipe));
  pipe.term = "dumb";
  EXPECT_TRUE(decide_colour(ColourMode::Auto, pipe));  // forced is forced
  pipe.no_color = "1";
  EXPECT_FALSE(decide_colour(ColourMode::Auto, pipe));  // NO_COLOR beats CLICOLOR_FORCE
  pipe = {};
  for (const char* off : {"", "0"}) {
    pipe.clicolor_force = off;
    EXPECT_FALSE(decide_colour(ColourMode::Auto, pipe)) << off;
  }
  ColourEnvironment dumb{.term = "dumb", .terminal = true};
  EXPECT_FALSE(decide_colour(ColourMode::Auto, dumb));
  ColourEnvironment clicolor_off{.clicolor = "0", .terminal = true};
  EXPECT_FALSE(decide_colour(ColourMode::Auto, clicolor_off));
}

TEST(Colour, ParsesTheModesOfTheFlag) {
  EXPECT_EQ(parse_colour_mode("always"), ColourMode::Always);
  EXPECT_EQ(parse_colour_mode("never"), ColourMode::Never);
  EXPECT_EQ(parse_colour_mode("auto"), ColourMode::Auto);
  EXPECT_EQ(parse_colour_mode("yes"), std::nullopt);
}

TEST(Columns, OnlyAWholeNumberFromOneTo10000Counts) {
  EXPECT_EQ(parse_columns("60"), 60u);
  EXPECT_EQ(parse_columns("1"), 1u);
  for (const char* bad : {"", "0", "-5", "60x", " 60", "abc", "10001", "99999999999999999999"})
    EXPECT_EQ(parse_columns(bad), std::nullopt) << bad;
  EXPECT_EQ(parse_columns(nullptr), std::nullopt);
}

TEST(Hyperlinks, OnlyOnATerminalWithColourUnlessForced) {
  EXPECT_TRUE(decide_hyperlinks(std::nullopt, true, true, "xterm-256color"));
  EXPECT_FALSE(decide_hyperlinks(std::nullopt, true, false, "xterm"));  // a pipe, even with forced colour
  EXPECT_FALSE(decide_hyperlinks(std::nullopt, false, true, "xterm"));
  EXPECT_FALSE(decide_hyperlinks(std::nullopt, true, true, "dumb"));
  EXPECT_FALSE(decide_hyperlinks(std::nullopt, true, true, "linux"));
  EXPECT_FALSE(decide_hyperlinks("0", true, true, "xterm"));
  EXPECT_TRUE(decide_hyperlinks("1", false, false, "dumb"));
}

TEST(Hyperlinks, WrapsHttpUrlsInOsc8) {
  EXPECT_EQ(hyperlink("https://a.example/x.zip", "x"), "\x1b]8;;https://a.example/x.zip\x1b\\x\x1b]8;;\x1b\\");
  EXPECT_EQ(hyperlink("HTTP://a.example/", "x"), "\x1b]8;;HTTP://a.example/\x1b\\x\x1b]8;;\x1b\\");
  for (const char* other : {"file:///etc/passwd", "javascript:alert(1)", "ftp://a/", "a.zip", ""})
    EXPECT_EQ(hyperlink(other, "text"), "text") << other;
}

TEST(Hyperlinks, NothingInAHostileUrlCanEndOrAddASequence) {
  const std::string hostile = "https://a.example/\x1b]8;;https://evil\x07\x1b\\x\xc2\x9b"
                              "2J y\xe4\xb8\xad";
  const std::string link = hyperlink(hostile, "shown");
  const std::string target = link.substr(5, link.find("\x1b\\") - 5);
  EXPECT_EQ(target, "https://a.example/%1B]8;;https://evil%07%1B\\x%C2%9B2J%20y%E4%B8%AD");
  for (unsigned char c : target) EXPECT_TRUE(c > 0x20 && c < 0x7F) << int(c);
  EXPECT_EQ(link.substr(link.size() - 7), "\x1b]8;;\x1b\\");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t pos = 0, end; pos < text.size(); pos = end + 1) {
    end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end - pos));
  }
  return lines;
}

TEST(Card, WholeValuesRunPastTheBorderOnTheirOwnLineProseWraps) {
  const std::string url = "https://bigota.d.miui.com/V14.0.4.0.TKWEUXM/miui_example_global_2363b6e14c.tgz";
  const std::vector<CardField> fields{
      {.label = "Download", .lines = {url}, .whole = true, .links = true},
      {.label = "MD5", .lines = {"2363b6e14c0123456789abcdef012345"}, .whole = true},
      {.label = "Changelog", .lines = {"Fixed an issue where the phone could not wake up from sleep"}, .prose = true},
  };
  CardStyle style;
  style.unicode = false;
  style.min_width = style.max_width = 40;
  const auto lines = lines_of(render_card("title", fields, style));
  EXPECT_EQ(lines[1], "| Download:  " + url);
  EXPECT_EQ(lines[2], "| MD5:       2363b6e14c0123456789abcdef012345");  // 44 > 40: past the border too
  EXPECT_EQ(lines[3], "| Changelog: Fixed an issue where the  |");
  EXPECT_EQ(lines[4], "|            phone could not wake up   |");
  style.min_width = style.max_width = 50;
  EXPECT_EQ(lines_of(render_card("title", fields, style))[2], "| MD5:       2363b6e14c0123456789abcdef012345    |");
}

TEST(Card, TooNarrowForLabelsBesideValuesEachLabelHasItsOwnLine) {
  const std::vector<CardField> fields{
      {"Release Date", {"2018-12-07"}},
      {.label = "MD5", .lines = {"2363b6e14c0123456789abcdef012345"}, .whole = true},
  };
  CardStyle style;
  style.unicode = false;
  style.min_width = style.max_width = 24;
  EXPECT_EQ(render_card("title", fields, style), "+- title --------------+\n"
                                                 "| Release Date:        |\n"
                                                 "|   2018-12-07         |\n"
                                                 "| MD5:                 |\n"
                                                 "|   2363b6e14c0123456789abcdef012345\n"
                                                 "+----------------------+\n");
}

TEST(Card, HyperlinksOnlyAroundUrlFieldsAndOnlyWhenTheStyleHasThem) {
  const std::vector<CardField> fields{{.label = "Download", .lines = {"https://a.example/f.zip"}, .links = true},
                                      {.label = "Package Name", .lines = {"f.zip"}, .whole = true}};
  CardStyle style;
  style.unicode = false;
  EXPECT_EQ(render_card("t", fields, style).find('\x1b'), std::string::npos);
  style.hyperlinks = true;
  const std::string card = render_card("t", fields, style);
  EXPECT_NE(card.find("\x1b]8;;https://a.example/f.zip\x1b\\https://a.example/f.zip\x1b]8;;\x1b\\"), std::string::npos);
  size_t sequences = 0;
  for (size_t pos = card.find("\x1b]8;;"); pos != std::string::npos; pos = card.find("\x1b]8;;", pos + 1)) ++sequences;
  EXPECT_EQ(sequences, 2u);
}

}  // namespace
}  // namespace xfu
