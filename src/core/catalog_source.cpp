#include "core/catalog_source.hpp"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "core/builtin_catalog.hpp"
#include "core/catalog_scan.hpp"
#include "core/exit_code.hpp"
#include "util/atomic_file.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

// A catalog larger than this is refused: no real catalog is near it, and an
// endless response must not fill the disk.
constexpr uint64_t kMaxCatalogBytes = 512ull << 20;

CatalogSource classify(const std::string& value, std::string chosen_by) {
  if (value == kBuiltinSourceName) return {SourceKind::Builtin, value, std::move(chosen_by)};
  if (istarts_with(value, "http://") || istarts_with(value, "https://"))
    return {SourceKind::Url, value, std::move(chosen_by)};
  const auto scheme = value.find("://");
  if (scheme != std::string::npos)
    throw Error(ExitCode::Usage, "catalog source " + value + " (from " + chosen_by +
                                     "): only http://, https:// and file paths are supported");
  return {SourceKind::File, value, std::move(chosen_by)};
}

Catalog parse_labelled(std::string_view text, const std::string& label) {
  try {
    return parse_catalog(text);
  } catch (const Error& e) {
    throw Error(e.code(), label + ": " + e.what());
  }
}

std::string age_of(int64_t since) { return format_age(unix_now() - since) + " old"; }

class RemoteLoader {
 public:
  RemoteLoader(const CatalogSource& source, const LoadOptions& options)
      : url_(source.location), options_(options), cache_(options.cache_dir) {
    result_.source = source;
  }

  LoadedCatalog load() {
    const std::optional<CacheEntry> cached = lookup_cache();
    if (options_.offline) return offline(cached);
    if (cached && !options_.refresh && unix_now() - cached->checked_at < options_.max_age) {
      if (use_cache(*cached, Origin::FreshCache)) return std::move(result_);
      return fetch(std::nullopt);
    }
    return fetch(cached);
  }

 private:
  std::string url_;
  const LoadOptions& options_;
  CatalogCache cache_;
  LoadedCatalog result_;

  std::optional<CacheEntry> lookup_cache() {
    try {
      return cache_.lookup(url_);
    } catch (const std::exception& e) {
      cache_.discard(url_);
      result_.notes.push_back("cached catalog for " + url_ + " was damaged (" + e.what() + ") and was discarded");
      return std::nullopt;
    }
  }

  // Parses the cached body; a damaged one is discarded with a note. When
  // another xfu replaced the body meanwhile, the metadata is read again; a
  // body that is still missing is a miss, not damage.
  bool use_cache(CacheEntry entry, Origin origin) {
    std::string text;
    for (int attempt = 0;; ++attempt) {
      try {
        text = read_file(cache_.body_path(entry));
        break;
      } catch (const std::system_error& e) {
        if (e.code() != std::errc::no_such_file_or_directory) return damaged(entry, e.what());
        std::optional<CacheEntry> newer;
        try {
          newer = cache_.lookup(url_);
        } catch (const std::exception&) {
        }
        if (!newer || newer->body == entry.body || attempt == 3) return false;
        entry = *newer;
      }
    }
    try {
      result_.parsed = parse_catalog(text);
    } catch (const std::exception& e) {
      return damaged(entry, e.what());
    }
    result_.origin = origin;
    result_.cache = entry;
    return true;
  }

  bool damaged(const CacheEntry& entry, const std::string& why) {
    cache_.discard(url_, entry.body);
    result_.notes.push_back("cached catalog for " + url_ + " was damaged (" + why + ") and was discarded");
    return false;
  }

  LoadedCatalog offline(const std::optional<CacheEntry>& cached) {
    if (cached && use_cache(*cached, Origin::OfflineCache)) return std::move(result_);
    if (options_.quiet_offline) {
      result_.origin = Origin::BuiltinFallback;
      return std::move(result_);
    }
    return fall_back_to_builtin("offline, and no cached copy of " + url_);
  }

  LoadedCatalog fall_back_to_builtin(const std::string& why) {
    result_.parsed.reset();
    result_.origin = Origin::BuiltinFallback;
    result_.cache.reset();
    result_.notes.push_back(why + "; using the built-in catalog from " + builtin_catalog_date());
    return std::move(result_);
  }

  LoadedCatalog fetch_failed(const std::string& why, const std::optional<CacheEntry>& cached) {
    if (options_.strict) throw Error(ExitCode::Network, "cannot fetch catalog " + url_ + ": " + why);
    if (cached && use_cache(*cached, Origin::StaleCache)) {
      result_.notes.push_back("cannot fetch catalog " + url_ + " (" + why + "); using the cached copy, " +
                              age_of(cached->fetched_at));
      return std::move(result_);
    }
    return fall_back_to_builtin("cannot fetch catalog " + url_ + " (" + why + ")");
  }

