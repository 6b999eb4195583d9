// The sharded catalog layout (docs/catalog.md): an index.json, schema
// xfu-catalog-index/1, naming one shard per base codename with its record
// count, size and SHA-256; each shard is an xfu-catalog/1 file holding that
// device's records. A query fetches the index and one shard.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/record_source.hpp"

namespace xfu {

inline constexpr std::string_view kShardIndexSchema = "xfu-catalog-index/1";

struct ShardEntry {
  std::string codename;  // base codename, lower case
  std::string path;      // relative to the index: "shards/dipper.json"
  uint64_t records = 0;
  uint64_t bytes = 0;
  std::string sha256;  // lower-case hex
};

struct ShardIndex {
  std::string generated;
  std::vector<ShardEntry> shards;  // sorted by codename
  // Other names of devices, lower case: the XFU site's folder name -> the devices' own codenames.
  std::map<std::string, std::vector<std::string>> aliases;
  std::vector<UpstreamSource> sources;
  // Per codename, when the index gives them: its device names and variants (for suggestions and completion).
  struct Names {
    std::vector<std::string> devices;
    std::vector<std::string> variants;
  };
  std::map<std::string, Names> names;
  const ShardEntry* find(std::string_view codename) const;  // by the base of a codename or variant, any case
  // The shards that hold `name`'s records: its own, or those of the devices it is an alias of.
  std::vector<const ShardEntry*> find_all(std::string_view name) const;
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

class ShardedCatalog : public RecordSource {
 public:
  // Returns a shard's text, checked against its entry; nothing when it is
  // not at hand (`cached_only`: only what is already stored locally).
  using Fetch = std::function<std::optional<std::string>(const ShardEntry& entry, bool cached_only)>;
  // Whether a shard may hold `needle`, when that is cheaper to tell than fetching it; false only when it cannot.
  using Probe = std::function<bool(const ShardEntry& entry, std::string_view needle)>;

  ShardedCatalog(ShardIndex index, Fetch fetch, Probe probe = {})
      : index_(std::move(index)), fetch_(std::move(fetch)), probe_(std::move(probe)) {}

  Catalog records_of(std::string_view codename) override;
  // Looks through the shards at hand only: a file-name lookup must not fetch every shard.
  Catalog records_with_file(std::string_view filename) override;
  // Every record of every shard (fetches them all).
  Catalog all() override;
  // Names, device names, date and counts all come from index.json: no shard is read.
  std::vector<std::string> names() override;
  std::vector<std::pair<std::string, std::string>> device_names() override;
  std::string generated() const override { return index_.generated; }
  RecordSummary summary() override;

 private:
  ShardIndex index_;
  Fetch fetch_;
  Probe probe_;
};

}  // namespace xfu
