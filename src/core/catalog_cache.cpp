#include "core/catalog_cache.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/hash.hpp"
#include "util/atomic_file.hpp"

namespace xfu {

std::string CatalogCache::key(const std::string& url) const { return "catalog-" + sha256_hex(url).substr(0, 16); }

std::filesystem::path CatalogCache::body_path(const std::string& url) const { return dir_ / (key(url) + ".json"); }

std::filesystem::path CatalogCache::meta_path(const std::string& url) const {
  return dir_ / (key(url) + ".meta.json");
}

void CatalogCache::prepare() const { std::filesystem::create_directories(dir_); }

std::optional<CacheEntry> CatalogCache::lookup(const std::string& url) const {
  if (!enabled()) return std::nullopt;
  std::error_code error;
  const auto meta = meta_path(url);
  if (!std::filesystem::exists(meta, error) || !std::filesystem::exists(body_path(url), error)) return std::nullopt;
  const auto document = nlohmann::json::parse(read_file(meta), nullptr, false);
  if (document.is_discarded() || !document.is_object()) throw std::runtime_error("metadata is not JSON");
  try {
    CacheEntry entry;
    entry.url = document.at("url").get<std::string>();
    entry.etag = document.value("etag", "");
    entry.last_modified = document.value("last_modified", "");
    entry.fetched_at = document.at("fetched_at").get<int64_t>();
    entry.checked_at = document.at("checked_at").get<int64_t>();
    if (entry.url != url) throw std::runtime_error("metadata belongs to another URL");
    return entry;
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error("metadata is incomplete");
  }
}

void CatalogCache::store_meta(const CacheEntry& entry) const {
  const nlohmann::json document{{"url", entry.url},
                                {"etag", entry.etag},
                                {"last_modified", entry.last_modified},
                                {"fetched_at", entry.fetched_at},
                                {"checked_at", entry.checked_at}};
  write_file_atomically(meta_path(entry.url), document.dump(1) + "\n");
}

void CatalogCache::discard(const std::string& url) const {
  std::error_code error;
  std::filesystem::remove(meta_path(url), error);
  std::filesystem::remove(body_path(url), error);
}

}  // namespace xfu
