#include "download/download.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "core/exit_code.hpp"
#include "core/file_hash.hpp"
#include "core/filename.hpp"
#include "core/hash.hpp"
#include "download/mirror_pool.hpp"
#include "download/mirrors.hpp"
#include "download/part_file.hpp"
#include "download/prefix_hasher.hpp"
#include "download/response_check.hpp"
#include "download/resume.hpp"
#include "download/retry_policy.hpp"
#include "download/segments.hpp"
#include "download/size_limit.hpp"
#include "download/transfer.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kNetworkWaitBeforeSplit = std::chrono::milliseconds(20);
constexpr auto kStateSaveInterval = std::chrono::seconds(1);
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// A connection's place: the request it runs and how its retries are going.
struct Slot {
  std::unique_ptr<Transfer> transfer;
  int failures = 0;  // consecutive, without progress
  Clock::time_point not_before{};
  bool retired = false;    // kept failing while others worked: no more requests
  size_t mirror = 0;       // spread over mirrors: the one its transfer asks
  bool cut_short = false;  // its mirror proved too slow: its segment was cut
};

// The multi handle, cleaned up with the Downloader.
struct Multi {
  CURLM* handle = nullptr;
  Multi() : handle(curl_multi_init()) {}
  ~Multi() {
    if (handle) curl_multi_cleanup(handle);
  }
};

// The loop: runs the transfers, applies what the response check and the
// retry policy decide, and keeps the plan, the part file and the hasher in step.
class Downloader final : public BodySink {
 public:
  Downloader(const DownloadRequest& request, const DownloadEvents& events, const std::atomic<bool>& interrupted)
      : request_(request),
        events_(events),
        interrupted_(interrupted),
        target_(request.directory / request.filename),
        part_(request.directory, request.filename),
        size_limit_(size_limit(request.expected.roms)) {}

  ~Downloader() override {
    cancel_transfers();
    hasher_.reset();
  }

  DownloadResult run() {
    check_target();
    if (auto there = already_there()) {
      part_.discard_unless_busy();  // a stale NAME.part beside a verified file only confuses
      return *there;
    }
    if (request_.offline) throw Error(ExitCode::Network, offline_refusal(request_.filename, request_.directory));
    check_files_to_write();
    lock_part();
    if (auto there = already_there()) {  // another xfu finished it while we waited
      part_.discard_unless_busy();
      return *there;
    }
    resume_or_start();
    return fetch();
  }

  size_t take(Transfer& t, const char* data, size_t bytes) override;

