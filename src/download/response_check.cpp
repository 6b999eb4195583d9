#include "download/response_check.hpp"

#include "core/http.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

bool looks_like_html(std::string_view start) {
  start = trim(start);
  return istarts_with(start, "<!doctype html") || istarts_with(start, "<html") || istarts_with(start, "<head") ||
         istarts_with(start, "<body");
}

bool is_html(const ResponseHead& head, std::string_view first_bytes) {
  return istarts_with(head.content_type, "text/html") || looks_like_html(first_bytes.substr(0, 64));
}

BodyCheck refuse(BodyVerdict verdict, std::string reason) {
  BodyCheck check;
  check.verdict = verdict;
  check.reason = std::move(reason);
  return check;
}

// If-Range holds an ETag (quoted) or a date; a 206 to it must show the same
// one, else the server sent another version's bytes (or cannot tell).
bool shows_validator(const ResponseHead& head, std::string_view sent) {
  return sent.starts_with('"') ? head.etag == sent : head.last_modified == sent;
}

std::optional<BodyCheck> check_announced(std::optional<uint64_t> total, const std::optional<SizeLimit>& limit) {
  if (!total || !limit || *total <= limit->bytes) return std::nullopt;
  return refuse(BodyVerdict::Abandon, "the server announces " + std::to_string(*total) +
                                          " bytes, more than the catalog's size (" + limit->shown + ") allows");
}

// A 206 must start where it was asked to and describe the same file.
std::optional<BodyCheck> check_partial(const ResponseHead& head, const RangeAsked& asked,
                                       std::optional<uint64_t> known_total, BodyCheck& check) {
  if (!asked.validator.empty() && !shows_validator(head, asked.validator))
    return refuse(BodyVerdict::Restart,
                  "the server sent part of another version of the file (its validator is not the one sent in "
                  "If-Range)");
  const auto range = parse_content_range(head.content_range);
  if (!range || !range->first || *range->first != asked.from)
    return refuse(BodyVerdict::Restart,
                  "the server sent bytes from " +
                      (range && range->first ? std::to_string(*range->first) : std::string("an unknown offset")) +
                      " when asked for byte " + std::to_string(asked.from));
  check.total = range->total;
  if (check.total && known_total && *check.total != *known_total)
    return refuse(BodyVerdict::Restart, "the remote file's size changed from " + std::to_string(*known_total) + " to " +
                                            std::to_string(*check.total) + " bytes");
  return std::nullopt;
}

}  // namespace

bool transient_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_COULDNT_RESOLVE_PROXY: return true;
    default: return false;
  }
}

bool transient_status(long status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

std::string range_validator(const ResponseHead& head) {
  return !head.etag.empty() && !head.weak_etag() ? head.etag : head.last_modified;
}

std::optional<std::string> piece_problem(bool pieces_there, PieceTag held, PieceTag now, bool full_md5) {
  if (!pieces_there || full_md5) return std::nullopt;
  if (now.validator.empty())
    return "the server gives no validator (ETag or Last-Modified), and without a full MD5 the pieces of the file "
           "cannot be proven to belong together";
  if (now.validator != held.validator || now.other_etag != held.other_etag)
    return "the server's validator changed between pieces of the file, and without a full MD5 they cannot be checked "
           "together";
  return std::nullopt;
}

std::optional<std::string> body_too_long(uint64_t end, const std::optional<SizeLimit>& limit) {
  if (!limit || end <= limit->bytes) return std::nullopt;
  return "the server sent more than " + std::to_string(limit->bytes) + " bytes, more than the catalog's size (" +
         limit->shown + ") allows";
}

BodyCheck check_body_start(const ResponseHead& head, std::optional<uint64_t> content_length,
                           std::string_view first_bytes, const RangeAsked& asked, std::optional<uint64_t> known_total,
                           const std::optional<SizeLimit>& limit) {
  if (head.status < 200 || head.status > 299) return refuse(BodyVerdict::Discard, {});
  if (is_html(head, first_bytes))
    return refuse(BodyVerdict::NextMirror, "the server sent an HTML page instead of the file");
  BodyCheck check;
  if (head.status == 206) {
    if (auto refused = check_partial(head, asked, known_total, check)) return *refused;
  } else {
    // A 200 to a range request: the server ignored the range, or the file
    // changed since the other bytes came. Only this response, from byte 0,
    // can be trusted.
    if (asked.ranged) check.verdict = BodyVerdict::AcceptWhole;
    check.total = content_length;
  }
  if (auto refused = check_announced(check.total, limit)) return *refused;
  check.validator = range_validator(head);
  if (check.validator != head.etag) check.other_etag = head.etag_seen;
  check.takes_ranges = head.status == 206 || to_lower(head.accept_ranges).find("bytes") != std::string::npos;
  return check;
}

Outcome check_transfer_end(const std::optional<TransportFailure>& failure, long status, const ResponseHead& head,
                           const SegmentAtEnd& segment, const RangeAsked& asked, int64_t now) {
  if (failure) return Outcome{failure->transient ? Step::Retry : Step::NextMirror, failure->detail};
  if (status >= 200 && status <= 299) {
    if (!segment.exists || segment.done()) return Outcome{Step::Complete};
    if (!segment.end) {  // no size was given: the end of the body is the end
      Outcome outcome{Step::Complete};
      outcome.total_learned = segment.pos;
      return outcome;
    }
    return Outcome{Step::Retry,
                   "the transfer ended at byte " + std::to_string(segment.pos) + " of " + std::to_string(*segment.end)};
  }
  if (status == 416 && segment.exists) {
    const auto range = parse_content_range(head.content_range);
    if (range && range->total && !segment.end && segment.pos == *range->total) {
      Outcome outcome{Step::Complete};
      outcome.total_learned = segment.pos;
      return outcome;
    }
    return Outcome{Step::Restart, "the server has no bytes after byte " + std::to_string(asked.from)};
  }
  Outcome outcome{transient_status(status) ? Step::Retry : Step::NextMirror, describe_http_status(status), status};
  if (!head.retry_after.empty()) outcome.retry_after = parse_retry_after(head.retry_after, now);
  return outcome;
}

}  // namespace xfu
