#include "catalog/catalog_pack.hpp"

#include <zstd.h>

#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>

#include "catalog/catalog_scan.hpp"
#include "core/exit_code.hpp"
#include "util/atomic_file.hpp"

namespace xfu {

namespace {

using nlohmann::json;

constexpr std::string_view kMagic = "XFUPACK1\n";
constexpr char kMark = '\x01';
constexpr size_t kChangelogsPerBlock = 16;
// No shard or block is near this; a damaged size field must not allocate gigabytes.
constexpr unsigned long long kMaxBlobBytes = 256ull << 20;

Error damaged(const std::string& what) { return Error(ExitCode::InvalidCatalog, "damaged catalog pack: " + what); }

std::string compress(std::string_view text, int level) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const size_t size = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), level);
  if (ZSTD_isError(size)) throw Error(ExitCode::InvalidCatalog, std::string("zstd: ") + ZSTD_getErrorName(size));
  out.resize(size);
  return out;
}

std::string decompress(std::string_view blob) {
  const unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxBlobBytes)
    throw damaged("a blob has no valid size");
  std::string out(size, '\0');
  const size_t got = ZSTD_decompress(out.data(), out.size(), blob.data(), blob.size());
  if (ZSTD_isError(got) || got != size) throw damaged("a blob does not decompress");
  return out;
}

// Scanning helpers for JSON text that scan_catalog has already checked.
size_t skip_space(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) ++pos;
  return pos;
}

size_t skip_string(std::string_view text, size_t pos) {  // pos at the opening quote; returns past the closing one
  for (++pos; pos < text.size() && text[pos] != '"'; ++pos)
    if (text[pos] == '\\') ++pos;
  return pos + 1;
}

size_t skip_value(std::string_view text, size_t pos) {
  if (text[pos] == '"') return skip_string(text, pos);
  if (text[pos] != '{' && text[pos] != '[') {
    while (pos < text.size() && !std::strchr(",}] \n\r\t", text[pos])) ++pos;
    return pos;
  }
  int depth = 0;
  do {
    if (text[pos] == '"') {
      pos = skip_string(text, pos);
      continue;
    }
    if (text[pos] == '{' || text[pos] == '[') ++depth;
    if (text[pos] == '}' || text[pos] == ']') --depth;
    ++pos;
  } while (depth > 0 && pos < text.size());
  return pos;
}

// Where the value of the member named `name` is in a JSON object's text; npos when it has none.
std::pair<size_t, size_t> member_value(std::string_view object, std::string_view name) {
  size_t pos = skip_space(object, 0);
  if (pos >= object.size() || object[pos] != '{') return {std::string_view::npos, 0};
  pos = skip_space(object, pos + 1);
  while (pos < object.size() && object[pos] == '"') {
    const size_t key_end = skip_string(object, pos);
    const std::string_view key = object.substr(pos + 1, key_end - pos - 2);
    const size_t value = skip_space(object, skip_space(object, key_end) + 1);
    const size_t value_end = skip_value(object, value);
    if (key == name) return {value, value_end - value};
    pos = skip_space(object, value_end);
    if (pos < object.size() && object[pos] == ',') pos = skip_space(object, pos + 1);
  }
  return {std::string_view::npos, 0};
}

std::string read_layout_file(const std::filesystem::path& path) {
  try {
    return read_file(path);
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, "cannot read " + path.string() + ": " + e.code().message());
  }
}

class Packer {
 public:
  explicit Packer(int level) : level_(level) {}

  // The shard's text with its changelog strings replaced by marks.
  std::string store(std::string_view shard) {
    std::string out;
    size_t copied = 0;
    for (const RecordSpan& record : scan_catalog(shard).records) {
      const auto [start, length] = member_value(record.text, "changelog");
      if (start == std::string_view::npos || record.text[start] != '"') continue;
      const size_t at = static_cast<size_t>(record.text.data() - shard.data()) + start;
      out.append(shard.substr(copied, at - copied));
      out += kMark + std::to_string(id_of(std::string(shard.substr(at, length)))) + kMark;
      copied = at + length;
    }
    out.append(shard.substr(copied));
    return out;
  }

  void add_blob(std::string_view text, json& where) {
    const std::string blob = compress(text, level_);
    where = json::array({blobs_.size(), blob.size()});
    blobs_ += blob;
  }

