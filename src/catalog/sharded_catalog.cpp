#include "catalog/sharded_catalog.hpp"

#include <algorithm>
#include <deque>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "catalog/catalog_scan.hpp"
#include "catalog/query.hpp"
#include "core/exit_code.hpp"
#include "core/hash.hpp"
#include "core/region.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

using nlohmann::json;

// Whether JSON text may spell `text` otherwise than byte for byte (escapes, \u sequences).
bool needs_escaping(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '"' || c == '\\' || byte < 0x20 || byte >= 0x80;
  });
}

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// Reads one entry; adds what is wrong with it to `problems`.
std::optional<ShardEntry> read_entry(const std::string& codename, const json& value,
                                     std::vector<std::string>& problems) {
  const std::string where = "codename " + json(codename).dump() + ": ";
  const size_t before = problems.size();
  ShardEntry entry;
  entry.codename = codename;
  if (codename.empty() || codename.size() > 64 || codename != to_lower(codename) ||
      base_codename(codename) != codename || !std::all_of(codename.begin(), codename.end(), is_name_char))
    problems.push_back(where + "not a base codename (lower case letters, digits, '.', '_' and '-', no region suffix)");
  // [path, records, bytes, sha256], or the same as an object with those keys.
  const auto member = [&](const char* key, size_t position) -> const json* {
    if (value.is_array()) return position < value.size() ? &value[position] : nullptr;
    const auto it = value.find(key);
    return it == value.end() ? nullptr : &*it;
  };
  if (!value.is_object() && !(value.is_array() && value.size() == 4)) {
    problems.push_back(where + "entry is not [path, records, bytes, sha256]");
    return std::nullopt;
  }
  const json* path = member("path", 0);
  if (!path || !path->is_string()) problems.push_back(where + "path is missing or not a string");
  else if (auto problem = shard_path_problem(path->get<std::string>())) problems.push_back(where + *problem);
  else entry.path = path->get<std::string>();
  const json* records = member("records", 1);
  if (!records || !records->is_number_unsigned())
    problems.push_back(where + "record count is missing or not a whole number");
  else entry.records = records->get<uint64_t>();
  const json* bytes = member("bytes", 2);
  if (!bytes || !bytes->is_number_unsigned()) problems.push_back(where + "byte size is missing or not a whole number");
  else entry.bytes = bytes->get<uint64_t>();
  const json* sha = member("sha256", 3);
  if (!sha || !sha->is_string() || sha->get<std::string>().size() != 64 ||
      !is_lower_hex(to_lower(sha->get<std::string>())))
    problems.push_back(where + "SHA-256 is missing or not 64 hex digits");
  else entry.sha256 = to_lower(sha->get<std::string>());
  if (problems.size() != before) return std::nullopt;
  return entry;
}

bool is_short_text(const json& value) { return value.is_string() && value.get_ref<const std::string&>().size() <= 256; }

// "aliases": {"laurel": ["laurel_sprout"]}: optional.
void read_aliases(const json& document, ShardIndex& index, std::vector<std::string>& problems) {
  const auto aliases = document.find("aliases");
  if (aliases == document.end() || aliases->is_null()) return;
  const std::string bad = "field \"aliases\" is not an object of codename lists";
  if (!aliases->is_object()) return problems.push_back(bad);
  for (const auto& [alias, targets] : aliases->items()) {
    if (!targets.is_array() || alias.size() > 64 || alias != to_lower(alias)) return problems.push_back(bad);
    std::vector<std::string> names;
    for (const json& target : targets) {
      if (!is_short_text(target)) return problems.push_back(bad);
      names.push_back(to_lower(target.get<std::string>()));
    }
    index.aliases[alias] = std::move(names);
  }
}

// "devices": {"dipper": {"names": ["Mi 8 China", ...], "variants": ["dipper", ...]}}: optional.
void read_names(const json& document, ShardIndex& index, std::vector<std::string>& problems) {
  const auto devices = document.find("devices");
  if (devices == document.end() || devices->is_null()) return;
  const std::string bad = "field \"devices\" is not an object of {names, variants}";
  if (!devices->is_object()) return problems.push_back(bad);
  for (const auto& [codename, value] : devices->items()) {
    if (!value.is_object()) return problems.push_back(bad);
    ShardIndex::Names names;
    for (auto [key, list] : {std::pair{"names", &names.devices}, std::pair{"variants", &names.variants}}) {
      const auto it = value.find(key);
      if (it == value.end()) continue;
      if (!it->is_array()) return problems.push_back(bad);
      for (const json& item : *it) {
        if (!is_short_text(item)) return problems.push_back(bad);
        list->push_back(item.get<std::string>());
      }
    }
    index.names[to_lower(codename)] = std::move(names);
  }
}

