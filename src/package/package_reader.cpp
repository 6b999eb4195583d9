#include "package/package_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/exit_code.hpp"
#include "package/gzip_stream.hpp"
#include "package/package_scanner.hpp"

namespace xfu {

namespace {

constexpr size_t kBlockBytes = 1 << 20;        // one read from the file, one inflated block
constexpr size_t kStreamQueueBytes = 8 << 20;  // what feed() may be ahead of the reading thread
constexpr size_t kMaxReasonBytes = 200;

// libarchive's reason for a message: it may quote entry names, so only
// printable ASCII stays, and it is cut short.
std::string plain_reason(const char* text) {
  std::string out;
  for (const char* c = text ? text : "unknown error"; *c && out.size() < kMaxReasonBytes; ++c) {
    out += (*c >= ' ' && *c < 0x7f) ? *c : '?';
  }
  return out.empty() ? "unknown error" : out;
}

// The package's raw bytes, in order.
class RawInput {
 public:
  virtual ~RawInput() = default;
  // Up to `capacity` bytes into `buffer`; 0 at the end. Throws Error.
  virtual size_t read(char* buffer, size_t capacity) = 0;
};

// A file on disk, which libarchive may also skip over and seek in (a zip's
// central directory is at its end).
class FileInput : public RawInput {
 public:
  FileInput(const std::filesystem::path& file, const std::atomic<bool>& interrupted) : interrupted_(interrupted) {
    fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(ExitCode::LocalFile, std::string("cannot open: ") + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd_);
      throw Error(ExitCode::LocalFile, "not a regular file");
    }
    size_ = info.st_size;
  }
  ~FileInput() override { ::close(fd_); }
  FileInput(const FileInput&) = delete;
  FileInput& operator=(const FileInput&) = delete;

  size_t read(char* buffer, size_t capacity) override {
    if (interrupted_) throw Error(ExitCode::Interrupted, "interrupted");
    for (;;) {
      const ssize_t got = ::read(fd_, buffer, capacity);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) throw Error(ExitCode::LocalFile, std::string("cannot read: ") + std::strerror(errno));
    }
  }
  int64_t seek(int64_t offset, int whence) { return ::lseek(fd_, offset, whence); }
  // Skips at most to the end of the file, so that libarchive reads the rest
  // and notices a truncated entry (a seek past the end would succeed).
  int64_t skip(int64_t request) {
    const int64_t at = seek(0, SEEK_CUR);
    if (at < 0 || request < 0) return 0;
    const int64_t skipped = std::min(request, std::max<int64_t>(size_ - at, 0));
    return seek(skipped, SEEK_CUR) < 0 ? 0 : skipped;
  }

 private:
  int fd_ = -1;
  int64_t size_ = 0;
  const std::atomic<bool>& interrupted_;
};

// What libarchive reads: the raw bytes, inflated here first when they are
// gzip, so that the whole gzip stream is checked to its very end. Errors
// thrown while reading are kept and rethrown once libarchive gave up.
class ArchiveInput {
 public:
  explicit ArchiveInput(RawInput& raw) : raw_(raw), raw_buffer_(kBlockBytes) {}

  bool gzip() {
    sniff();
    return gzip_ != nullptr;
  }
  // Whether the file starts like a zip (a local file header).
  bool zip_start() const { return zip_start_; }

  static la_ssize_t read_callback(archive* reading, void* self, const void** buffer) {
    auto& input = *static_cast<ArchiveInput*>(self);
    try {
      const std::string_view block = input.next_block();
      *buffer = block.data();
      return static_cast<la_ssize_t>(block.size());
    } catch (...) {
      input.error_ = std::current_exception();
      archive_set_error(reading, EIO, "the input failed");
      return -1;
    }
  }

  // The archive has ended: reads the rest, so that damage in the gzip data
  // after it (a bad CRC in the last trailer) is found too.
  void drain() {
    if (!gzip_) return;
    while (!next_block().empty()) {
    }
  }

