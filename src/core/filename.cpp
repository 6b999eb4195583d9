#include "core/filename.hpp"

#include "util/strings.hpp"

namespace xfu {

std::optional<std::string> package_name_problem(std::string_view name) {
  if (name.empty()) return "empty file name";
  if (name.size() > 255) return "file name longer than 255 bytes";
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos)
    return "file name contains a path separator";
  if (name.find("..") != std::string_view::npos) return "file name contains \"..\"";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return "file name contains a control character";
  if (name.front() == '.') return "file name starts with \".\"";
  return std::nullopt;
}

std::optional<std::string> name_length_problem(std::string_view name, std::string_view suffix, long name_max) {
  const size_t length = name.size() + suffix.size();
  if (name_max < 0 || length <= static_cast<size_t>(name_max)) return std::nullopt;
  return "the name is too long for its file system (with \"" + std::string(suffix) + "\" it is " +
         std::to_string(length) + " bytes; at most " + std::to_string(name_max) + ")";
}

bool has_http_scheme(std::string_view text) { return istarts_with(text, "http://") || istarts_with(text, "https://"); }

bool is_http_url(std::string_view url) {
  if (!has_http_scheme(url)) return false;
  const std::string_view rest = url.substr(url.find("://") + 3);
  if (url.size() > 8192) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f || c == '\\') return false;
  const auto host_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, host_end);
  const auto at = authority.rfind('@');
  const std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
  return !host.empty() && host.front() != ':';
}

std::string filename_from_url(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  const auto slash = url.find('/');
  if (slash == std::string_view::npos) return {};
  url.remove_prefix(slash);
  return std::string(url.substr(url.rfind('/') + 1));
}

}  // namespace xfu
