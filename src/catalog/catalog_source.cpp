#include "catalog/catalog_source.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "catalog/builtin_catalog.hpp"
#include "catalog/cached_get.hpp"
#include "catalog/catalog_scan.hpp"
#include "catalog/file_catalog.hpp"
#include "catalog/sharded_catalog.hpp"
#include "core/exit_code.hpp"
#include "core/filename.hpp"
#include "core/hash.hpp"
#include "util/atomic_file.hpp"
#include "util/private_file.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

CatalogSource classify_source(const std::string& value, std::string chosen_by) {
  if (value == kBuiltinSourceName) return {SourceKind::Builtin, value, std::move(chosen_by)};
  if (has_http_scheme(value)) return {SourceKind::Url, value, std::move(chosen_by)};
  const auto scheme = value.find("://");
  if (scheme != std::string::npos)
    throw Error(ExitCode::Usage, "catalog source " + value + " (from " + chosen_by +
                                     "): only http://, https:// and file paths are supported");
  // "http:/host/x", "https//host/x": a URL with a slash or a colon missing, not a file of that name.
  const std::string lower = to_lower(value);
  if ((lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("http//") ||
       lower.starts_with("https//")) &&
      !std::filesystem::exists(value))
    throw Error(ExitCode::Usage, "catalog source " + value + " (from " + chosen_by +
                                     ") is neither a file nor a URL; a URL starts with http:// or https://");
  return {SourceKind::File, value, std::move(chosen_by)};
}

namespace {

std::string age_of(int64_t since) { return format_age(unix_now() - since) + " old"; }

// "2026-08-23 (3 months old)": how far behind the built-in snapshot may be.
std::string builtin_catalog_age() {
  const std::string date = builtin_catalog_date();
  const auto since = parse_iso8601(date);
  return since ? date + " (" + age_of(*since) + ")" : date;
}

template <typename Function>
auto labelled(const std::string& label, Function function) {
  try {
    return function();
  } catch (const Error& e) {
    throw Error(e.code(), label + ": " + e.what());
  }
}

std::filesystem::path local_index(const std::string& location) {
  std::error_code error;
  if (std::filesystem::is_directory(location, error)) return std::filesystem::path(location) / "index.json";
  return location;
}

// Why a local catalog could not be read, with what to type where the cause is a likely slip.
std::string local_catalog_problem(const std::string& location, const std::error_code& error) {
  std::error_code ignored;
  if (std::filesystem::is_directory(location, ignored) && error == std::errc::no_such_file_or_directory)
    return "it is a directory without index.json (a sharded catalog's directory has one)";
  if (error == std::errc::no_such_file_or_directory && edit_distance(to_lower(location), "builtin") <= 2)
    return error.message() + "; did you mean --catalog builtin?";
  return error.message();
}

// Where the record offsets of a catalog file are kept: beside a cached body, or in the cache directory for a
// local file.
std::filesystem::path offsets_path_for_body(const std::filesystem::path& body) { return body.string() + ".idx"; }

std::filesystem::path offsets_path_for_file(const std::filesystem::path& cache_dir, const std::string& location) {
  if (cache_dir.empty()) return {};
  std::error_code error;
  const auto absolute = std::filesystem::absolute(location, error);
  return cache_dir / ("file-" + sha256_hex(error ? location : absolute.string()).substr(0, 16) + ".idx");
}

// The same, when the cache directory may be trusted with it: a directory of
// another user (or a link to one) could feed root a table or take the one
// root writes, so then the catalog is read without a saved table, with a note.
std::filesystem::path private_offsets_path(const std::filesystem::path& cache_dir, const std::string& location,
                                           std::vector<std::string>& notes) {
  std::filesystem::path path = offsets_path_for_file(cache_dir, location);
  std::error_code error;
  if (path.empty() || !std::filesystem::exists(std::filesystem::symlink_status(cache_dir, error))) return path;
  try {
    check_private_directory(cache_dir);
    return path;
  } catch (const std::system_error& e) {
    notes.push_back("cannot use the cache directory " + cache_dir.string() + " (" + write_problem(e) +
                    "): the catalog is read without its saved index");
    return {};
  }
}

HttpOptions with_body_limit(HttpOptions http, uint64_t max_bytes) {
  http.max_body_bytes = max_bytes;
  return http;
}

// "https://host/dir/index.json?x" + "shards/a.json" -> "https://host/dir/shards/a.json"
std::string resolve_beside(const std::string& url, const std::string& relative) {
  const std::string base = url.substr(0, url.find_first_of("?#"));
  return base.substr(0, base.rfind('/') + 1) + relative;
}

// What a shard may weigh: a little more than the index promises is let
// through (the SHA-256 check catches it), never more than any catalog file.
uint64_t shard_size_limit(const ShardEntry& entry) {
  return std::min(entry.bytes, kMaxCatalogBytes - (1 << 20)) + (1 << 20);
}

// Fetches the shards of a sharded catalog: from beside a local index file, or
// from the index's server through the cache. A cached shard whose SHA-256 is
// the one the index gives is used without asking the server.
class ShardFetcher {
 public:
  ShardFetcher(std::string index_location, bool remote, const LoadOptions& options,
               std::shared_ptr<std::vector<std::string>> notes)
      : index_location_(std::move(index_location)),
        remote_(remote),
        options_(options),
        cache_(options.cache_dir),
        notes_(std::move(notes)) {}

