// Replays the fuzzers' seed corpus and every input a fuzzer ever found a
// problem with through the same code the fuzz targets run.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/fuzz_targets.hpp"
#include "util/atomic_file.hpp"

namespace xfu {
namespace {

TEST(FuzzRegression, CorpusAndFoundInputs) {
  size_t replayed = 0;
  for (const auto& target : fuzz::kTargets) {
    for (const char* kind : {"corpus", "regressions"}) {
      const auto dir = std::filesystem::path(XFU_FUZZ_DIR) / kind / target.name;
      if (!std::filesystem::is_directory(dir)) continue;
      for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        SCOPED_TRACE(entry.path().string());
        target.run(read_file(entry.path()));
        ++replayed;
      }
    }
  }
  EXPECT_GE(replayed, 25u);
}

}  // namespace
}  // namespace xfu
