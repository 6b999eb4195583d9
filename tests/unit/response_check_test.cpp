// Every rule of the response check: what the first bytes of a body and the
// end of a transfer come to.
#include <gtest/gtest.h>

#include "download/response_check.hpp"

namespace xfu {
namespace {

ResponseHead head_of(long status) {
  ResponseHead head;
  head.status = status;
  return head;
}

ResponseHead partial(const std::string& content_range) {
  ResponseHead head = head_of(206);
  head.content_range = content_range;
  return head;
}

const RangeAsked kWhole{0, false, {}};

TEST(ResponseHead, TakesTheHeadersXfuActsOn) {
  ResponseHead head;
  for (const char* line :
       {"HTTP/1.1 206 Partial Content\r\n", "content-type: application/zip\r\n", "Content-Range: bytes 5-9/10\r\n",
        "ETag:  \"abc\" \r\n", "Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n", "Retry-After: 5\r\n",
        "Accept-Ranges: bytes\r\n", "X-Other: ignored\r\n", "no colon here\r\n", "\r\n"})
    head.take_line(line);
  EXPECT_EQ(head.status, 206);
  EXPECT_EQ(head.content_type, "application/zip");
  EXPECT_EQ(head.content_range, "bytes 5-9/10");
  EXPECT_EQ(head.etag, "\"abc\"");
  EXPECT_EQ(head.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(head.retry_after, "5");
  EXPECT_EQ(head.accept_ranges, "bytes");
}

TEST(ResponseHead, ANewResponseForgetsEveryField) {
  ResponseHead head;
  for (const char* line :
       {"HTTP/1.1 302 Found\r\n", "ETag: \"old\"\r\n", "Content-Type: text/html\r\n", "Retry-After: 9\r\n",
        "Accept-Ranges: bytes\r\n", "Content-Range: bytes */1\r\n", "Last-Modified: x\r\n", "HTTP/2 200\r\n"})
    head.take_line(line);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.etag, "");
  EXPECT_EQ(head.content_type, "");
  EXPECT_EQ(head.retry_after, "");
  EXPECT_EQ(head.accept_ranges, "");
  EXPECT_EQ(head.content_range, "");
  EXPECT_EQ(head.last_modified, "");
}

TEST(ResponseHead, AStatusLineWithoutANumberIsZero) {
  ResponseHead head;
  head.take_line("HTTP/1.1 abc\r\n");
  EXPECT_EQ(head.status, 0);
}

TEST(ResponseHead, AValidatorWithControlCharactersIsNone) {
  for (const char* line : {"ETag: \"a\rb\"\r\n", "ETag: \"a\x01b\"\r\n", "ETag: \"a\x7f\"\r\n"}) {
    ResponseHead head;
    head.take_line(line);
    EXPECT_EQ(head.etag, "") << line;
  }
  ResponseHead head;
  head.take_line("Last-Modified: Wed, 21 Oct\r2015 07:28:00 GMT\r\n");
  EXPECT_EQ(head.last_modified, "");
  head.take_line("Last-Modified: Wed,\x0b"
                 "21 Oct 2015 07:28:00 GMT\r\n");
  EXPECT_EQ(head.last_modified, "");
}

TEST(ResponseHead, OnlyAQuotedETagIsOne) {
  for (const char* value : {"abc", "\"abc", "\"a\"b\"", "\"a b\"", "W/abc", "\"\"\"", "\""}) {
    ResponseHead head;
    head.take_line(std::string("ETag: ") + value + "\r\n");
    EXPECT_EQ(head.etag, "") << value;
  }
  for (const char* value : {"\"abc\"", "W/\"abc\"", "\"\"", "\"caf\xc3\xa9\""}) {
    ResponseHead head;
    head.take_line(std::string("ETag: ") + value + "\r\n");
    EXPECT_EQ(head.etag, value) << value;
  }
  ResponseHead head;
  head.take_line("ETag: \"" + std::string(600, 'a') + "\"\r\n");
  EXPECT_EQ(head.etag, "");
}

// ---- the first bytes of a body ----

TEST(BodyStart, AnErrorPageIsReadAndKeptNowhere) {
  for (long status : {100L, 199L, 301L, 404L, 416L, 503L})
    EXPECT_EQ(check_body_start(head_of(status), 10, "Not Found", kWhole, std::nullopt).verdict, BodyVerdict::Discard)
        << status;
}

TEST(BodyStart, AnHtmlPageInsteadOfTheFileMeansTheNextMirror) {
  ResponseHead typed = head_of(200);
  typed.content_type = "Text/HTML; charset=utf-8";
  const BodyCheck by_type = check_body_start(typed, 100, "PK\x03\x04", kWhole, std::nullopt);
  EXPECT_EQ(by_type.verdict, BodyVerdict::NextMirror);
  EXPECT_EQ(by_type.reason, "the server sent an HTML page instead of the file");
  for (const char* start : {"<!DOCTYPE html>", "  \n<html lang=en>", "<head>", "<BODY>"})
    EXPECT_EQ(check_body_start(head_of(200), 100, start, kWhole, std::nullopt).verdict, BodyVerdict::NextMirror)
        << start;
  EXPECT_EQ(check_body_start(head_of(200), 100, "<?xml version", kWhole, std::nullopt).verdict, BodyVerdict::Accept);
}

TEST(BodyStart, AWholeFileTakesItsSizeFromContentLength) {
  const BodyCheck check = check_body_start(head_of(200), 1000, "PK", kWhole, std::nullopt);
  EXPECT_EQ(check.verdict, BodyVerdict::Accept);
  EXPECT_EQ(check.total, 1000u);
  EXPECT_FALSE(check.takes_ranges);
  EXPECT_FALSE(check_body_start(head_of(200), std::nullopt, "PK", kWhole, std::nullopt).total);
}

TEST(BodyStart, A200ToARangeMeansTheWholeFileFromZero) {
  const BodyCheck check = check_body_start(head_of(200), 1000, "PK", RangeAsked{500, true, {}}, 1000);
  EXPECT_EQ(check.verdict, BodyVerdict::AcceptWhole);
  EXPECT_EQ(check.total, 1000u);
}

TEST(BodyStart, A206MustStartWhereItWasAskedTo) {
  const BodyCheck check = check_body_start(partial("bytes 100-999/1000"), 900, "", RangeAsked{500, true, {}}, 1000);
  EXPECT_EQ(check.verdict, BodyVerdict::Restart);
  EXPECT_EQ(check.reason, "the server sent bytes from 100 when asked for byte 500");
  const BodyCheck good = check_body_start(partial("bytes 500-999/1000"), 500, "", RangeAsked{500, true, {}}, 1000);
  EXPECT_EQ(good.verdict, BodyVerdict::Accept);
  EXPECT_EQ(good.total, 1000u);
  EXPECT_TRUE(good.takes_ranges);
}

TEST(BodyStart, A206WithoutAUsableContentRangeRestarts) {
  for (const char* range : {"", "bytes */1000", "bytes 500-400/1000", "garbage"}) {
    const BodyCheck check = check_body_start(partial(range), 500, "", RangeAsked{500, true, {}}, 1000);
    EXPECT_EQ(check.verdict, BodyVerdict::Restart) << range;
    EXPECT_EQ(check.reason, "the server sent bytes from an unknown offset when asked for byte 500") << range;
  }
}

TEST(BodyStart, A206ForAFileOfAnotherSizeRestarts) {
  const BodyCheck check = check_body_start(partial("bytes 500-1999/2000"), 1500, "", RangeAsked{500, true, {}}, 1000);
  EXPECT_EQ(check.verdict, BodyVerdict::Restart);
  EXPECT_EQ(check.reason, "the remote file's size changed from 1000 to 2000 bytes");
  // Without a size known before, the 206's total is taken.
  EXPECT_EQ(check_body_start(partial("bytes 500-1999/2000"), 1500, "", RangeAsked{500, true, {}}, std::nullopt).total,
            2000u);
  // An unknown total ("/*") fits any size.
  EXPECT_EQ(check_body_start(partial("bytes 500-999/*"), 500, "", RangeAsked{500, true, {}}, 1000).verdict,
            BodyVerdict::Accept);
}

TEST(BodyStart, TheValidatorIsTheETagElseLastModified) {
  ResponseHead head = head_of(200);
  head.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  EXPECT_EQ(check_body_start(head, 1, "", kWhole, std::nullopt).validator, "Wed, 21 Oct 2015 07:28:00 GMT");
  head.etag = "\"v1\"";
  EXPECT_EQ(check_body_start(head, 1, "", kWhole, std::nullopt).validator, "\"v1\"");
  EXPECT_EQ(check_body_start(head_of(200), 1, "", kWhole, std::nullopt).validator, "");
}

TEST(BodyStart, AWeakETagFallsBackToLastModified) {
  ResponseHead head = head_of(200);
  head.etag = "W/\"v1\"";
  EXPECT_EQ(check_body_start(head, 1, "", kWhole, std::nullopt).validator, "");
  head.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  EXPECT_EQ(check_body_start(head, 1, "", kWhole, std::nullopt).validator, "Wed, 21 Oct 2015 07:28:00 GMT");
}

ResponseHead partial_with(const std::string& etag, const std::string& last_modified) {
  ResponseHead head = partial("bytes 500-999/1000");
  head.etag = etag;
  head.last_modified = last_modified;
  return head;
}

TEST(BodyStart, A206UnderAnotherValidatorThanIfRangeIsNeverWritten) {
  const std::string date = "Wed, 21 Oct 2015 07:28:00 GMT";
  const RangeAsked by_etag{500, true, "\"v1\""}, by_date{500, true, date};
  for (const auto& [head, asked] :
       {std::pair{partial_with("\"v2\"", date), by_etag}, std::pair{partial_with("", date), by_etag},
        std::pair{partial_with("W/\"v1\"", date), by_etag}, std::pair{partial_with("\"v1\"", ""), by_date},
        std::pair{partial_with("\"v1\"", "Thu, 22 Oct 2015 07:28:00 GMT"), by_date}}) {
    const BodyCheck check = check_body_start(head, 500, "", asked, 1000);
    EXPECT_EQ(check.verdict, BodyVerdict::Restart) << head.etag << " " << head.last_modified;
    EXPECT_EQ(check.reason,
              "the server sent part of another version of the file (its validator is not the one sent in If-Range)");
  }
  EXPECT_EQ(check_body_start(partial_with("\"v1\"", ""), 500, "", by_etag, 1000).verdict, BodyVerdict::Accept);
  EXPECT_EQ(check_body_start(partial_with("W/\"v1\"", date), 500, "", by_date, 1000).verdict, BodyVerdict::Accept);
  // Without If-Range there is nothing to compare.
  EXPECT_EQ(check_body_start(partial_with("\"v2\"", ""), 500, "", RangeAsked{500, true, {}}, 1000).verdict,
            BodyVerdict::Accept);
}

TEST(BodyStart, AFileLargerThanTheCatalogAllowsIsAbandoned) {
  const SizeLimit limit{3'080'000, "3.0 MB"};
  const BodyCheck whole = check_body_start(head_of(200), 3'080'001, "PK", kWhole, std::nullopt, limit);
  EXPECT_EQ(whole.verdict, BodyVerdict::Abandon);
  EXPECT_EQ(whole.reason, "the server announces 3080001 bytes, more than the catalog's size (3.0 MB) allows");
  const BodyCheck ranged = check_body_start(partial("bytes 500-99999999/100000000"), 1000, "",
                                            RangeAsked{500, true, {}}, std::nullopt, limit);
  EXPECT_EQ(ranged.verdict, BodyVerdict::Abandon);
  EXPECT_EQ(check_body_start(head_of(200), 3'080'000, "PK", kWhole, std::nullopt, limit).verdict, BodyVerdict::Accept);
  EXPECT_EQ(check_body_start(head_of(200), std::nullopt, "PK", kWhole, std::nullopt, limit).verdict,
            BodyVerdict::Accept);
}

TEST(BodyLength, ABodyPastTheCatalogsSizeIsCut) {
  const SizeLimit limit{3'080'000, "3.0 MB"};
  EXPECT_FALSE(body_too_long(3'080'000, limit));
  EXPECT_EQ(body_too_long(3'080'001, limit), "the server sent more than 3080000 bytes, more than the catalog's size "
                                             "(3.0 MB) allows");
  EXPECT_FALSE(body_too_long(uint64_t{1} << 60, std::nullopt));
}

TEST(Pieces, WithoutAFullMd5EveryPieceComesUnderOneValidator) {
  const PieceTag none{"", ""}, v1{"\"v1\"", ""}, v2{"\"v2\"", ""};
  EXPECT_FALSE(piece_problem(false, none, none, false));  // the first piece
  EXPECT_FALSE(piece_problem(false, v1, v2, false));
  EXPECT_FALSE(piece_problem(true, v1, v1, false));
  EXPECT_EQ(piece_problem(true, v1, v2, false),
            "the server's validator changed between pieces of the file, and without a full MD5 they cannot be "
            "checked together");
  EXPECT_EQ(piece_problem(true, none, none, false),
            "the server gives no validator (ETag or Last-Modified), and without "
            "a full MD5 the pieces of the file cannot be proven to belong together");
  EXPECT_TRUE(piece_problem(true, v1, none, false));
  // With a full MD5 the final check decides.
  EXPECT_FALSE(piece_problem(true, v1, v2, true));
  EXPECT_FALSE(piece_problem(true, none, none, true));
}

TEST(Pieces, AWeakETagThatChangedUnderTheSameLastModifiedIsAnotherVersion) {
  const std::string date = "Wed, 01 Jan 2025 00:00:00 GMT";
  const PieceTag before{date, "W/\"a\""}, after{date, "W/\"b\""};
  EXPECT_FALSE(piece_problem(true, before, before, false));
  EXPECT_TRUE(piece_problem(true, before, after, false));
  EXPECT_FALSE(piece_problem(true, before, after, true));
}

TEST(BodyStart, AWeakETagIsKeptBesideLastModified) {
  ResponseHead head = head_of(200);
  head.etag = head.etag_seen = "W/\"a\"";
  head.last_modified = "Wed, 01 Jan 2025 00:00:00 GMT";
  const BodyCheck check = check_body_start(head, 10, "data", kWhole, std::nullopt);
  EXPECT_EQ(check.validator, head.last_modified);
  EXPECT_EQ(check.other_etag, "W/\"a\"");
  head.etag = head.etag_seen = "\"strong\"";
  EXPECT_EQ(check_body_start(head, 10, "data", kWhole, std::nullopt).other_etag, "");
}

TEST(BodyStart, AMalformedETagIsNeverSentButStillCompared) {
  ResponseHead head;
  head.take_line("HTTP/1.1 200 OK\r\n");
  head.take_line("Last-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\n");
  head.take_line("ETag: abc\x01" "def\r\n");
  EXPECT_EQ(head.etag, "");
  EXPECT_EQ(head.etag_seen, "abc?def");
  const BodyCheck check = check_body_start(head, 10, "data", kWhole, std::nullopt);
  EXPECT_EQ(check.validator, "Wed, 01 Jan 2025 00:00:00 GMT");
  EXPECT_EQ(check.other_etag, "abc?def");
}

TEST(BodyStart, AcceptRangesBytesMeansRangesWork) {
  ResponseHead head = head_of(200);
  head.accept_ranges = "Bytes";
  EXPECT_TRUE(check_body_start(head, 1, "", kWhole, std::nullopt).takes_ranges);
  head.accept_ranges = "none";
  EXPECT_FALSE(check_body_start(head, 1, "", kWhole, std::nullopt).takes_ranges);
}

// ---- the end of a transfer ----

SegmentAtEnd segment_at(uint64_t pos, std::optional<uint64_t> end) { return SegmentAtEnd{true, pos, end}; }

Outcome end_of(long status, const SegmentAtEnd& segment, const ResponseHead& head = {}) {
  return check_transfer_end(std::nullopt, status, head, segment, RangeAsked{100, true, {}}, 1'000'000);
}

TEST(TransferEnd, LibcurlFailuresRetryWhenTransientElseMoveOn) {
  const Outcome transient = check_transfer_end(TransportFailure{true, "Connection reset"}, 0, {}, segment_at(0, 10),
                                               kWhole, 0);
  EXPECT_EQ(transient.step, Step::Retry);
  EXPECT_EQ(transient.reason, "Connection reset");
  const Outcome lasting = check_transfer_end(TransportFailure{false, "SSL certificate problem"}, 0, {},
                                             segment_at(0, 10), kWhole, 0);
  EXPECT_EQ(lasting.step, Step::NextMirror);
  EXPECT_EQ(lasting.reason, "SSL certificate problem");
}

TEST(TransferEnd, ASuccessIsCompleteOnceItsSegmentIsDone) {
  EXPECT_EQ(end_of(200, segment_at(10, 10)).step, Step::Complete);
  EXPECT_EQ(end_of(206, SegmentAtEnd{}).step, Step::Complete);  // merged away or taken over
}

TEST(TransferEnd, ABodyWithoutASizeEndsTheFile) {
  const Outcome outcome = end_of(200, segment_at(4321, std::nullopt));
  EXPECT_EQ(outcome.step, Step::Complete);
  EXPECT_EQ(outcome.total_learned, 4321u);
}

TEST(TransferEnd, ASuccessThatStoppedShortIsRetried) {
  const Outcome outcome = end_of(206, segment_at(700, 1000));
  EXPECT_EQ(outcome.step, Step::Retry);
  EXPECT_EQ(outcome.reason, "the transfer ended at byte 700 of 1000");
}

TEST(TransferEnd, A416AtTheEndOfAFileOfUnknownSizeCompletesIt) {
  ResponseHead head = head_of(416);
  head.content_range = "bytes */1000";
  const Outcome outcome = end_of(416, segment_at(1000, std::nullopt), head);
  EXPECT_EQ(outcome.step, Step::Complete);
  EXPECT_EQ(outcome.total_learned, 1000u);
}

TEST(TransferEnd, AnyOther416StartsOver) {
  ResponseHead head = head_of(416);
  head.content_range = "bytes */900";
  for (const SegmentAtEnd& segment : {segment_at(1000, std::nullopt), segment_at(100, 1000)}) {
    const Outcome outcome = end_of(416, segment, head);
    EXPECT_EQ(outcome.step, Step::Restart);
    EXPECT_EQ(outcome.reason, "the server has no bytes after byte 100");
  }
  // Without a segment left, a 416 is an error like any other.
  EXPECT_EQ(end_of(416, SegmentAtEnd{}).step, Step::NextMirror);
}

TEST(TransferEnd, TransientStatusesAreRetriedWithTheirRetryAfter) {
  for (long status : {408L, 429L, 500L, 503L, 599L}) {
    const Outcome outcome = end_of(status, segment_at(100, 1000));
    EXPECT_EQ(outcome.step, Step::Retry) << status;
    EXPECT_EQ(outcome.status, status);
    EXPECT_FALSE(outcome.retry_after);
  }
  ResponseHead head = head_of(503);
  head.retry_after = "7";
  const Outcome outcome = end_of(503, segment_at(100, 1000), head);
  EXPECT_EQ(outcome.reason, "HTTP 503 Service Unavailable");
  EXPECT_EQ(outcome.retry_after, 7);
  head.retry_after = "soon";
  EXPECT_FALSE(end_of(503, segment_at(100, 1000), head).retry_after);
}

TEST(TransferEnd, OtherStatusesMoveToTheNextMirror) {
  for (long status : {0L, 301L, 400L, 403L, 404L, 410L, 600L}) {
    const Outcome outcome = end_of(status, segment_at(100, 1000));
    EXPECT_EQ(outcome.step, Step::NextMirror) << status;
    EXPECT_EQ(outcome.status, status);
  }
  EXPECT_EQ(end_of(404, segment_at(100, 1000)).reason, "HTTP 404 Not Found");
}

TEST(TransferEnd, BrokenConnectionsAreTransientRefusedRequestsAreNot) {
  for (CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_PARTIAL_FILE, CURLE_RECV_ERROR,
                        CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3,
                        CURLE_SSL_CONNECT_ERROR, CURLE_COULDNT_RESOLVE_PROXY})
    EXPECT_TRUE(transient_curl_error(code)) << code;
  for (CURLcode code : {CURLE_COULDNT_RESOLVE_HOST, CURLE_UNSUPPORTED_PROTOCOL, CURLE_PEER_FAILED_VERIFICATION,
                        CURLE_TOO_MANY_REDIRECTS, CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK})
    EXPECT_FALSE(transient_curl_error(code)) << code;
}

}  // namespace
}  // namespace xfu
