#include "core/download.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/exit_code.hpp"
#include "core/file_hash.hpp"
#include "core/filename.hpp"
#include "core/http_headers.hpp"
#include "core/mirrors.hpp"
#include "util/atomic_file.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace xfu {

namespace {

namespace fs = std::filesystem;

// What one HTTP attempt came to.
enum class Step {
  Complete,    // every byte is in NAME.part
  Restart,     // the server's answer does not fit what we have: start from zero
  Retry,       // a transient failure: try this URL again, after a pause
  NextMirror,  // this URL will not work: try the next one
  Interrupted,
};

struct AttemptResult {
  Step step = Step::Complete;
  std::string reason;
  std::optional<int64_t> retry_after;
  bool progressed = false;
};

// The small file beside NAME.part that makes resuming safe: which URL the
// bytes came from and the validator (ETag or Last-Modified) that proves the
// remote file is still the same one.
struct PartState {
  std::string url;
  std::string validator;
  std::optional<uint64_t> total;
};

std::optional<PartState> load_state(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return std::nullopt;
  try {
    const auto document = nlohmann::json::parse(read_file(path));
    if (document.at("version").get<int>() != 1) return std::nullopt;
    PartState state;
    state.url = document.at("url").get<std::string>();
    state.validator = document.at("validator").get<std::string>();
    if (!document.at("total").is_null()) state.total = document.at("total").get<uint64_t>();
    return state;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void save_state(const fs::path& path, const PartState& state) {
  const nlohmann::json document{{"version", 1},
                                {"url", state.url},
                                {"validator", state.validator},
                                {"total", state.total ? nlohmann::json(*state.total) : nlohmann::json()}};
  write_file_atomically(path, document.dump() + "\n");
}

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

// Sleeps `seconds`, waking early when interrupted.
bool pause_for(int64_t seconds, const std::atomic<bool>& interrupted) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (interrupted) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return !interrupted;
}

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
    return fetch_from_mirrors();
  }

 private:
  const DownloadRequest& request_;
  const DownloadEvents& events_;
  const std::atomic<bool>& interrupted_;
  fs::path target_, part_, state_path_;
  int fd_ = -1;
  uint64_t offset_ = 0;  // bytes in NAME.part, all of them hashed
  StreamHasher hasher_;
  PartState state_;
  std::string current_url_;

  void note(const std::string& message) const {
    if (events_.note) events_.note(message);
  }

