#include "core/catalog_scan.hpp"

#include <gtest/gtest.h>

#include "core/builtin_catalog.hpp"
#include "core/catalog.hpp"
#include "core/catalog_source.hpp"
#include "util/strings.hpp"

namespace xfu {
namespace {

std::vector<std::string> files_of(const Catalog& catalog) {
  std::vector<std::string> files;
  for (const Rom& rom : catalog.roms) files.push_back(rom.device + "|" + rom.filename);
  return files;
}

Catalog full_filter(const Catalog& all, std::string_view codename) {
  Catalog subset;
  for (const Rom& rom : all.roms)
    if (iequals(rom.codename, codename) || iequals(rom.variant, codename)) subset.roms.push_back(rom);
  return subset;
}

TEST(CatalogScan, TheBuiltinSnapshotIsValidInFull) {
  // The fast per-device path trusts the built-in snapshot; this is the check it relies on.
  const Catalog all = parse_catalog(builtin_catalog_json());
  EXPECT_TRUE(all.skipped.empty()) << skipped_summary(all);
  EXPECT_EQ(scan_catalog(builtin_catalog_json()).records.size(), all.roms.size());
  EXPECT_EQ(all.generated, std::string(scan_catalog(builtin_catalog_json()).generated));
}

TEST(CatalogScan, PerDeviceParsingMatchesTheFullParse) {
  const Catalog all = parse_catalog(builtin_catalog_json());
  for (const char* codename : {"dipper", "DIPPER", "dipper_global", "cancro", "cancro_lte_ct", "agate_eea_global",
                               "gemini", "capricorn_global", "nosuch"}) {
    EXPECT_EQ(files_of(builtin_indexed_catalog()->records_of(codename)), files_of(full_filter(all, codename)))
        << codename;
  }
}

TEST(CatalogScan, HandlesBothFormsEscapesAndNesting) {
  const std::string bare = R"( [ {"codename": "a_global", "x": {"codename": "b"}, "s": "]}\"{["},
    {"variant": "c_eea_global", "codename": "c"}, 42, {"codename": "d\u005fglobal"} ] )";
  const CatalogScan scan = scan_catalog(bare);
  ASSERT_EQ(scan.records.size(), 4u);
  EXPECT_EQ(scan.records[0].codename, "a_global");
  EXPECT_EQ(scan.records[1].codename, "c");
  EXPECT_EQ(scan.records[1].variant, "c_eea_global");
  EXPECT_EQ(scan.records[2].text, "42");
  EXPECT_EQ(scan.records[3].codename, "d\\u005fglobal");
  EXPECT_TRUE(scan.is_array);

  const std::string wrapped = R"({"extra": [{"codename": "no"}], "generated": "2026-01-02", "schema": "xfu-catalog/1",
    "roms": [{"codename": "yes"}]})";
  const CatalogScan wrapped_scan = scan_catalog(wrapped);
  EXPECT_EQ(wrapped_scan.generated, "2026-01-02");
  ASSERT_EQ(wrapped_scan.records.size(), 1u);
  EXPECT_EQ(wrapped_scan.records[0].codename, "yes");
}

}  // namespace
}  // namespace xfu
