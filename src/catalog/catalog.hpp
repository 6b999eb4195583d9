// The catalog format xfu-catalog/1 (docs/catalog.md) and its parser.
//
// A catalog is {"schema": "xfu-catalog/1", "generated": "...", "roms": [...]}
// or a bare array of records. Every record is checked at this boundary;
// records that break a rule are skipped and reported, never half-used.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/catalog_scan.hpp"
#include "core/rom.hpp"

namespace xfu {

inline constexpr std::string_view kCatalogSchema = "xfu-catalog/1";
// A catalog file (a single-file catalog, an index.json or a shard) larger
// than this is refused: no real catalog is near it, and neither an endless
// response nor a file like /dev/zero may fill the memory or the disk.
inline constexpr uint64_t kMaxCatalogBytes = 512ull << 20;

struct SkippedRecord {
  size_t index = 0;    // position in the roms array, from 0
  std::string reason;  // "missing required field \"link\""
};

// How many records were skipped, and why the first was: a catalog of ten
// million bad records must not cost ten million messages.
class SkippedRecords {
 public:
  void add(size_t index, std::string reason) {
    if (count_++ == 0) first_ = SkippedRecord{index, std::move(reason)};
  }
  // Adds every record `other` counts; its first, named with `prefix`, if this has none yet.
  void add_all(const SkippedRecords& other, const std::string& prefix) {
    if (other.empty()) return;
    if (count_ == 0) first_ = SkippedRecord{other.first_.index, prefix + other.first_.reason};
    count_ += other.count_;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  const SkippedRecord& front() const { return first_; }

 private:
  size_t count_ = 0;
  SkippedRecord first_;
};

// Text longer than this is refused at the boundary, record by record.
inline constexpr size_t kMaxFieldBytes = 4096;
inline constexpr size_t kMaxChangelogBytes = 1 << 20;

struct Catalog {
  std::string generated;  // ISO 8601, or empty for a bare array
  std::vector<Rom> roms;
  SkippedRecords skipped;
};

// Parses catalog text. Throws Error(ExitCode::InvalidCatalog) when the text
// is not JSON (the message gives line and column) or not a catalog.
Catalog parse_catalog(std::string_view json_text);

// Checks the catalog's outer shape (schema, generated, roms) and returns its
// "generated" date. Throws Error(ExitCode::InvalidCatalog).
std::string check_catalog_shape(const CatalogScan& scan);

// Builds a Catalog record by record: each is checked, duplicates are caught,
// and the bad ones are counted in `skipped`.
class CatalogBuilder {
 public:
  explicit CatalogBuilder(std::string generated);
  ~CatalogBuilder();
  // Adds the record at `index` (its position in the catalog) if `keep`, when
  // given, accepts it; returns why the record was skipped, if it was.
  std::optional<std::string> add(size_t index, std::string_view record_text,
                                 const std::function<bool(const Rom&)>& keep = {});
  Catalog finish();

 private:
  Catalog catalog_;
  std::unordered_map<std::string, size_t> seen_;  // file name + device -> first record
};

// Number of distinct base codenames.
size_t count_devices(const Catalog& catalog);

// "skipped 3 invalid catalog records (first: record 17: bad md5 ...)", or
// empty when nothing was skipped.
std::string skipped_summary(const Catalog& catalog);

}  // namespace xfu
