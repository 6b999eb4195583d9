#include "catalog/catalog_tools.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "catalog/catalog_scan.hpp"
#include "catalog/sharded_catalog.hpp"
#include "core/exit_code.hpp"
#include "core/hash.hpp"
#include "util/atomic_file.hpp"
#include "util/private_file.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

// Checks one catalog file's records; `prefix` names the shard, if any.
// Returns the valid records.
std::vector<Rom> check_records(std::string_view text, const std::string& prefix, CheckReport& report) {
  CatalogScan scan;
  std::string generated;
  try {
    scan = scan_catalog(text);
    generated = check_catalog_shape(scan);
  } catch (const Error& e) {
    report.problems.push_back(prefix + e.what());
    return {};
  }
  CatalogBuilder builder(generated);
  for (size_t index = 0; index < scan.records.size(); ++index) {
    if (auto reason = builder.add(index, scan.records[index].text))
      report.problems.push_back(prefix + "record " + std::to_string(index + 1) + ": " + *reason);
  }
  report.records += scan.records.size();
  return builder.finish().roms;
}

void check_shards(std::string_view text, const std::function<std::string(const std::string&)>& read_shard,
                  CheckReport& report) {
  report.problems = shard_index_problems(text);
  if (!report.problems.empty()) return;
  const ShardIndex index = parse_shard_index(text);
  for (const ShardEntry& entry : index.shards) {
    const std::string prefix = entry.path + ": ";
    std::string shard;
    try {
      shard = read_shard(entry.path);
    } catch (const Error& e) {
      report.problems.push_back(prefix + e.what());
      continue;
    }
    ++report.shards;
    if (shard.size() != entry.bytes)
      report.problems.push_back(prefix + std::to_string(shard.size()) + " bytes, the index says " +
                                std::to_string(entry.bytes));
    try {
      check_shard(entry, shard);
    } catch (const Error& e) {
      report.problems.push_back(e.what());
    }
    const size_t before = report.records;
    for (const Rom& rom : check_records(shard, prefix, report))
      if (to_lower(rom.codename) != entry.codename)
        report.problems.push_back(prefix + rom.filename + " is a " + rom.codename + " ROM, not " + entry.codename);
    if (report.records - before != entry.records)
      report.problems.push_back(prefix + std::to_string(report.records - before) + " records, the index says " +
                                std::to_string(entry.records));
  }
}

bool plain_codename(std::string_view codename) {
  return !codename.empty() && codename.size() <= 64 && std::all_of(codename.begin(), codename.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

// Published files: readable by the web server, whoever runs it.
void write_or_throw(const std::filesystem::path& path, std::string_view content) {
  try {
    write_file_atomically(path, content);
    using std::filesystem::perms;
    std::filesystem::permissions(path, perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, e.what());
  }
}

}  // namespace

CheckReport check_catalog(std::string_view text, const std::function<std::string(const std::string&)>& read_shard) {
  CheckReport report;
  bool sharded = false;
  try {
    sharded = is_shard_index(scan_catalog(text));
  } catch (const Error&) {
    // check_records reports it.
  }
  if (sharded) check_shards(text, read_shard, report);
  else check_records(text, "", report);
  return report;
}

SplitResult split_catalog(std::string_view text, const std::filesystem::path& outdir) {
  const CatalogScan scan = scan_catalog(text);
  const std::string generated = check_catalog_shape(scan);
  CatalogBuilder builder(generated);
  struct Shard {
    std::vector<std::string_view> records;
  };
  std::map<std::string, Shard> shards;
  SplitResult result;
  for (size_t index = 0; index < scan.records.size(); ++index) {
    const RecordSpan& record = scan.records[index];
    Rom rom;
    bool valid = false;
    builder.add(index, record.text, [&](const Rom& checked) {
      rom = checked;
      return valid = plain_codename(to_lower(checked.codename));
    });
    if (!valid) {
      if (!rom.codename.empty()) result.skipped.add(index, "codename " + rom.codename + " cannot name a shard file");
      continue;
    }
    Shard& shard = shards[to_lower(rom.codename)];
    shard.records.push_back(record.text);
  }
  result.skipped.add_all(builder.finish().skipped, "");

  try {
    std::filesystem::create_directories(outdir / "shards");
    check_plain_directory(outdir / "shards");
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, e.what());
  }
  ShardIndex index;
  index.generated = generated;
  for (const auto& [codename, shard] : shards) {
    std::string body = "{\"schema\": \"" + std::string(kCatalogSchema) + "\", \"generated\": " +
                       (generated.empty() ? std::string("null") : nlohmann::json(generated).dump()) + ", \"roms\": [\n";
    for (size_t i = 0; i < shard.records.size(); ++i)
      body += std::string(i ? ",\n" : "") + std::string(shard.records[i]);
    body += "\n]}\n";
    ShardEntry entry;
    entry.codename = codename;
    entry.path = "shards/" + codename + ".json";
    entry.records = shard.records.size();
    entry.bytes = body.size();
    entry.sha256 = sha256_hex(body);
    write_or_throw(outdir / entry.path, body);
    result.records += shard.records.size();
    ++result.shards;
    index.shards.push_back(std::move(entry));
  }
  // The index last: a reader never sees it name a shard not yet written.
  write_or_throw(outdir / "index.json", shard_index_json(index));
  return result;
}

}  // namespace xfu
