// What maintainers run on a catalog: check it record by record, and split it
// into the sharded layout (docs/catalog.md).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"

namespace xfu {

struct CheckReport {
  size_t records = 0;                 // records read
  size_t shards = 0;                  // shards read (a sharded layout)
  std::vector<std::string> problems;  // one line each: "record 17: bad md5 ..."
};

// Checks catalog text, or a sharded layout's index.json text together with
// its shards, which `read_shard` returns by their path in the index (it
// throws Error when a shard cannot be had).
CheckReport check_catalog(std::string_view text, const std::function<std::string(const std::string& path)>& read_shard);

struct SplitResult {
  size_t records = 0;  // records written to shards
  size_t shards = 0;
  SkippedRecords skipped;  // invalid records, left out
};

// Writes `text` (a catalog) as a sharded layout into `outdir`: one shard per
// base codename under shards/, then index.json. Records are copied byte for
// byte, so a query gives the same answer from either form. Throws
// Error(InvalidCatalog) for text that is not a catalog, Error(LocalFile)
// when a file cannot be written.
SplitResult split_catalog(std::string_view text, const std::filesystem::path& outdir);

}  // namespace xfu
