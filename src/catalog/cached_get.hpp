// Getting a file of a remote catalog through the cache: the catalog itself
// (or a sharded layout's index.json) and each shard. A cached copy the caller
// finds current is used as it is; otherwise a conditional GET
// (If-None-Match, If-Modified-Since) asks the server: 304 keeps the copy, 200
// replaces it atomically once the new body passed the caller's check, and a
// failure is left to the caller's fallback.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_cache.hpp"
#include "core/http.hpp"

namespace xfu {

// What a caller makes of the cached copy it is shown.
enum class CachedCopy {
  Use,         // current: taken as it is, the server is not asked
  Revalidate,  // asked about with a conditional GET
  Ignore,      // damaged or unreadable: the file is fetched as if nothing were cached
};

struct CachedGetResult {
  enum class Outcome {
    Cached,       // the cached copy was taken as it is
    NotModified,  // 304: the cached copy is current
    Downloaded,   // 200: `body` is the new text
    NotFetched,   // nothing usable was cached, and the network was not to be used
    Failed,       // no answer (status 0), or one that is neither 200 nor 304
  };
  Outcome outcome = Outcome::NotFetched;
  // Cached, NotModified: the copy. Downloaded: the new entry, when it could be stored.
  // Failed: the copy that was to be revalidated, for the caller's fallback.
  std::optional<CacheEntry> entry;
  std::string body;
  long status = 0;
  std::string failure;             // Failed: the network error, or the status described
  std::vector<std::string> notes;  // things the user should hear about (the cache could not be used)
};

struct RemoteFile {
  std::string url;
  std::string what;  // "catalog", "catalog shard": how notes name it
  HttpOptions http;  // with the largest body to accept
  // A cache directory that cannot be written is a note: the file is then used without being cached.
};

class CachedGet {
 public:
  using Judge = std::function<CachedCopy(const CacheEntry& copy)>;
  // Throws to refuse a new body; a refused body is not stored.
  using Check = std::function<void(std::string_view body)>;

  CachedGet(CatalogCache cache, RemoteFile file) : cache_(std::move(cache)), file_(std::move(file)) {}
  // Bounds the fetch anew, once the caller knows what would stand in for the file.
  void set_http(const HttpOptions& http) { file_.http = http; }

  // The cached copy, if there is one. Damaged metadata is discarded, and
  // `on_damage` hears what was wrong with it.
  std::optional<CacheEntry> cached_copy(const std::function<void(const std::string& why)>& on_damage = {}) const;

  // Gets the file: `judge` decides about `copy`, when there is one; without
  // `network`, only a copy it takes will do.
  CachedGetResult get(const std::optional<CacheEntry>& copy, const Judge& judge, const Check& check,
                      bool network) const;

 private:
  CatalogCache cache_;
  RemoteFile file_;

  CachedGetResult fetch(const std::optional<CacheEntry>& stale, const Check& check) const;
  std::optional<TempFile> new_cache_temp(std::string& why) const;
  std::optional<CacheEntry> store(TempFile& temp, const HttpResponse& response, CachedGetResult& result) const;
};

// The text at `url` as the server gives it now, not through the cache (xfu
// catalog check). Throws Error(Network) when it cannot be had.
std::string fetch_uncached(const std::string& url, const HttpOptions& http);

}  // namespace xfu