// "sources": {"site": {"repository": ..., "commit": ..., "date": ...}, ...}: optional.
void read_sources(const json& document, ShardIndex& index, std::vector<std::string>& problems) {
  const auto sources = document.find("sources");
  if (sources == document.end() || sources->is_null()) return;
  const std::string bad = "field \"sources\" is not an object of {repository, commit, date}";
  if (!sources->is_object()) return problems.push_back(bad);
  for (const auto& [name, value] : sources->items()) {
    if (!value.is_object()) return problems.push_back(bad);
    UpstreamSource source{name, {}, {}, {}};
    for (auto [key, field] : {std::pair{"repository", &source.repository}, std::pair{"commit", &source.commit},
                              std::pair{"date", &source.date}}) {
      const auto it = value.find(key);
      if (it == value.end()) continue;
      if (!is_short_text(*it)) return problems.push_back(bad);
      *field = it->get<std::string>();
    }
    index.sources.push_back(std::move(source));
  }
}

ShardIndex read_index(std::string_view text, std::vector<std::string>& problems) {
  ShardIndex index;
  json document;
  try {
    scan_catalog(text);  // the same syntax checks and messages as a catalog
    document = json::parse(text.begin(), text.end());
  } catch (const Error& e) {
    problems.push_back(e.what());
    return index;
  } catch (const json::exception& e) {
    problems.push_back(std::string("invalid JSON: ") + e.what());
    return index;
  }
  if (!document.is_object() || document.value("schema", json()) != json(kShardIndexSchema)) {
    problems.push_back("not an xfu catalog index: \"schema\" is not \"" + std::string(kShardIndexSchema) + "\"");
    return index;
  }
  if (const auto generated = document.find("generated"); generated != document.end() && !generated->is_null()) {
    if (!generated->is_string() || !parse_iso8601(generated->get<std::string>()))
      problems.push_back("field \"generated\" is not an ISO 8601 date");
    else index.generated = generated->get<std::string>();
  }
  const auto codenames = document.find("codenames");
  if (codenames == document.end() || !codenames->is_object()) {
    problems.push_back("not an xfu catalog index: \"codenames\" is not an object");
    return index;
  }
  for (const auto& [codename, value] : codenames->items())
    if (auto entry = read_entry(codename, value, problems)) index.shards.push_back(std::move(*entry));
  read_aliases(document, index, problems);
  read_names(document, index, problems);
  read_sources(document, index, problems);
  std::sort(index.shards.begin(), index.shards.end(),
            [](const auto& a, const auto& b) { return a.codename < b.codename; });
  return index;
}

}  // namespace

const ShardEntry* ShardIndex::find(std::string_view codename) const {
  const std::string wanted = to_lower(codename);
  const std::string base(base_codename(wanted));
  const auto it = std::lower_bound(shards.begin(), shards.end(), base,
                                   [](const ShardEntry& entry, const std::string& name) {
                                     return entry.codename < name;
                                   });
  return it != shards.end() && it->codename == base ? &*it : nullptr;
}

std::vector<const ShardEntry*> ShardIndex::find_all(std::string_view name) const {
  if (const ShardEntry* own = find(name)) return {own};
  std::vector<const ShardEntry*> found;
  const auto alias = aliases.find(to_lower(name));
  if (alias == aliases.end()) return found;
  for (const std::string& codename : alias->second)
    if (const ShardEntry* entry = find(codename); entry && std::find(found.begin(), found.end(), entry) == found.end())
      found.push_back(entry);
  return found;
}

bool is_shard_index(const CatalogScan& scan) {
  return scan.is_object && decode_json_string(scan.schema_value) == kShardIndexSchema;
}

ShardIndex parse_shard_index(std::string_view text) {
  std::vector<std::string> problems;
  ShardIndex index = read_index(text, problems);
  if (!problems.empty()) throw Error(ExitCode::InvalidCatalog, problems.front());
  return index;
}

std::vector<std::string> shard_index_problems(std::string_view text) {
  std::vector<std::string> problems;
  read_index(text, problems);
  return problems;
}

// One line per codename, [path, records, bytes, sha256]: compact, since every
// query fetches the index, and still readable in a diff.
std::string shard_index_json(const ShardIndex& index) {
  const auto text = [](const std::string& value) { return nlohmann::ordered_json(value).dump(); };
  std::string out = "{\"schema\": " + text(std::string(kShardIndexSchema)) +
                    ",\n\"generated\": " + (index.generated.empty() ? "null" : text(index.generated)) +
                    ",\n\"codenames\": {";
  for (size_t i = 0; i < index.shards.size(); ++i) {
    const ShardEntry& entry = index.shards[i];
    out += std::string(i ? "," : "") + "\n" + text(entry.codename) + ":[" + text(entry.path) + "," +
           std::to_string(entry.records) + "," + std::to_string(entry.bytes) + ",\"" + entry.sha256 + "\"]";
  }
  return out + "\n}}\n";
}

