// xfu catalog info | update: where the catalog comes from, and fetching it now.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>

#include "catalog/builtin_catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/catalog_pack.hpp"
#include "catalog/catalog_tools.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/size.hpp"
#include "render/sanitize.hpp"
#include "util/atomic_file.hpp"
#include "util/private_file.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

// `catalog update` is there to refresh the cached copy: a cache it cannot
// write is an error, where other commands only note it.
void require_writable_cache(const std::filesystem::path& dir) {
  if (dir.empty())
    throw Error(ExitCode::LocalFile, "cannot update the cached catalog: there is no cache directory "
                                     "(neither XDG_CACHE_HOME nor HOME is set)");
  const std::string failed = "cannot update the cached catalog in " + dir.string() + ": ";
  try {
    CatalogCache(dir).prepare();
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, failed + write_problem(e));
  }
  if (::access(dir.c_str(), W_OK) != 0) throw Error(ExitCode::LocalFile, failed + std::strerror(errno));
}

std::string_view kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::File: return "file";
    case SourceKind::Url: return "url";
    case SourceKind::Builtin: return "builtin";
  }
  return "";
}

nlohmann::ordered_json info_json(LoadedCatalog& loaded) {
  nlohmann::ordered_json cache = nullptr;
  if (loaded.cache) {
    const int64_t now = unix_now();
    cache = {
        {"path", CatalogCache(cache_dir()).body_path(*loaded.cache).string()},
        {"etag", loaded.cache->etag.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(loaded.cache->etag)},
        {"last_modified", loaded.cache->last_modified.empty() ? nlohmann::ordered_json()
                                                              : nlohmann::ordered_json(loaded.cache->last_modified)},
        {"fetched_at", format_iso8601(loaded.cache->fetched_at)},
        {"checked_at", format_iso8601(loaded.cache->checked_at)},
        {"age_seconds", now - loaded.cache->fetched_at}};
  }
  const std::string generated = loaded.generated();
  const RecordSummary summary = loaded.summary();
  nlohmann::ordered_json info{{"source", loaded.source.location},
                              {"kind", kind_name(loaded.source.kind)},
                              {"chosen_by", loaded.source.chosen_by},
                              {"origin", origin_description(loaded.origin)},
                              {"sharded", summary.sharded},
                              {"generated",
                               generated.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(generated)}};
  info["records"] = summary.records;
  info["skipped"] = summary.skipped ? nlohmann::ordered_json(*summary.skipped) : nlohmann::ordered_json();
  info["devices"] = summary.devices;
  if (summary.upstream) {
    nlohmann::ordered_json upstream = nlohmann::ordered_json::array();
    for (const UpstreamSource& source : *summary.upstream)
      upstream.push_back(
          {{"name", source.name}, {"repository", source.repository}, {"commit", source.commit}, {"date", source.date}});
    info["upstream"] = upstream;
  }
  info["cache"] = cache;
  return info;
}

std::string info_text(const nlohmann::ordered_json& info) {
  const auto text = [](const nlohmann::ordered_json& value) {
    return value.is_null() ? std::string("-") : value.is_string() ? value.get<std::string>() : value.dump();
  };
  std::string out;
  const auto row = [&](const char* label, const std::string& value) {
    out += std::string(label) + std::string(12 - std::string_view(label).size(), ' ') + sanitize_line(value) + "\n";
  };
  row("Source:", text(info["source"]) + " (" + text(info["chosen_by"]) + ")");
  row("In use:", text(info["origin"]));
  if (!info["cache"].is_null()) {
    const auto& cache = info["cache"];
    row("Cache:", text(cache["path"]));
    row("Fetched:", text(cache["fetched_at"]) + " (" + format_age(cache["age_seconds"].get<int64_t>()) + " ago)");
    row("Checked:", text(cache["checked_at"]));
    row("ETag:", text(cache["etag"]));
  }
  row("Generated:", text(info["generated"]));
  const bool skipped = info["skipped"].is_number() && info["skipped"].get<size_t>() > 0;
  row("Records:", text(info["records"]) + (skipped ? " (" + text(info["skipped"]) + " skipped)" : "") +
                      (info["sharded"].get<bool>() ? " (sharded)" : ""));
  row("Devices:", text(info["devices"]));
  if (info.contains("upstream"))
    for (const auto& source : info["upstream"])
      row("Upstream:",
          text(source["repository"]) + " " + text(source["commit"]).substr(0, 12) + " (" + text(source["date"]) + ")");
  return out;
}

void print_info(LoadedCatalog& loaded, bool json) {
  const nlohmann::ordered_json info = info_json(loaded);
  if (json) {
    write_json(info);
  } else {
    write_stdout(info_text(info));
  }
}

// The built-in snapshot is sharded already: writing its layout out is all a split can do.
void export_builtin(const std::filesystem::path& outdir) {
  const ShardIndex& index = builtin_index();
  uint64_t records = 0;
  try {
    std::filesystem::create_directories(outdir);
    for (const ShardEntry& entry : index.shards) {
      std::filesystem::create_directories((outdir / entry.path).parent_path());
      check_plain_directory((outdir / entry.path).parent_path());
      write_file_atomically(outdir / entry.path, *builtin_pack().shard_text(entry.path));
      records += entry.records;
    }
    write_file_atomically(outdir / "index.json", builtin_pack().index_text());
  } catch (const UnsafeFile& e) {
    throw Error(ExitCode::LocalFile, e.what());
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, "cannot write " + outdir.string() + ": " + e.code().message());
  }
  write_stdout("wrote " + std::to_string(records) + " records in " + std::to_string(index.shards.size()) +
               " shards and index.json to " + display_name(outdir.string()) + "\n");
}

