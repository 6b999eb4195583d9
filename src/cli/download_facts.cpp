#include "cli/download_facts.hpp"

#include <atomic>

#include "cli/package_views.hpp"
#include "core/exit_code.hpp"
#include "render/sanitize.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + sanitize_line(value);
  return text;
}

}  // namespace

DownloadFacts::DownloadFacts(const std::string& filename)
    : zip_(to_lower(filename).ends_with(".zip")), inspector_(zip_ ? nullptr : std::make_unique<StreamInspector>()) {}

InOrderBytes DownloadFacts::tap() {
  if (!inspector_) return {};
  return
      [inspector = inspector_.get()](uint64_t offset, std::span<const char> bytes) { inspector->feed(offset, bytes); };
}

std::optional<PackageFacts> DownloadFacts::finish(const DownloadResult& result, std::string& problem) {
  if (zip_) {
    static const std::atomic<bool> never_interrupted{false};
    try {
      return inspect_package(result.path, never_interrupted);
    } catch (const Error& e) {
      problem = e.what();
      return std::nullopt;
    }
  }
  std::optional<PackageFacts> facts = inspector_->finish(result.size);
  if (!facts) problem = inspector_->problem();
  return facts;
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
    text += facts.anti_rollback ? "; anti-rollback index " + std::to_string(*facts.anti_rollback) + " (from " +
                                      sanitize_line(inside_top_folder(facts.anti_rollback_source)) + ")"
                                : "; no anti-rollback index stated";
    if (!facts.flash_scripts.empty()) text += "; flash scripts: " + joined(facts.flash_scripts);
  }
  if (facts.kind == PackageKind::Ota && !facts.version.empty()) text += "; build " + sanitize_line(facts.version);
  return text;
}

}  // namespace xfu
