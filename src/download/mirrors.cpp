#include "download/mirrors.hpp"

#include <algorithm>
#include <array>
#include <cctype>

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

std::string url_origin(std::string_view url) {
  const size_t scheme_end = url.find("://");
  const std::string_view scheme = scheme_end == std::string_view::npos ? "" : url.substr(0, scheme_end);
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string origin(rest);
  std::transform(origin.begin(), origin.end(), origin.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string default_port = scheme == "https" ? ":443" : ":80";
  if (origin.size() > default_port.size() && origin.ends_with(default_port))
    origin.resize(origin.size() - default_port.size());
  return origin;
}

std::string hosts_in_words(const std::vector<std::string>& hosts) {
  std::string text;
  for (size_t i = 0; i < hosts.size(); ++i) text += (i == 0 ? "" : i + 1 == hosts.size() ? " and " : ", ") + hosts[i];
  return text;
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

MirrorChoice choose_mirror(std::string_view choice, const std::vector<std::string>& urls) {
  std::vector<std::string> hosts;
  for (const auto& url : urls)
    if (const std::string host = url_host(url); std::find(hosts.begin(), hosts.end(), host) == hosts.end())
      hosts.push_back(host);
  // What would do: a known mirror's short name for its host, any other host as it is.
  std::vector<std::string> usable;
  for (const auto& mirror : known_mirrors())
    if (std::find(hosts.begin(), hosts.end(), mirror.host) != hosts.end()) usable.emplace_back(mirror.name);
  for (const auto& host : hosts)
    if (!is_known_host(host)) usable.push_back(host);
  const std::string expected = "expected a mirror this ROM is on: " + join(usable, ", ");
  if (choice.empty()) return {{}, "--mirror needs a mirror name or a host; " + expected};
  const std::string host = host_of_choice(choice);
  if (std::find(hosts.begin(), hosts.end(), host) != hosts.end()) return {host, {}};
  const std::string shown = "\"" + std::string(choice) + "\"";
  if (host != to_lower(choice))
    return {{}, "this ROM has no URL on --mirror " + shown + " (" + host + "); " + expected};
  const std::string kind = choice.find('.') == std::string_view::npos ? "unknown" : "this ROM has no URL on";
  std::string nearest;
  size_t best = 3;  // two typos at most, and fewer than the word has letters
  for (const auto& candidate : usable)
    if (const size_t distance = edit_distance(choice, candidate); distance < best && distance < choice.size()) {
      best = distance;
      nearest = candidate;
    }
  const std::string hint = nearest.empty() ? "" : "; did you mean '" + nearest + "'?";
  return {{}, kind + " --mirror " + shown + "; " + expected + hint};
}

std::vector<std::string> prefer_host(std::vector<std::string> urls, std::string_view host) {
  std::stable_partition(urls.begin(), urls.end(), [&](const std::string& url) { return url_host(url) == host; });
  return urls;
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
    return prefer_host(std::move(urls), host);
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
