// What to make of a server's answer, decided apart from any I/O so every
// rule can be tested on its own (as aria2 keeps its response checks apart).
// Two moments matter: the first bytes of a body (do they belong in
// NAME.part?) and the end of a transfer (is its segment done, and if not,
// what next?). The download loop applies the verdicts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/http.hpp"
#include "download/size_limit.hpp"

namespace xfu {

// What one transfer asked for.
struct RangeAsked {
  uint64_t from = 0;      // the first byte wanted
  bool ranged = false;    // a Range header was sent
  std::string validator;  // sent in If-Range with the range; empty when none was
};

// ---- the first bytes of a body ----------------------------------------------

enum class BodyVerdict {
  Accept,       // these bytes go into NAME.part at the offset asked for
  AcceptWhole,  // a 200 to a range: the whole file from byte 0; start over with this response alone
  Discard,      // an error page: read it, keep nothing (the end of the transfer decides)
  Restart,      // the answer does not fit what is here: start from zero
  NextMirror,   // this URL will not give the file
  Abandon,      // this URL sends something else than the file: start from zero on the next one
};

struct BodyCheck {
  BodyVerdict verdict = BodyVerdict::Accept;
  std::string reason;             // for Restart and NextMirror
  std::optional<uint64_t> total;  // the file's size, when the response tells it
  std::string validator;          // a strong ETag, else Last-Modified; empty when neither came
  std::string other_etag;         // with a Last-Modified validator: the ETag that came too (weak, malformed)
  bool takes_ranges = false;      // a 206, or Accept-Ranges: bytes
};

// `content_length` is the response's announced body length; `known_total`
// the size known from earlier responses; `limit` what the catalog allows.
BodyCheck check_body_start(const ResponseHead& head, std::optional<uint64_t> content_length,
                           std::string_view first_bytes, const RangeAsked& asked, std::optional<uint64_t> known_total,
                           const std::optional<SizeLimit>& limit = std::nullopt);

// The validator If-Range can carry: a strong ETag, else Last-Modified (a
// weak ETag never matches If-Range, so it would restart every resume).
std::string range_validator(const ResponseHead& head);

// A response's validators, as far as they tell versions of a file apart.
struct PieceTag {
  std::string_view validator, other_etag;
};

// Whether a response's bytes may join the pieces already in NAME.part
// (`pieces_there`, fetched under `held`). With a full MD5 the final check
// catches a mix; without one nothing would, so every piece must come under
// one and the same validator, and an ETag that changed while Last-Modified
// did not (a weak one, or one too malformed to send back) proves another
// version too. The reason to start over, or nothing.
std::optional<std::string> piece_problem(bool pieces_there, PieceTag held, PieceTag now, bool full_md5);

// A body that runs past `limit` at byte `end` (one without a length, or
// longer than it said): the reason to abandon this URL, or nothing.
std::optional<std::string> body_too_long(uint64_t end, const std::optional<SizeLimit>& limit);

// ---- the end of a transfer --------------------------------------------------

// What one request came to.
enum class Step {
  Complete,    // its segment is done (or was handed to another connection)
  Restart,     // the server's answer does not fit what we have: start from zero
  Retry,       // a transient failure: try again, after a pause
  NextMirror,  // this URL will not work: try the next one
  Abandon,     // this URL sent something else than the file: start from zero on the next one
};

struct Outcome {
  explicit Outcome(Step step_ = Step::Complete, std::string reason_ = {}, long status_ = 0)
      : step(step_), reason(std::move(reason_)), status(status_) {}
  Step step;
  std::string reason;
  long status;                            // the HTTP status, when one was had
  std::optional<int64_t> retry_after;     // seconds, from Retry-After
  std::optional<uint64_t> total_learned;  // Complete: the body's end showed the file's size
};

// libcurl could not complete the transfer.
struct TransportFailure {
  bool transient = false;  // worth retrying the same URL
  std::string detail;
};

// The segment a finished transfer was fetching, as the plan has it now.
struct SegmentAtEnd {
  bool exists = false;  // false once it was merged or taken away
  uint64_t pos = 0;
  std::optional<uint64_t> end;  // nullopt while the file's size is unknown
  bool done() const { return exists && end && pos == *end; }
};

// libcurl errors worth retrying on the same URL: the connection or the
// transfer broke, not the request.
bool transient_curl_error(CURLcode code);

// The verdict on a transfer that ended without being cut or refused
// earlier. `status` is the final HTTP status; `now` is Unix seconds (for a
// Retry-After date).
Outcome check_transfer_end(const std::optional<TransportFailure>& failure, long status, const ResponseHead& head,
                           const SegmentAtEnd& segment, const RangeAsked& asked, int64_t now);

// Statuses worth asking again for: 408, 429 and 5xx.
bool transient_status(long status);

}  // namespace xfu