  LoadedCatalog fetch(const std::optional<CacheEntry>& cached) {
    std::vector<std::string> headers;
    if (cached && !cached->etag.empty()) headers.push_back("If-None-Match: " + cached->etag);
    if (cached && !cached->last_modified.empty()) headers.push_back("If-Modified-Since: " + cached->last_modified);

    TempFile temp;
    const bool caching = cache_.enabled() && prepare_cache();
    try {
      temp = caching ? cache_.new_body(url_) : anonymous_temp();
    } catch (const std::system_error& e) {
      throw Error(ExitCode::LocalFile, e.what());
    }
    struct Cleanup {
      TempFile& temp;
      ~Cleanup() {
        if (temp.fd >= 0) ::close(temp.fd);
        if (!temp.path.empty()) std::filesystem::remove(temp.path);
      }
    } cleanup{temp};

    HttpOptions http = options_.http;
    http.max_body_bytes = kMaxCatalogBytes;
    HttpResponse response;
    try {
      response = http_get(url_, headers, temp.fd, http);
    } catch (const Error& e) {
      if (e.code() != ExitCode::Network) throw;
      return fetch_failed(e.what(), cached);
    }

    if (response.status == 304 && cached) return revalidated(*cached);
    if (response.status != 200) return fetch_failed(describe_http_status(response.status), cached);

    std::string body;
    try {
      body = read_file(temp.path);
    } catch (const std::system_error& e) {
      throw Error(ExitCode::LocalFile, std::string("cannot read the downloaded catalog: ") + e.what());
    }
    result_.parsed = parse_labelled(body, "catalog from " + url_);
    result_.origin = Origin::Downloaded;
    if (caching) store(temp, response);
    return std::move(result_);
  }

  LoadedCatalog revalidated(CacheEntry entry) {
    entry.checked_at = unix_now();
    if (!use_cache(entry, Origin::Revalidated)) return fetch(std::nullopt);
    try_store_meta(entry);
    return std::move(result_);
  }

  bool prepare_cache() {
    try {
      cache_.prepare();
      return true;
    } catch (const std::exception& e) {
      result_.notes.push_back(std::string("cannot use the cache directory: ") + e.what());
      return false;
    }
  }

  static TempFile anonymous_temp() {
    const char* dir = std::getenv("TMPDIR");
    return create_temp_beside(std::filesystem::path(dir && *dir ? dir : "/tmp") / "xfu-catalog");
  }

  void store(TempFile& temp, const HttpResponse& response) {
    CacheEntry entry{url_, response.etag, response.last_modified, unix_now(), unix_now(), {}};
    try {
      cache_.store(entry, temp);
      result_.cache = entry;
    } catch (const std::exception& e) {
      result_.notes.push_back(std::string("cannot save the catalog in the cache: ") + e.what());
    }
  }

  void try_store_meta(const CacheEntry& entry) {
    try {
      cache_.store_meta(entry);
    } catch (const std::exception& e) {
      result_.notes.push_back(std::string("cannot update the cache: ") + e.what());
    }
  }
};

}  // namespace

CatalogSource choose_source(const std::optional<std::string>& flag, const Config& config) {
  if (flag && !flag->empty()) return classify(*flag, "--catalog");
  if (const char* env = std::getenv("XFU_CATALOG"); env && *env) return classify(env, "XFU_CATALOG");
  if (config.catalog) return classify(*config.catalog, "config file " + config.path.string());
  return classify(kDefaultCatalogUrl, "default");
}

std::string_view origin_description(Origin origin) {
  switch (origin) {
    case Origin::File: return "local file";
    case Origin::Builtin: return "built-in snapshot";
    case Origin::Downloaded: return "downloaded now";
    case Origin::Revalidated: return "cached copy, confirmed current by the server now";
    case Origin::FreshCache: return "cached copy";
    case Origin::OfflineCache: return "cached copy (offline)";
    case Origin::StaleCache: return "stale cached copy (the server could not be reached)";
    case Origin::BuiltinFallback: return "built-in snapshot (the server could not be reached)";
  }
  return "";
}

Catalog load_builtin_catalog() { return parse_labelled(builtin_catalog_json(), "built-in catalog"); }

std::string builtin_catalog_date() { return std::string(scan_catalog(builtin_catalog_json()).generated.substr(0, 10)); }

const Catalog& LoadedCatalog::catalog() {
  if (!parsed) parsed = load_builtin_catalog();
  return *parsed;
}

std::vector<Rom> LoadedCatalog::roms_with_file(std::string_view filename) {
  if (!parsed) return parse_catalog_for_file(builtin_catalog_json(), filename).roms;
  std::vector<Rom> roms;
  for (const Rom& rom : parsed->roms)
    if (rom.filename == filename) roms.push_back(rom);
  return roms;
}

Catalog LoadedCatalog::catalog_for(std::string_view codename) {
  if (!parsed) return parse_catalog_for(builtin_catalog_json(), codename);
  Catalog subset;
  subset.generated = parsed->generated;
  subset.skipped = parsed->skipped;
  for (const Rom& rom : parsed->roms)
    if (iequals(rom.codename, codename) || iequals(rom.variant, codename)) subset.roms.push_back(rom);
  return subset;
}

LoadedCatalog load_catalog(const CatalogSource& source, const LoadOptions& options) {
  if (source.kind == SourceKind::Url) return RemoteLoader(source, options).load();
  LoadedCatalog result;
  result.source = source;
  if (source.kind == SourceKind::Builtin) {
    result.origin = Origin::Builtin;
    return result;
  }
  std::string text;
  try {
    text = read_file(source.location);
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, "cannot read catalog " + source.location + ": " + e.code().message());
  }
  result.parsed = parse_labelled(text, "catalog " + source.location);
  result.origin = Origin::File;
  return result;
}

}  // namespace xfu
