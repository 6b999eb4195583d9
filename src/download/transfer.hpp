// One ranged GET of one segment of the file, on one connection. It has one
// state at a time; the download loop reads it after each turn of libcurl
// and decides what happens next. The libcurl callbacks only record what
// arrived: at the first body bytes the transfer pauses until the loop has
// checked them (response_check), and the body goes to a BodySink.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http.hpp"
#include "download/response_check.hpp"

namespace xfu {

class Transfer;

// libcurl hands the body over 16 KiB at a time; the sink writes what a
// transfer received in one pwrite per turn of the loop, or once this much waits.
constexpr size_t kTransferBufferBytes = 256u << 10;

// Where accepted body bytes go (the download loop, which knows the plan and the part file).
class BodySink {
 public:
  virtual ~BodySink() = default;
  // Takes what `transfer` may still write of `data`; returns how many bytes
  // were taken. Taking fewer than `bytes` ends the transfer (its state says why).
  virtual size_t take(Transfer& transfer, const char* data, size_t bytes) = 0;
};

struct TransferSetup {
  std::string url;
  size_t slot = 0;               // the connection it runs on
  uint64_t segment = 0;          // the segment it fetches
  uint64_t from = 0;             // the segment's position
  std::optional<uint64_t> last;  // the last byte wanted; nullopt: to the end
  std::string validator;         // sent in If-Range with a range
  bool paced = false;            // --limit-rate is on: small reads, so the pacing stays smooth
};

class Transfer {
 public:
  enum class State {
    AwaitingBody,  // headers are arriving
    Deciding,      // paused at the first body bytes until the loop checks them
    Writing,       // its bytes go to the sink
    Discarding,    // an error page: read, kept nowhere
    Cut,           // stopped on purpose: its segment is done or was taken over
    Refused,       // the loop refused the response (outcome says why)
    WriteFailed,   // writing its bytes failed (write_errno says why)
  };

  Transfer(const TransferSetup& setup, const HttpOptions& http, BodySink& sink, const std::atomic<bool>& interrupted);

  HttpHandle& http() { return http_; }
  const HttpHandle& http() const { return http_; }
  const std::string& url() const { return http_.url(); }
  const std::string& host() const { return host_; }
  size_t slot() const { return slot_; }
  uint64_t segment() const { return segment_; }
  const RangeAsked& asked() const { return asked_; }
  State state() const { return state_; }
  const std::string& first_bytes() const { return first_bytes_; }
  bool progressed() const { return written_ > 0; }

  // Accepted bytes, kept until flush_to writes them in one go.
  std::vector<char>& buffer() { return buffer_; }
  void count_written(uint64_t bytes) { written_ += bytes; }

  // The loop's answer to the first bytes: Writing or Discarding resume the
  // transfer (libcurl hands the same bytes over again).
  void resume(State next);
  // For the loop to fetch the whole file from byte 0 on this response.
  void reassign(uint64_t segment);
  void cut() { state_ = State::Cut; }
  void refuse(Outcome outcome);
  void write_failed(int error);
  const std::optional<Outcome>& refusal() const { return refusal_; }
  int write_errno() const { return write_errno_; }

 private:
  HttpHandle http_;
  BodySink& sink_;
  const std::atomic<bool>& interrupted_;
  std::string host_;
  size_t slot_;
  uint64_t segment_;
  RangeAsked asked_;
  State state_ = State::AwaitingBody;
  std::string first_bytes_;
  uint64_t written_ = 0;
  std::vector<char> buffer_;
  std::optional<Outcome> refusal_;
  int write_errno_ = 0;

  static size_t on_body(char* data, size_t bytes, void* user);
  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
};

}  // namespace xfu
