// A single-file catalog read through its record offsets (record_offsets.hpp):
// a query for one device or one file name reads and parses only the records
// the table points at.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/record_offsets.hpp"
#include "catalog/record_source.hpp"
#include "util/open_file.hpp"

namespace xfu {

// Opens a local catalog file: a regular file of at most `max_bytes`, opened
// without waiting on a FIFO. Throws std::system_error when it cannot be
// opened, Error(LocalFile) when it is not a regular file and
// Error(InvalidCatalog) when it is too large.
// `what` ("catalog ") goes before the path in the messages.
OpenFile open_catalog_file(const std::filesystem::path& path, uint64_t max_bytes = kMaxCatalogBytes,
                           const std::string& what = {});
// Its whole text, read no further than `max_bytes` (it may grow meanwhile).
std::string read_catalog_text(const OpenFile& file, uint64_t max_bytes = kMaxCatalogBytes);
// The same, and every failure an Error: LocalFile for what cannot be read, with its path.
std::string read_catalog_file(const std::filesystem::path& path, uint64_t max_bytes = kMaxCatalogBytes);

class FileCatalog : public RecordSource {
 public:
  // The text is in memory: owned, or living as long as the program.
  FileCatalog(RecordOffsets offsets, std::string text);
  FileCatalog(RecordOffsets offsets, std::string_view static_text);
  // Records are read from the open file when asked for.
  FileCatalog(RecordOffsets offsets, OpenFile file);

  // The records of one device: base codename or variant, any case.
  Catalog records_of(std::string_view codename) override;
  // The records of one package name.
  Catalog records_with_file(std::string_view filename) override;
  // Every record.
  Catalog all() override;
  // The first record of each name in the table: enough to tell what each name is.
  Catalog one_per_name();
  std::vector<std::string> names() override;
  std::vector<std::pair<std::string, std::string>> device_names() override;
  std::string generated() const override { return offsets_.generated; }
  // Counts every record: a single file has no other place that says how many are valid.
  RecordSummary summary() override;

 private:
  RecordOffsets offsets_;
  std::shared_ptr<const std::string> owned_;  // a pointer, so that moving this keeps text_ valid
  std::string_view text_;                     // the whole text, when it is in memory
  std::optional<OpenFile> file_;

  Catalog parse(const std::vector<uint32_t>& records, const std::function<bool(const Rom&)>& keep);
};

// The catalog file `file` through the record offsets saved at `offsets_path`,
// when that table is intact and describes the file as it is; nothing otherwise.
std::optional<FileCatalog> open_with_saved_offsets(OpenFile& file, const std::filesystem::path& offsets_path);

// Saves `offsets`, made from `file` whose status was `stamp` before it was
// read, at `offsets_path` unless the file changed meanwhile; returns the
// catalog, reading records from `file`. A failure to save is added to `notes`.
FileCatalog save_offsets(RecordOffsets offsets, OpenFile file, const FileStamp& stamp,
                         const std::filesystem::path& offsets_path, std::vector<std::string>& notes);

}  // namespace xfu
