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

constexpr size_t kMaxFactPaths = 256;  // fact files remembered to find repeats; a real package has a dozen
constexpr size_t kMaxTopFolders = 8;
constexpr size_t kMaxRepeatNotes = 8;
constexpr int64_t kEarliestTimestamp = 946684800;  // 2000-01-01
constexpr int64_t kLatestTimestamp = 4102444800;   // 2100-01-01

ScriptDialect dialect_of(std::string_view path) {
  return path.ends_with(".bat") ? ScriptDialect::Batch : ScriptDialect::Shell;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

// Which fact file `parts` names, if any.
PackageScanner::Wanted PackageScanner::fact_file_kind(const std::vector<std::string_view>& parts) {
  const size_t depth = parts.size();
  const std::string_view name = parts.back();
  if (depth <= 2 && flash_script_stem(name)) return Wanted::FlashScript;
  if (depth >= 2 && depth <= 3 && parts[depth - 2] == "images" && name == "anti_version.txt") {
    return Wanted::AntiVersion;
  }
  if (parts_are(parts, {"META-INF", "com", "android", "metadata"})) return Wanted::Metadata;
  if (parts_are(parts, {"META-INF", "com", "android", "metadata.pb"})) return Wanted::MetadataPb;
  if (parts_are(parts, {"META-INF", "com", "google", "android", "updater-script"})) {
    return Wanted::UpdaterScript;
  }
  return Wanted::Nothing;
}

bool PackageScanner::wants(std::string_view path, std::optional<uint64_t> size) {
  wanted_ = Wanted::Nothing;
  const auto parts = safe_parts(path);
  if (!parts) {
    ++unsafe_paths_;
    return false;
  }
  const size_t depth = parts->size();
  const std::string_view name = parts->back();
  const Wanted kind = fact_file_kind(*parts);
  if (kind == Wanted::FlashScript) {
    add_flash_script_name(*flash_script_stem(name));
    add_top_folder(*parts, 1);
  } else if (depth >= 2 && depth <= 3 && (*parts)[depth - 2] == "images") {
    if (name.ends_with(".img")) ++image_count_;
    add_top_folder(*parts, 2);
  } else if (kind == Wanted::Metadata || kind == Wanted::MetadataPb) {
    has_metadata_file_ = true;
  } else if (parts_are(*parts, {"payload.bin"})) {
    has_payload_ = true;
  } else if (depth >= 2 && (*parts)[0] == "patch") {
    has_patch_folder_ = true;
  }
  if (kind == Wanted::Nothing) return false;
  start_copy(kind, join_parts(*parts));
  if (size && *size > kMaxFactFileBytes) {
    too_large();
    return false;
  }
  wanted_ = kind;
  return true;
}

void PackageScanner::link(std::string_view path, std::string_view target) {
  wanted_ = Wanted::Nothing;
  const auto parts = safe_parts(path);
  if (!parts) {
    ++unsafe_paths_;
    return;
  }
  const Wanted kind = fact_file_kind(*parts);
  if (kind == Wanted::Nothing) return;
  if (kind == Wanted::FlashScript) {
    add_flash_script_name(*flash_script_stem(parts->back()));
    add_top_folder(*parts, 1);
  }
  if (kind == Wanted::Metadata || kind == Wanted::MetadataPb) has_metadata_file_ = true;
  start_copy(kind, join_parts(*parts));
  add_note(wanted_path_ + " is a link to " + quoted_excerpt(target) + ": not read");
}

void PackageScanner::start_copy(Wanted kind, const std::string& path) {
  wanted_path_ = path;
  if (std::find(fact_paths_.begin(), fact_paths_.end(), path) != fact_paths_.end()) {
    const auto repeated = std::find_if(repeated_paths_.begin(), repeated_paths_.end(),
                                       [&](const auto& seen) { return seen.first == path; });
    if (repeated != repeated_paths_.end()) ++repeated->second;
    else if (repeated_paths_.size() < kMaxRepeatNotes) repeated_paths_.emplace_back(path, 2);
  } else if (fact_paths_.size() < kMaxFactPaths) {
    fact_paths_.push_back(path);
  }
  switch (kind) {
    case Wanted::FlashScript:
      std::erase_if(scripts_, [&](const ScriptSource& script) { return script.path == path; });
      break;
    case Wanted::AntiVersion:
      std::erase_if(anti_versions_, [&](const AntiVersionSource& source) { return source.path == path; });
      break;
    case Wanted::Metadata: metadata_text_.reset(); break;
    case Wanted::MetadataPb: metadata_pb_.reset(); break;
    case Wanted::UpdaterScript: updater_script_.reset(); break;
    case Wanted::Nothing: break;
  }
}

void PackageScanner::add_flash_script_name(std::string_view stem) {
  if (flash_script_names_.size() < kMaxFlashScripts &&
      std::find(flash_script_names_.begin(), flash_script_names_.end(), stem) == flash_script_names_.end()) {
    flash_script_names_.emplace_back(stem);
  }
}

// `depth_inside` is how deep the entry lies below a top folder: 1 for a
// script, 2 for images/X; an entry that shallow lies at the archive's root.
void PackageScanner::add_top_folder(const std::vector<std::string_view>& parts, size_t depth_inside) {
  const std::string folder = parts.size() > depth_inside ? std::string(parts.front()) : std::string();
  if (std::find(top_folders_.begin(), top_folders_.end(), folder) != top_folders_.end()) return;
  if (top_folders_.size() < kMaxTopFolders) top_folders_.push_back(folder);
  else top_folders_cut_ = true;
}

void PackageScanner::give(std::string_view content) {
  switch (wanted_) {
    case Wanted::Nothing: return;
    case Wanted::FlashScript:
      if (scripts_.size() < kMaxFlashScripts) {
        const auto parts = safe_parts(wanted_path_);
        scripts_.push_back({wanted_path_, std::string(*flash_script_stem(parts->back())),
                            parse_flash_script(content, dialect_of(wanted_path_))});
      }
      break;
    case Wanted::AntiVersion:
      if (auto index = parse_anti_version(content)) {
        anti_versions_.push_back({wanted_path_, *index});
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

// Adds `device` to the facts' list, which stops at kMaxDevices.
void add_device(PackageFacts& facts, const std::string& device) {
  if (std::find(facts.devices.begin(), facts.devices.end(), device) != facts.devices.end()) return;
  if (facts.devices.size() < kMaxDevices) facts.devices.push_back(device);
  else facts.devices_cut = true;
}

std::string device_list(const std::vector<std::string>& devices) {
  return devices.empty() ? std::string("none") : joined(devices);
}

// The text metadata, with the protobuf one's devices and incremental flag
// joined in when they disagree: accepting more devices and reading a patch
// as a patch are the safe readings.
OtaMetadata merged_metadata(const OtaMetadata& text, const OtaMetadata& pb, std::vector<std::string>& notes) {
  OtaMetadata meta = text;
  auto sorted = [](std::vector<std::string> list) {
    std::sort(list.begin(), list.end());
    return list;
  };
  if (sorted(text.devices) != sorted(pb.devices)) {
    notes.push_back("META-INF/com/android/metadata names devices " + device_list(text.devices) +
                    ", metadata.pb names " + device_list(pb.devices) + "; both lists are kept");
    for (const auto& device : pb.devices) {
      if (std::find(meta.devices.begin(), meta.devices.end(), device) != meta.devices.end()) continue;
      if (meta.devices.size() < kMaxDevices) meta.devices.push_back(device);
      else meta.devices_cut = true;
    }
    meta.devices_cut |= pb.devices_cut;
  }
  if (text.incremental != pb.incremental) {
    notes.push_back(std::string("META-INF/com/android/metadata says the package is ") +
                    (text.incremental ? "incremental" : "full") + ", metadata.pb says " +
                    (pb.incremental ? "incremental" : "full") + "; it is taken as incremental");
    meta.incremental = true;
    if (meta.source_fingerprint.empty()) meta.source_fingerprint = pb.source_fingerprint;
  }
  return meta;
}

}  // namespace

void PackageScanner::add_fastboot_facts(PackageFacts& facts) const {
  facts.kind = PackageKind::Fastboot;
  facts.flash_scripts = flash_script_names_;
  facts.image_count = image_count_;
  std::vector<AntiRollbackSource> sources;
  for (const auto& script : scripts_) {
    for (const auto& device : script.facts.devices) add_device(facts, device);
    facts.devices_cut |= script.facts.devices_cut;
    if (script.facts.anti_rollback) sources.push_back({script.path, *script.facts.anti_rollback});
    for (const auto& note : script.facts.notes) facts.notes.push_back(script.path + ": " + note);
  }
  for (const auto& file : anti_versions_) sources.push_back({file.path, file.index});
  pick_anti_rollback(sources, facts);
  for (const auto& name : flash_script_names_) {
    const bool relocks = name == "flash_all_lock" || std::any_of(scripts_.begin(), scripts_.end(), [&](const auto& s) {
                           return s.stem == name && s.facts.relocks;
                         });
    if (relocks) facts.relocking_scripts.push_back(name);
  }
  if (!scripts_.empty() && facts.devices.empty()) facts.notes.push_back("no flash script checks the device");
  if (top_folders_.size() > 1) {
    std::vector<std::string> names;
    for (const auto& folder : top_folders_) names.push_back(folder.empty() ? "(the archive's root)" : folder);
    std::string note = "the package has " + std::to_string(top_folders_.size()) + (top_folders_cut_ ? " or more" : "") +
                       " top folders: " + joined(names);
    if (facts.anti_rollback) note += "; the anti-rollback index is read from " + facts.anti_rollback_source;
    facts.notes.push_back(note);
  }
}

void PackageScanner::add_ota_facts(PackageFacts& facts) const {
  facts.kind = PackageKind::Ota;
  std::optional<OtaMetadata> meta = metadata_text_ ? metadata_text_ : metadata_pb_;
  if (metadata_text_ && metadata_pb_) meta = merged_metadata(*metadata_text_, *metadata_pb_, facts.notes);
  if (meta) {
    facts.devices = meta->devices;
    facts.devices_cut = meta->devices_cut;
    facts.fingerprint = meta->fingerprint;
    facts.version = meta->version;
    facts.timestamp = meta->timestamp;
    facts.incremental = meta->incremental;
    facts.source_fingerprint = meta->source_fingerprint;
    facts.ota_type = meta->ota_type;
  } else if (has_metadata_file_) {
    facts.notes.push_back("META-INF/com/android/metadata holds no fact xfu knows");
  }
  if (facts.timestamp && (*facts.timestamp < kEarliestTimestamp || *facts.timestamp > kLatestTimestamp)) {
    facts.notes.push_back("post-timestamp " + std::to_string(*facts.timestamp) +
                          " is not between 2000-01-01 and 2100-01-01 and is ignored");
    facts.timestamp.reset();
  }
  if (facts.devices.empty() && updater_script_) {
    facts.devices = updater_script_->devices;
    facts.devices_cut = updater_script_->devices_cut;
  }
  if (updater_script_ && updater_script_->incremental) facts.incremental = true;
  if (has_patch_folder_) facts.incremental = true;
}

PackageFacts PackageScanner::facts(const std::string& format) const {
  PackageFacts facts;
  facts.format = format;
  const bool fastboot = !flash_script_names_.empty() || image_count_ > 0;
  const bool ota = has_metadata_file_ || updater_script_ || has_payload_;
  if (fastboot) add_fastboot_facts(facts);
  else if (ota) add_ota_facts(facts);
  if (facts.devices_cut) {
    facts.notes.push_back("the package names more than " + std::to_string(kMaxDevices) +
                          " devices; the list was cut at " + std::to_string(kMaxDevices));
  }
  const std::string extractor = format.find("ZIP") != std::string::npos ? "unzip" : "tar";
  for (const auto& [path, copies] : repeated_paths_) {
    facts.notes.push_back(path + " appears " +
                          (copies == 2 ? std::string("twice") : std::to_string(copies) + " times") +
                          "; the last one is what " + extractor + " extracts");
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
