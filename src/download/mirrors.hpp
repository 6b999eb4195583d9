// Xiaomi's download hosts. The same path works on each, so a ROM whose link
// is on one of them can be fetched from any.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/rom.hpp"

namespace xfu {

struct MirrorHost {
  std::string_view name;  // what --mirror accepts: "bigota"
  std::string_view host;  // "bigota.d.miui.com"
};

std::span<const MirrorHost> known_mirrors();

// The URLs to try for `link` and its `mirrors`, without duplicates: when
// `preferred` (a mirror name or host) is given, URLs on that host first;
// then the record's own links; then the same path on every other known
// Xiaomi host, when the link is on one of them. Query strings (?t=..&s=..)
// are kept in the URL; they never reach the saved file name.
std::vector<std::string> download_urls(std::string_view link, const std::vector<std::string>& mirrors,
                                       std::string_view preferred);

// The host of an http(s) URL ("bigota.d.miui.com").
std::string url_host(std::string_view url);

// "127.0.0.1:8080", "bigota.d.miui.com": what tells two servers apart, in
// a message or a download spread over mirrors (host and port, lower case,
// the scheme's default port left out).
std::string url_origin(std::string_view url);

// Hosts as a sentence: "a", "a and b", "a, b and c".
std::string hosts_in_words(const std::vector<std::string>& hosts);

// What --mirror names: a known mirror name ("bigota") or host, or the host
// of one of `urls` (this ROM's URLs, in download_urls' order) -- and only
// when one of `urls` is on it, since a host the ROM is not on would be
// silently ignored. `problem` says why not, with a "did you mean" for a
// near miss and what would be accepted instead.
struct MirrorChoice {
  std::string host;     // the host to try first
  std::string problem;  // empty when the choice is usable
};
MirrorChoice choose_mirror(std::string_view choice, const std::vector<std::string>& urls);

// `urls` with those on `host` first, the order otherwise kept.
std::vector<std::string> prefer_host(std::vector<std::string> urls, std::string_view host);

// A mirror that was tried and why it failed, for the final error.
struct MirrorFailure {
  std::string host;
  std::string why;  // "HTTP 404 Not Found"
};

// The one line that ends a download no mirror could serve: "cannot download
// NAME: HOST: WHY", and with several, every one in the order tried:
// "cannot download NAME: every mirror failed: HOST1: WHY1; HOST2: WHY2".
std::string all_mirrors_failed(std::string_view filename, const std::vector<MirrorFailure>& tried);

}  // namespace xfu