  std::optional<std::string> operator()(const ShardEntry& entry, bool cached_only) {
    return remote_ ? remote(entry, cached_only) : local(entry);
  }

 private:
  std::string index_location_;
  bool remote_;
  LoadOptions options_;
  CatalogCache cache_;
  std::shared_ptr<std::vector<std::string>> notes_;

  std::optional<std::string> local(const ShardEntry& entry) const {
    const auto path = std::filesystem::path(index_location_).parent_path() / entry.path;
    std::string text = read_catalog_file(path, shard_size_limit(entry));
    check_shard(entry, text);
    return text;
  }

  std::optional<std::string> read_cached(const CacheEntry& copy) const {
    try {
      return read_file(cache_.body_path(copy));
    } catch (const std::system_error&) {
      return std::nullopt;
    }
  }

  std::optional<std::string> remote(const ShardEntry& entry, bool cached_only) {
    const std::string url = resolve_beside(index_location_, entry.path);
    const HttpOptions http = with_body_limit(options_.http, shard_size_limit(entry));
    const CachedGet shard(cache_, {url, "catalog shard", http});
    std::optional<std::string> cached_text;
    const auto judge = [&](const CacheEntry& copy) {
      cached_text = read_cached(copy);
      if (!cached_text) return CachedCopy::Ignore;
      return sha256_hex(*cached_text) == entry.sha256 ? CachedCopy::Use : CachedCopy::Revalidate;
    };
    const auto check = [&](std::string_view body) { check_shard(entry, body); };
    CachedGetResult got = shard.get(shard.cached_copy(), judge, check, !cached_only && !options_.offline);
    notes_->insert(notes_->end(), got.notes.begin(), got.notes.end());
    switch (got.outcome) {
      case CachedGetResult::Outcome::Cached: return cached_text;
      case CachedGetResult::Outcome::NotModified:
        check_shard(entry, *cached_text);  // the server says unchanged, the index disagrees
        return cached_text;
      case CachedGetResult::Outcome::Downloaded: return std::move(got.body);
      case CachedGetResult::Outcome::NotFetched:
        if (cached_only) return std::nullopt;
        throw Error(ExitCode::Network,
                    "offline, and the catalog shard " + url + " is not cached in its current version");
      case CachedGetResult::Outcome::Failed:
        if (got.status == 0) throw Error(ExitCode::Network, got.failure);
        throw Error(ExitCode::Network, "cannot fetch catalog shard " + url + ": " + got.failure);
    }
    return std::nullopt;
  }
};

// Reads a catalog file: through its saved record offsets when it has an
// intact, current table; else reads it in full and finds its records, or,
// when it is a sharded layout's index.json, sets up the sharded catalog.
// Fills `result`.
void load_catalog_file(LoadedCatalog& result, OpenFile& file, const std::filesystem::path& offsets_path,
                       const LoadOptions& options, bool remote) {
  if (auto saved = open_with_saved_offsets(file, offsets_path)) {
    result.records = std::make_shared<FileCatalog>(std::move(*saved));
    return;
  }
  const FileStamp stamp = stamp_of(file.status());
  std::string text = read_catalog_text(file);
  ScannedCatalog scanned = scan_and_locate(text);
  if (scanned.is_shard_index) {
    result.records = std::make_shared<ShardedCatalog>(
        parse_shard_index(text),
        ShardFetcher(remote ? result.source.location : file.path().string(), remote, options, result.later_notes));
    return;
  }
  std::string().swap(text);  // records are read from the file from now on: peak memory stays near the catalog's size
  result.records = std::make_shared<FileCatalog>(
      save_offsets(std::move(scanned.offsets), std::move(file), stamp, offsets_path, result.notes));
}

class RemoteLoader {
 public:
  RemoteLoader(const CatalogSource& source, const LoadOptions& options)
      : url_(source.location),
        options_(options),
        cache_(options.cache_dir),
        remote_(cache_, {url_, "catalog", with_body_limit(options.http, kMaxCatalogBytes)}) {
    result_.source = source;
  }

