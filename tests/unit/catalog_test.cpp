#include "catalog/catalog.hpp"

#include <gtest/gtest.h>

#include "core/exit_code.hpp"
#include "util/atomic_file.hpp"

namespace xfu {
namespace {

constexpr const char* kGood = R"({"codename": "dipper_global", "device": "Mi 8 Global", "version": "8.12.7",
  "branch": "Weekly", "type": "Recovery",
  "link": "https://bigota.d.miui.com/8.12.7/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip"})";

Catalog parse_records(const std::string& records) { return parse_catalog("[" + records + "]"); }

Rom parse_one(const std::string& record) {
  const Catalog catalog = parse_records(record);
  EXPECT_TRUE(catalog.skipped.empty()) << (catalog.skipped.empty() ? "" : catalog.skipped.front().reason);
  EXPECT_EQ(catalog.roms.size(), 1u);
  return catalog.roms.at(0);
}

std::string with(const std::string& field_json) {
  std::string record = kGood;
  record.insert(1, field_json + ", ");
  return record;
}

std::string skip_reason(const std::string& record) {
  const Catalog catalog = parse_records(record);
  EXPECT_TRUE(catalog.roms.empty());
  return catalog.skipped.empty() ? "" : catalog.skipped.front().reason;
}

TEST(Catalog, ReadsTheRequiredFields) {
  const Rom rom = parse_one(kGood);
  EXPECT_EQ(rom.codename, "dipper");
  EXPECT_EQ(rom.variant, "dipper_global");
  EXPECT_EQ(rom.device, "Mi 8 Global");
  EXPECT_EQ(rom.region, "Global");
  EXPECT_EQ(rom.version, "8.12.7");
  EXPECT_EQ(rom.branch, Branch::Weekly);
  EXPECT_EQ(rom.type, RomType::Recovery);
  EXPECT_EQ(rom.filename, "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip");
  EXPECT_EQ(rom.md5, "");
  EXPECT_FALSE(rom.size.has_value());
}

TEST(Catalog, AcceptsFieldAliases) {
  const Rom rom = parse_one(R"({"codename": "cancro", "name": "MI 3 / Mi 4 China", "version": "7.1.12",
    "branch": "weekly", "method": "fastboot", "download": "https://bigota.d.miui.com/7.1.12/cancro_images.tgz"})");
  EXPECT_EQ(rom.device, "MI 3 / Mi 4 China");
  EXPECT_EQ(rom.type, RomType::Fastboot);
  EXPECT_EQ(rom.link, "https://bigota.d.miui.com/7.1.12/cancro_images.tgz");
}

TEST(Catalog, RejectsAFieldGivenUnderBothNames) {
  EXPECT_NE(skip_reason(with(R"("name": "Other")")).find("alias"), std::string::npos);
}

TEST(Catalog, DerivesCodenameVariantAndRegion) {
  EXPECT_EQ(parse_one(with(R"("variant": "dipper_eea_global")")).region, "Global");  // device name wins
  Rom rom = parse_one(R"({"codename": "cancro_lte_ct", "device": "MI 4 LTE CT", "version": "1", "branch": "Stable",
    "type": "Recovery", "link": "https://h/x.zip"})");
  EXPECT_EQ(rom.codename, "cancro_lte_ct");  // no region suffix: a device of its own, not cut at the first '_'
  EXPECT_EQ(rom.variant, "cancro_lte_ct");
  EXPECT_EQ(rom.region, "China");
  rom = parse_one(R"({"codename": "laurel_sprout_eea_global", "device": "Mi A3", "version": "1", "branch": "Stable",
    "type": "Recovery", "link": "https://h/x.zip"})");
  EXPECT_EQ(rom.codename, "laurel_sprout");
  EXPECT_EQ(rom.variant, "laurel_sprout_eea_global");
  EXPECT_EQ(rom.region, "EEA");
  EXPECT_EQ(rom.os, "MIUI");
  EXPECT_EQ(parse_one(R"({"codename": "air", "device": "Redmi 13R 5G China", "version": "OS2.0.1.0.VGQCNXM",
    "branch": "Stable", "type": "Recovery", "link": "https://h/x.zip"})")
                .os,
            "HyperOS");
  EXPECT_EQ(parse_one(with(R"("site_codename": "laurel")")).site_codename, "laurel");
  EXPECT_NE(skip_reason(with(R"("os": "Android")")).find("unknown os"), std::string::npos);
  rom = parse_one(R"({"codename": "dipper", "variant": "dipper_eea_global", "device": "Mi 8", "version": "1",
    "branch": "Stable", "type": "Recovery", "link": "https://h/x.zip"})");
  EXPECT_EQ(rom.codename, "dipper");
  EXPECT_EQ(rom.variant, "dipper_eea_global");
  EXPECT_EQ(rom.region, "EEA");
  rom = parse_one(R"({"codename": "dipper", "device": "Mi 8", "region": "india", "version": "1",
    "branch": "Stable", "type": "Recovery", "link": "https://h/x.zip"})");
  EXPECT_EQ(rom.region, "India");
}

