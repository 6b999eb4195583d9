// What each fuzz target does with one input. The libFuzzer entry points
// (fuzz_main.cpp) and the regression test (tests/unit/fuzz_regression_test.cpp)
// both call these, so every input a fuzzer ever found stays a test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace xfu::fuzz {

void catalog(std::string_view input);       // parsing, normalisation, the per-device fast path
void changelog(std::string_view input);     // changelog text, sanitising, width, wrapping
void rom_names(std::string_view input);     // file-name patterns, package names, URLs
void md5sum_lines(std::string_view input);  // md5sum check lines
void http_headers(std::string_view input);  // Content-Range and Retry-After

struct Target {
  const char* name;
  void (*run)(std::string_view);
};
inline constexpr Target kTargets[] = {
    {"catalog", catalog},           {"changelog", changelog},       {"rom_names", rom_names},
    {"md5sum_lines", md5sum_lines}, {"http_headers", http_headers},
};

}  // namespace xfu::fuzz
