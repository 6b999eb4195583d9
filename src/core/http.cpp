#include "core/http.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

#include "core/exit_code.hpp"
#include "core/version.hpp"
#include "util/fd_io.hpp"

namespace xfu {

namespace {

bool is_success(long status) { return status >= 200 && status < 300; }

// A catalog body: written to a descriptor, bounded, and only from a 2xx.
struct BodyToFile {
  const HttpHandle* handle = nullptr;
  int fd = -1;
  uint64_t max_bytes = 0;
  uint64_t written = 0;
  int write_errno = 0;
  bool too_large = false;
};

size_t write_body(char* data, size_t bytes, void* user) {
  auto* body = static_cast<BodyToFile*>(user);
  if (!is_success(body->handle->head().status)) return bytes;  // an error page: read it, keep nothing
  if (body->max_bytes && body->written + bytes > body->max_bytes) {
    body->too_large = true;
    return 0;
  }
  if ((body->write_errno = write_all(body->fd, data, bytes))) return 0;
  body->written += bytes;
  return bytes;
}

// The CA file to use: options.ca_file, else $CURL_CA_BUNDLE, else $SSL_CERT_FILE.
std::string ca_file_for(const HttpOptions& options) {
  if (!options.ca_file.empty()) return options.ca_file;
  for (const char* variable : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"})
    if (const char* value = std::getenv(variable); value && *value) return value;
  return {};
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "http://user:secret@proxy:3128/" -> "proxy:3128": credentials are never shown.
std::string proxy_address(std::string_view value) {
  if (const auto scheme = value.find("://"); scheme != std::string_view::npos) value.remove_prefix(scheme + 3);
  value = value.substr(0, value.find_first_of("/?#"));
  if (const auto at = value.rfind('@'); at != std::string_view::npos) value.remove_prefix(at + 1);
  return std::string(value);
}

// The host of a URL, for no_proxy: without scheme, credentials, port or brackets.
std::string host_of(std::string_view url) {
  std::string authority = proxy_address(url);
  if (!authority.empty() && authority.front() == '[') return lower(authority.substr(1, authority.find(']') - 1));
  return lower(authority.substr(0, authority.find(':')));
}

bool no_proxy_lists(const std::string& list, const std::string& host) {
  std::string entry;
  const auto matches = [&](std::string name) {
    while (!name.empty() && name.front() == '.') name.erase(0, 1);
    name = lower(name);
    if (name == "*") return true;
    return !name.empty() && (host == name || (host.size() > name.size() && host.ends_with("." + name)));
  };
  for (const char c : list + ",") {
    if (c != ',' && !std::isspace(static_cast<unsigned char>(c))) {
      entry += c;
      continue;
    }
    if (matches(entry)) return true;
    entry.clear();
  }
  return false;
}

}  // namespace

std::optional<ProxySetting> proxy_for_url(const std::string& url, const EnvironmentLookup& lookup) {
  const auto get = [&](const std::string& name) -> const char* {
    return lookup ? lookup(name.c_str()) : std::getenv(name.c_str());
  };
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const std::string scheme = lower(url.substr(0, scheme_end));
  const char* no_proxy = get("no_proxy");
  if (!no_proxy) no_proxy = get("NO_PROXY");
  if (no_proxy && no_proxy_lists(no_proxy, host_of(url))) return std::nullopt;
  std::vector<std::string> names{scheme + "_proxy"};
  if (scheme != "http") names.push_back(upper(scheme) + "_PROXY");
  names.insert(names.end(), {"all_proxy", "ALL_PROXY"});
  for (const auto& name : names)
    if (const char* value = get(name)) {
      if (!*value) return std::nullopt;  // set but empty: libcurl connects directly
      return ProxySetting{proxy_address(value), name};
    }
  return std::nullopt;
}

std::string proxy_failure_text(CURLcode code, long connect_code, const std::optional<ProxySetting>& proxy,
                               const std::string& reason) {
  if (!proxy) return {};
  const std::string named = "proxy " + proxy->address + " (from " + proxy->variable + ")";
  if (connect_code >= 300) return named + " refused to open a tunnel: " + describe_http_status(connect_code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY: return "cannot reach " + named + ": its host name does not resolve";
    case CURLE_COULDNT_CONNECT:
#if LIBCURL_VERSION_NUM >= 0x074900
    case CURLE_PROXY:
#endif
      return "cannot reach " + named + ": " + reason;
    default: return {};
  }
}

void http_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpHandle::HttpHandle(const std::string& url, const std::vector<std::string>& headers, const HttpOptions& options)
    : url_(url), ca_file_(ca_file_for(options)) {
  static const std::string user_agent = std::string("xfu/") + kXfuVersion;
  http_global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw Error(ExitCode::Network, "cannot start libcurl");
  for (const auto& header : headers) {
    curl_slist* longer = curl_slist_append(headers_, header.c_str());
    if (!longer) throw Error(ExitCode::Network, "cannot start libcurl");
    headers_ = longer;
  }
  curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl_, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, options.min_bytes_per_second);
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, options.stall_seconds);
  if (options.total_seconds > 0) curl_easy_setopt(curl_, CURLOPT_TIMEOUT, options.total_seconds);
  if (!ca_file_.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, take_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, take_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
}

HttpHandle::~HttpHandle() {
  if (curl_) curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

void HttpHandle::on_body(BodySink sink, void* user) {
  sink_ = sink;
  sink_user_ = user;
}

size_t HttpHandle::take_header(char* data, size_t size, size_t count, void* user) {
  static_cast<HttpHandle*>(user)->head_.take_line(std::string_view(data, size * count));
  return size * count;
}

size_t HttpHandle::take_body(char* data, size_t size, size_t count, void* user) {
  auto* self = static_cast<HttpHandle*>(user);
  return self->sink_ ? self->sink_(data, size * count, self->sink_user_) : size * count;
}

long HttpHandle::status() const {
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::optional<uint64_t> HttpHandle::content_length() const {
  curl_off_t length = -1;
  curl_easy_getinfo(curl_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  if (length < 0) return std::nullopt;
  return static_cast<uint64_t>(length);
}

std::string HttpHandle::effective_url() const {
  char* effective = nullptr;
  curl_easy_getinfo(curl_, CURLINFO_EFFECTIVE_URL, &effective);
  return effective ? effective : "";
}

std::string HttpHandle::proxy_failure(CURLcode code) const {
  long connect_code = 0;
  curl_easy_getinfo(curl_, CURLINFO_HTTP_CONNECTCODE, &connect_code);
  long os_errno = 0;
  curl_easy_getinfo(curl_, CURLINFO_OS_ERRNO, &os_errno);
  const std::string reason = os_errno         ? std::strerror(static_cast<int>(os_errno))
                             : *error_buffer_ ? error_buffer_
                                              : curl_easy_strerror(code);
  return proxy_failure_text(code, connect_code, proxy_for_url(url_), reason);
}

std::string HttpHandle::error_text(CURLcode code) const {
  if (std::string proxy = proxy_failure(code); !proxy.empty()) return proxy;
  return *error_buffer_ ? error_buffer_ : curl_easy_strerror(code);
}

HttpResponse http_get(const std::string& url, const std::vector<std::string>& headers, int body_fd,
                      const HttpOptions& options) {
  HttpHandle handle(url, headers, options);
  curl_easy_setopt(handle.curl(), CURLOPT_ACCEPT_ENCODING, "");
  BodyToFile body{&handle, body_fd, options.max_body_bytes};
  handle.on_body(write_body, &body);

  const CURLcode result = curl_easy_perform(handle.curl());
  if (body.write_errno)
    throw Error(ExitCode::LocalFile, std::string("cannot write downloaded data: ") + std::strerror(body.write_errno));
  if (body.too_large)
    throw Error(ExitCode::Network, url + ": response larger than " + std::to_string(options.max_body_bytes) + " bytes");
  if (result != CURLE_OK) throw Error(ExitCode::Network, handle.error_text(result));
  HttpResponse response;
  response.status = handle.status();
  response.etag = handle.head().etag;
  response.last_modified = handle.head().last_modified;
  response.content_type = handle.head().content_type;
  response.effective_url = handle.effective_url();
  response.body_bytes = body.written;
  return response;
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
