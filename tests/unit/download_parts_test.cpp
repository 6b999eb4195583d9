#include <gtest/gtest.h>

#include <algorithm>

#include <map>

#include "core/http.hpp"
#include "core/http_headers.hpp"
#include "download/mirrors.hpp"

namespace xfu {
namespace {

TEST(ContentRange, ParsesWhatServersSend) {
  auto range = parse_content_range("bytes 100-199/1000");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 100u);
  EXPECT_EQ(range->last, 199u);
  EXPECT_EQ(range->total, 1000u);
  range = parse_content_range("bytes */1000");
  ASSERT_TRUE(range);
  EXPECT_FALSE(range->first);
  EXPECT_EQ(range->total, 1000u);
  range = parse_content_range("Bytes 0-99/*");
  ASSERT_TRUE(range);
  EXPECT_FALSE(range->total);
}

TEST(ContentRange, RejectsWhatItDoesNotUnderstand) {
  for (const char* bad : {"", "bytes", "bytes 100-199", "bytes 200-100/1000", "bytes 0-1000/1000", "bytes -5-10/20",
                          "items 0-1/2", "bytes */*", "bytes 1-2/99999999999999999999", "bytes a-b/c", "bytes 0-1/ 2"})
    EXPECT_FALSE(parse_content_range(bad).has_value()) << bad;
}

TEST(RetryAfter, SecondsOrADate) {
  EXPECT_EQ(parse_retry_after("120", 0), 120);
  EXPECT_EQ(parse_retry_after(" 5 ", 0), 5);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470), 10);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490), 0);
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("-1", 0));
}

TEST(Mirrors, KnownHostsGiveEveryMirror) {
  const auto urls = download_urls("https://bigota.d.miui.com/V1/miui.zip?t=1&s=2", {}, "");
  ASSERT_EQ(urls.size(), 5u);  // the link itself, then the four other hosts
  EXPECT_EQ(urls[0], "https://bigota.d.miui.com/V1/miui.zip?t=1&s=2");
  EXPECT_EQ(std::count(urls.begin(), urls.end(), urls[0]), 1);
  EXPECT_NE(std::find(urls.begin(), urls.end(), "https://hugeota.d.miui.com/V1/miui.zip?t=1&s=2"), urls.end());
  EXPECT_NE(std::find(urls.begin(), urls.end(),
                      "https://bkt-sgp-miui-ota-update-alisgp.oss-ap-southeast-1.aliyuncs.com/V1/miui.zip?t=1&s=2"),
            urls.end());
}

TEST(Mirrors, OtherHostsAreLeftAlone) {
  EXPECT_EQ(download_urls("http://127.0.0.1:8080/x.zip", {"http://127.0.0.1:8080/y/x.zip"}, ""),
            (std::vector<std::string>{"http://127.0.0.1:8080/x.zip", "http://127.0.0.1:8080/y/x.zip"}));
}

TEST(Mirrors, PreferredFirst) {
  const auto urls = download_urls("https://bigota.d.miui.com/V1/a.zip", {}, "cdnorg");
  EXPECT_EQ(urls.front(), "https://cdnorg.d.miui.com/V1/a.zip");
  EXPECT_EQ(download_urls("http://a.example/x", {"http://b.example/x"}, "b.example").front(), "http://b.example/x");
  EXPECT_EQ(url_host("https://user@Host.Example:8443/x"), "host.example");
}

// --mirror must name a host one of this ROM's URLs is on; anything else would be silently ignored.
TEST(Mirrors, AChoiceIsAHostTheRomIsOn) {
  const std::vector<std::string> xiaomi = download_urls("https://bigota.d.miui.com/V1/a.zip", {}, "");
  EXPECT_EQ(choose_mirror("BigOTA", xiaomi).host, "bigota.d.miui.com");
  EXPECT_EQ(choose_mirror("cdnorg.d.miui.com", xiaomi).host, "cdnorg.d.miui.com");
  EXPECT_EQ(choose_mirror("cdnorg.d.miui.com", xiaomi).problem, "");
  const std::vector<std::string> local{"http://localhost:8080/a.zip", "http://127.0.0.1:8080/a.zip"};
  EXPECT_EQ(choose_mirror("localhost", local).host, "localhost");
  EXPECT_EQ(choose_mirror("127.0.0.1", local).host, "127.0.0.1");
  EXPECT_EQ(prefer_host(local, "127.0.0.1").front(), "http://127.0.0.1:8080/a.zip");
}

TEST(Mirrors, AnythingElseSaysWhatWouldDo) {
  const std::vector<std::string> xiaomi = download_urls("https://bigota.d.miui.com/V1/a.zip", {}, "");
  EXPECT_EQ(choose_mirror("bigotaa", xiaomi).problem,
            "unknown --mirror \"bigotaa\"; expected a mirror this ROM is on: bigota, cdnorg, hugeota, bn, aliyun; "
            "did you mean 'bigota'?");
  EXPECT_EQ(choose_mirror("mirror.example.com", xiaomi).problem,
            "this ROM has no URL on --mirror \"mirror.example.com\"; expected a mirror this ROM is on: bigota, cdnorg, "
            "hugeota, bn, aliyun");
  EXPECT_EQ(choose_mirror("", xiaomi).problem,
            "--mirror needs a mirror name or a host; expected a mirror this ROM is on: bigota, cdnorg, hugeota, bn, "
            "aliyun");
  const std::vector<std::string> local{"http://127.0.0.1:8080/a.zip"};
  EXPECT_EQ(choose_mirror("bigota", local).problem,
            "this ROM has no URL on --mirror \"bigota\" (bigota.d.miui.com); expected a mirror this ROM is on: "
            "127.0.0.1");
  EXPECT_EQ(choose_mirror("127.0.0.2", local).problem,
            "this ROM has no URL on --mirror \"127.0.0.2\"; expected a mirror this ROM is on: 127.0.0.1; did you "
            "mean '127.0.0.1'?");
  EXPECT_EQ(choose_mirror("bad host!", local).host, "");
}

