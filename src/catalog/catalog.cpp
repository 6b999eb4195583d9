#include "catalog/catalog.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "core/exit_code.hpp"
#include "core/filename.hpp"
#include "core/hash.hpp"
#include "core/region.hpp"
#include "core/size.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

using nlohmann::json;

namespace {

// A record field broke a rule; the record is skipped with this reason.
struct BadRecord {
  std::string reason;
};

// Catalog text quoted in a message: short, so one bad record cannot flood
// the terminal, and every character in it visible ("Stable\u200b").
std::string excerpt(std::string_view text) { return quoted_excerpt(text); }

// The first of `names` present in the record; a field given under two names
// is ambiguous and rejected.
const json* field(const json& record, std::initializer_list<const char*> names) {
  const json* found = nullptr;
  for (const char* name : names) {
    auto it = record.find(name);
    if (it == record.end()) continue;
    if (found) throw BadRecord{std::string("both \"") + *names.begin() + "\" and its alias \"" + name + "\" are given"};
    found = &*it;
  }
  return found;
}

std::string optional_text(const json& record, std::initializer_list<const char*> names,
                          size_t max_bytes = kMaxFieldBytes) {
  const json* value = field(record, names);
  if (!value || value->is_null()) return {};
  if (!value->is_string()) throw BadRecord{std::string("field \"") + *names.begin() + "\" must be a string"};
  const std::string& text = value->get_ref<const std::string&>();
  if (text.size() > max_bytes)
    throw BadRecord{std::string("field \"") + *names.begin() + "\" is longer than " + std::to_string(max_bytes) +
                    " bytes"};
  return std::string(trim(text));
}

std::string required_text(const json& record, std::initializer_list<const char*> names) {
  std::string text = optional_text(record, names);
  if (text.empty()) throw BadRecord{std::string("missing required field \"") + *names.begin() + "\""};
  return text;
}

std::string checked_url(std::string url, const char* what) {
  if (!is_http_url(url)) throw BadRecord{std::string(what) + " is not an http(s) URL: " + excerpt(url)};
  return url;
}

std::string android_of(const json& record) {
  const json* value = field(record, {"android"});
  if (!value || value->is_null()) return {};
  if (value->is_string()) return std::string(trim(value->get_ref<const std::string&>()));
  if (value->is_number() && std::isfinite(value->get<double>())) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value->get<double>());
    return buffer;
  }
  throw BadRecord{"field \"android\" must be a string"};
}

void read_size(const json& record, Rom& rom) {
  const json* value = field(record, {"size"});
  if (!value || value->is_null()) return;
  if (value->is_number_unsigned()) {
    rom.size = value->get<uint64_t>();
  } else if (value->is_string()) {
    const std::string label(trim(value->get_ref<const std::string&>()));
    if (label.empty()) return;
    rom.size = parse_size(label);
    if (!rom.size) throw BadRecord{"bad size " + excerpt(label)};
    rom.size_label = label;
  } else {
    throw BadRecord{"field \"size\" must be a byte count or a size such as \"3.0 GB\""};
  }
}

std::string read_md5(const json& record) {
  const json* value = field(record, {"md5"});
  if (!value || value->is_null()) return {};
  if (!value->is_string()) throw BadRecord{"field \"md5\" must be a string"};
  const std::string text(trim(value->get_ref<const std::string&>()));
  if (text.empty() || iequals(text, "unknown")) return {};
  if (!is_md5_hex(text)) throw BadRecord{"bad md5 " + excerpt(text)};
  return to_lower(text);
}

std::vector<std::string> read_mirrors(const json& record) {
  const json* value = field(record, {"mirrors"});
  if (!value || value->is_null()) return {};
  if (!value->is_array()) throw BadRecord{"field \"mirrors\" must be an array of URLs"};
  std::vector<std::string> mirrors;
  for (const json& mirror : *value) {
    if (!mirror.is_string()) throw BadRecord{"field \"mirrors\" must be an array of URLs"};
    mirrors.push_back(checked_url(mirror.get<std::string>(), "mirror"));
  }
  return mirrors;
}

