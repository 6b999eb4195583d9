#include "render/rom_views.hpp"

#include <algorithm>

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

std::string render_rom_card(const std::vector<const Rom*>& same_file, const CardStyle& style) {
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
      {"Package Name", {sanitize_line(rom.filename)}},
      {"MD5", {or_unknown(rom.md5)}, rom.md5.empty() ? Colour::Yellow : Colour::None},
      {"Download", download_links(rom)},
  };
  if (!rom.incremental.empty()) fields.push_back({"Incremental", {sanitize_line(rom.incremental)}});
  const std::string changelog = sanitize_text(changelog_to_text(rom.changelog));
  if (!changelog.empty()) fields.push_back({"Changelog", split(changelog, '\n'), Colour::None, true});
  const std::string title = devices.front() + (style.unicode ? " \u00B7 " : " - ") + sanitize_line(rom.version);
  return render_card(title, fields, style);
}

std::string render_rom_table(const std::vector<const Rom*>& roms, const TableOptions& options) {
  const std::vector<TableColumn> columns{{"Device", false, 2}, {"Version", false, 1}, {"Branch"}, {"Type"},
                                         {"Android"},          {"Size", true},        {"Date"}};
  std::vector<std::vector<TableCell>> rows;
  for (const Rom* rom : roms) {
    rows.push_back({{sanitize_line(rom->device)},
                    {sanitize_line(rom->version)},
                    {std::string(branch_name(rom->branch)), branch_colour(rom->branch)},
                    {std::string(type_name(rom->type)), rom->type == RomType::Fastboot ? Colour::Blue : Colour::None},
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
