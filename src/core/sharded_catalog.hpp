// The sharded catalog layout (docs/catalog.md): an index.json, schema
// xfu-catalog-index/1, naming one shard per base codename with its record
// count, size and SHA-256; each shard is an xfu-catalog/1 file holding that
// device's records. A query fetches the index and one shard.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.hpp"

namespace xfu {

inline constexpr std::string_view kShardIndexSchema = "xfu-catalog-index/1";

struct ShardEntry {
  std::string codename;  // base codename, lower case
  std::string path;      // relative to the index: "shards/dipper.json"
  uint64_t records = 0;
  uint64_t bytes = 0;
  std::string sha256;    // lower-case hex
};

struct ShardIndex {
  std::string generated;
  std::vector<ShardEntry> shards;  // sorted by codename
  const ShardEntry* find(std::string_view codename) const;  // by the base of a codename or variant, any case
};

// True when `scan` is of a shard index rather than a catalog.
bool is_shard_index(const CatalogScan& scan);
// Reads index.json text. Throws Error(InvalidCatalog) naming the first problem.
ShardIndex parse_shard_index(std::string_view json_text);
// The problems of an index, one per line; empty when there are none.
std::vector<std::string> shard_index_problems(std::string_view json_text);
std::string shard_index_json(const ShardIndex& index);

// A shard path is relative and plain: segments of letters, digits, '.', '_'
// and '-', no "." or "..". Nothing, when it is; why not, otherwise.
std::optional<std::string> shard_path_problem(std::string_view path);

// Throws Error(InvalidCatalog) when `text` is not the shard `entry` describes.
void check_shard(const ShardEntry& entry, std::string_view text);

class ShardedCatalog {
 public:
  // Returns a shard's text, checked against its entry; nothing when it is
  // not at hand (`cached_only`: only what is already stored locally).
  using Fetch = std::function<std::optional<std::string>(const ShardEntry& entry, bool cached_only)>;

  ShardedCatalog(ShardIndex index, Fetch fetch) : index_(std::move(index)), fetch_(std::move(fetch)) {}

  const ShardIndex& index() const { return index_; }
  Catalog records_of(std::string_view codename);
  // Looks through the shards at hand only: a file-name lookup must not fetch every shard.
  Catalog records_with_file(std::string_view filename);
  // Every record of every shard (fetches them all).
  Catalog all();

 private:
  ShardIndex index_;
  Fetch fetch_;
};

}  // namespace xfu
