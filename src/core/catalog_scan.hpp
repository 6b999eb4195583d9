// A fast structural pass over catalog text that finds each record's bytes
// and codename without building a JSON tree, so that a query for one device
// parses only that device's records.
//
// It trusts the text to be valid JSON: use it only on catalogs already
// checked in full (the built-in snapshot is checked by the test suite).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xfu {

struct RecordSpan {
  std::string_view text;      // the record's JSON object
  std::string_view codename;  // raw value of its "codename" field (escapes not decoded); empty if none
  std::string_view variant;   // raw value of its "variant" field; empty if none
  std::string_view filename;  // raw value of its "filename" field; empty if none
  std::string_view link;      // raw value of its "link" or "download" field; empty if none
};

struct CatalogScan {
  std::string_view generated;  // raw value of "generated", if any
  std::vector<RecordSpan> records;
};

CatalogScan scan_catalog(std::string_view json_text);

}  // namespace xfu
