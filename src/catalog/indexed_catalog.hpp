// A single-file catalog read through its index: a query for one device or
// one file name reads and parses only the records the index points at.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/catalog_index.hpp"
#include "util/open_file.hpp"

namespace xfu {

class IndexedCatalog {
 public:
  // The text is in memory: owned, or (the built-in snapshot) living as long as the program.
  IndexedCatalog(CatalogIndex index, std::string text);
  IndexedCatalog(CatalogIndex index, std::string_view static_text);
  // Records are read from the open file when asked for.
  IndexedCatalog(CatalogIndex index, OpenFile file);

  const CatalogIndex& index() const { return index_; }
  // The records of one device: base codename or variant, any case.
  Catalog records_of(std::string_view codename);
  // The records of one package name.
  Catalog records_with_file(std::string_view filename);
  // Every record.
  Catalog all();
  // The first record of each name in the index: enough to tell what each name is.
  Catalog one_per_name();

 private:
  CatalogIndex index_;
  std::shared_ptr<const std::string> owned_;  // a pointer, so that moving this keeps text_ valid
  std::string_view text_;                     // the whole text, when it is in memory
  std::optional<OpenFile> file_;

  Catalog parse(const std::vector<uint32_t>& records, const std::function<bool(const Rom&)>& keep);
};

// The catalog file `file` through the index saved at `index_path`, when
// that index is intact and describes the file as it is; nothing otherwise.
std::optional<IndexedCatalog> open_with_saved_index(OpenFile& file, const std::filesystem::path& index_path);

// Saves `index`, made from `file` whose status was `stamp` before it was
// read, at `index_path` unless the file changed meanwhile; returns the
// catalog, reading records from `file`. A failure to save is added to `notes`.
IndexedCatalog save_index(CatalogIndex index, OpenFile file, const FileStamp& stamp,
                          const std::filesystem::path& index_path, std::vector<std::string>& notes);

}  // namespace xfu
