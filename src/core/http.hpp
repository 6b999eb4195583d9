// HTTP(S) GET through libcurl, with the rules every xfu transfer follows:
// http and https only (also across at most 10 redirects), certificates
// verified, proxies from the usual environment variables, and no hanging on
// a silent server.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http_headers.hpp"

namespace xfu {

struct HttpOptions {
  long connect_timeout_seconds = 10;
  long stall_seconds = 30;  // abort when fewer than min_bytes_per_second arrive for this long
  long min_bytes_per_second = 1;
  long total_seconds = 0;       // abort a transfer still running after this long; 0: no limit
  std::string ca_file;          // empty: $CURL_CA_BUNDLE, $SSL_CERT_FILE, else the system's store
  uint64_t max_body_bytes = 0;  // 0: no limit
};

struct HttpResponse {
  long status = 0;
  std::string etag;
  std::string last_modified;
  std::string content_type;
  std::string effective_url;
  uint64_t body_bytes = 0;  // bytes written to the body descriptor
};

// GETs `url` with the extra request `headers` ("If-None-Match: ..."). The body
// of a 2xx response is written to `body_fd`; any other body is discarded, so
// an error page never lands in a file. Returns whatever status the server
// gave. Throws Error(Network) when no HTTP answer could be had and
// Error(LocalFile) when the body could not be written.
HttpResponse http_get(const std::string& url, const std::vector<std::string>& headers, int body_fd,
                      const HttpOptions& options);

// One libcurl easy handle under the rules above, with its request headers,
// its error text and the head of the response it receives (parsed by
// ResponseHead). Catalog fetches and downloads both go through it; the body
// goes wherever on_body says.
class HttpHandle {
 public:
  // Receives body bytes; returns how many it took (fewer stops the transfer)
  // or CURL_WRITEFUNC_PAUSE.
  using BodySink = size_t (*)(char* data, size_t bytes, void* user);

  // Throws Error(Network) when libcurl cannot start.
  HttpHandle(const std::string& url, const std::vector<std::string>& headers, const HttpOptions& options);
  HttpHandle(const HttpHandle&) = delete;
  HttpHandle& operator=(const HttpHandle&) = delete;
  ~HttpHandle();

  void on_body(BodySink sink, void* user);
  // For what only the caller knows: a multi handle, rate limits, private data.
  CURL* curl() const { return curl_; }
  const std::string& url() const { return url_; }

  const ResponseHead& head() const { return head_; }
  long status() const;                             // of the last response
  std::optional<uint64_t> content_length() const;  // as the last response announced it
  std::string effective_url() const;
  // What went wrong: with a failing proxy, which one and why; else libcurl's words (its error buffer, else
  // the code's text).
  std::string error_text(CURLcode code) const;
  // proxy_failure_text for this transfer: empty unless the proxy is what failed.
  std::string proxy_failure(CURLcode code) const;

 private:
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string url_, ca_file_;
  ResponseHead head_;
  BodySink sink_ = nullptr;
  void* sink_user_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = "";
  static size_t take_header(char* data, size_t size, size_t count, void* user);
  static size_t take_body(char* data, size_t size, size_t count, void* user);
};

// The proxy libcurl takes from the environment for `url`, as it does: <scheme>_proxy (for https also
// HTTPS_PROXY; for http only the lower-case http_proxy, which CGI cannot set), else all_proxy or ALL_PROXY;
// none when no_proxy (or NO_PROXY) lists the host ("*", a name, or a domain suffix). `address` is host[:port]
// without scheme or credentials, fit to print.
struct ProxySetting {
  std::string address;   // "127.0.0.1:3128"
  std::string variable;  // "https_proxy"
};
// `lookup` reads a variable (nullptr when unset); without one, the process environment is read.
using EnvironmentLookup = std::function<const char*(const char* name)>;
std::optional<ProxySetting> proxy_for_url(const std::string& url, const EnvironmentLookup& lookup = {});

// What a failed transfer says when the proxy is what failed: libcurl could not resolve or reach it, or it
// refused to open a tunnel (`connect_code`, CURLINFO_HTTP_CONNECTCODE, 300 or more). `reason` is why, in the
// system's words when it gave some ("Connection refused"). Empty when the proxy is not to blame.
std::string proxy_failure_text(CURLcode code, long connect_code, const std::optional<ProxySetting>& proxy,
                               const std::string& reason);

// libcurl's global initialisation, once per process.
void http_global_init();

// "404 Not Found" for 404; the reason phrase of common codes.
std::string describe_http_status(long status);

// The libcurl version string, "7.88.1".
std::string curl_version_string();

}  // namespace xfu
