// The on-disk cache of remote catalogs: one body file and one metadata file
// per URL under $XDG_CACHE_HOME/xfu/. Every write is atomic (temporary file
// and rename), so a reader sees a whole old file or a whole new one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace xfu {

struct CacheEntry {
  std::string url;
  std::string etag;
  std::string last_modified;
  int64_t fetched_at = 0;  // when the body was downloaded
  int64_t checked_at = 0;  // when the server last confirmed it (200 or 304)
};

class CatalogCache {
 public:
  explicit CatalogCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  bool enabled() const { return !dir_.empty(); }
  std::filesystem::path body_path(const std::string& url) const;

  // The entry for `url`; nothing when there is none. Throws
  // std::runtime_error when the metadata is unreadable or inconsistent.
  std::optional<CacheEntry> lookup(const std::string& url) const;
  void store_meta(const CacheEntry& entry) const;
  // Removes the body and metadata of `url`; missing files are fine.
  void discard(const std::string& url) const;
  // Creates the cache directory.
  void prepare() const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path meta_path(const std::string& url) const;
  std::string key(const std::string& url) const;
};

}  // namespace xfu
