#include "catalog/record_offsets.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "catalog/catalog.hpp"
#include "catalog/catalog_scan.hpp"
#include "catalog/sharded_catalog.hpp"
#include "core/filename.hpp"
#include "core/region.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

// Format name and version; a different one (an older or newer xfu) is rebuilt.
constexpr std::string_view kMagic{"xfuidx\0\3", 8};

uint64_t fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ull;
  return hash;
}

// Detects damage (a torn or overwritten file), not tampering: the cache is the user's own.
uint64_t checksum(std::string_view bytes) {
  uint64_t hash = 0x9e3779b97f4a7c15ull ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = (hash ^ word) * 0xff51afd7ed558ccdull;
    hash ^= hash >> 32;
  }
  return hash ^ fnv1a(bytes.substr(i));
}

bool has_escape(std::string_view raw) { return raw.find('\\') != std::string_view::npos; }

class Writer {
 public:
  explicit Writer(std::string start) : out_(std::move(start)) {}
  template <typename T>
  void put(const T& value) {
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  template <typename T>
  void put_all(const std::vector<T>& values) {
    put(static_cast<uint32_t>(values.size()));
    if (!values.empty()) out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void put_text(std::string_view text) {
    put(static_cast<uint32_t>(text.size()));
    out_.append(text);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

struct Truncated {};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  template <typename T>
  std::vector<T> get_all() {
    const uint32_t count = get<uint32_t>();
    if (count > bytes_.size() / sizeof(T)) throw Truncated{};
    std::vector<T> values(count);
    if (count > 0)
      std::memcpy(values.data(), take(count * sizeof(T)).data(),
                  count * sizeof(T));  // an empty vector's data() may be null
    return values;
  }
  std::string get_text() {
    const uint32_t size = get<uint32_t>();
    return std::string(take(size));
  }
  bool done() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
  std::string_view take(size_t size) {
    if (size > bytes_.size()) throw Truncated{};
    const std::string_view piece = bytes_.substr(0, size);
    bytes_.remove_prefix(size);
    return piece;
  }
};

bool records_exist(const std::vector<uint32_t>& records, size_t count) {
  return std::all_of(records.begin(), records.end(), [&](uint32_t record) { return record < count; });
}

bool consistent(const RecordOffsets& table, const FileStamp& catalog) {
  if (table.lengths.size() != table.offsets.size()) return false;
  for (size_t i = 0; i < table.size(); ++i)
    if (table.offsets[i] > catalog.size || table.lengths[i] > catalog.size - table.offsets[i]) return false;
  for (size_t i = 0; i < table.names.size(); ++i) {
    const auto& name = table.names[i];
    if (name.first > table.postings.size() || name.count > table.postings.size() - name.first) return false;
    if (i > 0 && !(table.names[i - 1].name < name.name)) return false;
  }
  return records_exist(table.postings, table.size()) && records_exist(table.unnamed, table.size()) &&
         records_exist(table.unfiled, table.size()) &&
         std::all_of(table.files.begin(), table.files.end(),
                     [&](const auto& file) { return file.second < table.size(); }) &&
         std::is_sorted(table.files.begin(), table.files.end());
}

// Sorted union of sorted lists, without repeats.
std::vector<uint32_t> merged(std::vector<uint32_t> a, const std::vector<uint32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

// Builds the table record by record while the scan runs, so that no list of
// every record's spans is held on the way.
class OffsetsBuilder : public RecordVisitor {
 public:
  explicit OffsetsBuilder(std::string_view text) : text_(text) {}

  void record(const RecordSpan& span) override {
    const auto number = static_cast<uint32_t>(table_.offsets.size());
    table_.offsets.push_back(static_cast<uint64_t>(span.text.data() - text_.data()));
    table_.lengths.push_back(static_cast<uint32_t>(span.text.size()));

    if (span.codename.empty() || has_escape(span.codename) || has_escape(span.variant)) {
      table_.unnamed.push_back(number);
    } else {
      for (std::string_view name : {base_codename(span.codename), span.codename, span.variant}) {
        if (name.empty()) continue;
        auto& postings = by_name_[to_lower(name)];
        if (postings.empty() || postings.back() != number) postings.push_back(number);
      }
    }

    if (has_escape(span.filename) || has_escape(span.link)) table_.unfiled.push_back(number);
    else if (!span.filename.empty()) table_.files.emplace_back(fnv1a(span.filename), number);
    else if (!span.link.empty()) table_.files.emplace_back(fnv1a(filename_from_url(span.link)), number);
    else table_.unfiled.push_back(number);
  }

  void restart() override {
    table_ = RecordOffsets();
    by_name_.clear();
  }

  RecordOffsets finish(std::string generated) {
    table_.generated = std::move(generated);
    for (auto& [name, postings] : by_name_) table_.names.push_back({name, 0, static_cast<uint32_t>(postings.size())});
    std::sort(table_.names.begin(), table_.names.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (auto& name : table_.names) {
      name.first = static_cast<uint32_t>(table_.postings.size());
      const auto& postings = by_name_[name.name];
      table_.postings.insert(table_.postings.end(), postings.begin(), postings.end());
    }
    by_name_.clear();
    std::sort(table_.files.begin(), table_.files.end());
    return std::move(table_);
  }

 private:
  std::string_view text_;
  RecordOffsets table_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;
};

}  // namespace

ScannedCatalog scan_and_locate(std::string_view text) {
  OffsetsBuilder builder(text);
  ScannedCatalog scanned;
  const CatalogScan scan = scan_catalog(text, &builder);
  scanned.is_shard_index = is_shard_index(scan);
  if (!scanned.is_shard_index) scanned.offsets = builder.finish(check_catalog_shape(scan));
  return scanned;
}

RecordOffsets locate_records(std::string_view text) {
  OffsetsBuilder builder(text);
  const CatalogScan scan = scan_catalog(text, &builder);
  return builder.finish(check_catalog_shape(scan));
}

std::vector<uint32_t> RecordOffsets::records_of(std::string_view codename) const {
  std::vector<uint32_t> found = unnamed;
  const std::string full = to_lower(codename);
  for (const std::string& key : {std::string(base_codename(full)), full}) {
    const auto it = std::lower_bound(names.begin(), names.end(), key,
                                     [](const Name& name, const std::string& wanted) { return name.name < wanted; });
    if (it == names.end() || it->name != key) continue;
    found = merged(std::move(found), {postings.begin() + it->first, postings.begin() + it->first + it->count});
  }
  return found;
}

std::vector<uint32_t> RecordOffsets::records_with_file(std::string_view filename) const {
  std::vector<uint32_t> found;
  const uint64_t hash = fnv1a(filename);
  for (auto it = std::lower_bound(files.begin(), files.end(), std::pair<uint64_t, uint32_t>{hash, 0});
       it != files.end() && it->first == hash; ++it)
    found.push_back(it->second);
  return merged(std::move(found), unfiled);
}

std::vector<std::string_view> RecordOffsets::all_names() const {
  std::vector<std::string_view> out;
  for (const auto& name : names) out.push_back(name.name);
  return out;
}

FileStamp stamp_of(const struct stat& status) {
  return {static_cast<uint64_t>(status.st_size), static_cast<uint64_t>(status.st_ino),
          static_cast<uint64_t>(status.st_dev),
          static_cast<int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec,
          static_cast<int64_t>(status.st_ctim.tv_sec) * 1000000000 + status.st_ctim.tv_nsec};
}

// Each record costs the table at most 8 (offset) + 4 (length) + 12 (file
// hash and record) + 4 (unnamed) + 3 * (4 + 12) (postings and name entries)
// bytes plus its names' text, which is in the record's own text; and a
// record takes at least "{}," in the catalog. Names and the generation date
// add at most the catalog's size again. So 32 bytes per catalog byte bounds
// it with room to spare; anything beyond is damage, not a table.
uint64_t max_offsets_bytes(uint64_t catalog_size) { return (1 << 12) + 32 * catalog_size; }

std::string encode_offsets(const RecordOffsets& table, const FileStamp& catalog) {
  std::string start(kMagic);
  start.append(8, '\0');  // the checksum, filled in last
  start.reserve(64 + table.generated.size() + table.size() * 28 + table.postings.size() * 4 + table.names.size() * 24 +
                (table.unnamed.size() + table.unfiled.size()) * 4);
  Writer body(std::move(start));
  body.put(catalog);
  body.put_text(table.generated);
  body.put_all(table.offsets);
  body.put_all(table.lengths);
  body.put(static_cast<uint32_t>(table.names.size()));
  for (const auto& name : table.names) {
    body.put_text(name.name);
    body.put(name.first);
    body.put(name.count);
  }
  body.put_all(table.postings);
  std::vector<uint64_t> file_hashes;
  std::vector<uint32_t> file_records;
  for (const auto& [hash, record] : table.files) {
    file_hashes.push_back(hash);
    file_records.push_back(record);
  }
  body.put_all(file_hashes);
  body.put_all(file_records);
  body.put_all(table.unnamed);
  body.put_all(table.unfiled);
  std::string& bytes = body.bytes();
  const uint64_t sum = checksum(std::string_view(bytes).substr(kMagic.size() + 8));
  std::memcpy(bytes.data() + kMagic.size(), &sum, sizeof sum);
  return std::move(bytes);
}

std::optional<RecordOffsets> decode_offsets(std::string_view bytes, const FileStamp& catalog) {
  if (!bytes.starts_with(kMagic) || bytes.size() < kMagic.size() + 8) return std::nullopt;
  uint64_t sum;
  std::memcpy(&sum, bytes.data() + kMagic.size(), sizeof sum);
  const std::string_view payload = bytes.substr(kMagic.size() + 8);
  if (checksum(payload) != sum) return std::nullopt;
  try {
    Reader in(payload);
    if (!(in.get<FileStamp>() == catalog)) return std::nullopt;
    RecordOffsets table;
    table.generated = in.get_text();
    table.offsets = in.get_all<uint64_t>();
    table.lengths = in.get_all<uint32_t>();
    const uint32_t name_count = in.get<uint32_t>();
    for (uint32_t i = 0; i < name_count; ++i) {
      RecordOffsets::Name name;
      name.name = in.get_text();
      name.first = in.get<uint32_t>();
      name.count = in.get<uint32_t>();
      table.names.push_back(std::move(name));
    }
    table.postings = in.get_all<uint32_t>();
    const auto file_hashes = in.get_all<uint64_t>();
    const auto file_records = in.get_all<uint32_t>();
    if (file_hashes.size() != file_records.size()) return std::nullopt;
    for (size_t i = 0; i < file_hashes.size(); ++i) table.files.emplace_back(file_hashes[i], file_records[i]);
    table.unnamed = in.get_all<uint32_t>();
    table.unfiled = in.get_all<uint32_t>();
    if (!in.done() || !consistent(table, catalog)) return std::nullopt;
    return table;
  } catch (const Truncated&) {
    return std::nullopt;
  }
}

}  // namespace xfu
