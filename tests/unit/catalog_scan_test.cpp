#include "catalog/catalog_scan.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "catalog/builtin_catalog.hpp"

#include "catalog/catalog.hpp"
#include "catalog/catalog_source.hpp"
#include "catalog/file_catalog.hpp"
#include "catalog/record_offsets.hpp"
#include "core/exit_code.hpp"
#include "util/strings.hpp"

namespace xfu {
namespace {

std::vector<std::string> files_of(const Catalog& catalog) {
  std::vector<std::string> files;
  for (const Rom& rom : catalog.roms) files.push_back(rom.device + "|" + rom.filename);
  return files;
}

// Several devices of the built-in snapshot as one single-file catalog: real records for the indexed path.
const std::string& builtin_sample() {
  static const std::string text = [] {
    std::string roms;
    for (const char* codename :
         {"cancro", "cancro_lte_ct", "dipper", "agate", "gemini", "capricorn", "laurel_sprout"}) {
      const std::string shard = *builtin_pack().shard_text(std::string("shards/") + codename + ".json");
      const size_t open = shard.find("\"roms\": [") + 10, close = shard.rfind(']');
      roms += (roms.empty() ? "" : ",") + shard.substr(open, close - open);
    }
    return "{\"schema\": \"xfu-catalog/1\", \"generated\": \"2026-08-23T00:00:00Z\", \"roms\": [" + roms + "]}";
  }();
  return text;
}

Catalog full_filter(const Catalog& all, std::string_view codename) {
  Catalog subset;
  for (const Rom& rom : all.roms)
    if (iequals(rom.codename, codename) || iequals(rom.variant, codename)) subset.roms.push_back(rom);
  return subset;
}

TEST(CatalogScan, BuiltinRecordsAreValidThroughTheScan) {
  const Catalog all = parse_catalog(builtin_sample());
  EXPECT_TRUE(all.skipped.empty()) << skipped_summary(all);
  EXPECT_EQ(scan_catalog(builtin_sample()).records.size(), all.roms.size());
  EXPECT_EQ(all.generated, std::string(scan_catalog(builtin_sample()).generated));
}

TEST(CatalogScan, PerDeviceParsingMatchesTheFullParse) {
  const Catalog all = parse_catalog(builtin_sample());
  for (const char* codename : {"dipper", "DIPPER", "dipper_global", "cancro", "cancro_lte_ct", "agate_eea_global",
                               "gemini", "capricorn_global", "laurel_sprout", "laurel_sprout_eea_global", "nosuch"}) {
    EXPECT_EQ(
        files_of(
            FileCatalog(locate_records(builtin_sample()), std::string_view(builtin_sample())).records_of(codename)),
        files_of(full_filter(all, codename)))
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

bool scans(std::string_view text) {
  try {
    scan_catalog(text);
    return true;
  } catch (const Error&) {
    return false;
  }
}

TEST(CatalogScan, AcceptsExactlyWhatTheFullParserAccepts) {
  const std::vector<std::string> inputs{"[]",
                                        " [ ] ",
                                        "{}",
                                        "\xEF\xBB\xBF[]",
                                        "\xEF\xBB[]",
                                        "[1,]",
                                        "[,1]",
                                        "{\"a\":1,}",
                                        "{\"a\" 1}",
                                        "[01]",
                                        "[-0]",
                                        "[1.]",
                                        "[.5]",
                                        "[1e5]",
                                        "[1E+5]",
                                        "[1e]",
                                        "[-]",
                                        "[1e400]",
                                        "[-1e400]",
                                        "[1e-400]",
                                        "[123456789012345678901234567890]",
                                        "[0.0000000000000000000000000000000000001e-300]",
                                        "[" + std::string(400, '9') + "]",
                                        "[true,false,null]",
                                        "[tru]",
                                        "[nul]",
                                        "[\"\\u00e9\"]",
                                        "[\"\\uD83D\\uDE00\"]",
                                        "[\"\\uD83D\"]",
                                        "[\"\\uDE00\"]",
                                        "[\"\\uD83Dx\"]",
                                        "[\"\\x\"]",
                                        "[\"\\u12G4\"]",
                                        "[\"a\tb\"]",
                                        "[\"\xC3\xA9\"]",
                                        "[\"\xC3\"]",
                                        "[\"\xE0\x80\x80\"]",
                                        "[\"\xED\xA0\x80\"]",
                                        "[\"\xF4\x90\x80\x80\"]",
                                        "[\"\xF0\x9F\x98\x80\"]",
                                        "[\"\xC0\xAF\"]",
                                        "[\"\xFF\"]",
                                        "[1] x",
                                        "[1]\n",
                                        "",
                                        "   ",
                                        "\"s\"",
                                        "[[[[[]]]]]",
                                        "[[[[[]]]]",
                                        "{\"roms\": [{\"a\": [1, {\"b\": []}]}]}",
                                        std::string("[\"a\0b\"]", 7),
                                        "[1]\0",
                                        "{\"a\":1 \"b\":2}",
                                        "[\"unterminated]"};
  for (const std::string& input : inputs) EXPECT_EQ(scans(input), nlohmann::json::accept(input)) << "input: " << input;
}

TEST(CatalogScan, LaterRomsMemberWinsAsInTheFullParser) {
  const std::string text =
      R"({"schema": "xfu-catalog/1", "roms": [{"codename": "a"}], "r\u006fms": [{"codename": "b"}]})";
  const CatalogScan scan = scan_catalog(text);
  ASSERT_EQ(scan.records.size(), 1u);
  EXPECT_EQ(scan.records[0].codename, "b");
}

// The bound that keeps an oversized table from being read must hold for the densest catalogs too.
TEST(CatalogIndexFormat, NoTableIsLargerThanItsBound) {
  std::string tiny = R"({"schema": "xfu-catalog/1", "roms": [)";
  std::string named = tiny;
  for (int i = 0; i < 2000; ++i) {
    tiny += std::string(i ? "," : "") + "{}";
    named += std::string(i ? "," : "") + R"({"codename":"a_b","variant":"c","filename":"x"})";
  }
  for (std::string text : {tiny + "]}", named + "]}", std::string(builtin_sample())}) {
    const std::string bytes = encode_offsets(locate_records(text), FileStamp{text.size(), 1, 2, 3, 4});
    EXPECT_LE(bytes.size(), max_offsets_bytes(text.size()));
  }
}

TEST(CatalogIndexFormat, RoundTripsAndRefusesDamageOrAnotherFile) {
  const std::string text(builtin_sample());
  const RecordOffsets index = locate_records(text);
  const FileStamp stamp{text.size(), 7, 8, 9, 10};
  const std::string bytes = encode_offsets(index, stamp);
  const auto decoded = decode_offsets(bytes, stamp);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->offsets, index.offsets);
  EXPECT_EQ(decoded->records_of("dipper"), index.records_of("dipper"));
  EXPECT_EQ(decoded->all_names(), index.all_names());

  FileStamp other = stamp;
  other.mtime_ns += 1;
  EXPECT_FALSE(decode_offsets(bytes, other).has_value());
  for (size_t at : {size_t(0), size_t(9), bytes.size() / 2, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
    EXPECT_FALSE(decode_offsets(damaged, stamp).has_value()) << at;
  }
  EXPECT_FALSE(decode_offsets(bytes.substr(0, bytes.size() - 4), stamp).has_value());
}

TEST(CatalogIndexFormat, FindsRecordsWhoseNamesHoldEscapesByParsingThem) {
  const std::string text =
      R"({"schema": "xfu-catalog/1", "roms": [{"codename": "d\u0069pper", "device": "Mi 8", "version": "1", )"
      R"("branch": "Stable", "type": "Recovery", "link": "https://h.example/a\u002ezip"}]})";
  FileCatalog catalog(locate_records(text), std::string(text));
  EXPECT_EQ(catalog.records_of("dipper").roms.size(), 1u);
  EXPECT_EQ(catalog.records_with_file("a.zip").roms.size(), 1u);
  EXPECT_EQ(catalog.records_of("cancro").roms.size(), 0u);
}

}  // namespace
}  // namespace xfu