 private:
  const DownloadRequest& request_;
  const DownloadEvents& events_;
  const std::atomic<bool>& interrupted_;
  fs::path target_;
  PartFile part_;
  const std::optional<SizeLimit> size_limit_;  // from the catalog: more than this is not the file
  SegmentPlan plan_;
  PartState state_;  // url, validator, total; the ranges come from plan_ when saved
  std::unique_ptr<PrefixHasher> hasher_;
  Multi multi_;
  std::vector<Slot> slots_;
  std::optional<MirrorPool> pool_;           // the download is spread over several mirrors at once
  std::map<uint64_t, RangeSource> sources_;  // spread: which mirror wrote which bytes, by the end of each range
  std::vector<RangeSource> suspects_;        // a mix that failed its MD5, checked once one mirror's copy verified
  std::vector<std::string> urls_;
  size_t url_index_ = 0;
  size_t limit_ = 1;          // connections allowed now
  bool single_only_ = false;  // the server's ranges cannot be trusted this run
  bool preallocated_ = false;
  bool pieces_ = false;  // NAME.part holds bytes accepted since the last start from zero
  int restarts_ = 0;
  uint64_t received_ = 0;
  std::vector<MirrorFailure> tried_;  // the mirrors left behind, in order, each with why
  RatePacer pacer_{request_.limit_rate};
  const Clock::time_point started_ = Clock::now();
  std::string current_failure_;  // why the current URL failed last
  std::string last_url_;
  std::vector<std::string> servers_sent_;  // the servers NAME.part's bytes came from since it last started from zero
  std::optional<size_t> split_candidate_;  // its transfer may be split once the network is the limit
  Clock::time_point candidate_since_{};
  Clock::duration network_wait_{};  // spent waiting in poll since then
  Clock::time_point not_before_{};  // no new request before this
  Clock::time_point last_save_{}, last_progress_{};
  uint64_t saved_done_ = 0;
  mutable bool told_not_verified_ = false;  // already_there() is asked again after the lock: one note is enough

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
    if (auto problem = name_length_problem(request_.filename, kLongestPartSuffix,
                                           ::pathconf(request_.directory.c_str(), _PC_NAME_MAX)))
      throw Error(ExitCode::LocalFile,
                  "refusing to save \"" + request_.filename + "\" in " + request_.directory.string() + ": " + *problem);
    // Before the target is hashed: it is used only when it is a regular file of ours with one link.
    refuse_unsafe_file(target_);
  }

  // Once a download is needed, before any request: nothing is written through a link someone planted beside
  // the target. A file already there and verified needs none of these, so what is planted there stays untouched.
  void check_files_to_write() const {
    for (const fs::path& name : {part_.path(), part_.state_path(), corrupt_path()}) refuse_unsafe_file(name);
  }

  fs::path corrupt_path() const { return request_.directory / (request_.filename + std::string(kCorruptSuffix)); }

  std::optional<DownloadResult> already_there() const {
    std::error_code error;
    if (request_.force || !fs::is_regular_file(target_, error)) return std::nullopt;
    // Whoever reads the bytes in order reads them in this same pass.
    const FileHash hash = md5_of_file(target_, {}, true, &interrupted_, request_.in_order_bytes);
    if (interrupted_) throw Error(ExitCode::Interrupted, "interrupted");
    if (hash.md5.empty()) return std::nullopt;
    const VerifyStatus status = judge(hash.md5, request_.expected);
    if (passes(status, false))
      return DownloadResult{DownloadOutcome::AlreadyThere, target_, hash.md5, hash.size, 0, {}, {}};
    if (told_not_verified_) return std::nullopt;
    told_not_verified_ = true;
    note(target_.filename().string() +
         (status == VerifyStatus::Mismatch ? " is there but does not match its checksum"
                                           : " is there but cannot be verified") +
         "; downloading it again");
    return std::nullopt;
  }

  void lock_part() {
    part_.lock([&] { note("waiting for another xfu that is downloading " + request_.filename); },
               [&] { return interrupted_.load(); },
               [&] {
                 std::error_code error;
                 return fs::is_regular_file(target_, error) && already_there().has_value();
               });
  }

  void start_over() {
    hasher_.reset();
    part_.truncate();
    plan_.reset(std::nullopt);
    hasher_ = std::make_unique<PrefixHasher>(part_.fd(), request_.in_order_bytes);
    state_ = PartState{};
    servers_sent_.clear();
    preallocated_ = false;
    pieces_ = false;
    saved_done_ = 0;
  }

  // Picks up what NAME.part and its state say is done; the hasher reads the
  // done prefix back while the rest downloads.
  void resume_or_start() {
    const uint64_t size = part_.size();
    const std::optional<PartState> saved = size ? part_.load_state(size) : std::nullopt;
    ResumeDecision resume = decide_resume(size, saved);
    if (!resume.plan) {
      if (!resume.problem.empty()) note(part_.path().filename().string() + " " + resume.problem + "; starting over");
      return start_over();
    }
    plan_ = std::move(*resume.plan);
    state_ = *saved;
    if (!state_.url.empty()) add_source(state_.url);
    preallocated_ = saved->total && size == *saved->total;
    saved_done_ = plan_.done_bytes();
    pieces_ = saved_done_ > 0;
    hasher_ = std::make_unique<PrefixHasher>(part_.fd(), request_.in_order_bytes);
    hasher_->advance_to(plan_.contiguous_prefix());
    const uint64_t done = plan_.done_bytes();
    note(resume_note(request_.filename, done, plan_.total()));
  }

  // ---- how many connections, how much each --------------------------------

  std::vector<std::string> ordered_urls() const {
    std::vector<std::string> urls = request_.urls;
    // Resume from the URL the bytes came from first: its validator is the one we hold.
    const auto same = std::find(urls.begin(), urls.end(), state_.url);
    if (same != urls.end()) std::rotate(urls.begin(), same, same + 1);
    return urls;
  }

  ConnectionRules rules() const {
    return ConnectionRules{pool_ ? static_cast<int>(slots_.size()) : request_.connections};
  }
  uint64_t chunk() const { return chunk_size(rules(), limit_, plan_.total()); }

  size_t active() const {
    return static_cast<size_t>(
        std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.transfer != nullptr; }));
  }

  bool others_working(size_t slot) const {
    for (size_t i = 0; i < slots_.size(); ++i)
      if (i != slot && slots_[i].transfer) return true;
    return false;
  }

  // ---- the loop -----------------------------------------------------------

  DownloadResult fetch() {
    if (!multi_.handle) throw Error(ExitCode::Network, "cannot start libcurl");
    urls_ = ordered_urls();
    slots_.resize(static_cast<size_t>(max_connections(rules())));
    if (full_md5() && several_origins(request_.urls)) spread_over_mirrors();
    for (;;) {
      transfer_all();
      cancel_transfers();
      if (auto result = finish()) return *result;
    }
  }

  void transfer_all() {
    while (!plan_.complete()) {
      if (interrupted_) interrupted();
      if (pool_) start_mirror_transfers();
      else start_transfers();
      if (active() == 0 && (pool_ ? pool_->all_dead() : url_index_ >= urls_.size())) give_up();
      if (wait_for_rate_limit()) continue;
      int running = 0;
      curl_multi_perform(multi_.handle, &running);
      flush_all();
      check_new_responses();
      const bool finished = handle_finished();
      after_io();
      if (plan_.complete()) break;
      // A finished transfer frees its slot: start the next one now, not after
      // a poll that may have nothing left to wait for.
      if (finished) continue;
      const auto before_poll = Clock::now();
      curl_multi_poll(multi_.handle, nullptr, 0, static_cast<int>(poll_timeout_ms()), nullptr);
      if (split_candidate_) waited_for_network(Clock::now() - before_poll);
    }
  }

  int64_t poll_timeout_ms() const {
    if (active() > 0) return 100;
    const auto now = Clock::now();
    const auto until = [&](Clock::time_point when) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count() + 1;
    };
    int64_t wait = not_before_ > now ? std::min<int64_t>(100, until(not_before_)) : 100;
    for (const Slot& slot : slots_)
      if (!slot.retired && slot.not_before > now) wait = std::min<int64_t>(wait, until(slot.not_before));
    return wait;
  }

  void start_transfers() {
    const auto now = Clock::now();
    if (not_before_ > now) return;
    for (size_t index = 0; index < slots_.size() && url_index_ < urls_.size(); ++index) {
      Slot& slot = slots_[index];
      if (active() >= limit_) return;
      if (slot.transfer || slot.retired || slot.not_before > now) continue;
      const auto segment = plan_.assign(static_cast<int>(index), chunk(), kMinSteal,
                                        max_lead(rules(), limit_, plan_.total()));
      if (!segment) return;
      start(index, *segment);
    }
  }

  void start(size_t index, uint64_t segment_id) { start(index, segment_id, urls_[url_index_], state_.validator); }

  void start(size_t index, uint64_t segment_id, const std::string& url, const std::string& validator) {
    const Segment& segment = *plan_.find(segment_id);
    const bool to_the_end = segment.end == SegmentPlan::kUnknownEnd || segment.end == plan_.total();
    TransferSetup setup;
    setup.url = url;
    setup.slot = index;
    setup.segment = segment_id;
    setup.from = segment.pos;
    if (!to_the_end) setup.last = segment.end - 1;
    setup.validator = validator;
    setup.paced = request_.limit_rate != 0;
    auto t = std::make_unique<Transfer>(setup, request_.http, *this, interrupted_);
    if (curl_multi_add_handle(multi_.handle, t->http().curl()) != CURLM_OK)
      throw Error(ExitCode::Network, "cannot start libcurl");
    slots_[index].transfer = std::move(t);
  }

  // --limit-rate: ahead of the budget, nothing is read for a while (at most
  // 100 ms, so Ctrl-C is still heard) and TCP holds every connection back.
  bool wait_for_rate_limit() {
    const auto since_start = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    const auto wait = pacer_.delay(received_, since_start);
    if (wait == std::chrono::microseconds::zero()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::microseconds>(wait, std::chrono::milliseconds(100)));
    return true;
  }

  void cancel(Slot& slot) {
    if (!slot.transfer) return;
    if (pool_) pool_->stopped(slot.mirror);
    curl_multi_remove_handle(multi_.handle, slot.transfer->http().curl());
    plan_.release(slot.transfer->segment());
    slot.transfer.reset();
  }

  void cancel_transfers() {
    for (Slot& slot : slots_) cancel(slot);
  }

  void cancel_transfers_except(size_t keep) {
    for (size_t i = 0; i < slots_.size(); ++i)
      if (i != keep) cancel(slots_[i]);
  }

  // ---- the first bytes of a response --------------------------------------

  // Transfers that paused at their first body bytes get the response check's verdict.
  void check_new_responses() {
    for (size_t index = 0; index < slots_.size(); ++index) {
      Transfer* t = slots_[index].transfer.get();
      if (t && t->state() == Transfer::State::Deciding) {
        if (pool_) apply_from_mirror(*t, check_body(*t));
        else apply(*t, check_body(*t));
      }
    }
  }

  BodyCheck check_body(Transfer& t) const {
    return check_body_start(t.http().head(), t.http().content_length(), t.first_bytes(), t.asked(), plan_.total(),
                            size_limit_);
  }

  void apply(Transfer& t, const BodyCheck& check) {
    switch (check.verdict) {
      case BodyVerdict::Discard: return t.resume(Transfer::State::Discarding);
      case BodyVerdict::Restart: return t.refuse(Outcome{Step::Restart, check.reason});
      case BodyVerdict::NextMirror: return t.refuse(Outcome{Step::NextMirror, check.reason});
      case BodyVerdict::Abandon: return t.refuse(Outcome{Step::Abandon, check.reason});
      case BodyVerdict::AcceptWhole:
        if (auto restarts = restart_with_whole_file(restarts_, request_.retries, received_ > 0)) restarts_ = *restarts;
        else return t.refuse(Outcome{Step::Restart, "the server sends the whole file instead of the rest"});
        fall_back_to_one_connection(t);
        break;
      case BodyVerdict::Accept: break;
    }
    accept(t, check);
  }

  bool full_md5() const { return !request_.expected.md5s.empty(); }

  void accept(Transfer& t, const BodyCheck& check) {
    if (auto problem = piece_problem(pieces_, {state_.validator, state_.other_etag},
                                     {check.validator, check.other_etag}, full_md5()))
      return t.refuse(Outcome{Step::Restart, *problem});
    pieces_ = true;
    if (check.total && !plan_.total()) plan_.set_total(*check.total);
    state_.url = t.url();
    state_.validator = check.validator;
    state_.other_etag = check.other_etag;
    state_.total = plan_.total();
    if (!state_.validator.empty()) save_state_before_writing();
    if (check.takes_ranges) {
      if (request_.connections > 0) open_more_connections(t);
      else if (!split_candidate_) {  // once the network proves to be the limit
        split_candidate_ = t.slot();
        candidate_since_ = Clock::now();
        network_wait_ = {};
      }
    }
    t.resume(Transfer::State::Writing);
  }

  // A 200 to a range request: only this response, from byte 0, can be trusted.
  void fall_back_to_one_connection(Transfer& t) {
    note("the server sent the whole file instead of the rest (it ignored the range, or the file changed); starting "
         "over");
    cancel_transfers_except(t.slot());
    start_over();
    single_only_ = true;
    limit_ = 1;
    t.reassign(*plan_.assign(static_cast<int>(t.slot()), SegmentPlan::kUnknownEnd, kMinSteal));
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
    if (Transfer* t = slots_[slot].transfer.get(); t && t->state() == Transfer::State::Writing)
      open_more_connections(*t);
  }

  void open_more_connections(Transfer& t) {
    const auto total = plan_.total();
    if (single_only_ || limit_ > 1 || !total || state_.validator.empty()) return;
    const int wanted = wanted_connections(rules(), total);
    if (wanted <= 1) return;
    if (!preallocated_) {
      if (const int error = part_.reserve(*total)) write_failed(error);
      preallocated_ = true;
    }
    limit_ = static_cast<size_t>(wanted);
    if (const Segment* segment = plan_.find(t.segment()); segment && segment->remaining() > chunk())
      plan_.shorten(t.segment(), segment->pos + chunk());
  }

  // ---- several mirrors at once --------------------------------------------

  // With a full MD5 to catch a mix, every mirror serves part of the file: the
  // first learns the size, then each is probed and the fastest get the most.
  void spread_over_mirrors() {
    pool_.emplace(request_.urls);
    // As many connections as the mirrors take (each its cap), so that together they run at what they allow.
    if (request_.connections == 0)
      slots_.resize(std::clamp<size_t>(pool_->size() * kMirrorCap, size_t{kAutoConnections}, size_t{kMaxConnections}));
    std::vector<MirrorValidator> held = state_.mirrors;
    held.push_back({state_.url, state_.validator, state_.other_etag});
    for (const MirrorValidator& saved : held)
      if (auto index = pool_->find(saved.url); index && sendable_validator(saved.validator)) {
        (*pool_)[*index].validator = saved.validator;
        (*pool_)[*index].other_etag = saved.other_etag;
      }
    if (plan_.total() && !state_.validator.empty()) limit_ = slots_.size();
  }

  int64_t elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
  }

  void start_mirror_transfers() {
    for (size_t index = 0; index < slots_.size(); ++index) {
      if (slots_[index].transfer) continue;
      if (active() >= limit_) return;
      const auto mirror = pool_->pick(elapsed_ms());
      if (!mirror) return;
      const auto segment = plan_.assign(static_cast<int>(index), chunk(), kMinSteal,
                                        max_lead(rules(), limit_, plan_.total()));
      if (!segment) return;
      Slot& slot = slots_[index];
      slot.mirror = *mirror;
      slot.cut_short = false;
      pool_->started(*mirror);
      const Mirror& m = (*pool_)[*mirror];
      start(index, *segment, m.url, m.validator);
    }
  }

  // A mirror that will not serve this file is dropped; the others go on.
  void apply_from_mirror(Transfer& t, const BodyCheck& check) {
    switch (check.verdict) {
      case BodyVerdict::Discard: return t.resume(Transfer::State::Discarding);
      case BodyVerdict::AcceptWhole:
        return t.refuse(Outcome{Step::NextMirror, "it sent the whole file instead of the range asked for"});
      case BodyVerdict::Restart:
      case BodyVerdict::NextMirror:
      case BodyVerdict::Abandon: return t.refuse(Outcome{Step::NextMirror, check.reason});
      case BodyVerdict::Accept: break;
    }
    Mirror& mirror = (*pool_)[slots_[t.slot()].mirror];
    if (check.total && plan_.total() && *check.total != *plan_.total())
      return t.refuse(Outcome{Step::NextMirror, "its file has " + std::to_string(*check.total) + " bytes, not " +
                                                    std::to_string(*plan_.total())});
    // Each mirror's pieces must come under one validator of its own; the full MD5 checks the mix.
    if (auto problem = piece_problem(!mirror.validator.empty(), {mirror.validator, mirror.other_etag},
                                     {check.validator, check.other_etag}, false))
      return t.refuse(Outcome{Step::NextMirror, *problem});
    pool_->serving(slots_[t.slot()].mirror);
    mirror.validator = check.validator;
    mirror.other_etag = check.other_etag;
    pieces_ = true;
    if (check.total && !plan_.total()) plan_.set_total(*check.total);
    if (state_.validator.empty()) {
      state_.url = t.url();
      state_.validator = check.validator;
      state_.other_etag = check.other_etag;
    }
    state_.total = plan_.total();
    if (!state_.validator.empty()) save_state_before_writing();
    if (limit_ == 1 && plan_.total()) open_mirror_connections(t, check.takes_ranges);
    t.resume(Transfer::State::Writing);
  }

  // The size is known: every slot may work, on whichever mirror pick() says.
  void open_mirror_connections(Transfer& t, bool takes_ranges) {
    if (!preallocated_) {
      if (const int error = part_.reserve(*plan_.total())) write_failed(error);
      preallocated_ = true;
    }
    limit_ = slots_.size();
    if (const Segment* segment = plan_.find(t.segment()); takes_ranges && segment && segment->remaining() > chunk())
      plan_.shorten(t.segment(), segment->pos + chunk());
  }

  void react_on_mirror(const Transfer& t, const Outcome& outcome) {
    const size_t index = slots_[t.slot()].mirror;
    Mirror& mirror = (*pool_)[index];
    if (t.progressed()) mirror.failures = 0;
    if (outcome.step == Step::Complete || mirror.state == MirrorState::Dead) return;
    if (outcome.step != Step::Retry) return drop_mirror(index, outcome.reason);
    const Failure failure{outcome, mirror.name, t.progressed(), true, resume_point(t)};
    const RetryHistory history{mirror.failures,
                               0,
                               request_.retries,
                               request_.max_backoff_seconds,
                               active() > 0,
                               static_cast<size_t>(mirror.cap),
                               static_cast<size_t>(mirror.active),
                               true};
    const RetryDecision decision = decide_retry(failure, history);
    mirror.failures = decision.slot_failures;
    switch (decision.action) {
      case Action::FewerConnections:
        pool_->lower_cap(index, static_cast<int>(decision.limit));
        return note(mirror.name + ": " + outcome.reason + "; going on with " + std::to_string(mirror.cap) +
                    (mirror.cap == 1 ? " connection" : " connections") + " to it");
      case Action::WaitThisSlot:
      case Action::WaitAll:
        mirror.not_before = elapsed_ms() + decision.wait_seconds * 1000;
        return note(mirror.name + ": " + outcome.reason + "; asking it again in " +
                    std::to_string(decision.wait_seconds) + " s");
      case Action::NextMirror:
      case Action::RetireSlot:
      case Action::StartOver:
        return drop_mirror(index, outcome.reason + " (" + std::to_string(request_.retries) + " retries)");
      case Action::Nothing:
      case Action::ResumeNow: return;  // another connection, maybe to another mirror, takes the rest
    }
  }

  void drop_mirror(size_t index, const std::string& why) {
    pool_->kill(index, why);
    for (Slot& slot : slots_)
      if (slot.transfer && slot.mirror == index) cancel(slot);
    if (!pool_->all_dead()) note((*pool_)[index].name + ": " + why + "; going on with the other mirrors");
  }

  // A mirror far slower than the best keeps only what it brings in about a
  // second of its running segment; faster mirrors take the rest.
  void cut_slow_mirrors_short() {
    pool_->measure(elapsed_ms());
    for (Slot& slot : slots_) {
      if (!slot.transfer || slot.cut_short || !pool_->too_slow(slot.mirror)) continue;
      const Segment* segment = plan_.find(slot.transfer->segment());
      const uint64_t keep = pool_->keep_when_cut(slot.mirror, kChunkAlign);
      if (segment && segment->end != SegmentPlan::kUnknownEnd && segment->remaining() > keep)
        plan_.shorten(segment->id, segment->pos + keep);
      slot.cut_short = true;
    }
  }

  void note_source(uint64_t pos, uint64_t bytes, const std::string& host) {
    auto before = sources_.find(pos);
    if (before != sources_.end() && before->second.host == host) {
      RangeSource range = std::move(before->second);
      sources_.erase(before);
      range.end = pos + bytes;
      sources_.emplace(range.end, std::move(range));
      return;
    }
    sources_.emplace(pos + bytes, RangeSource{pos, pos + bytes, host, {}, {}});
  }

  // The MD5 of [start, end) of NAME.part, read through its descriptor (it stays valid across the rename).
  std::string md5_of_range(uint64_t start, uint64_t end) const {
    Digest digest(DigestKind::Md5);
    std::vector<char> buffer(1 << 20);
    for (uint64_t at = start; at < end;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), end - at));
      const ssize_t got = ::pread(part_.fd(), buffer.data(), want, static_cast<off_t>(at));
      if (got <= 0) return {};
      digest.update(buffer.data(), static_cast<size_t>(got));
      at += static_cast<uint64_t>(got);
    }
    return digest.finish_hex();
  }

  // Only when several mirrors sent the mix can one of them be blamed.
  void keep_suspects() {
    suspects_.clear();
    std::set<std::string> hosts;
    for (const auto& [end, range] : sources_) hosts.insert(range.host);
    if (hosts.size() < 2) return;
    for (const auto& [end, range] : sources_) {
      suspects_.push_back(range);
      suspects_.back().mixed_md5 = md5_of_range(range.start, range.end);
    }
  }

  void name_culprits() {
    if (suspects_.empty()) return;
    for (RangeSource& range : suspects_) range.verified_md5 = md5_of_range(range.start, range.end);
    for (const std::string& line : culprit_notes(suspects_)) note(line);
    suspects_.clear();
  }

  // After a mix failed the MD5: the single-mirror path from byte 0, the mirrors in order.
  void one_mirror_at_a_time() {
    keep_suspects();
    sources_.clear();
    pool_.reset();
    start_over();
    urls_ = request_.urls;
    url_index_ = 0;
    limit_ = 1;
    restarts_ = 0;
    not_before_ = {};
    current_failure_.clear();
    last_url_.clear();
    for (Slot& slot : slots_) slot = Slot{};
  }

  // ---- writing ------------------------------------------------------------

  void flush_all() {
    for (Slot& slot : slots_)
      if (slot.transfer && slot.transfer->state() == Transfer::State::Writing) flush(*slot.transfer);
  }

  // Writes the buffered bytes at the segment's position and counts them
  // done; bytes past a segment that was shortened meanwhile are dropped.
  void flush(Transfer& t) {
    std::vector<char>& buffer = t.buffer();
    if (buffer.empty()) return;
    Segment* segment = plan_.find(t.segment());
    const bool owned = segment && segment->owner == static_cast<int>(t.slot());
    const size_t wanted = owned ? static_cast<size_t>(std::min<uint64_t>(buffer.size(), segment->remaining())) : 0;
    int error = 0;
    const size_t done = wanted ? part_.write_at(buffer.data(), wanted, segment->pos, error) : 0;
    const bool all_written = done == buffer.size();
    t.count_written(done);
    received_ += done;
    if (pool_ && done) {
      pool_->received(slots_[t.slot()].mirror, done, elapsed_ms());
      note_source(segment->pos, done, (*pool_)[slots_[t.slot()].mirror].name);
    }
    if (owned && done) {
      const uint64_t at = segment->pos;
      add_source(t.url());
      plan_.advance(t.segment(), done);
      // The written bytes go to the hasher as they are, sparing it a read back; the transfer fills a spare.
      std::vector<char> written = std::exchange(buffer, hasher_->spare_buffer());
      written.resize(done);
      hasher_->offer(at, std::move(written));
      if (buffer.capacity() < kTransferBufferBytes) buffer.reserve(kTransferBufferBytes);
      // Told at every write, not once per loop turn: libcurl may stay in one
      // perform call for a whole chunk, and the MD5 should not wait for it.
      hasher_->advance_to(plan_.contiguous_prefix());
    }
    if (error) t.write_failed(error);
    else if (!all_written) t.cut();
    buffer.clear();
  }

  void add_source(const std::string& url) {
    std::string server = url_origin(url);
    if (std::find(servers_sent_.begin(), servers_sent_.end(), server) == servers_sent_.end())
      servers_sent_.push_back(std::move(server));
  }

  // "cdnorg.d.miui.com and bigota.d.miui.com": every server the bytes being checked came from.
  std::string sources_text() const {
    return servers_sent_.empty() ? url_host(last_url_.empty() ? current_url() : last_url_)
                                 : hosts_in_words(servers_sent_);
  }

  // ---- the end of a transfer ----------------------------------------------

  bool handle_finished() {
    bool any = false;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.handle, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &t);
      if (!t) continue;
      curl_multi_remove_handle(multi_.handle, message->easy_handle);
      finished(slots_[t->slot()].transfer, message->data.result);
      any = true;
    }
    // Refused at their first bytes: they end here, not in libcurl.
    for (Slot& slot : slots_)
      if (slot.transfer && slot.transfer->state() == Transfer::State::Refused) {
        curl_multi_remove_handle(multi_.handle, slot.transfer->http().curl());
        finished(slot.transfer, CURLE_OK);
        any = true;
      }
    return any;
  }

  void finished(std::unique_ptr<Transfer>& running, CURLcode code) {
    std::unique_ptr<Transfer> t = std::move(running);
    if (split_candidate_ == t->slot()) split_candidate_.reset();
    if (pool_) pool_->stopped(slots_[t->slot()].mirror);
    if (t->state() == Transfer::State::Writing) flush(*t);
    if (t->state() == Transfer::State::WriteFailed) write_failed(t->write_errno());
    if (interrupted_) interrupted();
    if (code != CURLE_OK)
      if (std::string proxy = t->http().proxy_failure(code); !proxy.empty()) proxy_failed(proxy);
    const Outcome outcome = outcome_of(*t, code);
    if (outcome.total_learned) plan_.set_total(*outcome.total_learned);
    plan_.release(t->segment());
    if (t->progressed()) last_url_ = t->url();
    if (pool_) react_on_mirror(*t, outcome);
    else react(*t, outcome);
  }

  Outcome outcome_of(const Transfer& t, CURLcode code) {
    if (t.state() == Transfer::State::Cut) return Outcome{Step::Complete};
    if (t.refusal()) return *t.refusal();
    std::optional<TransportFailure> failure;
    if (code != CURLE_OK) failure = TransportFailure{transient_curl_error(code), t.http().error_text(code)};
    SegmentAtEnd segment;
    if (const Segment* found = plan_.find(t.segment())) {
      segment.exists = true;
      segment.pos = found->pos;
      if (found->end != SegmentPlan::kUnknownEnd) segment.end = found->end;
    }
    return check_transfer_end(failure, t.http().status(), t.http().head(), segment, t.asked(), unix_now());
  }

  void react(const Transfer& t, const Outcome& outcome) {
    Slot& slot = slots_[t.slot()];
    if (outcome.step != Step::Complete && t.url() == current_url()) current_failure_ = outcome.reason;
    Failure failure{outcome, t.host(), t.progressed(), t.url() == current_url(), resume_point(t)};
    RetryHistory history{slot.failures,
                         restarts_,
                         request_.retries,
                         request_.max_backoff_seconds,
                         others_working(t.slot()),
                         limit_,
                         active(),
                         url_index_ + 1 < urls_.size()};
    const RetryDecision decision = decide_retry(failure, history);
    if (!decision.note.empty()) note(decision.note);
    slot.failures = decision.slot_failures;
    limit_ = decision.limit;
    restarts_ = decision.restarts;
    const auto wake = Clock::now() + std::chrono::seconds(decision.wait_seconds);
    switch (decision.action) {
      case Action::Nothing:
      case Action::FewerConnections:
      case Action::ResumeNow: return;
      case Action::NextMirror: return next_mirror();
      case Action::StartOver:
        cancel_transfers();
        start_over();
        single_only_ = true;
        if (decision.then_next_mirror) next_mirror();
        return;
      case Action::RetireSlot: slot.retired = true; return;
      case Action::WaitThisSlot: slot.not_before = wake; return;
      case Action::WaitAll: not_before_ = wake; return;
    }
  }

  uint64_t resume_point(const Transfer& t) {
    const Segment* segment = plan_.find(t.segment());
    return segment ? segment->pos : plan_.contiguous_prefix();
  }

  const std::string& current_url() const {
    static const std::string none;
    return url_index_ < urls_.size() ? urls_[url_index_] : none;
  }

  void next_mirror() {
    if (url_index_ < urls_.size())
      tried_.push_back({url_host(current_url()), current_failure_.empty() ? "failed" : current_failure_});
    current_failure_.clear();
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
    if (pool_) tried_ = pool_->failures();
    keep_state_if_possible();
    const uint64_t done = plan_.done_bytes();
    if (done == 0) part_.remove();  // nothing worth keeping
    throw Error(ExitCode::Network, all_mirrors_failed(request_.filename, tried_) +
                                       (done ? "; " + part_.path().filename().string() + " is kept for resuming" : ""));
  }

  // Every mirror is reached through the same proxy: trying them, or again, cannot help until it is fixed.
  [[noreturn]] void proxy_failed(const std::string& why) {
    cancel_transfers();
    keep_state_if_possible();
    const uint64_t done = plan_.done_bytes();
    if (done == 0) part_.remove();
    throw Error(ExitCode::Network, "cannot download " + request_.filename + ": " + why +
                                       (done ? "; " + part_.path().filename().string() + " is kept for resuming" : ""));
  }

  [[noreturn]] void write_failed(int error) {
    cancel_transfers();
    keep_state_if_possible();
    throw Error(ExitCode::LocalFile, "cannot write " + part_.path().string() + ": " + std::strerror(error) +
                                         "; the partial download is kept and resumes once this is fixed");
  }

  [[noreturn]] void interrupted() {
    cancel_transfers();
    keep_state_if_possible();
    throw Error(ExitCode::Interrupted,
                "interrupted; " + part_.path().filename().string() + " is kept, and the same command resumes it");
  }

  void after_io() {
    if (pool_) cut_slow_mirrors_short();
    const auto now = Clock::now();
    if (now - last_save_ >= kStateSaveInterval && plan_.done_bytes() != saved_done_) {
      last_save_ = now;
      keep_state_if_possible();
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
    if (pool_)
      for (size_t i = 0; i < pool_->size(); ++i) progress.mirrors.emplace_back((*pool_)[i].name, (*pool_)[i].active);
    events_.progress(progress);
  }

  // Before the first bytes under a new validator are written: a state that cannot be saved is a write failure.
  void save_state_before_writing() {
    try {
      keep_state(true);
    } catch (const std::system_error& e) {
      write_failed(e.code().value());
    }
  }

  // Saves the state beside NAME.part; with `even_empty`, before any byte is
  // written, so a run killed at once still leaves a state that fits the part.
  void keep_state(bool even_empty = false) {
    if ((plan_.done_bytes() == 0 && !even_empty) || state_.validator.empty()) return;
    PartState state = state_;
    state.total = plan_.total();
    if (pool_)
      for (size_t i = 0; i < pool_->size(); ++i)
        if (const Mirror& m = (*pool_)[i]; m.state != MirrorState::Dead && !m.validator.empty())
          state.mirrors.push_back({m.url, m.validator, m.other_etag});
    state.ranges = plan_.ranges();
    if (!state.total) state.ranges = {{0, plan_.done_bytes(), plan_.done_bytes()}};
    part_.save_state(state);
    saved_done_ = plan_.done_bytes();
  }

  // On the way out, or between writes: a state that cannot be saved (a full
  // disk) must not hide the error being reported; the next run then starts
  // NAME.part over, which is safe.
  void keep_state_if_possible() {
    try {
      keep_state();
    } catch (const std::exception&) {
    }
  }

  // ---- the end ------------------------------------------------------------

  // The result, or nothing when the file did not match its MD5 and the next
  // mirror gets to send it again from byte 0.
  std::optional<DownloadResult> finish() {
    const uint64_t total = *plan_.total();
    std::string md5;
    try {
      md5 = hasher_->finish(total, interrupted_);
    } catch (const Error& e) {
      if (e.code() == ExitCode::Interrupted) interrupted();
      throw;
    }
    // The MD5 covers the first `total` bytes: nothing after them may reach NAME.
    part_.cut_to(total);
    part_.sync();
    const VerifyStatus status = judge(md5, request_.expected);
    if (status == VerifyStatus::Mismatch && pool_) {
      note("the MD5 of what the mirrors sent together is " + md5 + ", not " + request_.expected.shown() +
           "; fetching it again one mirror at a time");
      one_mirror_at_a_time();
      return std::nullopt;
    }
    if (status == VerifyStatus::Mismatch && url_index_ + 1 < urls_.size()) {
      note("the MD5 of what " + sources_text() + " sent is " + md5 + ", not " + request_.expected.shown() +
           "; trying the next mirror from byte 0");
      current_failure_ = "sent data whose MD5 is " + md5 + ", not " + request_.expected.shown();
      start_over();
      next_mirror();
      last_url_.clear();
      return std::nullopt;
    }
    if (status == VerifyStatus::Mismatch) {
      const fs::path corrupt = corrupt_path();
      part_.rename_to(corrupt);
      part_.remove_state();
      throw Error(ExitCode::ChecksumMismatch,
                  request_.filename + ": MD5 mismatch: expected " + request_.expected.shown() + " (" +
                      std::string(source_name(request_.expected.source)) + "), got " + md5 + " for the bytes from " +
                      sources_text() + "; the data was moved to " + corrupt.filename().string());
    }
    if (passes(status, false)) name_culprits();
    part_.rename_to(target_);
    part_.remove_state();
    const auto outcome = passes(status, false) ? DownloadOutcome::Downloaded : DownloadOutcome::Unverified;
    DownloadResult result{outcome, target_, md5, total, received_, last_url_, {}};
    if (pool_) result.mirrors = pool_->rates();
    return result;
  }
};

