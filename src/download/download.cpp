#include "download/download.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <utility>

#include "core/exit_code.hpp"
#include "core/file_hash.hpp"
#include "core/filename.hpp"
#include "core/http_headers.hpp"
#include "download/mirrors.hpp"
#include "download/part_state.hpp"
#include "download/prefix_hasher.hpp"
#include "download/segments.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Segments are cut into chunks so the file fills roughly in order (the MD5
// follows the prefix closely); about eight per connection, within bounds.
constexpr uint64_t kMinChunk = 1ull << 20;
constexpr uint64_t kMaxChunk = 64ull << 20;
constexpr uint64_t kChunkAlign = 64ull << 10;
constexpr uint64_t kMinSteal = 256ull << 10;
constexpr auto kNetworkWaitBeforeSplit = std::chrono::milliseconds(20);
constexpr size_t kWriteBuffer = 256u << 10;
constexpr auto kStateSaveInterval = std::chrono::seconds(1);
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// What one HTTP request came to.
enum class Step {
  Complete,    // its segment is done (or was handed to another connection)
  Restart,     // the server's answer does not fit what we have: start from zero
  Retry,       // a transient failure: try again, after a pause
  NextMirror,  // this URL will not work: try the next one
};

struct Outcome {
  explicit Outcome(Step step_ = Step::Complete, std::string reason_ = {}, long status_ = 0)
      : step(step_), reason(std::move(reason_)), status(status_) {}
  Step step;
  std::string reason;
  long status;  // the HTTP status, when one was had
  std::optional<int64_t> retry_after;
};

bool looks_like_html(std::string_view start) {
  start = trim(start);
  return istarts_with(start, "<!doctype html") || istarts_with(start, "<html") || istarts_with(start, "<head") ||
         istarts_with(start, "<body");
}

bool transient_status(long status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

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
    case CURLE_COULDNT_RESOLVE_PROXY:
      return true;
    default:
      return false;
  }
}

// The headers of one response; a redirect starts a new one.
struct Response {
  long status = 0;
  std::string content_type, content_range, etag, last_modified, retry_after, accept_ranges;
};

class Downloader;

// One HTTP request for one segment.
struct Transfer {
  Downloader* self = nullptr;
  size_t slot = 0;
  uint64_t segment = 0;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{nullptr, curl_easy_cleanup};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers{nullptr, curl_slist_free_all};
  std::string url, host;
  uint64_t asked_from = 0;
  bool ranged = false;  // sent a Range header
  Response response;
  bool decided = false, writing = false, cut = false, progressed = false;
  std::optional<Outcome> abort;
  int write_errno = 0;
  std::vector<char> buffer;  // received body bytes not yet written
  char error_buffer[CURL_ERROR_SIZE] = "";
};

// A connection's place: the request it runs and how its retries are going.
struct Slot {
  std::unique_ptr<Transfer> transfer;
  int failures = 0;  // consecutive, without progress
  Clock::time_point not_before{};
  bool retired = false;  // kept failing while others worked: no more requests
};

class Downloader {
 public:
  Downloader(const DownloadRequest& request, const DownloadEvents& events, const std::atomic<bool>& interrupted)
      : request_(request),
        events_(events),
        interrupted_(interrupted),
        target_(request.directory / request.filename),
        part_(request.directory / (request.filename + ".part")),
        state_path_(request.directory / (request.filename + ".part.state")) {}

  ~Downloader() {
    cancel_transfers();
    hasher_.reset();
    if (multi_) curl_multi_cleanup(multi_);
    if (fd_ >= 0) ::close(fd_);
  }