Rom read_record(const json& record) {
  if (!record.is_object()) throw BadRecord{"record is not a JSON object"};
  Rom rom;
  const std::string codename = required_text(record, {"codename"});
  rom.codename = base_codename(codename);
  if (rom.codename.empty()) throw BadRecord{"bad codename " + excerpt(codename)};
  rom.variant = optional_text(record, {"variant"});
  if (rom.variant.empty()) rom.variant = codename;
  rom.site_codename = optional_text(record, {"site_codename"});
  rom.device = required_text(record, {"device", "name"});
  rom.version = required_text(record, {"version"});
  rom.os = optional_text(record, {"os"});
  if (rom.os.empty()) rom.os = os_of_version(rom.version);
  else if (iequals(rom.os, "miui")) rom.os = "MIUI";
  else if (iequals(rom.os, "hyperos")) rom.os = "HyperOS";
  else throw BadRecord{"unknown os " + excerpt(rom.os)};
  rom.android = android_of(record);

  const std::string branch = required_text(record, {"branch"});
  const auto parsed_branch = parse_branch(branch);
  if (!parsed_branch) throw BadRecord{"unknown branch " + excerpt(branch)};
  rom.branch = *parsed_branch;

  const std::string type = required_text(record, {"type", "method"});
  const auto parsed_type = parse_type(type);
  if (!parsed_type) throw BadRecord{"unknown type " + excerpt(type)};
  rom.type = *parsed_type;

  const std::string region = optional_text(record, {"region"});
  if (!region.empty()) {
    const auto known = region_named(region);
    rom.region = known ? std::string(*known) : region;
  } else {
    rom.region = derive_region(rom.device, rom.variant);
  }

  read_size(record, rom);
  rom.date = optional_text(record, {"date"});
  if (!rom.date.empty() && !is_iso_date(rom.date)) throw BadRecord{"bad date " + excerpt(rom.date)};

  rom.link = checked_url(required_text(record, {"link", "download"}), "link");
  rom.filename = optional_text(record, {"filename"});
  if (rom.filename.empty()) rom.filename = filename_from_url(rom.link);
  if (auto problem = package_name_problem(rom.filename)) throw BadRecord{*problem + ": " + excerpt(rom.filename)};

  rom.md5 = read_md5(record);
  rom.mirrors = read_mirrors(record);
  rom.incremental = optional_text(record, {"incremental"});
  if (!rom.incremental.empty()) checked_url(rom.incremental, "incremental");
  rom.changelog = optional_text(record, {"changelog"}, kMaxChangelogBytes);
  return rom;
}

json parse_record_json(std::string_view text) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception&) {
    // The scan checked the whole text; a record that does not parse now was changed since.
    throw Error(ExitCode::InvalidCatalog, "the catalog changed while it was being read; run the command again");
  }
}

}  // namespace

std::string check_catalog_shape(const CatalogScan& scan) {
  if (scan.is_array) return {};
  if (!scan.is_object) throw Error(ExitCode::InvalidCatalog, "not an xfu catalog: expected a JSON object or array");
  if (scan.schema_value.empty() || scan.schema_value.front() != '"')
    throw Error(ExitCode::InvalidCatalog, "not an xfu catalog: no \"schema\" field");
  const std::string schema = decode_json_string(scan.schema_value);
  if (schema != kCatalogSchema)
    throw Error(ExitCode::InvalidCatalog, "unsupported catalog schema " + excerpt(schema) + " (this xfu reads " +
                                              std::string(kCatalogSchema) + ")");
  std::string generated;
  if (!scan.generated_value.empty() && scan.generated_value != "null") {
    generated = decode_json_string(scan.generated_value);
    if (scan.generated_value.front() != '"' || !parse_iso8601(generated))
      throw Error(ExitCode::InvalidCatalog, "field \"generated\" is not an ISO 8601 date");
  }
  if (scan.roms_value.empty() || scan.roms_value.front() != '[')
    throw Error(ExitCode::InvalidCatalog, "not an xfu catalog: \"roms\" is not an array");
  return generated;
}

CatalogBuilder::CatalogBuilder(std::string generated) { catalog_.generated = std::move(generated); }
CatalogBuilder::~CatalogBuilder() = default;

std::optional<std::string> CatalogBuilder::add(size_t index, std::string_view record_text,
                                               const std::function<bool(const Rom&)>& keep) {
  try {
    Rom rom = read_record(parse_record_json(record_text));
    if (keep && !keep(rom)) return std::nullopt;
    const auto [it, added] = seen_.emplace(rom.filename + '\n' + rom.device, index);
    if (!added) throw BadRecord{"duplicate of record " + std::to_string(it->second + 1)};
    catalog_.roms.push_back(std::move(rom));
    return std::nullopt;
  } catch (const BadRecord& bad) {
    catalog_.skipped.add(index, bad.reason);
    return bad.reason;
  }
}

Catalog CatalogBuilder::finish() { return std::move(catalog_); }

Catalog parse_catalog(std::string_view json_text) {
  const CatalogScan scan = scan_catalog(json_text);
  CatalogBuilder builder(check_catalog_shape(scan));
  for (size_t index = 0; index < scan.records.size(); ++index) builder.add(index, scan.records[index].text);
  return builder.finish();
}

size_t count_devices(const Catalog& catalog) {
  std::set<std::string_view> codenames;
  for (const Rom& rom : catalog.roms) codenames.insert(rom.codename);
  return codenames.size();
}

std::string skipped_summary(const Catalog& catalog) {
  if (catalog.skipped.empty()) return {};
  const auto& first = catalog.skipped.front();
  const size_t count = catalog.skipped.size();
  return "skipped " + std::to_string(count) + " invalid catalog record" + (count == 1 ? "" : "s") + " (first: record " +
         std::to_string(first.index + 1) + ": " + first.reason + ")";
}

}  // namespace xfu