TEST(Catalog, ParsesSizes) {
  EXPECT_EQ(parse_one(with(R"("size": "3.0 GB")")).size, 3000000000u);
  EXPECT_EQ(parse_one(with(R"("size": "3.0 GB")")).size_label, "3.0 GB");
  EXPECT_EQ(parse_one(with(R"("size": 1234)")).size, 1234u);
  EXPECT_EQ(parse_one(with(R"("size": null)")).size, std::nullopt);
  EXPECT_NE(skip_reason(with(R"("size": "big")")).find("bad size"), std::string::npos);
  EXPECT_NE(skip_reason(with(R"("size": -5)")).find("size"), std::string::npos);
}

TEST(Catalog, NormalisesMd5) {
  EXPECT_EQ(parse_one(with(R"("md5": "C18AAD4FC41B831D1107F10A7BB2DE0F")")).md5, "c18aad4fc41b831d1107f10a7bb2de0f");
  for (const char* unknown : {R"("md5": null)", R"("md5": "")", R"("md5": "Unknown")", R"("md5": "unknown")"})
    EXPECT_EQ(parse_one(with(unknown)).md5, "") << unknown;
  EXPECT_NE(skip_reason(with(R"("md5": "c18aad4fc4")")).find("bad md5"), std::string::npos);
  EXPECT_NE(skip_reason(with(R"("md5": "z18aad4fc41b831d1107f10a7bb2de0f")")).find("bad md5"), std::string::npos);
}

TEST(Catalog, FilenameComesFromTheLinkWithoutQuery) {
  const Rom rom = parse_one(R"({"codename": "a", "device": "A", "version": "1", "branch": "Stable", "type": "Recovery",
    "link": "https://bigota.d.miui.com/V1/miui_A_V1_abcdef0123_11.0.zip?t=123&s=abc"})");
  EXPECT_EQ(rom.filename, "miui_A_V1_abcdef0123_11.0.zip");
}

