#include "core/http.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "core/exit_code.hpp"
#include "core/version.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {


struct Transfer {
  CURL* curl = nullptr;
  int fd = -1;
  uint64_t max_body = 0;
  HttpResponse response;
  int write_errno = 0;
  bool too_large = false;
};

bool is_success(long status) { return status >= 200 && status < 300; }

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  if (!is_success(status)) return bytes;  // an error page: read it, keep nothing
  if (transfer->max_body && transfer->response.body_bytes + bytes > transfer->max_body) {
    transfer->too_large = true;
    return 0;
  }
  size_t done = 0;
  while (done < bytes) {
    const ssize_t written = ::write(transfer->fd, data + done, bytes - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      transfer->write_errno = errno;
      return 0;
    }
    done += static_cast<size_t>(written);
  }
  transfer->response.body_bytes += bytes;
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = &static_cast<Transfer*>(user)->response;
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (istarts_with(line, "HTTP/")) {  // a new response (after a redirect): forget the last one's headers
    response->etag.clear();
    response->last_modified.clear();
    response->content_type.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  const std::string_view name = trim(line.substr(0, colon));
  const std::string value(trim(line.substr(colon + 1)));
  if (iequals(name, "ETag")) response->etag = value;
  else if (iequals(name, "Last-Modified")) response->last_modified = value;
  else if (iequals(name, "Content-Type")) response->content_type = value;
  return bytes;
}

}  // namespace

void http_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string ca_file_for(const HttpOptions& options) {
  if (!options.ca_file.empty()) return options.ca_file;
  for (const char* variable : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"})
    if (const char* value = std::getenv(variable); value && *value) return value;
  return {};
}

void apply_transfer_rules(void* curl_handle, const HttpOptions& options, const std::string& ca_file) {
  static const std::string user_agent = std::string("xfu/") + kXfuVersion;
  CURL* handle = static_cast<CURL*>(curl_handle);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, options.stall_seconds);
  if (!ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, ca_file.c_str());
}

HttpResponse http_get(const std::string& url, const std::vector<std::string>& headers, int body_fd,
                      const HttpOptions& options) {
  http_global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error(ExitCode::Network, "cannot start libcurl");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(nullptr, curl_slist_free_all);
  for (const auto& header : headers) header_list.reset(curl_slist_append(header_list.release(), header.c_str()));

  Transfer transfer;
  transfer.curl = curl.get();
  transfer.fd = body_fd;
  transfer.max_body = options.max_body_bytes;
  char error_buffer[CURL_ERROR_SIZE] = "";
  const std::string ca_file = ca_file_for(options);

  CURL* handle = curl.get();
  apply_transfer_rules(handle, options, ca_file);
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);

  const CURLcode result = curl_easy_perform(handle);
  if (transfer.write_errno)
    throw Error(ExitCode::LocalFile, std::string("cannot write downloaded data: ") + std::strerror(transfer.write_errno));
  if (transfer.too_large)
    throw Error(ExitCode::Network, url + ": response larger than " + std::to_string(options.max_body_bytes) + " bytes");
  if (result != CURLE_OK) {
    const std::string detail = *error_buffer ? error_buffer : curl_easy_strerror(result);
    throw Error(ExitCode::Network, detail);
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  char* effective = nullptr;
  curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) transfer.response.effective_url = effective;
  return transfer.response;
}

std::string describe_http_status(long status) {
  const char* reason = "";
  switch (status) {
    case 304: reason = " Not Modified"; break;
    case 400: reason = " Bad Request"; break;
    case 401: reason = " Unauthorized"; break;
    case 403: reason = " Forbidden"; break;
    case 404: reason = " Not Found"; break;
    case 408: reason = " Request Timeout"; break;
    case 410: reason = " Gone"; break;
    case 416: reason = " Range Not Satisfiable"; break;
    case 429: reason = " Too Many Requests"; break;
    case 500: reason = " Internal Server Error"; break;
    case 502: reason = " Bad Gateway"; break;
    case 503: reason = " Service Unavailable"; break;
    case 504: reason = " Gateway Timeout"; break;
  }
  return "HTTP " + std::to_string(status) + reason;
}

std::string curl_version_string() { return curl_version_info(CURLVERSION_NOW)->version; }

}  // namespace xfu
