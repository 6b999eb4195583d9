#include "render/rom_views.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/changelog.hpp"
#include "render/sanitize.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

std::string or_unknown(const std::string& text) { return text.empty() ? "Unknown" : sanitize_line(text); }

std::vector<std::string> download_links(const Rom& rom) {
  std::vector<std::string> links{sanitize_line(rom.link)};
  for (const auto& mirror : rom.mirrors) {
    std::string clean = sanitize_line(mirror);
    if (std::find(links.begin(), links.end(), clean) == links.end()) links.push_back(std::move(clean));
  }
  return links;
}

// The variant codename ("cancro_global"). The base codename also stands for
// records that name no variant: it means China, as Xiaomi's own variants do,
// and carries its region otherwise ("cancro Global").
std::string distinct_variant(const Rom& rom) {
  const std::string variant = sanitize_line(rom.variant);
  const bool names_other_region = !rom.region.empty() && rom.region != "China";
  return rom.variant == rom.codename && names_other_region ? variant + " " + sanitize_line(rom.region) : variant;
}

// Device names that more than one variant goes by in `roms` ("Redmi 2 China"
// for wt86047 and wt88047): there the name alone does not tell rows apart.
std::set<std::string> names_shared_by_variants(const std::vector<const Rom*>& roms) {
  std::map<std::string, std::set<std::string>> variants_by_name;
  for (const Rom* rom : roms) variants_by_name[sanitize_line(rom->device)].insert(distinct_variant(*rom));
  std::set<std::string> shared;
  for (const auto& [name, variants] : variants_by_name)
    if (variants.size() > 1) shared.insert(name);
  return shared;
}

TableCell device_cell(const Rom& rom, const std::set<std::string>& shared_names) {
  const std::string region = sanitize_line(rom.region);
  std::string name = sanitize_line(rom.device);
  std::string tail = region.empty() ? "" : " " + region;
  if (shared_names.count(name)) {
    tail = " (" + distinct_variant(rom) + ")";
    name += tail;
  }
  return {name, Colour::None, "", tail, distinct_variant(rom)};
}

std::string tsv_field(const std::string& text) {
  const std::string clean = sanitize_line(text);
  return clean.empty() ? "-" : clean;
}

}  // namespace

Colour branch_colour(Branch branch) {
  switch (branch) {
    case Branch::Stable: return Colour::Green;
    case Branch::StableBeta: return Colour::Cyan;
    case Branch::Weekly: return Colour::Yellow;
    case Branch::PublicBeta: return Colour::Magenta;
  }
  return Colour::None;
}

std::string branch_short_name(Branch branch) {
  switch (branch) {
    case Branch::Stable: return "Stable";
    case Branch::StableBeta: return "S.Beta";
    case Branch::Weekly: return "Weekly";
    case Branch::PublicBeta: return "P.Beta";
  }
  return "";
}

std::string render_rom_card(const std::vector<const Rom*>& same_file, const CardStyle& style,
                            const std::vector<std::string>& warnings) {
  const Rom& rom = *same_file.front();
  std::vector<std::string> devices;
  for (const Rom* each : same_file) {
    std::string device = sanitize_line(each->device);
    if (std::find(devices.begin(), devices.end(), device) == devices.end()) devices.push_back(std::move(device));
  }
  std::vector<CardField> fields{
      {"Device", devices},
      {"Codename", {sanitize_line(rom.codename)}},
      {"Version", {sanitize_line(rom.version)}},
      {"Branch", {std::string(branch_name(rom.branch))}, branch_colour(rom.branch)},
      {"Type", {std::string(type_name(rom.type))}},
      {"Size", {or_unknown(display_size(rom))}},
      {"Release Date", {or_unknown(rom.date)}},
      {.label = "Package Name", .lines = {sanitize_line(rom.filename)}, .whole = true},
      {.label = "MD5",
       .lines = {or_unknown(rom.md5)},
       .colour = rom.md5.empty() ? Colour::Yellow : Colour::None,
       .whole = true},
      {.label = "Download", .lines = download_links(rom), .whole = true, .links = true},
  };
  if (!rom.incremental.empty())
    fields.push_back({.label = "Incremental", .lines = {sanitize_line(rom.incremental)}, .whole = true, .links = true});
  const std::string changelog = sanitize_text(changelog_to_text(rom.changelog));
  if (auto field = warnings_field(warnings)) fields.push_back(std::move(*field));
  if (!changelog.empty()) fields.push_back({"Changelog", split(changelog, '\n'), Colour::None, true});
  const std::string title = devices.front() + (style.unicode ? " \u00B7 " : " - ") + sanitize_line(rom.version);
  return render_card(title, fields, style);
}

std::string render_rom_table(const std::vector<const Rom*>& roms, const TableOptions& options) {
  // Giving way on a narrow terminal: Android, then Size leave; Branch and Type
  // shorten; Date leaves; a device name that no longer fits shows as its
  // variant codename. Version, variant, branch and type tell the rows apart;
  // a device name that several variants share carries the variant.
  const std::vector<TableColumn> columns{{"Device", false, 6},     {"Version"},
                                         {"Branch", false, 3},     {"Type", false, 4},
                                         {"Android", false, 0, 1}, {"Size", true, 0, 2},
                                         {"Date", false, 0, 5}};
  const std::set<std::string> shared_names = names_shared_by_variants(roms);
  std::vector<std::vector<TableCell>> rows;
  for (const Rom* rom : roms) {
    rows.push_back({device_cell(*rom, shared_names),
                    {sanitize_line(rom->version)},
                    {std::string(branch_name(rom->branch)), branch_colour(rom->branch), branch_short_name(rom->branch)},
                    {std::string(type_name(rom->type)), rom->type == RomType::Fastboot ? Colour::Blue : Colour::None,
                     rom->type == RomType::Fastboot ? "Fast" : "Rec"},
                    {sanitize_line(rom->android)},
                    {sanitize_line(display_size(*rom))},
                    {sanitize_line(rom->date)}});
  }
  return render_table(columns, rows, options);
}

std::string render_rom_tsv(const std::vector<const Rom*>& roms, bool header) {
  std::string out;
  if (header) out += std::string(kRomTsvColumns) + "\n";
  for (const Rom* rom : roms) {
    const std::vector<std::string> fields{tsv_field(rom->device),
                                          tsv_field(rom->version),
                                          std::string(branch_slug(rom->branch)),
                                          std::string(type_slug(rom->type)),
                                          tsv_field(rom->android),
                                          exact_size(*rom) ? std::to_string(*exact_size(*rom))
                                                           : tsv_field(display_size(*rom)),
                                          tsv_field(rom->date),
                                          tsv_field(region_slug(rom->region)),
                                          tsv_field(rom->variant),
                                          tsv_field(rom->filename),
                                          tsv_field(rom->md5),
                                          tsv_field(rom->link)};
    out += join(fields, "\t") + "\n";
  }
  return out;
}

}  // namespace xfu
