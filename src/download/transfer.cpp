#include "download/transfer.hpp"

#include "download/mirrors.hpp"

namespace xfu {

namespace {

// Enough of the body's start to tell an HTML page from a file.
constexpr size_t kFirstBytesKept = 64;

std::vector<std::string> range_headers(const TransferSetup& setup) {
  if (setup.from == 0 && !setup.last) return {};
  const std::string last = setup.last ? std::to_string(*setup.last) : "";
  std::vector<std::string> headers{"Range: bytes=" + std::to_string(setup.from) + "-" + last};
  if (!setup.validator.empty()) headers.push_back("If-Range: " + setup.validator);
  return headers;
}

}  // namespace

Transfer::Transfer(const TransferSetup& setup, const HttpOptions& http, BodySink& sink,
                   const std::atomic<bool>& interrupted)
    : http_(setup.url, range_headers(setup), http),
      sink_(sink),
      interrupted_(interrupted),
      host_(url_host(setup.url)),
      slot_(setup.slot),
      segment_(setup.segment),
      asked_{setup.from, setup.from > 0 || setup.last.has_value(), {}} {
  if (asked_.ranged) asked_.validator = setup.validator;
  buffer_.reserve(kTransferBufferBytes);
  CURL* handle = http_.curl();
  http_.on_body(on_body, this);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, this);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_PRIVATE, this);
  // Each connection is its own TCP connection, as segmented downloading
  // needs (HTTP/2 would multiplex them over one); libcurl 7.88 also leaks a
  // paused HTTP/2 stream's held bytes when the stream is removed.
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  // A larger receive buffer is faster; under --limit-rate, libcurl's default
  // 16 KiB reads keep the bursts between the loop's pauses small.
  if (!setup.paced) curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 256L * 1024);
}

void Transfer::resume(State next) {
  state_ = next;
  // Unpausing hands the held bytes over at once; if libcurl cannot go on,
  // the transfer must end here rather than stay paused with no stall timeout.
  const CURLcode result = curl_easy_pause(http_.curl(), CURLPAUSE_CONT);
  if (result != CURLE_OK && state_ == next) refuse(Outcome{Step::Retry, curl_easy_strerror(result)});
}

void Transfer::reassign(uint64_t segment) {
  segment_ = segment;
  asked_ = RangeAsked{};
}

void Transfer::refuse(Outcome outcome) {
  state_ = State::Refused;
  refusal_ = std::move(outcome);
}

void Transfer::write_failed(int error) {
  state_ = State::WriteFailed;
  write_errno_ = error;
}

size_t Transfer::on_body(char* data, size_t bytes, void* user) {
  auto* self = static_cast<Transfer*>(user);
  switch (self->state_) {
    case State::AwaitingBody:
      self->first_bytes_.assign(data, std::min(bytes, kFirstBytesKept));
      self->state_ = State::Deciding;
      return CURL_WRITEFUNC_PAUSE;
    case State::Deciding: return CURL_WRITEFUNC_PAUSE;
    case State::Discarding: return bytes;
    case State::Writing: return self->sink_.take(*self, data, bytes);
    case State::Cut:
    case State::Refused:
    case State::WriteFailed: break;
  }
  return 0;
}

int Transfer::on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->interrupted_ ? 1 : 0;
}

}  // namespace xfu
