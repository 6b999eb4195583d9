// Downloading one ROM file robustly: fetched into NAME.part beside the target
// over one or several connections (segments at their offsets), hashed as the
// contiguous prefix grows, resumed with Range/If-Range after a drop or a
// restart, retried on transient failures, failed over to the next mirror,
// and renamed to NAME only once its MD5 matched. It never prints: what the
// user should hear comes through DownloadEvents, failures as xfu::Error.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"
#include "download/connections.hpp"
#include "download/mirror_pool.hpp"
#include "download/prefix_hasher.hpp"
#include "verify/verify.hpp"

namespace xfu {

struct DownloadRequest {
  std::vector<std::string> urls;  // in the order to try them
  std::filesystem::path directory;
  std::string filename;  // checked with package_name_problem()
  Expectation expected;
  int retries = 5;          // per URL, consecutive failures without progress
  HttpOptions http;         // connect timeout, stall timeout, CA file
  uint64_t limit_rate = 0;  // bytes per second; 0: no limit
  int connections = 0;      // 0: automatic; else 1..kMaxConnections
  bool force = false;       // download even when NAME is there and verifies
  bool offline = false;     // --offline: only a NAME already there and verified will do
  int max_backoff_seconds = 30;
  // Given the file's bytes in order from byte 0 as they are hashed (on another thread); offset 0 again means the
  // file started over. Reading a package's facts this way needs no second pass over the file.
  InOrderBytes in_order_bytes;
};

struct DownloadProgress {
  uint64_t done = 0;              // bytes of the file in NAME.part
  std::optional<uint64_t> total;  // the file's size, when known
  uint64_t received = 0;          // bytes that arrived in this run
  std::string host;               // the host sending them
  int connections = 0;            // transfers running now
  // Spread over several mirrors: each mirror's host and its transfers running now.
  std::vector<std::pair<std::string, int>> mirrors;
};

struct DownloadEvents {
  std::function<void(const std::string& message)> note;
  std::function<void(const DownloadProgress&)> progress;
};

enum class DownloadOutcome {
  Downloaded,    // fetched and verified
  AlreadyThere,  // NAME was there and verified
  Unverified,    // fetched, but no checksum was known
};

struct DownloadResult {
  DownloadOutcome outcome = DownloadOutcome::Downloaded;
  std::filesystem::path path;
  std::string md5;
  uint64_t size = 0;
  uint64_t received = 0;            // bytes this run fetched (the rest was in NAME.part)
  std::string url;                  // the URL the last bytes came from
  std::vector<MirrorRate> mirrors;  // spread over several mirrors: what each delivered, and how fast
};

// Why an --offline download refuses: `directory` holds no verified `filename`.
std::string offline_refusal(const std::string& filename, const std::filesystem::path& directory);

// Throws Error: ChecksumMismatch (the data is moved to NAME.corrupt),
// Network (every URL failed, NAME.part is kept; or offline and NAME is not
// there verified, without a request), LocalFile, Interrupted
// (when `interrupted` becomes true; NAME.part is kept for resuming).
DownloadResult download(const DownloadRequest& request, const DownloadEvents& events,
                        const std::atomic<bool>& interrupted);

}  // namespace xfu
