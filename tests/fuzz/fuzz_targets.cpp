#include "fuzz_targets.hpp"

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "catalog/catalog_scan.hpp"
#include "catalog/file_catalog.hpp"
#include "catalog/record_offsets.hpp"
#include "core/changelog.hpp"
#include "core/exit_code.hpp"
#include "core/filename.hpp"
#include "core/http_headers.hpp"
#include "core/rom_name.hpp"
#include "render/card.hpp"
#include "render/sanitize.hpp"
#include "util/strings.hpp"
#include "verify/md5sum_format.hpp"

namespace xfu::fuzz {

namespace {
// A property the code promises; a broken one is a crash the fuzzer keeps.
void require(bool holds) {
  if (!holds) std::abort();
}
}  // namespace

void catalog(std::string_view input) {
  // The scanner accepts exactly the JSON the full parser accepts.
  bool scanned = true;
  try {
    scan_catalog(input);
  } catch (const Error&) {
    scanned = false;
  }
  require(scanned == nlohmann::json::accept(input.begin(), input.end()));

  Catalog parsed;
  try {
    parsed = parse_catalog(input);
  } catch (const Error&) {
    return;
  }
  for (const Rom& rom : parsed.roms) require(!package_name_problem(rom.filename) && is_http_url(rom.link));
  if (parsed.roms.empty()) return;

  // The record offsets find exactly what a full parse finds, and survive a round trip to disk.
  const FileStamp stamp{input.size(), 1, 2, 3, 4};
  const auto decoded = decode_offsets(encode_offsets(locate_records(input), stamp), stamp);
  require(decoded.has_value());
  FileCatalog indexed(std::move(*decoded), input);
  const Rom& first = parsed.roms.front();
  size_t same_device = 0, same_file = 0;
  for (const Rom& rom : parsed.roms) {
    same_device += iequals(rom.codename, first.variant) || iequals(rom.variant, first.variant);
    same_file += rom.filename == first.filename;
  }
  require(indexed.records_of(first.variant).roms.size() >= same_device);  // duplicates are found per device
  require(indexed.records_with_file(first.filename).roms.size() == same_file);
}

void changelog(std::string_view input) {
  const std::string text = sanitize_text(changelog_to_text(input));
  for (unsigned char c : text) require(c >= 0x20 || c == '\n');
  require(sanitize_text(text) == text);
  for (size_t width : {1u, 7u, 40u})
    for (const auto& line : wrap_text(sanitize_line(text), width))
      require(display_width(line) <= std::max<size_t>(width, 2));
  require(display_width(truncate_to_width(text, 10, "...")) <= 10);
}

void rom_names(std::string_view input) {
  if (auto prefix = md5_prefix_in_name(input)) require(prefix->md5_prefix.size() == 10);
  if (!package_name_problem(input))
    require(input.find('/') == std::string_view::npos && input.find("..") == std::string_view::npos);
  (void)filename_from_url(input);
}

void md5sum_lines(std::string_view input) {
  SumLine entry;
  if (parse_sum_line(input, entry) != SumLineKind::Entry) return;
  SumLine again;
  require(parse_sum_line(format_sum_line(entry.md5, entry.name), again) == SumLineKind::Entry);
  require(again.md5 == entry.md5 && again.name == entry.name);
}

void http_headers(std::string_view input) {
  if (auto range = parse_content_range(input)) {
    if (range->first) require(range->last && *range->first <= *range->last);
    if (range->total && range->last) require(*range->last < *range->total);
  }
  if (auto seconds = parse_retry_after(input, 1'700'000'000)) require(*seconds >= 0);
}

}  // namespace xfu::fuzz