// Takes what the segment still needs into the transfer's buffer, written
// when full and after every turn of the loop. libcurl hands the body over
// 16 KiB at a time; one pwrite for all a turn received saves most of the
// system calls.
size_t Downloader::take(Transfer& t, const char* data, size_t bytes) {
  const Segment* segment = plan_.find(t.segment());
  if (!segment || segment->done() || segment->owner != static_cast<int>(t.slot())) {
    t.cut();  // the segment was finished or taken over: this request is no longer needed
    return 0;
  }
  std::vector<char>& buffer = t.buffer();
  // A body of unknown length: nothing past the catalog's size is written.
  if (!plan_.total())
    if (auto problem = body_too_long(segment->pos + buffer.size() + bytes, size_limit_)) {
      t.refuse(Outcome{Step::Abandon, *problem});
      return 0;
    }
  const uint64_t room = segment->remaining() - std::min<uint64_t>(segment->remaining(), buffer.size());
  const size_t taken = static_cast<size_t>(std::min<uint64_t>(bytes, room));
  buffer.insert(buffer.end(), data, data + taken);
  if (buffer.size() >= kTransferBufferBytes || taken < bytes) flush(t);
  if (t.state() != Transfer::State::Writing) return 0;
  if (taken < bytes) {
    t.cut();  // the segment's end: the rest of this response is not ours
    return 0;
  }
  return bytes;
}

}  // namespace

std::string offline_refusal(const std::string& filename, const fs::path& directory) {
  return "cannot download " + filename + " while offline (--offline): no verified copy is in " + directory.string() +
         ", and fetching one needs the network";
}

DownloadResult download(const DownloadRequest& request, const DownloadEvents& events,
                        const std::atomic<bool>& interrupted) {
  http_global_init();
  return Downloader(request, events, interrupted).run();
}

}  // namespace xfu
