// The on-disk cache of remote catalogs under $XDG_CACHE_HOME/xfu/: per URL a
// metadata file (URL, ETag, Last-Modified, times) that names the body file
// it belongs to; beside a catalog body, BODY.idx holds its record offsets
// (record_offsets.hpp). The metadata file is the commit point: a new body is
// written under a new name first, then the metadata is replaced atomically,
// so any reader sees a matching pair, however many xfu run at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "util/atomic_file.hpp"

namespace xfu {

struct CacheEntry {
  std::string url;
  std::string etag;
  std::string last_modified;
  int64_t fetched_at = 0;  // when the body was downloaded
  int64_t checked_at = 0;  // when the server last confirmed it (200 or 304)
  std::string body;        // the body's file name in the cache directory
};

class CatalogCache {
 public:
  explicit CatalogCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  bool enabled() const { return !dir_.empty(); }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path body_path(const CacheEntry& entry) const { return dir_ / entry.body; }

  // The entry for `url`; nothing when there is none. Throws
  // std::runtime_error when the metadata is unreadable or inconsistent.
  std::optional<CacheEntry> lookup(const std::string& url) const;
  // A temporary file in the cache directory to download a new body into.
  TempFile new_body(const std::string& url) const;
  // Makes `temp` the body of `entry` (entry.body is set) and commits the
  // metadata; the body it replaces is removed.
  void store(CacheEntry& entry, TempFile& temp) const;
  // Replaces the metadata only (after a 304).
  void store_meta(const CacheEntry& entry) const;
  // Removes the metadata of `url` and the body file `body`, if given. Other
  // bodies are left to store(), which removes them once they are old.
  void discard(const std::string& url, const std::string& body = {}) const;
  void prepare() const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path meta_path(const std::string& url) const;
  std::string key(const std::string& url) const;
  void remove_old_bodies(const CacheEntry& current) const;
};

}  // namespace xfu
