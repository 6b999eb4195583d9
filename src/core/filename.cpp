#include "core/filename.hpp"

#include <cstdio>

#include "util/private_file.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

std::string code_point_label(int32_t code) {
  char label[16];
  std::snprintf(label, sizeof label, "U+%04X", static_cast<unsigned>(code));
  return label;
}

// Why the characters of `name` do not make a file name a user can read and type.
std::optional<std::string> character_problem(std::string_view name) {
  for (size_t pos = 0; pos < name.size();) {
    const auto [code, length] = decode_utf8(name, pos);
    if (code < 0) return "file name is not valid UTF-8";
    if (code < 0x20 || code == 0x7f) return "file name contains a control character";
    if (is_invisible_control(code))
      return "file name contains an invisible control character (" + code_point_label(code) + ")";
    pos += length;
  }
  return std::nullopt;
}

// Names of the files xfu itself makes beside NAME: a record with such a name would be removed or overwritten.
std::optional<std::string> reserved_suffix_problem(std::string_view name) {
  for (std::string_view suffix : {kPartSuffix, kPartStateSuffix, kCorruptSuffix})
    if (name.ends_with(suffix))
      return "file name ends in \"" + std::string(suffix) + "\", which xfu uses for its own files";
  if (has_temp_suffix(name)) return "file name ends like xfu's temporary files (\".tmp.XXXXXX\")";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> package_name_problem(std::string_view name) {
  if (name.empty()) return "empty file name";
  if (name.size() > 255) return "file name longer than 255 bytes";
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos)
    return "file name contains a path separator";
  if (name.find("..") != std::string_view::npos) return "file name contains \"..\"";
  if (auto problem = character_problem(name)) return problem;
  if (name.front() == '.') return "file name starts with \".\"";
  return reserved_suffix_problem(name);
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
