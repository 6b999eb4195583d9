// The catalog snapshot compiled into xfu (data/catalog.pack): the whole
// archive as a sharded layout, one zstd-compressed shard per device.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "catalog/catalog_pack.hpp"
#include "catalog/sharded_catalog.hpp"

namespace xfu {

// The pack's bytes, as linked into the binary.
std::string_view builtin_pack_bytes();
const CatalogPack& builtin_pack();
// The pack's index.json, parsed once.
const ShardIndex& builtin_index();
// The built-in snapshot as a sharded catalog: each query decompresses the shards it reads.
std::shared_ptr<ShardedCatalog> builtin_sharded_catalog();
// The built-in snapshot's date, YYYY-MM-DD.
std::string builtin_catalog_date();

}  // namespace xfu
