#include "cli/package_views.hpp"

#include <filesystem>

#include "catalog/catalog_json.hpp"
#include "cli/phone.hpp"
#include "render/sanitize.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

// Names from the package, as one line to show.
std::string joined(const std::vector<std::string>& values) { return sanitize_line(join(values, ", ")); }

std::string kind_text(const PackageFacts& facts) {
  switch (facts.kind) {
    case PackageKind::Fastboot: return "Fastboot (flashed with fastboot from a computer)";
    case PackageKind::Ota:
      return facts.incremental ? "Recovery/OTA, incremental (an update of one build)" : "Recovery/OTA, full";
    case PackageKind::NotRom: return "not a ROM package";
  }
  return "";
}

std::string anti_rollback_text(const PackageFacts& facts) {
  if (!facts.anti_rollback) return "none stated";
  return std::to_string(*facts.anti_rollback) + " (from " +
         sanitize_line(inside_top_folder(facts.anti_rollback_source)) + ")";
}

std::string phone_text(const Phone& phone) {
  std::string text = sanitize_line(phone.variant.empty() ? phone.codename : phone.variant);
  text += " (" + sanitize_line(phone.serial) + ", " + std::string(phone_mode_slug(phone.mode)) + " mode";
  if (phone.anti_rollback) text += ", anti-rollback " + std::to_string(*phone.anti_rollback);
  return text + ")";
}

std::string record_text(const Rom& rom) {
  return sanitize_line(rom.device) + " \u00B7 " + sanitize_line(rom.version) + " \u00B7 " +
         std::string(branch_name(rom.branch)) + " \u00B7 " + std::string(type_name(rom.type)) + " \u00B7 " +
         sanitize_line(rom.region);
}

std::vector<std::string> md5_lines(const Inspection& inspection) {
  if (!inspection.by_md5.empty()) return {inspection.hash.md5 + " (the catalog's)"};
  if (inspection.md5_mismatch()) return {inspection.hash.md5, "NOT the catalog's " + inspection.by_name[0].md5};
  return {inspection.hash.md5};
}

std::vector<std::string> catalog_lines(const Inspection& inspection) {
  const std::vector<Rom>& records = inspection.by_md5.empty() ? inspection.by_name : inspection.by_md5;
  std::vector<std::string> lines;
  for (const Rom& rom : records) lines.push_back(record_text(rom));
  if (lines.empty()) lines.push_back("not listed (neither this MD5 nor this file name)");
  const std::string name = std::filesystem::path(inspection.file).filename().string();
  if (!inspection.by_md5.empty() && inspection.by_md5.front().filename != name)
    lines.push_back("renamed: the catalog calls it " + sanitize_line(inspection.by_md5.front().filename));
  return lines;
}

}  // namespace

std::string inside_top_folder(const std::string& path) {
  const auto slash = path.find('/');
  return slash == std::string::npos || slash + 1 == path.size() ? path : path.substr(slash + 1);
}

bool Inspection::md5_mismatch() const {
  if (!by_md5.empty() || by_name.empty() || hash.md5.empty()) return false;
  return !by_name.front().md5.empty() && by_name.front().md5 != hash.md5;
}

const Rom* Inspection::record() const {
  if (!by_md5.empty()) return &by_md5.front();
  return by_name.empty() ? nullptr : &by_name.front();
}

FitInput Inspection::fit_input() const {
  return FitInput{record(), facts ? &*facts : nullptr, phone ? &*phone : nullptr,
                  std::filesystem::path(file).filename().string(), std::nullopt};
}

std::string package_title(const PackageFacts& facts) {
  std::string kind = facts.kind == PackageKind::Fastboot ? "Fastboot package"
                     : facts.kind == PackageKind::Ota    ? "Recovery/OTA package"
                                                         : "Not a ROM package";
  return facts.devices.empty() ? kind : joined(facts.devices) + " \u00B7 " + kind;
}

std::vector<CardField> facts_fields(const PackageFacts& facts) {
  std::vector<CardField> fields{{"Package", {kind_text(facts)}}};
  if (!facts.devices.empty()) fields.push_back({"For device", {joined(facts.devices)}});
  if (facts.kind == PackageKind::Fastboot) {
    fields.push_back({"Anti-rollback", {anti_rollback_text(facts)}, facts.anti_rollback ? Colour::None : Colour::Dim});
    fields.push_back({"Flash scripts", {facts.flash_scripts.empty() ? "none" : joined(facts.flash_scripts)}});
    fields.push_back({"Images", {std::to_string(facts.image_count)}});
  }
  if (facts.kind == PackageKind::Ota) {
    if (!facts.version.empty()) fields.push_back({"Build", {sanitize_line(facts.version)}});
    if (!facts.fingerprint.empty())
      fields.push_back({.label = "Fingerprint", .lines = {sanitize_line(facts.fingerprint)}, .whole = true});
    if (facts.timestamp) fields.push_back({"Built", {format_iso8601(*facts.timestamp)}});
    if (facts.incremental && !facts.source_fingerprint.empty())
      fields.push_back({.label = "Updates", .lines = {sanitize_line(facts.source_fingerprint)}, .whole = true});
  }
  return fields;
}

