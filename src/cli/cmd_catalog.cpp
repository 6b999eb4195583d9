// xfu catalog info | update: where the catalog comes from, and fetching it now.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/catalog_cache.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

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
    cache = {{"path", CatalogCache(cache_dir()).body_path(*loaded.cache).string()},
             {"etag", loaded.cache->etag.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(loaded.cache->etag)},
             {"last_modified",
              loaded.cache->last_modified.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(loaded.cache->last_modified)},
             {"fetched_at", format_iso8601(loaded.cache->fetched_at)},
             {"checked_at", format_iso8601(loaded.cache->checked_at)},
             {"age_seconds", now - loaded.cache->fetched_at}};
  }
  return {{"source", loaded.source.location},
          {"kind", kind_name(loaded.source.kind)},
          {"chosen_by", loaded.source.chosen_by},
          {"origin", origin_description(loaded.origin)},
          {"generated", loaded.catalog().generated.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(loaded.catalog().generated)},
          {"records", loaded.catalog().roms.size()},
          {"skipped", loaded.catalog().skipped.size()},
          {"devices", count_devices(loaded.catalog())},
          {"cache", cache}};
}

std::string info_text(const nlohmann::ordered_json& info) {
  const auto text = [](const nlohmann::ordered_json& value) {
    return value.is_null() ? std::string("-") : value.is_string() ? value.get<std::string>() : value.dump();
  };
  std::string out;
  const auto row = [&](const char* label, const std::string& value) {
    out += std::string(label) + std::string(12 - std::string_view(label).size(), ' ') + value + "\n";
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
  row("Records:", text(info["records"]) + (info["skipped"].get<size_t>() ? " (" + text(info["skipped"]) + " skipped)" : ""));
  row("Devices:", text(info["devices"]));
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
      "update", "Fetch the remote catalog now (revalidating the cached copy); fails if it cannot be fetched");
  update->add_flag("--json", *update_as_json, "Print the resulting catalog info as JSON");
  update->footer(global_options_footer());
  update->callback([&context, update_as_json] {
    if (context.options.offline) throw Error(ExitCode::Usage, "catalog update cannot be used with --offline");
    LoadOptions load = context.load_options();
    load.refresh = true;
    load.strict = true;
    print_info(context.loaded(load), *update_as_json);
  });
}

}  // namespace xfu
