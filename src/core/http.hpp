// HTTP(S) GET through libcurl, with the rules every xfu transfer follows:
// http and https only (also across at most 10 redirects), certificates
// verified, proxies from the usual environment variables, and no hanging on
// a silent server.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xfu {

struct HttpOptions {
  long connect_timeout_seconds = 10;
  long stall_seconds = 30;      // abort when no byte arrives for this long
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

// Applies the rules above to a libcurl easy handle: protocols, redirects,
// timeouts, CA file, user agent. `ca_file` must outlive the handle's use.
void apply_transfer_rules(void* curl_handle, const HttpOptions& options, const std::string& ca_file);
// The CA file to use: options.ca_file, else $CURL_CA_BUNDLE, else $SSL_CERT_FILE.
std::string ca_file_for(const HttpOptions& options);
// libcurl's global initialisation, once per process.
void http_global_init();

// "404 Not Found" for 404; the reason phrase of common codes.
std::string describe_http_status(long status);

// The libcurl version string, "7.88.1".
std::string curl_version_string();

}  // namespace xfu
