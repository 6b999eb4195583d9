// The container of the built-in snapshot: a sharded catalog (index.json and
// its shards, docs/catalog.md) in one file, each shard compressed on its own
// with zstd so that a query decompresses only the device it asks about, and
// every distinct changelog stored once for all the shards that repeat it.
//
//   "XFUPACK1\n"
//   one line of JSON: {"index": index.json text, "shards": {path: [offset, length]},
//                      "changelogs": {"per_block": N, "blocks": [[offset, length], ...]}}
//   the compressed blobs; offsets count from the end of that line
//
// A stored shard is the shard's text with each "changelog" value replaced by
// \x01ID\x01 (raw control bytes never occur in JSON text); the changelog
// blocks hold the values as JSON string literals, one per line. Putting them
// back gives the shard's exact bytes, which the index's SHA-256 then checks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/sharded_catalog.hpp"

namespace xfu {

// Packs the sharded layout in `directory` (its index.json and shards).
// Throws Error(InvalidCatalog) when a shard does not match the index, and
// Error(LocalFile) when a file cannot be read.
std::string pack_catalog(const std::filesystem::path& directory, int level = 19);

class CatalogPack {
 public:
  // `bytes` must outlive this. Throws Error(InvalidCatalog) when they are not a pack.
  explicit CatalogPack(std::string_view bytes);

  std::string_view index_text() const { return index_text_; }
  // The shard at `path` (as the index names it), exactly as it was packed;
  // nothing when the pack has no such shard. Throws Error(InvalidCatalog) on damage.
  std::optional<std::string> shard_text(const std::string& path) const;
  // Whether the shard at `path` may hold `needle` outside its changelogs: a
  // cheap test before parsing it (false only when it certainly does not).
  bool shard_may_contain(const std::string& path, std::string_view needle) const;

 private:
  struct Blob {
    uint64_t offset = 0;
    uint64_t length = 0;
  };
  std::string_view blobs_;
  std::string index_text_;
  std::unordered_map<std::string, Blob> shards_;
  std::vector<Blob> changelog_blocks_;
  size_t per_block_ = 1;

  std::string stored_shard(const Blob& blob) const;
  std::vector<std::string> changelog_block(size_t block) const;
};

}  // namespace xfu