  void rethrow_error() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void sniff() {
    if (sniffed_) return;
    sniffed_ = true;
    size_t have = 0;
    while (have < 2) {
      const size_t got = raw_.read(raw_buffer_.data() + have, raw_buffer_.size() - have);
      if (got == 0) {
        at_end_ = true;
        break;
      }
      have += got;
    }
    pending_ = std::string_view(raw_buffer_.data(), have);
    zip_start_ = pending_.starts_with("PK\x03\x04");
    if (looks_like_gzip(pending_)) {
      gzip_ = std::make_unique<GzipInflater>();
      inflated_.resize(kBlockBytes);
    }
  }

  void refill() {
    const size_t got = raw_.read(raw_buffer_.data(), raw_buffer_.size());
    at_end_ = got == 0;
    pending_ = std::string_view(raw_buffer_.data(), got);
  }

  std::string_view next_block() {
    sniff();
    if (!gzip_) {
      if (pending_.empty()) refill();  // even after an end: libarchive may have sought back
      const std::string_view block = pending_;
      pending_ = {};
      return block;
    }
    for (;;) {
      if (pending_.empty() && !at_end_) refill();
      if (pending_.empty() && at_end_) {
        gzip_->finish();
        return {};
      }
      const size_t written = gzip_->inflate(pending_, inflated_);
      if (written > 0) return std::string_view(inflated_.data(), written);
    }
  }

  RawInput& raw_;
  std::vector<char> raw_buffer_;
  std::vector<char> inflated_;
  std::string_view pending_;
  bool sniffed_ = false;
  bool zip_start_ = false;
  bool at_end_ = false;
  std::unique_ptr<GzipInflater> gzip_;
  std::exception_ptr error_;
};

// Not one entry could be read: the file is no archive, or a zip without
// its end (a zip on disk is read through its central directory, at its end).
[[noreturn]] void throw_unreadable(archive* reading, const ArchiveInput& input, bool seekable_zip) {
  input.rethrow_error();
  if (input.zip_start() && seekable_zip) {
    throw Error(ExitCode::LocalFile, "damaged or truncated zip: its central directory was not found");
  }
  throw Error(ExitCode::LocalFile, "not a readable archive: " + plain_reason(archive_error_string(reading)));
}

using ArchiveHandle = std::unique_ptr<archive, decltype(&archive_read_free)>;

ArchiveHandle new_reader(bool seekable_zip) {
  ArchiveHandle reading(archive_read_new(), &archive_read_free);
  if (!reading) throw Error(ExitCode::LocalFile, "cannot start libarchive");
  archive_read_support_filter_all(reading.get());
  archive_read_support_format_tar(reading.get());
  if (seekable_zip) archive_read_support_format_zip_seekable(reading.get());
  else archive_read_support_format_zip_streamable(reading.get());
  return reading;
}

// Reads every entry header, and the content of those the scanner wants.
class Scan {
 public:
  Scan(archive* reading, ArchiveInput& input, bool seekable_zip, const std::atomic<bool>& interrupted)
      : reading_(reading), input_(input), seekable_zip_(seekable_zip), interrupted_(interrupted) {}

