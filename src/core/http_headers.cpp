#include "core/http_headers.hpp"

#include <ctime>
#include <string>

#include "util/strings.hpp"

namespace xfu {

namespace {

std::optional<uint64_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

constexpr size_t kMaxValidatorLength = 512;

// RFC 9110's entity-tag: an optional W/, then a quoted run of visible
// characters other than '"' (bytes from 0x80 are allowed).
bool well_formed_etag(std::string_view value) {
  if (value.starts_with("W/")) value.remove_prefix(2);
  if (value.size() < 2 || value.size() > kMaxValidatorLength || value.front() != '"' || value.back() != '"')
    return false;
  for (const char c : value.substr(1, value.size() - 2)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == '"' || byte == 0x7F) return false;
  }
  return true;
}

bool printable_text(std::string_view value) {
  if (value.size() > kMaxValidatorLength) return false;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  return true;
}

std::string printable_fingerprint(std::string_view value) {
  std::string shown(value.substr(0, kMaxValidatorLength));
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E) c = '?';
  return shown;
}

}  // namespace

void ResponseHead::take_line(std::string_view line) {
  if (istarts_with(line, "HTTP/")) {
    *this = ResponseHead{};
    const auto space = line.find(' ');
    if (space != std::string_view::npos) status = parse_number(line.substr(space + 1, 3)).value_or(0);
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = trim(line.substr(0, colon));
  std::string value(trim(line.substr(colon + 1)));
  if (iequals(name, "Content-Type")) content_type = std::move(value);
  else if (iequals(name, "Content-Range")) content_range = std::move(value);
  else if (iequals(name, "ETag")) {
    etag_seen = printable_fingerprint(value);
    etag = well_formed_etag(value) ? std::move(value) : std::string();
  } else if (iequals(name, "Last-Modified")) last_modified = printable_text(value) ? std::move(value) : std::string();
  else if (iequals(name, "Retry-After")) retry_after = std::move(value);
  else if (iequals(name, "Accept-Ranges")) accept_ranges = std::move(value);
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = trim(value);
  if (!istarts_with(value, "bytes ")) return std::nullopt;
  value = trim(value.substr(6));
  const auto slash = value.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view range = value.substr(0, slash), total = value.substr(slash + 1);
  ContentRange result;
  if (total != "*") {
    result.total = parse_number(total);
    if (!result.total) return std::nullopt;
  }
  if (range == "*") {
    if (!result.total) return std::nullopt;
    return result;
  }
  const auto dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  result.first = parse_number(range.substr(0, dash));
  result.last = parse_number(range.substr(dash + 1));
  if (!result.first || !result.last || *result.last < *result.first) return std::nullopt;
  if (result.total && *result.last >= *result.total) return std::nullopt;
  return result;
}

std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now) {
  value = trim(value);
  if (auto seconds = parse_number(value)) return static_cast<int64_t>(std::min<uint64_t>(*seconds, 86400));
  std::tm when{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &when);
  if (!end || *end) return std::nullopt;
  const int64_t at = timegm(&when);
  return at > now ? at - now : 0;
}

}  // namespace xfu
