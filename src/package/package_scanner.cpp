#include "package/package_scanner.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr size_t kMaxPathBytes = 4096;
constexpr size_t kMaxPathDepth = 64;
constexpr size_t kMaxFlashScripts = 32;
constexpr size_t kMaxNotes = 32;  // an archive of a million odd entries gets no million notes

// The path's parts without "." and empty ones; nothing when the path could
// mean something else than it shows (.., a leading '/', control characters)
// or is absurdly long.
std::optional<std::vector<std::string_view>> safe_parts(std::string_view path) {
  if (path.empty() || path.size() > kMaxPathBytes || path.front() == '/') return std::nullopt;
  if (std::any_of(path.begin(), path.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") parts.push_back(part);
    if (parts.size() > kMaxPathDepth) return std::nullopt;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  if (parts.empty()) return std::nullopt;
  return parts;
}

std::string join_parts(const std::vector<std::string_view>& parts) {
  std::string out;
  for (const auto part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

// "flash_all_lock" for flash_all_lock.sh or .bat; nothing for other names.
std::optional<std::string_view> flash_script_stem(std::string_view name) {
  std::string_view stem;
  if (name.ends_with(".sh")) stem = name.substr(0, name.size() - 3);
  else if (name.ends_with(".bat")) stem = name.substr(0, name.size() - 4);
  else return std::nullopt;
  if (!stem.starts_with("flash_all") || stem.size() > 64) return std::nullopt;
  if (!std::all_of(stem.begin(), stem.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    return std::nullopt;
  }
  return stem;
}

bool parts_are(const std::vector<std::string_view>& parts, std::initializer_list<std::string_view> expected) {
  return std::equal(parts.begin(), parts.end(), expected.begin(), expected.end());
}

}  // namespace

bool PackageScanner::wants(std::string_view path, std::optional<uint64_t> size) {
  wanted_ = Wanted::Nothing;
  const auto parts = safe_parts(path);
  if (!parts) {
    ++unsafe_paths_;
    return false;
  }
  const size_t depth = parts->size();
  const std::string_view name = parts->back();
  Wanted wanted = Wanted::Nothing;
  if (depth <= 2 && flash_script_stem(name)) {
    add_flash_script_name(*flash_script_stem(name));
    wanted = Wanted::FlashScript;
  } else if (depth >= 2 && depth <= 3 && (*parts)[depth - 2] == "images") {
    if (name.ends_with(".img")) ++image_count_;
    if (name == "anti_version.txt") wanted = Wanted::AntiVersion;
  } else if (parts_are(*parts, {"META-INF", "com", "android", "metadata"})) {
    has_metadata_file_ = true;
    wanted = Wanted::Metadata;
  } else if (parts_are(*parts, {"META-INF", "com", "android", "metadata.pb"})) {
    has_metadata_file_ = true;
    wanted = Wanted::MetadataPb;
  } else if (parts_are(*parts, {"META-INF", "com", "google", "android", "updater-script"})) {
    wanted = Wanted::UpdaterScript;
  } else if (parts_are(*parts, {"payload.bin"})) {
    has_payload_ = true;
  } else if (depth >= 2 && (*parts)[0] == "patch") {
    has_patch_folder_ = true;
  }
  if (wanted == Wanted::Nothing) return false;
  wanted_path_ = join_parts(*parts);
  if (size && *size > kMaxFactFileBytes) {
    too_large();
    return false;
  }
  wanted_ = wanted;
  return true;
}

void PackageScanner::add_flash_script_name(std::string_view stem) {
  if (flash_script_names_.size() < kMaxFlashScripts &&
      std::find(flash_script_names_.begin(), flash_script_names_.end(), stem) == flash_script_names_.end()) {
    flash_script_names_.emplace_back(stem);
  }
}

void PackageScanner::give(std::string_view content) {
  switch (wanted_) {
    case Wanted::Nothing: return;
    case Wanted::FlashScript:
      if (scripts_.size() < kMaxFlashScripts) {
        const auto dialect = wanted_path_.ends_with(".bat") ? ScriptDialect::Batch : ScriptDialect::Shell;
        scripts_.push_back({wanted_path_, parse_flash_script(content, dialect)});
      }
      break;
    case Wanted::AntiVersion:
      if (auto index = parse_anti_version(content)) {
        anti_version_file_ = index;
        anti_version_path_ = wanted_path_;
      } else {
        add_note(wanted_path_ + " does not hold a small number: " + quoted_excerpt(content));
      }
      break;
    case Wanted::Metadata: metadata_text_ = parse_ota_metadata_text(content); break;
    case Wanted::MetadataPb: metadata_pb_ = parse_ota_metadata_pb(content); break;
    case Wanted::UpdaterScript: updater_script_ = parse_updater_script(content); break;
  }
  wanted_ = Wanted::Nothing;
}

void PackageScanner::add_note(std::string note) {
  if (notes_.size() < kMaxNotes) notes_.push_back(std::move(note));
}

void PackageScanner::too_large() {
  add_note(wanted_path_ + " is larger than 1 MiB and was not read");
  wanted_ = Wanted::Nothing;
}

namespace {

struct AntiRollbackSource {
  std::string path;
  int index;
};

// The lowest index of all sources, with a note when they disagree: a device
// refuses a package whose index is below its own, so the lower one is the
// safe reading.
void pick_anti_rollback(const std::vector<AntiRollbackSource>& sources, PackageFacts& facts) {
  if (sources.empty()) return;
  const auto lowest = std::min_element(sources.begin(), sources.end(),
                                       [](const auto& a, const auto& b) { return a.index < b.index; });
  facts.anti_rollback = lowest->index;
  facts.anti_rollback_source = lowest->path;
  const bool disagree = std::any_of(sources.begin(), sources.end(),
                                    [&](const auto& s) { return s.index != lowest->index; });
  if (!disagree) return;
  std::string listed;
  for (const auto& source : sources) {
    if (!listed.empty()) listed += ", ";
    listed += std::to_string(source.index) + " in " + source.path;
  }
  facts.notes.push_back("different anti-rollback indexes: " + listed + "; the lower, " + std::to_string(lowest->index) +
                        ", is kept");
}

}  // namespace

PackageFacts PackageScanner::facts(const std::string& format) const {
  PackageFacts facts;
  facts.format = format;
  const bool fastboot = !flash_script_names_.empty() || image_count_ > 0;
  const bool ota = has_metadata_file_ || updater_script_ || has_payload_;
  if (fastboot) {
    facts.kind = PackageKind::Fastboot;
    facts.flash_scripts = flash_script_names_;
    facts.image_count = image_count_;
    std::vector<AntiRollbackSource> sources;
    for (const auto& script : scripts_) {
      for (const auto& device : script.facts.devices) {
        if (std::find(facts.devices.begin(), facts.devices.end(), device) == facts.devices.end()) {
          facts.devices.push_back(device);
        }
      }
      if (script.facts.anti_rollback) sources.push_back({script.path, *script.facts.anti_rollback});
      for (const auto& note : script.facts.notes) facts.notes.push_back(script.path + ": " + note);
    }
    if (anti_version_file_) sources.push_back({anti_version_path_, *anti_version_file_});
    pick_anti_rollback(sources, facts);
    if (!scripts_.empty() && facts.devices.empty()) facts.notes.push_back("no flash script checks the device");
  } else if (ota) {
    facts.kind = PackageKind::Ota;
    const auto& meta = metadata_text_ ? metadata_text_ : metadata_pb_;
    if (meta) {
      facts.devices = meta->devices;
      facts.fingerprint = meta->fingerprint;
      facts.version = meta->version;
      facts.timestamp = meta->timestamp;
      facts.incremental = meta->incremental;
      facts.source_fingerprint = meta->source_fingerprint;
      facts.ota_type = meta->ota_type;
    } else if (has_metadata_file_) {
      facts.notes.push_back("META-INF/com/android/metadata holds no fact xfu knows");
    }
    if (facts.devices.empty() && updater_script_) facts.devices = updater_script_->devices;
    if (updater_script_ && updater_script_->incremental) facts.incremental = true;
    if (has_patch_folder_) facts.incremental = true;
  }
  facts.notes.insert(facts.notes.end(), notes_.begin(), notes_.end());
  if (unsafe_paths_ > 0) {
    facts.notes.push_back(unsafe_paths_ == 1 ? std::string("1 entry with an unsafe name")
                                             : std::to_string(unsafe_paths_) + " entries with unsafe names");
    facts.notes.back() += " (\"..\", control characters, absurd lengths) ignored";
  }
  return facts;
}

}  // namespace xfu
