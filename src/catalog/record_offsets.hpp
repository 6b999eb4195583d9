// A single-file catalog's record offsets: where each record's bytes are,
// found by device name and by file name, so that a query reads and parses
// only the records it needs. ("Index" is kept for a sharded layout's
// index.json.)
//
// Finding them checks that the whole text is JSON with a catalog's shape;
// records themselves are checked when they are read (CatalogBuilder). The
// table is saved in the cache in a compact binary form (encode_offsets) that
// names the catalog file it describes by size, inode and times; any change
// to that file, or any damage to the table, makes decode_offsets refuse it.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xfu {

struct RecordOffsets {
  struct Name {
    std::string name;    // lower case: a base codename, a full codename or a variant
    uint32_t first = 0;  // into postings
    uint32_t count = 0;
  };

  std::string generated;
  std::vector<uint64_t> offsets;                     // per record: where its text starts in the catalog
  std::vector<uint32_t> lengths;                     // and how long it is
  std::vector<Name> names;                           // sorted by name
  std::vector<uint32_t> postings;                    // record numbers, ascending within each name
  std::vector<std::pair<uint64_t, uint32_t>> files;  // (hash of file name, record), sorted
  std::vector<uint32_t> unnamed;                     // records whose names only a full parse can tell (escapes, none)
  std::vector<uint32_t> unfiled;                     // likewise for file names

  size_t size() const { return offsets.size(); }
  // Records that may belong to `codename` (base codename or variant, any
  // case), ascending; a superset that the caller filters after parsing.
  std::vector<uint32_t> records_of(std::string_view codename) const;
  // Records that may have the package name `filename`, ascending; a superset too.
  std::vector<uint32_t> records_with_file(std::string_view filename) const;
  // Every name, lower case, sorted.
  std::vector<std::string_view> all_names() const;
};

// Scans catalog text and finds its records. Throws Error(ExitCode::InvalidCatalog) when
// it is not JSON or not a catalog.
RecordOffsets locate_records(std::string_view json_text);
// The same, for text that may also be a sharded catalog's index.json: then
// is_shard_index is set and there are no offsets.
struct ScannedCatalog {
  bool is_shard_index = false;
  RecordOffsets offsets;
};
ScannedCatalog scan_and_locate(std::string_view json_text);

// What identifies one version of a catalog file.
struct FileStamp {
  uint64_t size = 0;
  uint64_t inode = 0;
  uint64_t device = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};
FileStamp stamp_of(const struct stat& status);

// The most bytes encode_offsets() can give for a catalog file of
// `catalog_size` bytes: a saved table larger than that is not read at all.
uint64_t max_offsets_bytes(uint64_t catalog_size);

std::string encode_offsets(const RecordOffsets& offsets, const FileStamp& catalog);
// The offsets in `bytes`, when they are an intact table of this format for the
// catalog file `catalog`; nothing otherwise.
std::optional<RecordOffsets> decode_offsets(std::string_view bytes, const FileStamp& catalog);

}  // namespace xfu
