// Where the catalog comes from, and getting it: from a file, from the
// built-in snapshot, or from a URL through the cache with conditional
// revalidation and fallbacks (fresh cache > stale cache > built-in).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/record_source.hpp"
#include "core/config.hpp"
#include "core/http.hpp"

namespace xfu {

// Where the project publishes the catalog (.github/workflows/catalog.yml): the
// whole archive as a sharded layout, regenerated every 6 hours.
inline constexpr const char* kDefaultCatalogUrl = "https://xfu-project.github.io/xfu/catalog/index.json";
// A source value that names the snapshot compiled into xfu.
inline constexpr const char* kBuiltinSourceName = "builtin";
// Seconds a cached remote catalog is used before it is revalidated.
inline constexpr int64_t kDefaultMaxAge = 3600;
// Seconds one catalog file or shard may take to arrive ("fetch_timeout" in the config file).
inline constexpr int64_t kDefaultFetchTimeout = 300;
// A catalog with nothing to stand in for it: seconds to connect, and seconds
// under 1 KiB/s (a server that accepts and never answers) before giving up.
inline constexpr long kCatalogConnectSeconds = 5;
inline constexpr long kCatalogStallSeconds = 20;
// The same with a copy at hand (a cached copy, or the built-in snapshot for
// the default source): a server this slow to answer costs more than the copy.
inline constexpr long kCatalogConnectSecondsWithCopy = 3;
inline constexpr long kCatalogStallSecondsWithCopy = 5;

enum class SourceKind { File, Url, Builtin };

struct CatalogSource {
  SourceKind kind = SourceKind::Builtin;
  std::string location;   // path or URL; "builtin"
  std::string chosen_by;  // "--catalog", "XFU_CATALOG", "config file PATH", "default"
  // Only the default source falls back to the built-in snapshot when it cannot
  // be had: a catalog the user named is that catalog or an error.
  bool builtin_fallback = false;
};

// What kind of source `value` names ("builtin", an http(s) URL, else a path).
// Throws Error(Usage) for a URL whose scheme is not http or https.
CatalogSource classify_source(const std::string& value, std::string chosen_by);

// Applies the order --catalog > $XDG_CATALOG > config file > default URL.
// Throws Error(Usage) for a URL whose scheme is not http or https.
CatalogSource choose_source(const std::optional<std::string>& flag, const Config& config);

enum class Origin {
  File,             // read from a local file
  Builtin,          // the built-in snapshot was asked for
  Downloaded,       // fetched now (200)
  Revalidated,      // the server said the cached copy is current (304)
  FreshCache,       // cached copy younger than max-age, not revalidated
  OfflineCache,     // cached copy used because of --offline
  StaleCache,       // the remote failed; an older cached copy was used
  BuiltinFallback,  // the remote failed and nothing was cached
};
std::string_view origin_description(Origin origin);

struct LoadOptions {
  bool offline = false;  // never touch the network
  bool refresh = false;  // revalidate even a fresh cache
  bool strict = false;   // a failed fetch is an error, not a fallback (xfu catalog update)
  // Offline because the command never needs the network (completion): no note, and without a cached copy the
  // built-in snapshot for any source.
  bool quiet_offline = false;
  // Any cached copy will do, however old (verify, download URL: only a checksum
  // is looked up). Without one, a source the user named is fetched (unless
  // offline); the default source is the built-in snapshot, without a note.
  bool cache_first = false;
  int64_t max_age = kDefaultMaxAge;
  std::filesystem::path cache_dir;  // empty: no cache
  HttpOptions http;
};

// What stands in for a remote catalog that could not be had (no answer, an
// error status, or a body that is not a catalog): with `strict` (xfu catalog
// update) nothing; else the cached copy, however old; else, for the default
// source only, the built-in snapshot.
enum class Fallback { CachedCopy, Builtin, None };
Fallback fallback_for(bool strict, bool has_cached_copy, bool builtin_fallback);

// `http` bounded for fetching a catalog (or a shard) that has `fallback` to
// stand in for it: the tighter bounds above when there is one, else the
// patient ones. The total (fetch_timeout) and the rest are kept.
HttpOptions catalog_fetch_bounds(HttpOptions http, Fallback fallback);

// Whether a body that should be JSON is an HTML page (a captive portal's, a login page).
bool looks_like_html(std::string_view body);

struct LoadedCatalog {
  CatalogSource source;
  Origin origin = Origin::Builtin;
  std::optional<CacheEntry> cache;  // for URL sources with a cached copy
  std::vector<std::string> notes;   // things the user should hear about, one line each
  // Notes that queries add later (a shard fetched or refused); the caller empties it.
  std::shared_ptr<std::vector<std::string>> later_notes = std::make_shared<std::vector<std::string>>();

  // The records, however they are kept (record_source.hpp).
  std::shared_ptr<RecordSource> records;

  // Every record, parsed on first use. A sharded catalog fetches every shard.
  const Catalog& catalog();
  // The records of one device (base codename or variant, any case); only
  // that device's records are read.
  Catalog catalog_for(std::string_view codename) { return records->records_of(codename); }
  // The records of one package name. A sharded catalog looks only through
  // the shards already cached.
  std::vector<Rom> roms_with_file(std::string_view filename) { return records->records_with_file(filename).roms; }
  // Every codename and variant, lower case, sorted: for completion.
  std::vector<std::string> names() { return records->names(); }
  // (base codename, a device name) pairs, enough to suggest a codename.
  std::vector<std::pair<std::string, std::string>> device_names() { return records->device_names(); }
  std::string generated() { return records->generated(); }
  // What xfu catalog info tells about the records.
  RecordSummary summary() { return records->summary(); }

 private:
  std::optional<Catalog> all_;
};

// Loads the catalog from `source`. Throws Error(InvalidCatalog) for a catalog
// that is not valid, Error(LocalFile) for a file that cannot be read, and,
// with `strict`, Error(Network) when a remote cannot be fetched. A catalog
// file's record offsets are saved in the cache directory on first use
// (record_offsets.hpp).
LoadedCatalog load_catalog(const CatalogSource& source, const LoadOptions& options);

// The text of a catalog source as it is now, not through the cache (xfu
// catalog check). A directory stands for the index.json in it. Throws
// Error(Network) or Error(LocalFile).
std::string read_source_text(const CatalogSource& source, const HttpOptions& http);
// The text of the file at `relative` beside the source (a shard beside its index.json).
std::string read_text_beside(const CatalogSource& source, const std::string& relative, const HttpOptions& http);

}  // namespace xfu