  std::string finish(const std::string& index_text, json shards) {
    json blocks = json::array();
    for (size_t first = 0; first < changelogs_.size(); first += kChangelogsPerBlock) {
      std::string block;
      for (size_t id = first; id < std::min(first + kChangelogsPerBlock, changelogs_.size()); ++id)
        block += changelogs_[id] + "\n";
      add_blob(block, blocks.emplace_back());
    }
    const json directory{{"index", index_text},
                         {"shards", std::move(shards)},
                         {"changelogs", {{"per_block", kChangelogsPerBlock}, {"blocks", blocks}}}};
    return std::string(kMagic) + directory.dump() + "\n" + blobs_;
  }

 private:
  int level_;
  std::string blobs_;
  std::vector<std::string> changelogs_;
  std::unordered_map<std::string, size_t> ids_;

  size_t id_of(std::string literal) {
    const auto [it, added] = ids_.emplace(literal, changelogs_.size());
    if (added) changelogs_.push_back(std::move(literal));
    return it->second;
  }
};

std::pair<uint64_t, uint64_t> blob_of(const json& value) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number_unsigned() || !value[1].is_number_unsigned())
    throw damaged("a blob is not [offset, length]");
  return {value[0].get<uint64_t>(), value[1].get<uint64_t>()};
}

}  // namespace

std::string pack_catalog(const std::filesystem::path& directory, int level) {
  const std::string index_text = read_layout_file(directory / "index.json");
  const ShardIndex index = parse_shard_index(index_text);
  Packer packer(level);
  json shards = json::object();
  for (const ShardEntry& entry : index.shards) {
    const std::string text = read_layout_file(directory / entry.path);
    check_shard(entry, text);
    packer.add_blob(packer.store(text), shards[entry.path]);
  }
  return packer.finish(index_text, std::move(shards));
}

CatalogPack::CatalogPack(std::string_view bytes) {
  if (!bytes.starts_with(kMagic)) throw damaged("no XFUPACK1 header");
  bytes.remove_prefix(kMagic.size());
  const size_t line_end = bytes.find('\n');
  if (line_end == std::string_view::npos) throw damaged("no directory");
  blobs_ = bytes.substr(line_end + 1);
  try {
    const json directory = json::parse(bytes.substr(0, line_end));
    index_text_ = directory.at("index").get<std::string>();
    const auto check = [&](const json& value) {
      const auto [offset, length] = blob_of(value);
      if (offset > blobs_.size() || length > blobs_.size() - offset) throw damaged("a blob lies past the end");
      return Blob{offset, length};
    };
    for (const auto& [path, blob] : directory.at("shards").items()) shards_[path] = check(blob);
    const json& changelogs = directory.at("changelogs");
    per_block_ = changelogs.at("per_block").get<size_t>();
    if (per_block_ == 0) throw damaged("no changelogs per block");
    for (const json& block : changelogs.at("blocks")) changelog_blocks_.push_back(check(block));
  } catch (const json::exception& e) {
    throw damaged(e.what());
  }
}

std::string CatalogPack::stored_shard(const Blob& blob) const {
  return decompress(blobs_.substr(blob.offset, blob.length));
}

std::vector<std::string> CatalogPack::changelog_block(size_t block) const {
  if (block >= changelog_blocks_.size()) throw damaged("a changelog is missing");
  const std::string text = stored_shard(changelog_blocks_[block]);
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    lines.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return lines;
}

std::optional<std::string> CatalogPack::shard_text(const std::string& path) const {
  const auto found = shards_.find(path);
  if (found == shards_.end()) return std::nullopt;
  const std::string stored = stored_shard(found->second);
  std::unordered_map<size_t, std::vector<std::string>> blocks;
  std::string out;
  out.reserve(stored.size() * 2);
  size_t pos = 0;
  for (;;) {
    const size_t mark = stored.find(kMark, pos);
    out.append(stored, pos, mark == std::string::npos ? std::string::npos : mark - pos);
    if (mark == std::string::npos) return out;
    const size_t end = stored.find(kMark, mark + 1);
    size_t id = 0;
    const auto parsed = std::from_chars(stored.data() + mark + 1, stored.data() + std::min(end, stored.size()), id);
    if (end == std::string::npos || end == mark + 1 || parsed.ec != std::errc() || parsed.ptr != stored.data() + end)
      throw damaged("a changelog mark is broken");
    auto block = blocks.find(id / per_block_);
    if (block == blocks.end()) block = blocks.emplace(id / per_block_, changelog_block(id / per_block_)).first;
    if (id % per_block_ >= block->second.size()) throw damaged("a changelog is missing");
    out += block->second[id % per_block_];
    pos = end + 1;
  }
}

bool CatalogPack::shard_may_contain(const std::string& path, std::string_view needle) const {
  const auto found = shards_.find(path);
  return found != shards_.end() && stored_shard(found->second).find(needle) != std::string::npos;
}

}  // namespace xfu