  LoadedCatalog load() {
    const std::optional<CacheEntry> cached = remote_.cached_copy([&](const std::string& why) {
      result_.notes.push_back("cached catalog for " + url_ + " was damaged (" + why + ") and was discarded");
    });
    const Fallback fallback = fallback_for(options_.strict, cached.has_value(), result_.source.builtin_fallback);
    remote_.set_http(with_body_limit(catalog_fetch_bounds(options_.http, fallback), kMaxCatalogBytes));
    return get_and_finish(cached);
  }

 private:
  std::string url_;
  const LoadOptions& options_;
  CatalogCache cache_;
  CachedGet remote_;
  LoadedCatalog result_;
  ScannedCatalog scanned_;                 // of a downloaded body, checked before it was stored
  std::optional<ShardIndex> shard_index_;  // when that body is a sharded layout's index.json

  std::optional<CacheEntry> revalidating_;  // the cached copy the server was asked about

  // Gets the catalog and makes a LoadedCatalog of it. A body that is not a
  // catalog (a captive portal's page) counts as a failed fetch.
  LoadedCatalog get_and_finish(const std::optional<CacheEntry>& cached) {
    CachedGetResult got;
    try {
      got = get_catalog(cached);
    } catch (const Error& e) {
      if (e.code() != ExitCode::InvalidCatalog) throw;
      return fall_back(e, revalidating_);
    }
    return finish(std::move(got));
  }

  CachedGetResult get_catalog(const std::optional<CacheEntry>& cached) {
    revalidating_.reset();
    const bool network = !options_.offline && !(options_.cache_first && result_.source.builtin_fallback);
    return remote_.get(
        cached, [&](const CacheEntry& copy) { return judge(copy); }, [&](std::string_view body) { check(body); },
        network);
  }

  // Offline or cache-first, any cached copy will do; otherwise one younger
  // than max-age (unless --refresh), and an older one is revalidated. A copy
  // that cannot be opened is fetched anew.
  CachedCopy judge(const CacheEntry& copy) {
    if (options_.offline) return use_cache(copy, Origin::OfflineCache) ? CachedCopy::Use : CachedCopy::Ignore;
    if (options_.cache_first) return use_cache(copy, Origin::FreshCache) ? CachedCopy::Use : CachedCopy::Ignore;
    if (options_.refresh || unix_now() - copy.checked_at >= options_.max_age) {
      revalidating_ = copy;
      return CachedCopy::Revalidate;
    }
    return use_cache(copy, Origin::FreshCache) ? CachedCopy::Use : CachedCopy::Ignore;
  }

  // A new body must be a catalog or a sharded layout's index.json before it replaces the cached copy.
  void check(std::string_view body) {
    const std::string label = "catalog from " + url_;
    if (looks_like_html(body))
      throw Error(ExitCode::InvalidCatalog,
                  label + ": an HTML page, not a catalog (a captive portal or a login page in the way?)");
    scanned_ = labelled(label, [&] { return scan_and_locate(body); });
    if (scanned_.is_shard_index) shard_index_ = labelled(label, [&] { return parse_shard_index(body); });
    else if (auto problem = no_records_problem(scanned_.offsets, body))
      throw Error(ExitCode::InvalidCatalog, label + ": " + *problem);
  }

  // A body without one valid record (an empty list, a JSON page of
  // something else) must not replace a good cached copy. Stops at the
  // first valid record, which is usually the first.
  static std::optional<std::string> no_records_problem(const RecordOffsets& offsets, std::string_view body) {
    if (offsets.offsets.empty()) return "it holds no records";
    CatalogBuilder builder(offsets.generated);
    for (size_t i = 0; i < offsets.offsets.size(); ++i)
      if (!builder.add(i, body.substr(offsets.offsets[i], offsets.lengths[i]))) return std::nullopt;
    return "not one of its records is valid";
  }

