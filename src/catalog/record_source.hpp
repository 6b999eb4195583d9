// What a loaded catalog offers, however its records are kept: a single file
// read through its record offsets (FileCatalog), or a sharded layout fetched
// shard by shard (ShardedCatalog; the built-in snapshot is one). Callers ask
// for records, never for the kind of source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"

namespace xfu {

// Where a catalog was generated from: an upstream repository at a commit.
struct UpstreamSource {
  std::string name;        // "site", "tracker"
  std::string repository;  // "XiaomiFirmwareUpdater/miui-updates-tracker"
  std::string commit;
  std::string date;
};

// What xfu catalog info tells about the records, as cheaply as the source can tell it.
struct RecordSummary {
  uint64_t records = 0;
  std::optional<size_t> skipped;  // invalid records; unknown when only reading every record would tell
  size_t devices = 0;
  bool sharded = false;                                 // the records are kept in a sharded layout
  std::optional<std::vector<UpstreamSource>> upstream;  // where the catalog was generated from, when it says
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;

  // Every record. A sharded catalog fetches every shard.
  virtual Catalog all() = 0;
  // The records of one device (base codename or variant, any case); only
  // that device's records are read.
  virtual Catalog records_of(std::string_view codename) = 0;
  // The records of one package name. A sharded catalog looks only through
  // the shards at hand: a file-name lookup must not fetch every shard.
  virtual Catalog records_with_file(std::string_view filename) = 0;
  // Every codename and variant, lower case, sorted, each once: for completion.
  virtual std::vector<std::string> names() = 0;
  // (base codename, a device name) pairs, enough to suggest a codename; a
  // sharded catalog whose index.json names no devices gives an empty name.
  virtual std::vector<std::pair<std::string, std::string>> device_names() = 0;
  // When the catalog was generated (ISO 8601); empty when it does not say.
  virtual std::string generated() const = 0;
  virtual RecordSummary summary() = 0;
};

}  // namespace xfu
