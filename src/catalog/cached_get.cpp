#include "catalog/cached_get.hpp"

#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "core/exit_code.hpp"
#include "util/atomic_file.hpp"
#include "util/private_file.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

TempFile anonymous_temp() {
  const char* dir = std::getenv("TMPDIR");
  return create_temp_beside(std::filesystem::path(dir && *dir ? dir : "/tmp") / "xfu-catalog");
}

// A temporary file for a body being fetched: in the cache directory (so that
// it can become the cached body) or in $TMPDIR. Removed unless it was committed.
struct BodyTemp {
  TempFile temp;
  explicit BodyTemp(TempFile file) : temp(std::move(file)) {}
  BodyTemp(const BodyTemp&) = delete;
  BodyTemp& operator=(const BodyTemp&) = delete;
  ~BodyTemp() {
    if (temp.fd >= 0) ::close(temp.fd);
    std::error_code ignored;
    if (!temp.path.empty()) std::filesystem::remove(temp.path, ignored);
  }
};

TempFile uncached_temp() {
  try {
    return anonymous_temp();
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, e.what());
  }
}

std::vector<std::string> conditional_headers(const std::optional<CacheEntry>& cached) {
  std::vector<std::string> headers;
  if (cached && !cached->etag.empty()) headers.push_back("If-None-Match: " + cached->etag);
  if (cached && !cached->last_modified.empty()) headers.push_back("If-Modified-Since: " + cached->last_modified);
  return headers;
}

std::string read_body(const TempFile& temp) {
  try {
    return read_file(temp.path);
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, std::string("cannot read the downloaded catalog: ") + e.what());
  }
}

CachedGetResult failed(const std::optional<CacheEntry>& stale, long status, std::string why) {
  CachedGetResult result;
  result.outcome = CachedGetResult::Outcome::Failed;
  result.entry = stale;
  result.status = status;
  result.failure = std::move(why);
  return result;
}

}  // namespace

std::optional<CacheEntry> CachedGet::cached_copy(const std::function<void(const std::string& why)>& on_damage) const {
  try {
    return cache_.lookup(file_.url);
  } catch (const std::exception& e) {
    cache_.discard(file_.url);
    if (on_damage) on_damage(e.what());
    return std::nullopt;
  }
}

CachedGetResult CachedGet::get(const std::optional<CacheEntry>& copy, const Judge& judge, const Check& check,
                               bool network) const {
  const CachedCopy verdict = copy ? judge(*copy) : CachedCopy::Ignore;
  CachedGetResult result;
  if (verdict == CachedCopy::Use) {
    result.outcome = CachedGetResult::Outcome::Cached;
    result.entry = copy;
    return result;
  }
  if (!network) return result;  // NotFetched
  return fetch(verdict == CachedCopy::Revalidate ? copy : std::nullopt, check);
}

// A conditional GET when there is a `stale` copy to revalidate, else a plain one.
CachedGetResult CachedGet::fetch(const std::optional<CacheEntry>& stale, const Check& check) const {
  CachedGetResult result;
  std::string uncached_because;
  std::optional<TempFile> cache_temp = cache_.enabled() ? new_cache_temp(uncached_because) : std::nullopt;
  const bool caching = cache_temp.has_value();
  BodyTemp body(caching ? std::move(*cache_temp) : uncached_temp());
  HttpResponse response;
  try {
    response = http_get(file_.url, conditional_headers(stale), body.temp.fd, file_.http);
  } catch (const Error& e) {
    if (e.code() != ExitCode::Network) throw;
    return failed(stale, 0, e.what());
  }
  if (response.status == 304 && stale) {
    result.outcome = CachedGetResult::Outcome::NotModified;
    result.entry = stale;
    return result;
  }
  if (response.status != 200) return failed(stale, response.status, describe_http_status(response.status));

  result.outcome = CachedGetResult::Outcome::Downloaded;
  result.body = read_body(body.temp);
  check(result.body);
  if (caching) result.entry = store(body.temp, response, result);
  // The same words for every file, so that a read-only cache gives one note however many shards are fetched.
  if (!uncached_because.empty())
    result.notes.push_back("cannot write to the cache directory " + cache_.dir().string() + " (" + uncached_because +
                           "): the catalog is used without being cached");
  return result;
}

// A file for the body in the cache directory; when there can be none (a
// read-only cache directory), `why` says why, and the body goes to $TMPDIR.
std::optional<TempFile> CachedGet::new_cache_temp(std::string& why) const {
  try {
    cache_.prepare();
    return cache_.new_body(file_.url);
  } catch (const std::system_error& e) {
    why = write_problem(e);
    return std::nullopt;
  }
}

// Makes the downloaded body the cached copy; a failure is only a note, since the body is at hand.
std::optional<CacheEntry> CachedGet::store(TempFile& temp, const HttpResponse& response,
                                           CachedGetResult& result) const {
  CacheEntry entry{file_.url, response.etag, response.last_modified, unix_now(), unix_now(), {}};
  try {
    cache_.store(entry, temp);
    return entry;
  } catch (const std::exception& e) {
    result.notes.push_back("cannot save the " + file_.what + " in the cache: " + e.what());
    return std::nullopt;
  }
}

std::string fetch_uncached(const std::string& url, const HttpOptions& http) {
  BodyTemp body(uncached_temp());
  const HttpResponse response = http_get(url, {}, body.temp.fd, http);
  if (response.status != 200)
    throw Error(ExitCode::Network, "cannot fetch " + url + ": " + describe_http_status(response.status));
  return read_body(body.temp);
}

}  // namespace xfu