  [[noreturn]] void local_error(const std::string& what, int error) const {
    throw Error(ExitCode::LocalFile, what + ": " + std::strerror(error));
  }

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
    if (::ftruncate(fd_, 0) != 0) local_error("cannot truncate " + part_.string(), errno);
    offset_ = 0;
    hasher_.finish();
    state_ = PartState{};
    std::error_code error;
    fs::remove(state_path_, error);
  }

  // Re-hashes what NAME.part already holds, so the final MD5 needs no second pass.
  void resume_or_start() {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) local_error("cannot read " + part_.string(), errno);
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    if (size == 0) return start_over();
    const auto saved = load_state(state_path_);
    if (!saved || saved->validator.empty()) {
      note(part_.filename().string() + " has no usable resume state; starting over");
      return start_over();
    }
    if (saved->total && size > *saved->total) {
      note(part_.filename().string() + " is larger than the remote file; starting over");
      return start_over();
    }
    std::vector<char> buffer(1 << 20);
    while (offset_ < size) {
      if (interrupted_) throw Error(ExitCode::Interrupted, "interrupted; " + part_.filename().string() + " is kept");
      const ssize_t got = ::pread(fd_, buffer.data(), std::min<uint64_t>(buffer.size(), size - offset_),
                                  static_cast<off_t>(offset_));
      if (got <= 0) local_error("cannot read " + part_.string(), got < 0 ? errno : EIO);
      hasher_.update(buffer.data(), static_cast<size_t>(got));
      offset_ += static_cast<uint64_t>(got);
    }
    state_ = *saved;
    note("resuming " + request_.filename + " from byte " + std::to_string(offset_));
  }

  std::vector<std::string> ordered_urls() const {
    std::vector<std::string> urls = request_.urls;
    // Resume from the URL the bytes came from first: its validator is the one we hold.
    const auto same = std::find(urls.begin(), urls.end(), state_.url);
    if (same != urls.end()) std::rotate(urls.begin(), same, same + 1);
    return urls;
  }

  DownloadResult fetch_from_mirrors() {
    std::string last_error = "no URL to download from";
    int restarts = 0;
    for (const std::string& url : ordered_urls()) {
      current_url_ = url;
      int failures = 0;
      for (;;) {
        if (interrupted_) interrupted();
        const AttemptResult result = attempt(url);
        if (result.step == Step::Complete) return finish();
        if (result.step == Step::Interrupted) interrupted();
        last_error = url_host(url) + ": " + result.reason;
        if (result.step == Step::NextMirror) {
          note(last_error + "; trying the next mirror");
          break;
        }
        if (result.step == Step::Restart) {
          note(result.reason + "; starting over");
          start_over();
          if (++restarts > request_.retries) break;
          continue;
        }
        failures = result.progressed ? 1 : failures + 1;
        if (failures > request_.retries) {
          note(last_error + "; giving up on this mirror after " + std::to_string(request_.retries) + " retries");
          break;
        }
        if (result.progressed && !result.retry_after) {  // a dropped connection: go on from what arrived
          note(last_error + "; resuming from byte " + std::to_string(offset_));
          continue;
        }
        const int64_t backoff = std::min<int64_t>(int64_t{1} << std::min(failures - 1, 10), request_.max_backoff_seconds);
        const int64_t wait = result.retry_after ? std::min<int64_t>(*result.retry_after, 60) : backoff;
        note(last_error + "; retrying in " + std::to_string(wait) + " s");
        if (!pause_for(wait, interrupted_)) interrupted();
      }
    }
    keep_state();
    if (offset_ == 0) ::unlink(part_.c_str());  // nothing worth keeping
    throw Error(ExitCode::Network, "cannot download " + request_.filename + ": " + last_error +
                                       (offset_ ? "; " + part_.filename().string() + " is kept for resuming" : ""));
  }

  void keep_state() {
    if (offset_ == 0 || state_.validator.empty()) return;
    try {
      save_state(state_path_, state_);
    } catch (const std::exception&) {
    }
  }

  [[noreturn]] void interrupted() {
    keep_state();
    throw Error(ExitCode::Interrupted, "interrupted; " + part_.filename().string() +
                                           " is kept, and the same command resumes it");
  }

  DownloadResult finish() {
    if (::fdatasync(fd_) != 0) local_error("cannot flush " + part_.string(), errno);
    const std::string md5 = hasher_.finish();
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
    return DownloadResult{outcome, target_, md5, offset_, current_url_};
  }

  void sync_directory() const {
    const int dir = ::open(request_.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;
    ::fsync(dir);
    ::close(dir);
  }

  // One HTTP request for the bytes from offset_ on.
  // The headers of one response; a redirect starts a new one.
  struct Response {
    long status = 0;
    std::string content_type, content_range, etag, last_modified, retry_after;
  };

  struct Transfer {
    Downloader* self = nullptr;
    CURL* curl = nullptr;
    uint64_t asked_from = 0;
    std::string host;
    Response response;
    bool decided = false, writing = false;
    std::optional<AttemptResult> abort;
    int write_errno = 0;
    bool progressed = false;
    std::optional<uint64_t> total;
  };

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
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
    return line.size();
  }

  // Decides, at the first byte of the body, whether these bytes belong in NAME.part.
  void decide(Transfer& t, std::string_view first_bytes) {
    t.decided = true;
    const Response& response = t.response;
    if (response.status < 200 || response.status > 299) return;  // an error page: read it, keep nothing
    const bool html = istarts_with(response.content_type, "text/html") || looks_like_html(first_bytes.substr(0, 64));
    if (html) {
      t.abort = AttemptResult{Step::NextMirror, "the server sent an HTML page instead of the file", {}, false};
      return;
    }
    if (response.status == 206) {
      const auto range = parse_content_range(response.content_range);
      if (!range || !range->first || *range->first != t.asked_from) {
        t.abort = AttemptResult{Step::Restart, "the server sent bytes from " + (range && range->first ? std::to_string(*range->first) : std::string("an unknown offset")) +
                                                   " when asked for byte " + std::to_string(t.asked_from), {}, false};
        return;
      }
      t.total = range->total;
    } else {
      if (t.asked_from > 0) {
        note("the server sent the whole file instead of the rest (it ignored the range, or the file changed); starting over");
        start_over();
        t.asked_from = 0;
      }
      curl_off_t length = -1;
      curl_easy_getinfo(t.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
      if (length >= 0) t.total = static_cast<uint64_t>(length);
    }
    state_.url = current_url_;
    state_.validator = !response.etag.empty() ? response.etag : response.last_modified;
    state_.total = t.total;
    if (!state_.validator.empty()) {
      try {
        save_state(state_path_, state_);
      } catch (const std::system_error& e) {
        t.write_errno = e.code().value();
        return;
      }
    }
    t.writing = true;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    Downloader& self = *t->self;
    const size_t bytes = size * count;
    if (!t->decided) self.decide(*t, std::string_view(data, bytes));
    if (t->abort || t->write_errno) return 0;
    if (!t->writing) return bytes;
    size_t done = 0;
    while (done < bytes) {
      const ssize_t written = ::pwrite(self.fd_, data + done, bytes - done, static_cast<off_t>(self.offset_ + done));
      if (written < 0) {
        if (errno == EINTR) continue;
        t->write_errno = errno;
        return 0;
      }
      done += static_cast<size_t>(written);
    }
    self.hasher_.update(data, bytes);
    self.offset_ += bytes;
    t->progressed = true;
    if (self.events_.progress) self.events_.progress(self.offset_, t->total, t->host);
    return bytes;
  }

  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<Transfer*>(user)->self->interrupted_ ? 1 : 0;
  }

  AttemptResult attempt(const std::string& url) {
    http_global_init();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw Error(ExitCode::Network, "cannot start libcurl");
    Transfer t;
    t.self = this;
    t.curl = curl.get();
    t.asked_from = offset_;
    t.host = url_host(url);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
    const auto add_header = [&](const std::string& header) {
      headers.reset(curl_slist_append(headers.release(), header.c_str()));
    };
    if (offset_ > 0) {
      add_header("Range: bytes=" + std::to_string(offset_) + "-");
      if (!state_.validator.empty()) add_header("If-Range: " + state_.validator);
    }
    const std::string ca_file = ca_file_for(request_.http);
    char error_buffer[CURL_ERROR_SIZE] = "";
    CURL* handle = curl.get();
    apply_transfer_rules(handle, request_.http, ca_file);
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    // A larger receive buffer is faster, but libcurl 7.88 then overshoots a rate limit by far.
    if (!request_.limit_rate) curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 256L * 1024);
    if (request_.limit_rate) curl_easy_setopt(handle, CURLOPT_MAX_RECV_SPEED_LARGE, static_cast<curl_off_t>(request_.limit_rate));

    const CURLcode code = curl_easy_perform(handle);
    if (t.write_errno)
      throw Error(ExitCode::LocalFile, "cannot write " + part_.string() + ": " + std::strerror(t.write_errno) +
                                           "; the partial download is kept and resumes once this is fixed");
    if (t.abort) {
      t.abort->progressed = t.progressed;
      return *t.abort;
    }
    if (interrupted_) return AttemptResult{Step::Interrupted, "interrupted", {}, t.progressed};
    if (code != CURLE_OK) {
      const std::string detail = *error_buffer ? error_buffer : curl_easy_strerror(code);
      return AttemptResult{transient_curl_error(code) ? Step::Retry : Step::NextMirror, detail, {}, t.progressed};
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status <= 299) {
      if (t.total && offset_ != *t.total)
        return AttemptResult{Step::Retry, "the transfer ended at byte " + std::to_string(offset_) + " of " + std::to_string(*t.total), {}, t.progressed};
      return AttemptResult{Step::Complete, {}, {}, t.progressed};
    }
    if (status == 416) {
      const auto range = parse_content_range(t.response.content_range);
      if (range && range->total && offset_ == *range->total) return AttemptResult{Step::Complete, {}, {}, false};
      return AttemptResult{Step::Restart, "the server has no bytes after byte " + std::to_string(offset_), {}, false};
    }
    AttemptResult result{transient_status(status) ? Step::Retry : Step::NextMirror, describe_http_status(status), {}, t.progressed};
    if (!t.response.retry_after.empty()) result.retry_after = parse_retry_after(t.response.retry_after, unix_now());
    return result;
  }
};

}  // namespace

DownloadResult download(const DownloadRequest& request, const DownloadEvents& events,
                        const std::atomic<bool>& interrupted) {
  return Downloader(request, events, interrupted).run();
}

}  // namespace xfu
