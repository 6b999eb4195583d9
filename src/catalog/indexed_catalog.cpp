#include "catalog/indexed_catalog.hpp"

#include <algorithm>
#include <system_error>

#include "core/exit_code.hpp"
#include "util/atomic_file.hpp"
#include "util/strings.hpp"

namespace xfu {

IndexedCatalog::IndexedCatalog(CatalogIndex index, std::string text)
    : index_(std::move(index)), owned_(std::make_shared<const std::string>(std::move(text))), text_(*owned_) {}

IndexedCatalog::IndexedCatalog(CatalogIndex index, std::string_view static_text)
    : index_(std::move(index)), text_(static_text) {}

IndexedCatalog::IndexedCatalog(CatalogIndex index, OpenFile file) : index_(std::move(index)), file_(std::move(file)) {}

Catalog IndexedCatalog::parse(const std::vector<uint32_t>& records, const std::function<bool(const Rom&)>& keep) {
  CatalogBuilder builder(index_.generated);
  std::string buffer;
  for (uint32_t record : records) {
    const uint64_t offset = index_.offsets[record];
    const uint32_t length = index_.lengths[record];
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

Catalog IndexedCatalog::records_of(std::string_view codename) {
  return parse(index_.records_of(codename),
               [&](const Rom& rom) { return iequals(rom.codename, codename) || iequals(rom.variant, codename); });
}

Catalog IndexedCatalog::records_with_file(std::string_view filename) {
  return parse(index_.records_with_file(filename), [&](const Rom& rom) { return rom.filename == filename; });
}

Catalog IndexedCatalog::all() {
  if (file_) {  // every record: one read beats one per record
    try {
      owned_ = std::make_shared<const std::string>(file_->read_all());
    } catch (const std::system_error& e) {
      throw Error(ExitCode::LocalFile, e.what());
    }
    text_ = *owned_;
    file_.reset();
  }
  std::vector<uint32_t> records(index_.size());
  for (uint32_t i = 0; i < records.size(); ++i) records[i] = i;
  return parse(records, {});
}

Catalog IndexedCatalog::one_per_name() {
  std::vector<uint32_t> records;
  for (const auto& name : index_.names)
    if (name.count > 0) records.push_back(index_.postings[name.first]);
  std::sort(records.begin(), records.end());
  records.erase(std::unique(records.begin(), records.end()), records.end());
  return parse(records, {});
}

std::optional<IndexedCatalog> open_with_saved_index(OpenFile& file, const std::filesystem::path& index_path) {
  if (index_path.empty()) return std::nullopt;
  try {
    if (auto index = decode_index(read_file(index_path), stamp_of(file.status())))
      return IndexedCatalog(std::move(*index), std::move(file));
  } catch (const std::system_error&) {
    // No index yet, or an unreadable one: the caller builds it.
  }
  return std::nullopt;
}

IndexedCatalog save_index(CatalogIndex index, OpenFile file, const FileStamp& stamp,
                          const std::filesystem::path& index_path, std::vector<std::string>& notes) {
  // A file that changed while it was read gets no index; the next run builds one.
  if (!index_path.empty() && stamp_of(file.status()) == stamp) {
    try {
      std::filesystem::create_directories(index_path.parent_path());
      write_file_atomically(index_path, encode_index(index, stamp));
    } catch (const std::exception& e) {
      notes.push_back(std::string("cannot save the catalog index: ") + e.what());
    }
  }
  return IndexedCatalog(std::move(index), std::move(file));
}

}  // namespace xfu