std::optional<std::string> shard_path_problem(std::string_view path) {
  if (path.empty() || path.size() > 255) return "shard path is empty or too long";
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    const std::string_view segment = path.substr(start, slash == std::string_view::npos ? std::string_view::npos
                                                                                        : slash - start);
    if (segment.empty() || segment == "." || segment == ".." ||
        !std::all_of(segment.begin(), segment.end(), is_name_char))
      return "shard path " + json(std::string(path)).dump(-1, ' ', false, json::error_handler_t::replace) +
             " is not a plain relative path";
    if (slash == std::string_view::npos) return std::nullopt;
    start = slash + 1;
  }
}

void check_shard(const ShardEntry& entry, std::string_view text) {
  const std::string sha = sha256_hex(text);
  if (sha != entry.sha256)
    throw Error(ExitCode::InvalidCatalog, "shard " + entry.path + " does not match the catalog index: its SHA-256 is " +
                                              sha + ", the index says " + entry.sha256);
}

Catalog ShardedCatalog::records_of(std::string_view codename) {
  Catalog subset;
  subset.generated = index_.generated;
  for (const ShardEntry* entry : index_.find_all(codename)) {
    const std::optional<std::string> text = fetch_(*entry, false);
    if (!text) continue;
    Catalog shard = parse_catalog(*text);
    subset.skipped.add_all(shard.skipped, entry->path + ": ");
    for (Rom& rom : shard.roms)
      if (codename_matches(rom, codename)) subset.roms.push_back(std::move(rom));
  }
  return subset;
}

Catalog ShardedCatalog::records_with_file(std::string_view filename) {
  Catalog found;
  found.generated = index_.generated;
  // Most shards do not hold the name at all: finding that costs far less than parsing them.
  const bool searchable = !needs_escaping(filename);
  for (const ShardEntry& entry : index_.shards) {
    if (probe_ && searchable && !probe_(entry, filename)) continue;
    const std::optional<std::string> text = fetch_(entry, true);
    if (!text || (searchable && text->find(filename) == std::string::npos)) continue;
    for (Rom& rom : parse_catalog(*text).roms)
      if (rom.filename == filename) found.roms.push_back(std::move(rom));
  }
  return found;
}

Catalog ShardedCatalog::all() {
  Catalog catalog;
  catalog.generated = index_.generated;
  // Parsing costs most: shards are fetched in turn (a fetch may use the cache and the network) and each is
  // parsed on a thread of its own, one per core in flight, and taken back in index order.
  const size_t in_flight = std::max(1u, std::thread::hardware_concurrency());
  std::deque<std::pair<const ShardEntry*, std::future<Catalog>>> parsing;
  const auto take_oldest = [&] {
    Catalog shard = parsing.front().second.get();
    for (Rom& rom : shard.roms) catalog.roms.push_back(std::move(rom));
    catalog.skipped.add_all(shard.skipped, parsing.front().first->path + ": ");
    parsing.pop_front();
  };
  for (const ShardEntry& entry : index_.shards) {
    std::optional<std::string> text = fetch_(entry, false);
    if (!text) continue;
    if (parsing.size() == in_flight) take_oldest();
    parsing.emplace_back(&entry,
                         std::async(std::launch::async, [text = std::move(*text)] { return parse_catalog(text); }));
  }
  while (!parsing.empty()) take_oldest();
  return catalog;
}

std::vector<std::string> ShardedCatalog::names() {
  std::set<std::string> names;
  for (const ShardEntry& entry : index_.shards) names.insert(entry.codename);
  for (const auto& [alias, codenames] : index_.aliases) names.insert(alias);
  for (const auto& [codename, known] : index_.names)
    for (const std::string& variant : known.variants) names.insert(to_lower(variant));
  return {names.begin(), names.end()};
}

std::vector<std::pair<std::string, std::string>> ShardedCatalog::device_names() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ShardEntry& entry : index_.shards) {
    const auto known = index_.names.find(entry.codename);
    if (known == index_.names.end() || known->second.devices.empty()) out.emplace_back(entry.codename, "");
    else
      for (const std::string& device : known->second.devices) out.emplace_back(entry.codename, device);
  }
  return out;
}

// Counted from index.json: reading every shard is what xfu catalog check is for.
RecordSummary ShardedCatalog::summary() {
  RecordSummary summary;
  for (const ShardEntry& entry : index_.shards) summary.records += entry.records;
  summary.devices = index_.shards.size();
  summary.sharded = true;
  summary.upstream = index_.sources;
  return summary;
}

}  // namespace xfu
