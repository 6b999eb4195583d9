#include "download/mirrors.hpp"

#include <algorithm>
#include <array>

#include "util/strings.hpp"

namespace xfu {

std::span<const MirrorHost> known_mirrors() {
  static constexpr std::array hosts{
      MirrorHost{"bigota", "bigota.d.miui.com"},
      MirrorHost{"cdnorg", "cdnorg.d.miui.com"},
      MirrorHost{"hugeota", "hugeota.d.miui.com"},
      MirrorHost{"bn", "bn.d.miui.com"},
      MirrorHost{"aliyun", "bkt-sgp-miui-ota-update-alisgp.oss-ap-southeast-1.aliyuncs.com"},
  };
  return hosts;
}

std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') return to_lower(rest.substr(0, rest.find(']') + 1));
  return to_lower(rest.substr(0, rest.find(':')));
}

namespace {

bool is_known_host(std::string_view host) {
  return std::any_of(known_mirrors().begin(), known_mirrors().end(),
                     [&](const MirrorHost& mirror) { return mirror.host == host; });
}

std::string host_of_choice(std::string_view choice) {
  for (const auto& mirror : known_mirrors())
    if (iequals(mirror.name, choice) || iequals(mirror.host, choice)) return std::string(mirror.host);
  return to_lower(choice);
}

// "https://bigota.d.miui.com/8.12.7/x.zip" on another host.
std::string on_host(std::string_view url, std::string_view host) {
  const auto scheme = url.find("://");
  const auto path = url.find('/', scheme + 3);
  return "https://" + std::string(host) + (path == std::string_view::npos ? "/" : std::string(url.substr(path)));
}

}  // namespace

bool valid_mirror_choice(std::string_view name) {
  if (std::any_of(known_mirrors().begin(), known_mirrors().end(),
                  [&](const MirrorHost& mirror) { return iequals(mirror.name, name); }))
    return true;
  if (name.size() > 253 || name.find('.') == std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
}

std::vector<std::string> download_urls(std::string_view link, const std::vector<std::string>& mirrors,
                                       std::string_view preferred) {
  std::vector<std::string> urls;
  const auto add = [&](std::string url) {
    if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
  };
  add(std::string(link));
  for (const auto& mirror : mirrors) add(mirror);
  if (is_known_host(url_host(link)))
    for (const auto& mirror : known_mirrors()) add(on_host(link, mirror.host));
  if (!preferred.empty()) {
    const std::string host = host_of_choice(preferred);
    if (is_known_host(host) && is_known_host(url_host(link))) add(on_host(link, host));
    std::stable_partition(urls.begin(), urls.end(), [&](const std::string& url) { return url_host(url) == host; });
  }
  return urls;
}

std::string all_mirrors_failed(std::string_view filename, const std::vector<MirrorFailure>& tried) {
  std::string text = "cannot download " + std::string(filename) + ": ";
  if (tried.empty()) return text + "no URL to download from";
  if (tried.size() > 1) text += "every mirror failed: ";
  for (size_t i = 0; i < tried.size(); ++i) text += (i ? "; " : "") + tried[i].host + ": " + tried[i].why;
  return text;
}

}  // namespace xfu
