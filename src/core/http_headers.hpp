// The one parser of HTTP response headers, for catalog fetches and downloads
// alike. Server responses are untrusted: every parser here rejects what it
// does not fully understand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xfu {

// The status and the headers xfu acts on, of the last response libcurl saw:
// a redirect or a 1xx starts a new response and forgets every field. A
// validator is sent back in later requests, so an ETag that is not one
// quoted token (W/ allowed) or a Last-Modified holding control characters
// is kept as none: a CR or LF would end up in our own request headers.
struct ResponseHead {
  long status = 0;
  std::string content_type, content_range, etag, last_modified, retry_after, accept_ranges;
  // Whatever ETag came, well-formed or not, with bytes outside printable
  // ASCII as '?' and at most 512 of them: never sent back, only compared
  // (a malformed ETag that changes still tells of another version).
  std::string etag_seen;

  bool weak_etag() const { return etag.starts_with("W/"); }

  // Takes one header line as libcurl hands it over ("HTTP/1.1 206 Partial
  // Content\r\n", "ETag: \"abc\"\r\n").
  void take_line(std::string_view line);
};

struct ContentRange {
  std::optional<uint64_t> first, last;  // absent for "bytes */TOTAL"
  std::optional<uint64_t> total;        // absent for "bytes 0-99/*"
};

// "bytes 100-199/1000", "bytes */1000", "bytes 0-99/*".
std::optional<ContentRange> parse_content_range(std::string_view value);

// Retry-After in seconds: "120", or an HTTP date relative to `now` (Unix
// seconds). Nothing for a value that is neither.
std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now);

}  // namespace xfu
