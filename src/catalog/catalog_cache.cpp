#include "catalog/catalog_cache.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/hash.hpp"
#include "util/private_file.hpp"

namespace xfu {

std::string CatalogCache::key(const std::string& url) const { return "catalog-" + sha256_hex(url).substr(0, 16); }

std::filesystem::path CatalogCache::meta_path(const std::string& url) const { return dir_ / (key(url) + ".meta.json"); }

// Catalog bodies decide which MD5 a download must have: they are only kept in a directory of ours.
void CatalogCache::prepare() const {
  std::filesystem::create_directories(dir_);
  check_private_directory(dir_);
}

std::optional<CacheEntry> CatalogCache::lookup(const std::string& url) const {
  if (!enabled()) return std::nullopt;
  std::error_code error;
  const auto meta = meta_path(url);
  if (!std::filesystem::exists(meta, error)) return std::nullopt;
  const auto document = nlohmann::json::parse(read_file(meta), nullptr, false);
  if (document.is_discarded() || !document.is_object()) throw std::runtime_error("metadata is not JSON");
  CacheEntry entry;
  try {
    entry.url = document.at("url").get<std::string>();
    entry.etag = document.value("etag", "");
    entry.last_modified = document.value("last_modified", "");
    entry.fetched_at = document.at("fetched_at").get<int64_t>();
    entry.checked_at = document.at("checked_at").get<int64_t>();
    entry.body = document.at("body").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error("metadata is incomplete");
  }
  if (entry.url != url) throw std::runtime_error("metadata belongs to another URL");
  if (!entry.body.starts_with(key(url)) || entry.body.find('/') != std::string::npos)
    throw std::runtime_error("metadata names a foreign file");
  return entry;
}

TempFile CatalogCache::new_body(const std::string& url) const {
  return create_temp_beside(dir_ / (key(url) + ".json"));
}

void CatalogCache::store(CacheEntry& entry, TempFile& temp) const {
  const std::optional<CacheEntry> previous = [&]() -> std::optional<CacheEntry> {
    try {
      return lookup(entry.url);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }();
  // "catalog-KEY.json.tmp.AbC123" becomes "catalog-KEY.AbC123.json": unique, and never renamed over a body in use.
  const std::string temp_name = temp.path.filename().string();
  entry.body = key(entry.url) + "." + temp_name.substr(temp_name.rfind('.') + 1) + ".json";
  commit_temp(temp, dir_ / entry.body);
  temp.path.clear();
  store_meta(entry);
  remove_old_bodies(entry);
}

// Bodies the metadata no longer names are removed only after a grace period,
// so that another xfu that has just read the old metadata still finds its body.
void CatalogCache::remove_old_bodies(const CacheEntry& current) const {
  constexpr auto kGrace = std::chrono::minutes(10);
  const std::string prefix = key(current.url) + ".";
  const auto now = std::filesystem::file_time_type::clock::now();
  std::error_code error;
  for (const auto& file : std::filesystem::directory_iterator(dir_, error)) {
    const std::string name = file.path().filename().string();
    if (!name.starts_with(prefix) || name.starts_with(current.body) || name.ends_with(".meta.json")) continue;
    const auto modified = std::filesystem::last_write_time(file.path(), error);
    if (!error && now - modified > kGrace) std::filesystem::remove(file.path(), error);
  }
}

void CatalogCache::store_meta(const CacheEntry& entry) const {
  const nlohmann::json document{{"url", entry.url},
                                {"etag", entry.etag},
                                {"last_modified", entry.last_modified},
                                {"fetched_at", entry.fetched_at},
                                {"checked_at", entry.checked_at},
                                {"body", entry.body}};
  write_file_atomically(meta_path(entry.url), document.dump(1) + "\n");
}

void CatalogCache::discard(const std::string& url, const std::string& body) const {
  std::error_code error;
  std::filesystem::remove(meta_path(url), error);
  if (!body.empty() && body.starts_with(key(url)) && body.find('/') == std::string::npos) {
    std::filesystem::remove(dir_ / body, error);
    std::filesystem::remove(dir_ / (body + ".idx"), error);
  }
}

}  // namespace xfu
