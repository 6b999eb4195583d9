#include "catalog/file_catalog.hpp"

#include <algorithm>
#include <system_error>

#include "core/exit_code.hpp"
#include "core/size.hpp"
#include "util/atomic_file.hpp"
#include "util/private_file.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

Error too_large(const std::string& name, uint64_t max_bytes) {
  return Error(ExitCode::InvalidCatalog,
               name + ": larger than the limit of " + format_size(max_bytes) + " for a catalog file");
}

// A link or anything else that is not a table of ours, in a directory of ours: only ever damage, so it goes.
void remove_unsafe_file(const std::filesystem::path& path) {
  try {
    check_private_path(path);
  } catch (const UnsafeFile&) {
    std::filesystem::remove(path);
  }
}

}  // namespace

OpenFile open_catalog_file(const std::filesystem::path& path, uint64_t max_bytes, const std::string& what) {
  OpenFile file(path);
  const struct stat status = file.status();
  const std::string name = what + path.string();
  if (!S_ISREG(status.st_mode))
    throw Error(ExitCode::LocalFile, "cannot read " + name + ": " + not_regular_file_reason(status.st_mode));
  if (static_cast<uint64_t>(status.st_size) > max_bytes) throw too_large(name, max_bytes);
  return file;
}

std::string read_catalog_text(const OpenFile& file, uint64_t max_bytes) {
  std::optional<std::string> text = file.read_at_most(max_bytes);
  if (!text) throw too_large(file.path().string(), max_bytes);
  return std::move(*text);
}

std::string read_catalog_file(const std::filesystem::path& path, uint64_t max_bytes) {
  try {
    return read_catalog_text(open_catalog_file(path, max_bytes), max_bytes);
  } catch (const std::system_error& e) {
    throw Error(ExitCode::LocalFile, "cannot read " + path.string() + ": " + e.code().message());
  }
}

FileCatalog::FileCatalog(RecordOffsets offsets, std::string text)
    : offsets_(std::move(offsets)), owned_(std::make_shared<const std::string>(std::move(text))), text_(*owned_) {}

FileCatalog::FileCatalog(RecordOffsets offsets, std::string_view static_text)
    : offsets_(std::move(offsets)), text_(static_text) {}

FileCatalog::FileCatalog(RecordOffsets offsets, OpenFile file) : offsets_(std::move(offsets)), file_(std::move(file)) {}

Catalog FileCatalog::parse(const std::vector<uint32_t>& records, const std::function<bool(const Rom&)>& keep) {
  CatalogBuilder builder(offsets_.generated);
  std::string buffer;
  for (uint32_t record : records) {
    const uint64_t offset = offsets_.offsets[record];
    const uint32_t length = offsets_.lengths[record];
    std::string_view text;
    if (file_) {
      try {
        buffer = file_->read_at(offset, length);
      } catch (const std::system_error& e) {
        throw Error(ExitCode::LocalFile, e.what());
      }
      text = buffer;
    } else {
      text = text_.substr(offset, length);
    }
    builder.add(record, text, keep);
  }
  return builder.finish();
}

Catalog FileCatalog::records_of(std::string_view codename) {
  return parse(offsets_.records_of(codename),
               [&](const Rom& rom) { return iequals(rom.codename, codename) || iequals(rom.variant, codename); });
}

Catalog FileCatalog::records_with_file(std::string_view filename) {
  return parse(offsets_.records_with_file(filename), [&](const Rom& rom) { return rom.filename == filename; });
}

Catalog FileCatalog::all() {
  if (file_) {  // every record: one read beats one per record
    try {
      owned_ = std::make_shared<const std::string>(read_catalog_text(*file_));
    } catch (const std::system_error& e) {
      throw Error(ExitCode::LocalFile, e.what());
    }
    text_ = *owned_;
    file_.reset();
  }
  std::vector<uint32_t> records(offsets_.size());
  for (uint32_t i = 0; i < records.size(); ++i) records[i] = i;
  return parse(records, {});
}

Catalog FileCatalog::one_per_name() {
  std::vector<uint32_t> records;
  for (const auto& name : offsets_.names)
    if (name.count > 0) records.push_back(offsets_.postings[name.first]);
  std::sort(records.begin(), records.end());
  records.erase(std::unique(records.begin(), records.end()), records.end());
  return parse(records, {});
}

std::vector<std::string> FileCatalog::names() {
  const std::vector<std::string_view> names = offsets_.all_names();  // sorted, each once
  return {names.begin(), names.end()};
}

std::vector<std::pair<std::string, std::string>> FileCatalog::device_names() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Rom& rom : one_per_name().roms) out.emplace_back(rom.codename, rom.device);
  return out;
}

RecordSummary FileCatalog::summary() {
  const Catalog every = all();
  RecordSummary summary;
  summary.records = every.roms.size();
  summary.skipped = every.skipped.size();
  summary.devices = count_devices(every);
  return summary;
}

std::optional<FileCatalog> open_with_saved_offsets(OpenFile& file, const std::filesystem::path& offsets_path) {
  if (offsets_path.empty()) return std::nullopt;
  try {
    const FileStamp stamp = stamp_of(file.status());
    const auto bytes = read_private_file(offsets_path, max_offsets_bytes(stamp.size));
    if (!bytes) return std::nullopt;
    if (auto offsets = decode_offsets(*bytes, stamp)) return FileCatalog(std::move(*offsets), std::move(file));
  } catch (const std::system_error&) {
    // An unreadable table, a link, or one larger than any table of this catalog: the caller builds it anew and
    // saves it in its place.
  }
  return std::nullopt;
}

FileCatalog save_offsets(RecordOffsets offsets, OpenFile file, const FileStamp& stamp,
                         const std::filesystem::path& offsets_path, std::vector<std::string>& notes) {
  // A file that changed while it was read gets no saved table; the next run builds one.
  if (!offsets_path.empty() && stamp_of(file.status()) == stamp) {
    try {
      std::filesystem::create_directories(offsets_path.parent_path());
      check_private_directory(offsets_path.parent_path());
      remove_unsafe_file(offsets_path);
      write_file_atomically(offsets_path, encode_offsets(offsets, stamp));
    } catch (const std::system_error& e) {
      notes.push_back("cannot save the catalog index " + offsets_path.string() + ": " + write_problem(e));
    } catch (const std::exception& e) {
      notes.push_back(std::string("cannot save the catalog index: ") + e.what());
    }
  }
  return FileCatalog(std::move(offsets), std::move(file));
}

}  // namespace xfu