  DownloadResult run() {
    check_target();
    if (auto there = already_there()) return *there;
    lock_part();
    if (auto there = already_there()) {  // another xfu finished it while we waited
      discard_empty_part();
      return *there;
    }
    resume_or_start();
    return fetch();
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user);
  static size_t on_body(char* data, size_t size, size_t count, void* user);
  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<Transfer*>(user)->self->interrupted_ ? 1 : 0;
  }

 private:
  const DownloadRequest& request_;
  const DownloadEvents& events_;
  const std::atomic<bool>& interrupted_;
  fs::path target_, part_, state_path_;
  int fd_ = -1;
  SegmentPlan plan_;
  PartState state_;  // url, validator, total; the ranges come from plan_ when saved
  std::unique_ptr<PrefixHasher> hasher_;
  CURLM* multi_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<std::string> urls_;
  std::string ca_file_;
  size_t url_index_ = 0;
  size_t limit_ = 1;             // connections allowed now
  bool single_only_ = false;     // the server's ranges cannot be trusted this run
  bool preallocated_ = false;
  int restarts_ = 0;
  uint64_t received_ = 0;
  std::string last_error_ = "no URL to download from";
  std::string last_url_;
  std::optional<size_t> fallback_slot_;  // a 200 answered a range: only this transfer goes on
  std::optional<size_t> split_candidate_;  // its transfer may be split once the network is the limit
  Clock::time_point candidate_since_{};
  Clock::duration network_wait_{};  // spent waiting in poll since then
  Clock::time_point not_before_{};  // no new request before this
  Clock::time_point last_save_{}, last_progress_{};
  uint64_t saved_done_ = 0;

  void note(const std::string& message) const {
    if (events_.note) events_.note(message);
  }

  [[noreturn]] void local_error(const std::string& what, int error) const {
    throw Error(ExitCode::LocalFile, what + ": " + std::strerror(error));
  }

  // ---- before any request ---------------------------------------------

  void check_target() const {
    if (auto problem = package_name_problem(request_.filename))
      throw Error(ExitCode::InvalidCatalog, "refusing to save \"" + request_.filename + "\": " + *problem);
    struct stat info {};
    if (::stat(request_.directory.c_str(), &info) != 0) local_error("cannot use " + request_.directory.string(), errno);
    if (!S_ISDIR(info.st_mode)) throw Error(ExitCode::LocalFile, request_.directory.string() + " is not a directory");
    if (::access(request_.directory.c_str(), W_OK) != 0)
      local_error("cannot write to " + request_.directory.string(), errno);
    if (::stat(target_.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
      throw Error(ExitCode::LocalFile, target_.string() + " is a directory");
  }

  std::optional<DownloadResult> already_there() const {
    std::error_code error;
    if (request_.force || !fs::is_regular_file(target_, error)) return std::nullopt;
    const FileHash hash = md5_of_file(target_, {}, true, &interrupted_);
    if (interrupted_) throw Error(ExitCode::Interrupted, "interrupted");
    if (hash.md5.empty()) return std::nullopt;
    const VerifyStatus status = judge(hash.md5, request_.expected);
    if (status == VerifyStatus::Ok) return DownloadResult{DownloadOutcome::AlreadyThere, target_, hash.md5, hash.size, {}};
    note(target_.filename().string() + (status == VerifyStatus::Mismatch ? " is there but does not match its checksum"
                                                                         : " is there but cannot be verified") +
         "; downloading it again");
    return std::nullopt;
  }

  // Only one xfu writes a given NAME.part: the lock is on the file itself.
  void lock_part() {
    bool told = false;
    for (;;) {
      fd_ = ::open(part_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd_ < 0) local_error("cannot open " + part_.string(), errno);
      while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) local_error("cannot lock " + part_.string(), errno);
        if (!told) note("waiting for another xfu that is downloading " + request_.filename);
        told = true;
        if (interrupted_) throw Error(ExitCode::Interrupted, "interrupted while waiting for another xfu");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      // The other xfu may have renamed the file we waited on: lock the one now at that name.
      struct stat locked {}, named {};
      if (::fstat(fd_, &locked) == 0 && ::stat(part_.c_str(), &named) == 0 && locked.st_ino == named.st_ino &&
          locked.st_dev == named.st_dev)
        return;
      ::close(fd_);
      fd_ = -1;
      std::error_code error;
      if (fs::is_regular_file(target_, error) && already_there()) return;
    }
  }

  void discard_empty_part() {
    struct stat info {};
    if (::fstat(fd_, &info) == 0 && info.st_size == 0) ::unlink(part_.c_str());
  }

  void start_over() {
    hasher_.reset();
    if (::ftruncate(fd_, 0) != 0) local_error("cannot truncate " + part_.string(), errno);
    plan_.reset(std::nullopt);
    hasher_ = std::make_unique<PrefixHasher>(fd_);
    state_ = PartState{};
    preallocated_ = false;
    saved_done_ = 0;
    std::error_code error;
    fs::remove(state_path_, error);
  }

  // Picks up what NAME.part and its state say is done; the hasher reads the
  // done prefix back while the rest downloads.
  void resume_or_start() {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) local_error("cannot read " + part_.string(), errno);
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    if (size == 0) return start_over();
    const auto saved = load_part_state(state_path_, size);
    if (!saved || saved->validator.empty()) {
      note(part_.filename().string() + " has no usable resume state; starting over");
      return start_over();
    }
    if (saved->total && size > *saved->total) {
      note(part_.filename().string() + " is larger than the remote file; starting over");
      return start_over();
    }
    std::optional<SegmentPlan> plan;
    if (saved->total) {
      plan = SegmentPlan::from_ranges(saved->ranges, *saved->total);
    } else if (saved->ranges.size() == 1 && saved->ranges[0][0] == 0) {
      plan.emplace(std::nullopt);
      plan->advance(plan->segments().front().id, saved->ranges[0][1]);
    }
    uint64_t furthest = 0;
    if (plan)
      for (const Segment& segment : plan->segments()) furthest = std::max(furthest, segment.pos);
    if (!plan || furthest > size) {
      note(part_.filename().string() + " does not match its resume state; starting over");
      return start_over();
    }
    plan_ = std::move(*plan);
    state_ = *saved;
    preallocated_ = saved->total && size == *saved->total;
    saved_done_ = plan_.done_bytes();
    hasher_ = std::make_unique<PrefixHasher>(fd_);
    hasher_->advance_to(plan_.contiguous_prefix());
    const uint64_t done = plan_.done_bytes();
    if (done == plan_.contiguous_prefix()) note("resuming " + request_.filename + " from byte " + std::to_string(done));
    else
      note("resuming " + request_.filename + ": " + std::to_string(done) + " of " + std::to_string(*plan_.total()) +
           " bytes are already here");
  }

  // ---- the transfer loop ------------------------------------------------

  std::vector<std::string> ordered_urls() const {
    std::vector<std::string> urls = request_.urls;
    // Resume from the URL the bytes came from first: its validator is the one we hold.
    const auto same = std::find(urls.begin(), urls.end(), state_.url);
    if (same != urls.end()) std::rotate(urls.begin(), same, same + 1);
    return urls;
  }

  // The most connections this download may ever use: one slot each.
  int max_connections() const {
    return request_.connections > 0 ? std::min(request_.connections, kMaxConnections) : kAutoConnections;
  }

  int wanted_connections() const {
    if (request_.connections > 0) return max_connections();
    const auto total = plan_.total();
    return total && *total > kAutoSegmentBytes && !request_.limit_rate ? kAutoConnections : 1;
  }

  uint64_t chunk_size() const {
    if (limit_ <= 1) return SegmentPlan::kUnknownEnd;
    const uint64_t total = plan_.total().value_or(0);
    uint64_t chunk = total / (static_cast<uint64_t>(wanted_connections()) * 8);
    chunk = std::clamp(chunk, kMinChunk, kMaxChunk);
    return (chunk + kChunkAlign - 1) / kChunkAlign * kChunkAlign;
  }

  // How far new work may run ahead of the lowest unfinished byte: a chunk
  // per connection is the normal spread; one more means a connection lags.
  uint64_t max_lead() const {
    const uint64_t chunk = chunk_size();
    if (chunk == SegmentPlan::kUnknownEnd) return SegmentPlan::kUnknownEnd;
    return chunk * (static_cast<uint64_t>(wanted_connections()) + 1);
  }

  size_t active() const {
    return static_cast<size_t>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.transfer != nullptr; }));
  }

  DownloadResult fetch() {
    http_global_init();
    multi_ = curl_multi_init();
    if (!multi_) throw Error(ExitCode::Network, "cannot start libcurl");
    urls_ = ordered_urls();
    ca_file_ = ca_file_for(request_.http);
    slots_.resize(static_cast<size_t>(max_connections()));
    while (!plan_.complete()) {
      if (interrupted_) interrupted();
      start_transfers();
      if (active() == 0 && url_index_ >= urls_.size()) give_up();
      int running = 0;
      curl_multi_perform(multi_, &running);
      flush_all();
      if (fallback_slot_) cancel_transfers_except(*std::exchange(fallback_slot_, std::nullopt));
      const bool finished = handle_finished();
      after_io();
      if (plan_.complete()) break;
      // A finished transfer frees its slot: start the next one now, not after
      // a poll that may have nothing left to wait for.
      if (finished) continue;
      const auto before_poll = Clock::now();
      curl_multi_poll(multi_, nullptr, 0, static_cast<int>(poll_timeout_ms()), nullptr);
      if (split_candidate_) waited_for_network(Clock::now() - before_poll);
    }
    cancel_transfers();
    return finish();
  }

  int64_t poll_timeout_ms() const {
    if (active() > 0) return 100;
    const auto now = Clock::now();
    const auto until = [&](Clock::time_point when) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count() + 1;
    };
    int64_t wait = not_before_ > now ? std::min<int64_t>(100, until(not_before_)) : 100;
    for (const Slot& slot : slots_)
      if (!slot.retired && slot.not_before > now)
        wait = std::min<int64_t>(wait, until(slot.not_before));
    return wait;
  }

  void start_transfers() {
    const auto now = Clock::now();
    if (not_before_ > now) return;
    for (size_t index = 0; index < slots_.size() && url_index_ < urls_.size(); ++index) {
      Slot& slot = slots_[index];
      if (active() >= limit_) return;
      if (slot.transfer || slot.retired || slot.not_before > now) continue;
      const auto segment = plan_.assign(static_cast<int>(index), chunk_size(), kMinSteal, max_lead());
      if (!segment) return;
      start(index, *segment);
    }
  }

  void start(size_t index, uint64_t segment_id) {
    const Segment& segment = *plan_.find(segment_id);
    auto t = std::make_unique<Transfer>();
    t->self = this;
    t->slot = index;
    t->segment = segment_id;
    t->url = urls_[url_index_];
    t->host = url_host(t->url);
    t->asked_from = segment.pos;
    t->buffer.reserve(kWriteBuffer);
    t->curl.reset(curl_easy_init());
    if (!t->curl) throw Error(ExitCode::Network, "cannot start libcurl");
    const bool to_the_end = segment.end == SegmentPlan::kUnknownEnd || segment.end == plan_.total();
    if (segment.pos > 0 || !to_the_end) {
      t->ranged = true;
      const std::string last = to_the_end ? "" : std::to_string(segment.end - 1);
      t->headers.reset(curl_slist_append(t->headers.release(), ("Range: bytes=" + std::to_string(segment.pos) + "-" + last).c_str()));
      if (!state_.validator.empty())
        t->headers.reset(curl_slist_append(t->headers.release(), ("If-Range: " + state_.validator).c_str()));
    }
    CURL* handle = t->curl.get();
    apply_transfer_rules(handle, request_.http, ca_file_);
    curl_easy_setopt(handle, CURLOPT_URL, t->url.c_str());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, t->headers.get());
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, t->error_buffer);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, t.get());
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_PRIVATE, t.get());
    // A larger receive buffer is faster, but libcurl 7.88 then overshoots a rate limit by far.
    if (!request_.limit_rate) curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 256L * 1024);
    if (request_.limit_rate)
      curl_easy_setopt(handle, CURLOPT_MAX_RECV_SPEED_LARGE,
                       static_cast<curl_off_t>(std::max<uint64_t>(1, request_.limit_rate / static_cast<uint64_t>(std::max(1, request_.connections)))));
    if (curl_multi_add_handle(multi_, handle) != CURLM_OK) throw Error(ExitCode::Network, "cannot start libcurl");
    slots_[index].transfer = std::move(t);
  }

  void cancel(Slot& slot) {
    if (!slot.transfer) return;
    curl_multi_remove_handle(multi_, slot.transfer->curl.get());
    plan_.release(slot.transfer->segment);
    slot.transfer.reset();
  }

  void cancel_transfers() {
    for (Slot& slot : slots_) cancel(slot);
  }

  void cancel_transfers_except(size_t keep) {
    for (size_t i = 0; i < slots_.size(); ++i)
      if (i != keep) cancel(slots_[i]);
  }

  bool handle_finished() {
    bool any = false;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
      if (!t) continue;
      const CURLcode code = message->data.result;
      curl_multi_remove_handle(multi_, message->easy_handle);
      std::unique_ptr<Transfer> owned = std::move(slots_[t->slot].transfer);
      if (split_candidate_ == owned->slot) split_candidate_.reset();
      if (!owned->abort) flush(*owned);
      if (owned->write_errno) write_failed(owned->write_errno);
      if (interrupted_) interrupted();
      const Outcome outcome = outcome_of(*owned, code);
      plan_.release(owned->segment);
      if (owned->progressed) last_url_ = owned->url;
      react(owned->slot, *owned, outcome);
      any = true;
    }
    return any;
  }

  Outcome outcome_of(Transfer& t, CURLcode code) {
    if (t.cut) return Outcome{Step::Complete};
    if (t.abort) return *t.abort;
    if (code != CURLE_OK) {
      const std::string detail = *t.error_buffer ? t.error_buffer : curl_easy_strerror(code);
      return Outcome{transient_curl_error(code) ? Step::Retry : Step::NextMirror, detail};
    }
    long status = 0;
    curl_easy_getinfo(t.curl.get(), CURLINFO_RESPONSE_CODE, &status);
    Segment* segment = plan_.find(t.segment);
    if (status >= 200 && status <= 299) {
      if (!segment || segment->done()) return Outcome{Step::Complete};
      if (segment->end == SegmentPlan::kUnknownEnd) {  // no size was given: the end of the body is the end
        plan_.set_total(segment->pos);
        return Outcome{Step::Complete};
      }
      return Outcome{Step::Retry, "the transfer ended at byte " + std::to_string(segment->pos) + " of " +
                                      std::to_string(segment->end)};
    }
    if (status == 416 && segment) {
      const auto range = parse_content_range(t.response.content_range);
      if (range && range->total && segment->end == SegmentPlan::kUnknownEnd && segment->pos == *range->total) {
        plan_.set_total(segment->pos);
        return Outcome{Step::Complete};
      }
      return Outcome{Step::Restart, "the server has no bytes after byte " + std::to_string(t.asked_from)};
    }
    Outcome outcome{transient_status(status) ? Step::Retry : Step::NextMirror, describe_http_status(status), status};
    if (!t.response.retry_after.empty()) outcome.retry_after = parse_retry_after(t.response.retry_after, unix_now());
    return outcome;
  }

  bool others_working(size_t slot) const {
    for (size_t i = 0; i < slots_.size(); ++i)
      if (i != slot && slots_[i].transfer) return true;
    return false;
  }

  void react(size_t index, const Transfer& t, const Outcome& outcome) {
    Slot& slot = slots_[index];
    if (t.progressed) slot.failures = 0;
    const std::string where = t.host + ": " + outcome.reason;
    switch (outcome.step) {
      case Step::Complete:
        return;
      case Step::NextMirror:
        last_error_ = where;
        if (t.url != current_url()) return;  // already moved on
        note(where + "; trying the next mirror");
        return next_mirror();
      case Step::Restart:
        last_error_ = where;
        note(outcome.reason + "; starting over");
        cancel_transfers();
        start_over();
        single_only_ = true;
        limit_ = 1;
        if (++restarts_ > request_.retries) next_mirror();
        return;
      case Step::Retry:
        break;
    }
    last_error_ = where;
    if (outcome.status == 429 && others_working(index) && limit_ > 1) {
      limit_ = std::max<size_t>(1, active());
      note(where + "; going on with " + std::to_string(limit_) + (limit_ == 1 ? " connection" : " connections"));
      return;
    }
    slot.failures = t.progressed ? 1 : slot.failures + 1;
    if (slot.failures > request_.retries) {
      if (others_working(index)) {
        slot.retired = true;
        limit_ = std::max<size_t>(1, limit_ - 1);
        note(where + "; going on with " + std::to_string(limit_) + (limit_ == 1 ? " connection" : " connections"));
        return;
      }
      note(where + "; giving up on this mirror after " + std::to_string(request_.retries) + " retries");
      return next_mirror();
    }
    if (t.progressed && !outcome.retry_after) {  // a dropped connection: go on from what arrived
      note(where + "; resuming from byte " + std::to_string(resume_point(t)));
      return;
    }
    const int64_t backoff = std::min<int64_t>(int64_t{1} << std::min(slot.failures - 1, 10), request_.max_backoff_seconds);
    const int64_t wait = outcome.retry_after ? std::clamp<int64_t>(*outcome.retry_after, 0, 60) : backoff;
    note(where + "; retrying in " + std::to_string(wait) + " s");
    // While other connections work, only this one pauses; otherwise the server needs the rest.
    (others_working(index) ? slot.not_before : not_before_) = Clock::now() + std::chrono::seconds(wait);
  }

  uint64_t resume_point(const Transfer& t) {
    const Segment* segment = plan_.find(t.segment);
    return segment ? segment->pos : plan_.contiguous_prefix();
  }

  const std::string& current_url() const {
    static const std::string none;
    return url_index_ < urls_.size() ? urls_[url_index_] : none;
  }

  void next_mirror() {
    ++url_index_;
    restarts_ = 0;
    not_before_ = {};
    for (Slot& slot : slots_) {
      slot.failures = 0;
      slot.retired = false;
      slot.not_before = {};
    }
  }

  [[noreturn]] void give_up() {
    keep_state();
    const uint64_t done = plan_.done_bytes();
    if (done == 0) ::unlink(part_.c_str());  // nothing worth keeping
    throw Error(ExitCode::Network, "cannot download " + request_.filename + ": " + last_error_ +
                                       (done ? "; " + part_.filename().string() + " is kept for resuming" : ""));
  }

  [[noreturn]] void write_failed(int error) {
    cancel_transfers();
    keep_state();
    throw Error(ExitCode::LocalFile, "cannot write " + part_.string() + ": " + std::strerror(error) +
                                         "; the partial download is kept and resumes once this is fixed");
  }

  [[noreturn]] void interrupted() {
    cancel_transfers();
    keep_state();
    throw Error(ExitCode::Interrupted, "interrupted; " + part_.filename().string() +
                                           " is kept, and the same command resumes it");
  }

  void after_io() {
    const auto now = Clock::now();
    if (now - last_save_ >= kStateSaveInterval && plan_.done_bytes() != saved_done_) {
      last_save_ = now;
      try {
        keep_state();
      } catch (const std::exception&) {
      }
    }
    // The progress line redraws at most 10 times a second: no need to tell it more often.
    if (!events_.progress || now - last_progress_ < kProgressInterval) return;
    last_progress_ = now;
    DownloadProgress progress;
    progress.done = plan_.done_bytes();
    progress.total = plan_.total();
    progress.received = received_;
    progress.connections = static_cast<int>(active());
    progress.host = url_host(current_url().empty() ? last_url_ : current_url());
    events_.progress(progress);
  }

  // Saves the state beside NAME.part; with `even_empty`, before any byte is
  // written, so a run killed at once still leaves a state that fits the part.
  void keep_state(bool even_empty = false) {
    if ((plan_.done_bytes() == 0 && !even_empty) || state_.validator.empty()) return;
    PartState state = state_;
    state.total = plan_.total();
    state.ranges = plan_.ranges();
    if (!state.total) state.ranges = {{0, plan_.done_bytes(), plan_.done_bytes()}};
    save_part_state(state_path_, state);
    saved_done_ = plan_.done_bytes();
  }

  // ---- the first bytes of a response --------------------------------------

  // Decides, at the first byte of the body, whether these bytes belong in NAME.part.
  void decide(Transfer& t, std::string_view first_bytes) {
    t.decided = true;
    const Response& response = t.response;
    if (response.status < 200 || response.status > 299) return;  // an error page: read it, keep nothing
    const bool html = istarts_with(response.content_type, "text/html") || looks_like_html(first_bytes.substr(0, 64));
    if (html) {
      t.abort = Outcome{Step::NextMirror, "the server sent an HTML page instead of the file"};
      return;
    }
    std::optional<uint64_t> total;
    if (response.status == 206) {
      const auto range = parse_content_range(response.content_range);
      if (!range || !range->first || *range->first != t.asked_from) {
        t.abort = Outcome{Step::Restart, "the server sent bytes from " +
                                             (range && range->first ? std::to_string(*range->first) : std::string("an unknown offset")) +
                                             " when asked for byte " + std::to_string(t.asked_from)};
        return;
      }
      total = range->total;
      if (total && plan_.total() && *total != *plan_.total()) {
        t.abort = Outcome{Step::Restart, "the remote file's size changed from " + std::to_string(*plan_.total()) + " to " +
                                             std::to_string(*total) + " bytes"};
        return;
      }
    } else {
      if (t.ranged) fall_back_to_one_connection(t);
      curl_off_t length = -1;
      curl_easy_getinfo(t.curl.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
      if (length >= 0) total = static_cast<uint64_t>(length);
    }
    if (total && !plan_.total()) plan_.set_total(*total);
    state_.url = t.url;
    state_.validator = !response.etag.empty() ? response.etag : response.last_modified;
    state_.total = plan_.total();
    if (!state_.validator.empty()) {
      try {
        keep_state(true);
      } catch (const std::system_error& e) {
        t.write_errno = e.code().value();
        return;
      }
    }
    const bool takes_ranges = response.status == 206 || to_lower(response.accept_ranges).find("bytes") != std::string::npos;
    if (takes_ranges) {
      if (request_.connections > 0) open_more_connections(t);
      else if (!split_candidate_) {  // once the network proves to be the limit
        split_candidate_ = t.slot;
        candidate_since_ = Clock::now();
        network_wait_ = {};
      }
    }
    t.writing = t.write_errno == 0;
  }

  // A 200 to a range request: the server ignored the range, or the file
  // changed since the other bytes came. Either way only this response, from
  // byte 0, can be trusted.
  void fall_back_to_one_connection(Transfer& t) {
    note("the server sent the whole file instead of the rest (it ignored the range, or the file changed); starting over");
    fallback_slot_ = t.slot;  // the others are removed once libcurl returns
    start_over();
    single_only_ = true;
    limit_ = 1;
    t.segment = *plan_.assign(static_cast<int>(t.slot), SegmentPlan::kUnknownEnd, kMinSteal);
    t.asked_from = 0;
    t.ranged = false;
  }

  // By default a download is split only once its first connection has made
  // xfu wait for the network for a good part of the time: while one
  // connection brings bytes as fast as they can be written and hashed, more
  // connections cannot finish sooner (they only compete for the same CPU). A
  // server's first burst, before its rate limit sets in, delays the split by
  // about as long as the burst lasts.
  void waited_for_network(Clock::duration waited) {
    network_wait_ += waited;
    if (network_wait_ < kNetworkWaitBeforeSplit || network_wait_ * 4 < Clock::now() - candidate_since_) return;
    const size_t slot = *std::exchange(split_candidate_, std::nullopt);
    if (Transfer* t = slots_[slot].transfer.get(); t && t->writing && !t->abort && !t->cut) open_more_connections(*t);
  }

  void open_more_connections(Transfer& t) {
    const auto total = plan_.total();
    if (single_only_ || limit_ > 1 || !total || state_.validator.empty()) return;
    const int wanted = wanted_connections();
    if (wanted <= 1) return;
    if (!preallocated_) {
      if (const int error = reserve_space(*total)) {
        t.write_errno = error;
        return;
      }
      preallocated_ = true;
    }
    limit_ = static_cast<size_t>(wanted);
    if (const Segment* segment = plan_.find(t.segment); segment && segment->remaining() > chunk_size())
      plan_.shorten(t.segment, segment->pos + chunk_size());
  }

  // Room for the whole file before segments land all over it, so a full disk
  // shows at once, not at 90%. On tmpfs, where fallocate zero-fills every
  // page (0.16 s for 420 MB), the free space is checked instead.
  int reserve_space(uint64_t total) const {
    struct statfs filesystem {};
    if (::fstatfs(fd_, &filesystem) == 0 && filesystem.f_type == TMPFS_MAGIC) {
      struct statvfs space {};
      struct stat info {};
      if (::fstatvfs(fd_, &space) == 0 && ::fstat(fd_, &info) == 0 &&
          static_cast<uint64_t>(space.f_bavail) * space.f_frsize + static_cast<uint64_t>(info.st_size) < total)
        return ENOSPC;
      return 0;
    }
    if (::fallocate(fd_, 0, 0, static_cast<off_t>(total)) != 0 && errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL)
      return errno;
    return 0;
  }

  // ---- writing ------------------------------------------------------------

  // Takes what the segment still needs into the transfer's buffer, written
  // when full and after every turn of the loop. libcurl hands the body over
  // 16 KiB at a time; one pwrite for all a turn received saves most of the
  // system calls.
  size_t write(Transfer& t, const char* data, size_t bytes) {
    const Segment* segment = plan_.find(t.segment);
    if (!segment || segment->done() || segment->owner != static_cast<int>(t.slot)) {
      t.cut = true;  // the segment was finished or taken over: this request is no longer needed
      return 0;
    }
    const uint64_t room = segment->remaining() - std::min<uint64_t>(segment->remaining(), t.buffer.size());
    const size_t taken = static_cast<size_t>(std::min<uint64_t>(bytes, room));
    t.buffer.insert(t.buffer.end(), data, data + taken);
    if (t.buffer.size() >= kWriteBuffer || taken < bytes) flush(t);
    if (t.write_errno || t.cut) return 0;
    if (taken < bytes) {
      t.cut = true;  // the segment's end: the rest of this response is not ours
      return 0;
    }
    return bytes;
  }

  void flush_all() {
    for (Slot& slot : slots_)
      if (slot.transfer && !slot.transfer->abort) flush(*slot.transfer);
  }

  // Writes the buffered bytes at the segment's position and counts them
  // done; bytes past a segment that was shortened meanwhile are dropped.
  void flush(Transfer& t) {
    if (t.buffer.empty()) return;
    Segment* segment = plan_.find(t.segment);
    const bool owned = segment && segment->owner == static_cast<int>(t.slot);
    const size_t wanted = owned ? static_cast<size_t>(std::min<uint64_t>(t.buffer.size(), segment->remaining())) : 0;
    size_t done = 0;
    while (done < wanted) {
      const ssize_t written = ::pwrite(fd_, t.buffer.data() + done, wanted - done, static_cast<off_t>(segment->pos + done));
      if (written < 0) {
        if (errno == EINTR) continue;
        t.write_errno = errno;
        break;
      }
      done += static_cast<size_t>(written);
    }
    if (done) t.progressed = true;
    received_ += done;
    if (owned && done) {
      plan_.advance(t.segment, done);
      // Told at every write, not once per loop turn: libcurl may stay in one
      // perform call for a whole chunk, and the MD5 should not wait for it.
      hasher_->advance_to(plan_.contiguous_prefix());
    }
    if (!t.write_errno && done < t.buffer.size()) t.cut = true;
    t.buffer.clear();
  }

  // ---- the end ------------------------------------------------------------

  DownloadResult finish() {
    const uint64_t total = *plan_.total();
    std::string md5;
    try {
      md5 = hasher_->finish(total, interrupted_);
    } catch (const Error& e) {
      if (e.code() == ExitCode::Interrupted) interrupted();
      throw;
    }
    if (::fdatasync(fd_) != 0) local_error("cannot flush " + part_.string(), errno);
    const VerifyStatus status = judge(md5, request_.expected);
    std::error_code error;
    if (status == VerifyStatus::Mismatch) {
      const fs::path corrupt = request_.directory / (request_.filename + ".corrupt");
      if (::rename(part_.c_str(), corrupt.c_str()) != 0) local_error("cannot rename " + part_.string(), errno);
      fs::remove(state_path_, error);
      throw Error(ExitCode::ChecksumMismatch,
                  request_.filename + ": MD5 mismatch: expected " + request_.expected.shown() + " (" +
                      std::string(source_name(request_.expected.source)) + "), got " + md5 + "; the data was moved to " +
                      corrupt.filename().string());
    }
    if (::rename(part_.c_str(), target_.c_str()) != 0) local_error("cannot rename " + part_.string(), errno);
    sync_directory();
    fs::remove(state_path_, error);
    const auto outcome = status == VerifyStatus::Ok ? DownloadOutcome::Downloaded : DownloadOutcome::Unverified;
    return DownloadResult{outcome, target_, md5, total, last_url_};
  }

  void sync_directory() const {
    const int dir = ::open(request_.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;
    ::fsync(dir);
    ::close(dir);
  }
};

size_t Downloader::on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (istarts_with(line, "HTTP/")) {
    t->response = Response{};
    const auto space = line.find(' ');
    if (space != std::string_view::npos) t->response.status = std::atol(std::string(line.substr(space + 1, 3)).c_str());
    return line.size();
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  const std::string_view name = trim(line.substr(0, colon));
  const std::string value(trim(line.substr(colon + 1)));
  Response& response = t->response;
  if (iequals(name, "Content-Type")) response.content_type = value;
  else if (iequals(name, "Content-Range")) response.content_range = value;
  else if (iequals(name, "ETag")) response.etag = value;
  else if (iequals(name, "Last-Modified")) response.last_modified = value;
  else if (iequals(name, "Retry-After")) response.retry_after = value;
  else if (iequals(name, "Accept-Ranges")) response.accept_ranges = value;
  return line.size();
}

size_t Downloader::on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  Downloader& self = *t->self;
  const size_t bytes = size * count;
  if (!t->decided) self.decide(*t, std::string_view(data, bytes));
  if (t->abort || t->write_errno || t->cut) return 0;
  if (!t->writing) return bytes;
  return self.write(*t, data, bytes);
}

}  // namespace

DownloadResult download(const DownloadRequest& request, const DownloadEvents& events,
                        const std::atomic<bool>& interrupted) {
  return Downloader(request, events, interrupted).run();
}

}  // namespace xfu
