// One pass over catalog text that checks it is JSON, as strictly as the full
// parser, and finds each record's bytes and the raw values of the fields the
// record offsets are keyed on, without building a JSON tree. A query then
// parses only the records it needs; the record offsets (record_offsets.hpp)
// store what this finds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xfu {

struct RecordSpan {
  std::string_view text;      // the record's JSON value (an object, unless the catalog is broken)
  std::string_view codename;  // raw contents of its "codename" string (escapes not decoded); empty if none
  std::string_view variant;   // raw contents of its "variant" string; empty if none
  std::string_view filename;  // raw contents of its "filename" string; empty if none
  std::string_view link;      // raw contents of its "link" or "download" string; empty if none
  bool escaped_keys = false;  // a member name holds an escape, so the raw fields above may miss one
};

struct CatalogScan {
  bool is_object = false;            // {"schema": ..., "roms": [...]}
  bool is_array = false;             // a bare array of records
  std::string_view schema_value;     // JSON text of "schema", if present
  std::string_view generated_value;  // JSON text of "generated", if present
  std::string_view roms_value;       // JSON text of "roms", if present
  std::string_view generated;        // raw contents of "generated" when it is a string
  std::vector<RecordSpan> records;   // the elements of "roms" (or of the bare array)
};

// Takes the records as the scan finds them, so that a large catalog's
// records need not be held in CatalogScan::records.
class RecordVisitor {
 public:
  virtual ~RecordVisitor() = default;
  virtual void record(const RecordSpan& span) = 0;
  virtual void restart() = 0;  // a later "roms" member replaces the records seen so far
};

// Throws Error(ExitCode::InvalidCatalog) when the text is not JSON, with the
// line and column of the first error. Does not check the catalog's shape:
// see check_catalog_shape() in catalog.hpp. With a visitor, the records go
// to it and CatalogScan::records stays empty.
CatalogScan scan_catalog(std::string_view json_text, RecordVisitor* visitor = nullptr);

// The string a JSON string literal stands for ("\"a\\u0062\"" -> "ab");
// empty for anything else.
std::string decode_json_string(std::string_view literal);

}  // namespace xfu
