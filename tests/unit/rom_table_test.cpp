#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "catalog/builtin_catalog.hpp"
#include "render/rom_views.hpp"
#include "render/table.hpp"
#include "util/strings.hpp"

namespace xfu {
namespace {

std::vector<std::string> table_lines(const std::vector<Rom>& roms, size_t width) {
  std::vector<const Rom*> pointers;
  for (const Rom& rom : roms) pointers.push_back(&rom);
  TableOptions options;
  options.max_width = width;
  options.ellipsis = "\u2026";
  options.header = false;
  return split(render_rom_table(pointers, options), '\n');
}

using RecordKey = std::tuple<std::string, std::string, std::string, int, int>;

RecordKey key_of(const Rom& rom) {
  return {rom.version, rom.region, rom.variant, static_cast<int>(rom.branch), static_cast<int>(rom.type)};
}

// Rows alike at `width` that belong to different files (version, region,
// variant, branch or type differ).
size_t rows_alike_for_different_records(const std::vector<Rom>& roms, size_t width) {
  const std::vector<std::string> lines = table_lines(roms, width);
  std::map<std::string, std::set<RecordKey>> records_by_line;
  for (size_t i = 0; i < roms.size(); ++i) records_by_line[lines[i]].insert(key_of(roms[i]));
  size_t alike = 0;
  for (const auto& [line, records] : records_by_line)
    if (records.size() > 1) alike += records.size();
  return alike;
}

TEST(RomTable, ANarrowTableMakesNoRecordsOfTheWholeBuiltinCatalogLookAlike) {
  const std::vector<Rom> roms = builtin_sharded_catalog()->all().roms;
  ASSERT_GT(roms.size(), 10000u);
  // Before device names gave way to variant codenames: 16,326 rows at 40
  // columns, 211 at 80; then variants sharing a device name (wt86047 and
  // wt88047 as "Redmi 2 China") and codenames cut alike at 40 columns.
  const std::vector<std::pair<size_t, size_t>> most_alike{{40, 0}, {45, 0}, {50, 0}, {60, 0}, {80, 0}, {120, 0}};
  for (const auto& [width, most] : most_alike) EXPECT_LE(rows_alike_for_different_records(roms, width), most) << width;
}

Rom rom_with(std::string version, Branch branch) {
  Rom rom;
  rom.device = "Xiaomi 14 Ultra Global";
  rom.region = "Global";
  rom.variant = "aurora_global";
  rom.version = std::move(version);
  rom.branch = branch;
  rom.type = RomType::Recovery;
  return rom;
}

TEST(RomTable, OneLongVersionTakesAtMostHalfTheTable) {
  const Rom hostile = rom_with(std::string(47, 'V'), Branch::Stable);
  const Rom beta = rom_with("OS2.0.1.0.VNAMIXM", Branch::StableBeta);
  TableOptions options;
  options.max_width = 60;
  options.ellipsis = "\u2026";
  options.header = false;
  const std::string table = render_rom_table({&hostile, &beta}, options);
  // Branch keeps its short forms (never "Sta\u2026" for both), the device its variant codename.
  EXPECT_EQ(table, "aurora_global    VVVVVVVVVVVVVVVVVVVVVVVVVVVVV\u2026  Stable  Rec\n"
                   "aurora_global    OS2.0.1.0.VNAMIXM               S.Beta  Rec\n");
}

TEST(RomTable, VariantsSharingADeviceNameShowTheirCodename) {
  Rom first = rom_with("7.11.16", Branch::Weekly);
  first.device = "Redmi 2 China";
  first.region = "China";
  first.codename = first.variant = "wt86047";
  Rom second = first;
  second.codename = second.variant = "wt88047";
  TableOptions options;
  options.max_width = 80;
  options.header = false;
  EXPECT_EQ(render_rom_table({&first, &second}, options), "Redmi 2 China (wt86047)  7.11.16  Weekly  Recovery\n"
                                                          "Redmi 2 China (wt88047)  7.11.16  Weekly  Recovery\n");
}

TEST(CutApart, KeepsTheStartOfEachAliasAndTellsThemApart) {
  const auto cuts = cut_apart({"dipper_eea_global", "dipper_global", "dipper_ru_global"}, 10, "\u2026");
  EXPECT_EQ(cuts.at("dipper_eea_global"), "dipper_ee\u2026");
  EXPECT_EQ(cuts.at("dipper_global"), "dipper_gl\u2026");
  EXPECT_EQ(cuts.at("dipper_ru_global"), "dipper_ru\u2026");
}

TEST(CutApart, MovesTheCutWhenTheStartsAreAlike) {
  const auto cuts = cut_apart({"capricorn_global", "capricorn_in_global"}, 8, "\u2026");
  EXPECT_NE(cuts.at("capricorn_global"), cuts.at("capricorn_in_global"));
  EXPECT_EQ(cuts.at("capricorn_global"), "caprico\u2026");
  EXPECT_EQ(cuts.at("capricorn_in_global"), "capric\u2026l");
}

TEST(CutApart, AliasesThatNoCutTellsApartStillFitTheWidth) {
  const auto cuts = cut_apart({"aaaaXaaaa", "aaaaYaaaa"}, 3, "...");
  for (const auto& [alias, cut] : cuts) EXPECT_EQ(cut.size(), 3u) << alias;
}

}  // namespace
}  // namespace xfu