  LoadedCatalog finish(CachedGetResult got) {
    result_.notes.insert(result_.notes.end(), got.notes.begin(), got.notes.end());
    switch (got.outcome) {
      case CachedGetResult::Outcome::Cached: break;  // judge() has opened it
      case CachedGetResult::Outcome::NotModified: return revalidated(std::move(*got.entry));
      case CachedGetResult::Outcome::Downloaded: return downloaded(std::move(got));
      case CachedGetResult::Outcome::NotFetched: return offline();
      case CachedGetResult::Outcome::Failed: return fetch_failed(got.failure, got.entry);
    }
    return std::move(result_);
  }

  // Opens the cached body through its record offsets; a damaged one is discarded
  // with a note. When another xfu replaced the body meanwhile, the metadata
  // is read again; a body that is still missing is a miss, not damage.
  bool use_cache(CacheEntry entry, Origin origin) {
    for (int attempt = 0;; ++attempt) {
      try {
        OpenFile file(cache_.body_path(entry));
        load_catalog_file(result_, file, offsets_path_for_body(cache_.body_path(entry)), options_, true);
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
      } catch (const Error& e) {
        return damaged(entry, e.what());
      }
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

  // Nothing cached, and the network was not to be used.
  LoadedCatalog offline() {
    const std::string why = "offline, and no cached copy of the catalog " + url_;
    // Completion (quiet_offline) offers the snapshot's names for any source: some candidates beat none.
    if (!result_.source.builtin_fallback && !options_.quiet_offline) throw Error(ExitCode::Network, why);
    if (options_.quiet_offline || options_.cache_first) {
      result_.origin = Origin::BuiltinFallback;
      result_.records = builtin_sharded_catalog();
      return std::move(result_);
    }
    return fall_back_to_builtin(why);
  }

  LoadedCatalog fall_back_to_builtin(const std::string& why) {
    result_.records = builtin_sharded_catalog();
    result_.origin = Origin::BuiltinFallback;
    result_.cache.reset();
    result_.notes.push_back(why + "; using the built-in catalog from " + builtin_catalog_age());
    return std::move(result_);
  }

  LoadedCatalog fetch_failed(const std::string& why, const std::optional<CacheEntry>& cached) {
    return fall_back(Error(ExitCode::Network, "cannot fetch catalog " + url_ + ": " + why), cached,
                     "cannot fetch catalog " + url_ + " (" + why + ")");
  }

  // The remote catalog could not be had (`failure`): the cached copy, the
  // built-in snapshot or the failure itself (fallback_for).
  LoadedCatalog fall_back(const Error& failure, const std::optional<CacheEntry>& cached, std::string why = {}) {
    if (why.empty()) why = failure.what();
    Fallback next = fallback_for(options_.strict, cached.has_value(), result_.source.builtin_fallback);
    if (next == Fallback::CachedCopy) {
      if (use_cache(*cached, Origin::StaleCache)) {
        result_.notes.push_back(why + "; using the cached copy, " + age_of(cached->fetched_at));
        return std::move(result_);
      }
      next = fallback_for(options_.strict, false, result_.source.builtin_fallback);
    }
    if (next == Fallback::Builtin) return fall_back_to_builtin(why);
    if (failure.code() == ExitCode::Network && !cached)
      throw Error(ExitCode::Network, std::string(failure.what()) +
                                         "; check the catalog URL, or use --catalog builtin for the built-in copy");
    throw failure;
  }

  LoadedCatalog downloaded(CachedGetResult got) {
    result_.origin = Origin::Downloaded;
    result_.cache = got.entry;
    if (shard_index_) {
      result_.records = std::make_shared<ShardedCatalog>(std::move(*shard_index_),
                                                         ShardFetcher(url_, true, options_, result_.later_notes));
      return std::move(result_);
    }
    if (!got.entry) {  // not stored: records are read from memory
      result_.records = std::make_shared<FileCatalog>(std::move(scanned_.offsets), std::move(got.body));
      return std::move(result_);
    }
    std::string().swap(got.body);  // read records from the stored body from now on
    const auto path = cache_.body_path(*got.entry);
    try {
      OpenFile file(path);
      const FileStamp stamp = stamp_of(file.status());
      result_.records = std::make_shared<FileCatalog>(save_offsets(std::move(scanned_.offsets), std::move(file), stamp,
                                                                   offsets_path_for_body(path), result_.notes));
      return std::move(result_);
    } catch (const std::system_error& e) {
      throw Error(ExitCode::LocalFile, std::string("cannot read the cached catalog: ") + e.what());
    }
  }

  LoadedCatalog revalidated(CacheEntry entry) {
    entry.checked_at = unix_now();
    if (!use_cache(entry, Origin::Revalidated)) return get_and_finish(std::nullopt);
    try_store_meta(entry);
    return std::move(result_);
  }

  void try_store_meta(const CacheEntry& entry) {
    try {
      cache_.store_meta(entry);
    } catch (const std::system_error& e) {
      result_.notes.push_back("cannot write to the cache directory " + cache_.dir().string() + " (" + write_problem(e) +
                              "): the server's answer is not recorded, the next run asks again");
    } catch (const std::exception& e) {
      result_.notes.push_back(std::string("cannot update the cache: ") + e.what());
    }
  }
};

}  // namespace

CatalogSource choose_source(const std::optional<std::string>& flag, const Config& config) {
  if (flag && !flag->empty()) return classify_source(*flag, "--catalog");
  if (const char* env = std::getenv("XFU_CATALOG"); env && *env) return classify_source(env, "XFU_CATALOG");
  if (config.catalog) return classify_source(*config.catalog, "config file " + config.path.string());
  CatalogSource source = classify_source(kDefaultCatalogUrl, "default");
  source.builtin_fallback = true;
  return source;
}

HttpOptions catalog_fetch_bounds(HttpOptions http, Fallback fallback) {
  const bool copy = fallback != Fallback::None;
  http.connect_timeout_seconds = copy ? kCatalogConnectSecondsWithCopy : kCatalogConnectSeconds;
  http.stall_seconds = copy ? kCatalogStallSecondsWithCopy : kCatalogStallSeconds;
  return http;
}

Fallback fallback_for(bool strict, bool has_cached_copy, bool builtin_fallback) {
  if (strict) return Fallback::None;
  if (has_cached_copy) return Fallback::CachedCopy;
  return builtin_fallback ? Fallback::Builtin : Fallback::None;
}

bool looks_like_html(std::string_view body) {
  const size_t start = body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");  // a UTF-8 byte-order mark too
  // JSON never starts with '<'; markup does.
  return start != std::string_view::npos && body[start] == '<';
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

namespace {

std::string fetch_text(const std::string& url, const HttpOptions& options) {
  return fetch_uncached(url, with_body_limit(options, kMaxCatalogBytes));
}

std::string read_local(const std::filesystem::path& path) { return read_catalog_file(path); }

}  // namespace

std::string read_source_text(const CatalogSource& source, const HttpOptions& http) {
  switch (source.kind) {
    case SourceKind::Builtin: return std::string(builtin_pack().index_text());
    case SourceKind::Url: return fetch_text(source.location, http);
    case SourceKind::File: return read_local(local_index(source.location));
  }
  return {};
}

std::string read_text_beside(const CatalogSource& source, const std::string& relative, const HttpOptions& http) {
  if (source.kind == SourceKind::Builtin) {
    auto text = builtin_pack().shard_text(relative);
    if (!text) throw Error(ExitCode::InvalidCatalog, "the built-in catalog has no shard " + relative);
    return std::move(*text);
  }
  if (source.kind == SourceKind::Url) return fetch_text(resolve_beside(source.location, relative), http);
  return read_local(local_index(source.location).parent_path() / relative);
}

const Catalog& LoadedCatalog::catalog() {
  if (!all_) all_ = records->all();
  return *all_;
}

LoadedCatalog load_catalog(const CatalogSource& source, const LoadOptions& options) {
  if (source.kind == SourceKind::Url) return RemoteLoader(source, options).load();
  LoadedCatalog result;
  result.source = source;
  if (source.kind == SourceKind::Builtin) {
    result.origin = Origin::Builtin;
    result.records = builtin_sharded_catalog();
    return result;
  }
  try {
    OpenFile file = open_catalog_file(local_index(source.location), kMaxCatalogBytes, "catalog ");
    labelled("catalog " + source.location, [&] {
      load_catalog_file(result, file, private_offsets_path(options.cache_dir, source.location, result.notes), options,
                        false);
      return 0;
    });
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile,
                "cannot read catalog " + source.location + ": " + local_catalog_problem(source.location, e.code()));
  }
  result.origin = Origin::File;
  return result;
}

}  // namespace xfu