  PackageFacts run() {
    for (;;) {
      if (interrupted_) throw Error(ExitCode::Interrupted, "interrupted");
      archive_entry* entry = nullptr;
      const int result = archive_read_next_header(reading_, &entry);
      if (result == ARCHIVE_EOF) break;
      if (result < ARCHIVE_WARN) fail();
      ++entries_;
      const char* path = archive_entry_pathname(entry);
      // A hard link is a regular-file entry in tar; neither kind is ever followed.
      const char* link_target = archive_entry_hardlink(entry);
      if (!link_target && archive_entry_filetype(entry) == AE_IFLNK) link_target = archive_entry_symlink(entry);
      if (link_target) {
        scanner_.link(path ? path : "", link_target);
        continue;
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      const std::optional<uint64_t> size = archive_entry_size_is_set(entry)
                                               ? std::optional<uint64_t>(archive_entry_size(entry))
                                               : std::nullopt;
      if (scanner_.wants(path ? path : "", size)) read_content();
      else if (archive_read_data_skip(reading_) < ARCHIVE_WARN) fail();
    }
    input_.drain();
    if (entries_ == 0) throw Error(ExitCode::LocalFile, "not a readable archive: it holds no entry");
    const char* format = archive_format_name(reading_);
    return scanner_.facts(format ? format : "");
  }

 private:
  void read_content() {
    content_.clear();
    char block[64 << 10];
    for (;;) {
      const la_ssize_t got = archive_read_data(reading_, block, sizeof block);
      if (got < 0) fail();
      if (got == 0) break;
      if (content_.size() + static_cast<size_t>(got) > kMaxFactFileBytes) {
        scanner_.too_large();
        if (archive_read_data_skip(reading_) < ARCHIVE_WARN) fail();
        return;
      }
      content_.append(block, static_cast<size_t>(got));
    }
    scanner_.give(content_);
  }

  [[noreturn]] void fail() const {
    input_.rethrow_error();
    if (entries_ == 0) throw_unreadable(reading_, input_, seekable_zip_);
    throw Error(ExitCode::LocalFile, "damaged or truncated archive: " + plain_reason(archive_error_string(reading_)));
  }

  archive* reading_;
  ArchiveInput& input_;
  bool seekable_zip_;
  const std::atomic<bool>& interrupted_;
  PackageScanner scanner_;
  std::string content_;
  uint64_t entries_ = 0;
};

// For a file that is not gzip: libarchive reads it through `input` and may
// also skip ahead and seek (a zip's central directory is at its end).
struct DirectFile {
  FileInput& file;
  ArchiveInput& input;
};

la_ssize_t direct_read(archive* reading, void* data, const void** buffer) {
  return ArchiveInput::read_callback(reading, &static_cast<DirectFile*>(data)->input, buffer);
}

la_int64_t direct_skip(archive*, void* data, la_int64_t request) {
  return static_cast<DirectFile*>(data)->file.skip(request);
}

la_int64_t direct_seek(archive*, void* data, la_int64_t offset, int whence) {
  const int64_t at = static_cast<DirectFile*>(data)->file.seek(offset, whence);
  return at < 0 ? ARCHIVE_FATAL : at;
}

void open_or_fail(archive* reading, ArchiveInput& input, bool seekable_zip, int result) {
  if (result != ARCHIVE_OK && result != ARCHIVE_WARN) throw_unreadable(reading, input, seekable_zip);
}

}  // namespace

PackageFacts inspect_package(const std::filesystem::path& file, const std::atomic<bool>& interrupted) {
  FileInput raw(file, interrupted);
  ArchiveInput input(raw);
  const bool gzip = input.gzip();
  ArchiveHandle reading = new_reader(/*seekable_zip=*/!gzip);
  if (gzip) {
    open_or_fail(reading.get(), input, false,
                 archive_read_open(reading.get(), &input, nullptr, &ArchiveInput::read_callback, nullptr));
    return Scan(reading.get(), input, false, interrupted).run();
  }
  // Each block `input` hands over ends where the file's offset is, so
  // libarchive's skips and seeks stay in step with it.
  DirectFile direct{raw, input};
  archive_read_set_read_callback(reading.get(), &direct_read);
  archive_read_set_skip_callback(reading.get(), &direct_skip);
  archive_read_set_seek_callback(reading.get(), &direct_seek);
  archive_read_set_callback_data(reading.get(), &direct);
  open_or_fail(reading.get(), input, true, archive_read_open1(reading.get()));
  return Scan(reading.get(), input, true, interrupted).run();
}

namespace {

PackageFacts read_stream(RawInput& raw, const std::atomic<bool>& stop) {
  ArchiveInput input(raw);
  input.gzip();
  ArchiveHandle reading = new_reader(/*seekable_zip=*/false);
  open_or_fail(reading.get(), input, false,
               archive_read_open(reading.get(), &input, nullptr, &ArchiveInput::read_callback, nullptr));
  return Scan(reading.get(), input, false, stop).run();
}

// One reading of a stream from its first byte: a thread runs libarchive,
// which takes the bytes push() queued. Destroying it stops the thread
// wherever it is.
class StreamRun : public RawInput {
 public:
  StreamRun() : thread_([this] { work(); }) {}
  ~StreamRun() override {
    cancel();
    thread_.join();
  }
  StreamRun(const StreamRun&) = delete;
  StreamRun& operator=(const StreamRun&) = delete;