TEST(Catalog, SkipsRecordsThatBreakARule) {
  EXPECT_EQ(skip_reason(
                R"({"device": "A", "version": "1", "branch": "Stable", "type": "Recovery", "link": "https://h/x"})"),
            "missing required field \"codename\"");
  EXPECT_NE(skip_reason(R"({"codename": "a", "device": "A", "version": "1", "branch": "Nightly", "type": "Recovery",
    "link": "https://h/x.zip"})")
                .find("unknown branch"),
            std::string::npos);
  EXPECT_NE(skip_reason(R"({"codename": "a", "device": "A", "version": "1", "branch": "Stable", "type": "zip",
    "link": "https://h/x.zip"})")
                .find("unknown type"),
            std::string::npos);
  for (const char* link : {"ftp://h/x.zip", "file:///etc/passwd", "//h/x.zip", "gopher://h/x", "https:///x.zip"}) {
    const std::string record = std::string(R"({"codename": "a", "device": "A", "version": "1", "branch": "Stable",
      "type": "Recovery", "link": ")") +
                               link + "\"}";
    EXPECT_NE(skip_reason(record).find("not an http(s) URL"), std::string::npos) << link;
  }
  EXPECT_NE(skip_reason(with(R"("filename": "../../etc/passwd")")).find("path separator"), std::string::npos);
  EXPECT_NE(skip_reason(with(R"("filename": "..")")).find(".."), std::string::npos);
  EXPECT_NE(skip_reason(with(R"("mirrors": ["file:///x"])")).find("mirror"), std::string::npos);
  EXPECT_NE(skip_reason(R"({"codename": "a", "device": "A", "version": 8.12, "branch": "Stable", "type": "Recovery",
    "link": "https://h/x.zip"})")
                .find("field \"version\" must be a string"),
            std::string::npos);
  EXPECT_NE(skip_reason(with(R"("date": "2018-13-45")")).find("bad date"), std::string::npos);
  EXPECT_EQ(skip_reason("null"), "record is not a JSON object");
}

TEST(Catalog, IgnoresUnknownFieldsAndCountsSkipped) {
  const Catalog catalog = parse_records(std::string(kGood) + ", 42, " +
                                        with(R"("extra": {"x": 1}, "filename": "other.zip")") + ", \"x\"");
  EXPECT_EQ(catalog.roms.size(), 2u);
  ASSERT_EQ(catalog.skipped.size(), 2u);
  EXPECT_EQ(catalog.skipped.front().index, 1u);
  EXPECT_EQ(skipped_summary(catalog),
            "skipped 2 invalid catalog records (first: record 2: record is not a JSON object)");
}

TEST(Catalog, ReadsTheWrappedFormAndChecksTheSchema) {
  const Catalog catalog = parse_catalog(
      std::string(R"({"schema": "xfu-catalog/1", "generated": "2026-08-23T00:00:00Z", "roms": [)") + kGood + "]}");
  EXPECT_EQ(catalog.generated, "2026-08-23T00:00:00Z");
  EXPECT_EQ(catalog.roms.size(), 1u);
  const auto code_of = [](const std::string& text) {
    try {
      parse_catalog(text);
    } catch (const Error& e) {
      return std::make_pair(e.code(), std::string(e.what()));
    }
    return std::make_pair(ExitCode::Success, std::string());
  };
  EXPECT_EQ(code_of(R"({"schema": "xfu-catalog/2", "roms": []})").first, ExitCode::InvalidCatalog);
  EXPECT_EQ(code_of(R"({"roms": []})").first, ExitCode::InvalidCatalog);
  EXPECT_EQ(code_of(R"({"schema": "xfu-catalog/1", "roms": {}})").first, ExitCode::InvalidCatalog);
  EXPECT_EQ(code_of(R"("just text")").first, ExitCode::InvalidCatalog);
  const auto [code, message] = code_of("[\n  {\"codename\": \n  ,]");
  EXPECT_EQ(code, ExitCode::InvalidCatalog);
  EXPECT_NE(message.find("invalid JSON at line 3, column 3"), std::string::npos) << message;
}

TEST(Catalog, HostileInputStaysBounded) {
  // Over-long text is refused record by record.
  EXPECT_EQ(skip_reason(R"({"codename": "a", "version": "1", "branch": "Stable", "type": "Recovery",
    "link": "https://h/x.zip", "device": ")" +
                        std::string(5000, 'x') + "\"}"),
            "field \"device\" is longer than 4096 bytes");
  EXPECT_EQ(parse_one(with("\"changelog\": \"" + std::string(100000, 'x') + "\"")).changelog.size(), 100000u);
  EXPECT_NE(skip_reason(with("\"changelog\": \"" + std::string((1 << 20) + 1, 'x') + "\"")).find("changelog"),
            std::string::npos);
  // Duplicates count as skipped.
  const Catalog twice = parse_records(std::string(kGood) + "," + kGood);
  EXPECT_EQ(twice.roms.size(), 1u);
  EXPECT_EQ(twice.skipped.front().reason, "duplicate of record 1");
  // Deep nesting parses without blowing the stack; the record is just not an object.
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  const Catalog nested = parse_catalog("[" + deep + "]");
  EXPECT_TRUE(nested.roms.empty());
  EXPECT_EQ(nested.skipped.size(), 1u);
  // A million nulls: counted, not kept one by one.
  std::string nulls = "[";
  for (int i = 0; i < 1000000; ++i) nulls += i ? ",null" : "null";
  const Catalog empty = parse_catalog(nulls + "]");
  EXPECT_EQ(empty.skipped.size(), 1000000u);
  EXPECT_EQ(skipped_summary(empty),
            "skipped 1000000 invalid catalog records (first: record 1: record is not a JSON object)");
  // Invalid UTF-8 is invalid JSON.
  try {
    parse_catalog("[{\"codename\": \"a\xff\"}]");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::InvalidCatalog);
  }
}

TEST(Catalog, TheSmallFixtureParsesCleanly) {
  const Catalog catalog = parse_catalog(read_file(XFU_FIXTURES "/catalog-small.json"));
  EXPECT_EQ(catalog.roms.size(), 26u);
  EXPECT_TRUE(catalog.skipped.empty());
  EXPECT_EQ(count_devices(catalog), 5u);
}

}  // namespace
}  // namespace xfu