void run_pack(const std::string& layout, const std::string& out) {
  const std::string bytes = pack_catalog(layout);
  try {
    write_file_atomically(out, bytes);
  } catch (const UnsafeFile& e) {
    throw Error(ExitCode::LocalFile, e.what());
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, "cannot write " + out + ": " + e.code().message());
  }
  write_stdout("wrote " + display_name(out) + " (" + format_size(bytes.size()) + ")\n");
}

void run_split(Context& context, const std::string& from, const std::string& outdir) {
  const CatalogSource source = classify_source(from, "argument");
  if (source.kind == SourceKind::Builtin) return export_builtin(outdir);
  if (source.kind == SourceKind::Url)
    throw Error(ExitCode::Usage, "catalog split reads a local file (or builtin), not a URL");
  const SplitResult result = split_catalog(read_source_text(source, context.load_options().http), outdir);
  if (!result.skipped.empty()) {
    Catalog skipped;
    skipped.skipped = result.skipped;
    print_warning(skipped_summary(skipped) + "; left out of the shards");
  }
  write_stdout("wrote " + std::to_string(result.records) + " records in " + std::to_string(result.shards) +
               " shards and index.json to " + display_name(outdir) + "\n");
}

void run_check(Context& context, const std::string& from) {
  const CatalogSource source = classify_source(from, "argument");
  const HttpOptions http = context.load_options().http;
  const CheckReport report = check_catalog(read_source_text(source, http), [&](const std::string& path) {
    return read_text_beside(source, path, http);
  });
  std::string out;
  for (const std::string& problem : report.problems) out += sanitize_line(problem) + "\n";
  if (report.records == 0 && report.problems.empty()) {
    write_stdout(out);
    throw Error(ExitCode::InvalidCatalog, from + ": invalid: it holds no ROM records");
  }
  const std::string counted = std::to_string(report.records) + " records" +
                              (report.shards ? " in " + std::to_string(report.shards) + " shards" : "");
  if (report.problems.empty()) {
    write_stdout(out + sanitize_line(from) + ": valid, " + counted + "\n");
    return;
  }
  write_stdout(out);
  throw Error(ExitCode::InvalidCatalog, from + ": invalid: " + std::to_string(report.problems.size()) + " problem" +
                                            (report.problems.size() == 1 ? "" : "s") + " in " + counted);
}

}  // namespace

void add_catalog_command(CLI::App& app, Context& context) {
  CLI::App* catalog = app.add_subcommand("catalog", "Show where the catalog comes from, or fetch it now");
  catalog->require_subcommand(1);
  catalog->footer(global_options_footer());

  auto info_as_json = std::make_shared<bool>(false);
  CLI::App* info = catalog->add_subcommand(
      "info", "Print the catalog source in use, its URL, cache age, ETag, and record and device counts");
  info->add_flag("--json", *info_as_json, "Print as JSON");
  info->footer(global_options_footer());
  info->callback([&context, info_as_json] { print_info(context.loaded(), *info_as_json); });

  auto update_as_json = std::make_shared<bool>(false);
  CLI::App* update = catalog->add_subcommand(
      "update", "Fetch the remote catalog now (revalidating the cached copy); fails if it cannot be fetched or cached");
  update->add_flag("--json", *update_as_json, "Print the resulting catalog info as JSON");
  update->footer(global_options_footer());
  update->callback([&context, update_as_json] {
    if (context.options.offline) throw Error(ExitCode::Usage, "catalog update cannot be used with --offline");
    LoadOptions load = context.load_options();
    load.refresh = true;
    load.strict = true;
    if (context.source().kind == SourceKind::Url) require_writable_cache(load.cache_dir);
    print_info(context.loaded(load), *update_as_json);
  });

  auto split_paths = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* split = catalog->add_subcommand(
      "split", "Write a catalog file as a sharded layout: OUTDIR/index.json and one shard per codename");
  split->add_option("catalog", split_paths->first, "Catalog file to split (or \"builtin\")")
      ->option_text("CATALOG")
      ->required();
  split->add_option("outdir", split_paths->second, "Directory to write into")->option_text("OUTDIR")->required();
  split->footer(global_options_footer());
  split->callback([&context, split_paths] { run_split(context, split_paths->first, split_paths->second); });

  auto pack_paths = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* pack = catalog->add_subcommand(
      "pack", "Pack a sharded layout into one file, each shard compressed on its own (how data/catalog.pack is made)");
  pack->add_option("layout", pack_paths->first, "Directory holding index.json and its shards")
      ->option_text("DIR")
      ->required();
  pack->add_option("out", pack_paths->second, "File to write")->option_text("FILE")->required();
  pack->group("");  // for maintainers: not listed in --help
  pack->callback([pack_paths] { run_pack(pack_paths->first, pack_paths->second); });

  auto check_source = std::make_shared<std::string>();
  CLI::App* check = catalog->add_subcommand(
      "check", "Check a catalog or a sharded layout record by record; exit 5 when anything is invalid");
  check
      ->add_option("source", *check_source,
                   "Catalog file, directory or index.json of a sharded layout, URL, or builtin")
      ->option_text("SRC")
      ->required();
  check->footer(global_options_footer());
  check->callback([&context, check_source] { run_check(context, *check_source); });
}

}  // namespace xfu