  // Queues a copy of `bytes`, waiting while the queue is full; drops them
  // once the reading has ended.
  void push(std::span<const char> bytes) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return done_ || queued_ == 0 || queued_ + bytes.size() <= kStreamQueueBytes; });
    if (done_ || bytes.empty()) return;
    queue_.emplace_back(bytes.data(), bytes.size());
    queued_ += bytes.size();
    changed_.notify_all();
  }

  // No more bytes will come: the reading sees the end of the stream.
  void end() {
    std::lock_guard lock(mutex_);
    ended_ = true;
    changed_.notify_all();
  }

  // Waits for the reading to end: its facts, or nothing and why in `problem`.
  std::optional<PackageFacts> wait(std::string& problem) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return done_; });
    problem = problem_;
    return facts_;
  }

  size_t read(char* buffer, size_t capacity) override {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cancelled_ || !queue_.empty() || ended_; });
    if (cancelled_) throw Error(ExitCode::Interrupted, "the reading was stopped");
    if (queue_.empty()) return 0;
    std::string& front = queue_.front();
    const size_t taken = std::min(capacity, front.size() - front_offset_);
    std::memcpy(buffer, front.data() + front_offset_, taken);
    front_offset_ += taken;
    if (front_offset_ == front.size()) {
      queue_.pop_front();
      front_offset_ = 0;
    }
    queued_ -= taken;
    changed_.notify_all();
    return taken;
  }

 private:
  void cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    stop_ = true;
    changed_.notify_all();
  }

  void work() {
    std::optional<PackageFacts> facts;
    std::string problem;
    try {
      facts = read_stream(*this, stop_);
    } catch (const std::exception& error) {
      problem = error.what();
    }
    std::lock_guard lock(mutex_);
    facts_ = std::move(facts);
    problem_ = std::move(problem);
    done_ = true;
    queue_.clear();
    queued_ = 0;
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  size_t front_offset_ = 0;
  size_t queued_ = 0;
  bool ended_ = false;
  bool cancelled_ = false;
  bool done_ = false;
  std::atomic<bool> stop_{false};
  std::optional<PackageFacts> facts_;
  std::string problem_;
  std::thread thread_;  // last: it starts once every other member is ready
};

}  // namespace

struct StreamInspector::State {
  std::unique_ptr<StreamRun> run;
  uint64_t next_offset = 0;
  bool gap = false;
  std::string problem;
};

StreamInspector::StreamInspector() : state_(std::make_unique<State>()) {}

StreamInspector::~StreamInspector() = default;

void StreamInspector::feed(uint64_t offset, std::span<const char> bytes) {
  State& state = *state_;
  if (offset == 0 && (!state.run || state.next_offset > 0 || state.gap)) {
    state.run.reset();
    state.run = std::make_unique<StreamRun>();
    state.next_offset = 0;
    state.gap = false;
    state.problem.clear();
  }
  if (state.gap) return;
  if (offset != state.next_offset) {
    state.gap = true;
    state.problem = "the bytes were not all seen in order (expected offset " + std::to_string(state.next_offset) +
                    ", got " + std::to_string(offset) + ")";
    state.run.reset();
    return;
  }
  state.run->push(bytes);
  state.next_offset += bytes.size();
}

std::optional<PackageFacts> StreamInspector::finish(uint64_t size) {
  State& state = *state_;
  if (state.gap) return std::nullopt;
  if (!state.run) state.run = std::make_unique<StreamRun>();
  if (state.next_offset != size) {
    state.problem = "only " + std::to_string(state.next_offset) + " of " + std::to_string(size) + " bytes were seen";
    state.run.reset();
    return std::nullopt;
  }
  state.run->end();
  return state.run->wait(state.problem);
}

std::string StreamInspector::problem() const { return state_->problem; }

}  // namespace xfu