TEST(Mirrors, TheFinalErrorNamesEveryMirrorTriedInOrder) {
  EXPECT_EQ(all_mirrors_failed("a.zip", {{"bigota.d.miui.com", "HTTP 404 Not Found"}}),
            "cannot download a.zip: bigota.d.miui.com: HTTP 404 Not Found");
  EXPECT_EQ(all_mirrors_failed("a.zip", {{"bigota.d.miui.com", "HTTP 404 Not Found"},
                                         {"cdnorg.d.miui.com", "Connection refused"},
                                         {"bigota.d.miui.com", "HTTP 503 Service Unavailable"}}),
            "cannot download a.zip: every mirror failed: bigota.d.miui.com: HTTP 404 Not Found; cdnorg.d.miui.com: "
            "Connection refused; bigota.d.miui.com: HTTP 503 Service Unavailable");
  EXPECT_EQ(all_mirrors_failed("a.zip", {}), "cannot download a.zip: no URL to download from");
}

TEST(Mirrors, ServersAreNamedWithTheirPortAndInASentence) {
  EXPECT_EQ(url_origin("https://bigota.d.miui.com/8.12.7/a.zip"), "bigota.d.miui.com");
  EXPECT_EQ(url_origin("http://user:pw@127.0.0.1:8080/a.zip"), "127.0.0.1:8080");
  EXPECT_EQ(url_origin("http://[::1]/a.zip"), "[::1]");
  EXPECT_EQ(url_origin("http://[::1]:81/a.zip"), "[::1]:81");
  EXPECT_EQ(hosts_in_words({"a"}), "a");
  EXPECT_EQ(hosts_in_words({"a", "b"}), "a and b");
  EXPECT_EQ(hosts_in_words({"a", "b", "c"}), "a, b and c");
}

// The variables libcurl reads, in its order; credentials never reach the address.
TEST(Proxy, ChosenFromTheEnvironmentAsLibcurlDoes) {
  std::map<std::string, std::string> env;
  const EnvironmentLookup lookup = [&](const char* name) -> const char* {
    const auto found = env.find(name);
    return found == env.end() ? nullptr : found->second.c_str();
  };
  const auto proxy = [&](const std::string& url) {
    const auto setting = proxy_for_url(url, lookup);
    return setting ? setting->address + " (" + setting->variable + ")" : std::string("none");
  };
  EXPECT_EQ(proxy("https://bigota.d.miui.com/a.zip"), "none");
  env["ALL_PROXY"] = "socks5://all:1080";
  EXPECT_EQ(proxy("https://bigota.d.miui.com/a.zip"), "all:1080 (ALL_PROXY)");
  env["HTTPS_PROXY"] = "http://user:secret@big:3128/";
  EXPECT_EQ(proxy("https://bigota.d.miui.com/a.zip"), "big:3128 (HTTPS_PROXY)");
  env["https_proxy"] = "small:8080";
  EXPECT_EQ(proxy("https://bigota.d.miui.com/a.zip"), "small:8080 (https_proxy)");
  // For http, only the lower-case name: HTTP_PROXY is not read.
  env["HTTP_PROXY"] = "upper:1";
  EXPECT_EQ(proxy("http://bigota.d.miui.com/a.zip"), "all:1080 (ALL_PROXY)");
  env["http_proxy"] = "lower:2";
  EXPECT_EQ(proxy("http://bigota.d.miui.com/a.zip"), "lower:2 (http_proxy)");
  env["NO_PROXY"] = "example.com, .miui.com";
  EXPECT_EQ(proxy("http://bigota.d.miui.com/a.zip"), "none");
  EXPECT_EQ(proxy("http://notmiui.com/a.zip"), "lower:2 (http_proxy)");
  env["no_proxy"] = "*";
  EXPECT_EQ(proxy("http://notmiui.com/a.zip"), "none");
  env.erase("no_proxy");
  env.erase("NO_PROXY");
  env["http_proxy"] = "";
  EXPECT_EQ(proxy("http://bigota.d.miui.com/a.zip"), "none");
}

TEST(Proxy, OnlyItsOwnFailuresBlameIt) {
  const std::optional<ProxySetting> proxy = ProxySetting{"127.0.0.1:1", "https_proxy"};
  EXPECT_EQ(proxy_failure_text(CURLE_COULDNT_CONNECT, 0, proxy, "Connection refused"),
            "cannot reach proxy 127.0.0.1:1 (from https_proxy): Connection refused");
  EXPECT_EQ(proxy_failure_text(CURLE_COULDNT_RESOLVE_PROXY, 0, proxy, "x"),
            "cannot reach proxy 127.0.0.1:1 (from https_proxy): its host name does not resolve");
  EXPECT_EQ(proxy_failure_text(CURLE_RECV_ERROR, 403, proxy, "x"),
            "proxy 127.0.0.1:1 (from https_proxy) refused to open a tunnel: HTTP 403 Forbidden");
  EXPECT_EQ(proxy_failure_text(CURLE_OPERATION_TIMEDOUT, 0, proxy, "x"), "");
  EXPECT_EQ(proxy_failure_text(CURLE_COULDNT_CONNECT, 0, std::nullopt, "Connection refused"), "");
}

}  // namespace
}  // namespace xfu
