#include "catalog/builtin_catalog.hpp"

extern "C" const char xfu_builtin_catalog_begin[];
extern "C" const char xfu_builtin_catalog_end[];

namespace xfu {

std::string_view builtin_pack_bytes() {
  return {xfu_builtin_catalog_begin, static_cast<size_t>(xfu_builtin_catalog_end - xfu_builtin_catalog_begin)};
}

const CatalogPack& builtin_pack() {
  static const CatalogPack pack(builtin_pack_bytes());
  return pack;
}

const ShardIndex& builtin_index() {
  static const ShardIndex index = parse_shard_index(builtin_pack().index_text());
  return index;
}

std::shared_ptr<ShardedCatalog> builtin_sharded_catalog() {
  const CatalogPack& pack = builtin_pack();
  // Compiled in and checked by the test suite (xfu catalog check builtin): no SHA-256 per query.
  return std::make_shared<ShardedCatalog>(
      builtin_index(), [&pack](const ShardEntry& entry, bool) { return pack.shard_text(entry.path); },
      [&pack](const ShardEntry& entry, std::string_view needle) { return pack.shard_may_contain(entry.path, needle); });
}

std::string builtin_catalog_date() { return builtin_index().generated.substr(0, 10); }

}  // namespace xfu