std::vector<std::string> warning_lines(const std::vector<FitWarning>& warnings) {
  std::vector<std::string> lines;
  for (const auto& warning : warnings) lines.push_back(sanitize_line(warning.message));
  return lines;
}

std::string render_inspection_card(const Inspection& inspection, const CardStyle& style) {
  std::vector<CardField> fields{{.label = "File",
                                 .lines = {sanitize_line(std::filesystem::path(inspection.file).filename().string())},
                                 .whole = true}};
  for (CardField& field : facts_fields(*inspection.facts)) fields.push_back(std::move(field));
  fields.push_back({.label = "MD5",
                    .lines = md5_lines(inspection),
                    .colour = inspection.md5_mismatch() ? Colour::Red : Colour::None,
                    .whole = true});
  fields.push_back({"Catalog", catalog_lines(inspection)});
  if (inspection.phone) fields.push_back({"Phone", {phone_text(*inspection.phone)}});
  if (auto warnings = warnings_field(warning_lines(inspection.warnings))) fields.push_back(std::move(*warnings));
  std::vector<std::string> notes = inspection.facts->notes;
  notes.insert(notes.end(), inspection.notes.begin(), inspection.notes.end());
  if (!notes.empty()) {
    CardField field{"Notes", {}, Colour::Dim, true};
    for (const auto& note : notes) field.lines.push_back(sanitize_line(note));
    fields.push_back(std::move(field));
  }
  return render_card(package_title(*inspection.facts), fields, style);
}

std::string facts_summary(const PackageFacts& facts) {
  std::string text;
  switch (facts.kind) {
    case PackageKind::Fastboot: text = "fastboot package"; break;
    case PackageKind::Ota: text = facts.incremental ? "incremental OTA package" : "full recovery/OTA package"; break;
    case PackageKind::NotRom: return "not a ROM package: no flash scripts, images or OTA metadata in it";
  }
  if (!facts.devices.empty()) text += " for " + joined(facts.devices);
  if (facts.kind == PackageKind::Fastboot) {
    text += facts.anti_rollback ? "; anti-rollback index " + anti_rollback_text(facts)
                                : "; no anti-rollback index stated";
    if (!facts.flash_scripts.empty()) text += "; flash scripts: " + joined(facts.flash_scripts);
  }
  if (facts.kind == PackageKind::Ota && !facts.version.empty()) text += "; build " + sanitize_line(facts.version);
  return text;
}

nlohmann::ordered_json facts_to_json(const PackageFacts& facts) {
  nlohmann::ordered_json json;
  json["kind"] = package_kind_slug(facts.kind);
  json["format"] = facts.format;
  json["devices"] = facts.devices;
  json["anti_rollback"] = facts.anti_rollback ? nlohmann::ordered_json(*facts.anti_rollback) : nullptr;
  json["anti_rollback_source"] = facts.anti_rollback_source;
  json["flash_scripts"] = facts.flash_scripts;
  json["image_count"] = facts.image_count;
  json["fingerprint"] = facts.fingerprint;
  json["version"] = facts.version;
  json["timestamp"] = facts.timestamp ? nlohmann::ordered_json(*facts.timestamp) : nullptr;
  json["incremental"] = facts.incremental;
  json["source_fingerprint"] = facts.source_fingerprint;
  json["ota_type"] = facts.ota_type;
  json["notes"] = facts.notes;
  return json;
}

nlohmann::ordered_json warnings_to_json(const std::vector<FitWarning>& warnings) {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const auto& warning : warnings) json.push_back({{"code", warning.code}, {"message", warning.message}});
  return json;
}

nlohmann::ordered_json inspection_to_json(const Inspection& inspection) {
  nlohmann::ordered_json json;
  json["file"] = inspection.file;
  json["size"] = inspection.hash.size;
  json["md5"] = inspection.hash.md5.empty() ? nullptr : nlohmann::ordered_json(inspection.hash.md5);
  json["error"] = !inspection.hash.error.empty() ? nlohmann::ordered_json(inspection.hash.error)
                  : !inspection.problem.empty()  ? nlohmann::ordered_json(inspection.problem)
                                                 : nullptr;
  json["package"] = inspection.facts ? facts_to_json(*inspection.facts) : nullptr;
  json["md5_matches_catalog"] = !inspection.by_md5.empty();
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (const Rom& rom : inspection.by_md5.empty() ? inspection.by_name : inspection.by_md5)
    records.push_back(rom_to_json(rom));
  json["catalog"] = records;
  json["phone"] = inspection.phone ? phone_json(*inspection.phone, "") : nullptr;
  json["warnings"] = warnings_to_json(inspection.warnings);
  json["notes"] = inspection.notes;
  return json;
}

}  // namespace xfu
