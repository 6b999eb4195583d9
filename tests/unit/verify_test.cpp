#include <gtest/gtest.h>

#include <unistd.h>
#include <fstream>
#include <map>

#include "core/file_hash.hpp"
#include "core/hash.hpp"
#include "verify/md5sum_format.hpp"
#include "verify/verify.hpp"

namespace xfu {
namespace {

TEST(Md5, Rfc1321Vectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

class FileHashTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("xfu-hash-" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::filesystem::path make(const std::string& name, size_t size) {
    std::string data(size, '\0');
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 2654435761u) >> 13);
    std::ofstream(dir / name, std::ios::binary) << data;
    expected[name] = md5_hex(data);
    return dir / name;
  }
  std::map<std::string, std::string> expected;
};

TEST_F(FileHashTest, BufferBoundariesOnBothPaths) {
  constexpr size_t buffer = 1 << 20;
  const size_t pipeline = size_t{8} << 20;
  for (size_t size : std::vector<size_t>{0, 1, buffer - 1, buffer, buffer + 1, 3 * buffer, pipeline - 1, pipeline,
                                         pipeline + 1, 9 * buffer + 12345}) {
    const auto path = make("f" + std::to_string(size), size);
    for (bool overlap : {false, true}) {
      uint64_t reported = 0;
      const FileHash hash = md5_of_file(
          path, [&](uint64_t bytes) { reported += bytes; }, overlap);
      EXPECT_EQ(hash.md5, expected["f" + std::to_string(size)]) << size << " overlap " << overlap;
      EXPECT_EQ(hash.size, size);
      EXPECT_EQ(reported, size);
      EXPECT_EQ(hash.error, "");
    }
  }
}

TEST_F(FileHashTest, ErrorsAreReportedNotThrown) {
  EXPECT_EQ(md5_of_file(dir / "missing").error, "No such file or directory");
  EXPECT_EQ(md5_of_file(dir).error, "Is a directory");
  EXPECT_EQ(md5_of_file(dir / "missing").md5, "");
}

TEST_F(FileHashTest, ManyFilesComeBackInOrder) {
  std::vector<std::filesystem::path> paths;
  for (size_t i = 0; i < 12; ++i) paths.push_back(make("m" + std::to_string(i), (12 - i) * 300000));
  std::vector<size_t> order;
  md5_of_files(paths, 4, [&](size_t index, const FileHash& hash) {
    order.push_back(index);
    EXPECT_EQ(hash.md5, expected["m" + std::to_string(index)]);
  });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
}

TEST(Md5sumFormat, ParsesWhatMd5sumWrites) {
  SumLine entry;
  EXPECT_EQ(parse_sum_line("c18aad4fc41b831d1107f10a7bb2de0f  miui.zip", entry), SumLineKind::Entry);
  EXPECT_EQ(entry.md5, "c18aad4fc41b831d1107f10a7bb2de0f");
  EXPECT_EQ(entry.name, "miui.zip");
  EXPECT_EQ(parse_sum_line("C18AAD4FC41B831D1107F10A7BB2DE0F *dir/a b.zip\r", entry), SumLineKind::Entry);
  EXPECT_EQ(entry.md5, "c18aad4fc41b831d1107f10a7bb2de0f");
  EXPECT_EQ(entry.name, "dir/a b.zip");
  EXPECT_EQ(parse_sum_line("\\c18aad4fc41b831d1107f10a7bb2de0f  a\\nb\\\\c", entry), SumLineKind::Entry);
  EXPECT_EQ(entry.name, "a\nb\\c");
  EXPECT_EQ(parse_sum_line("MD5 (x.zip) = c18aad4fc41b831d1107f10a7bb2de0f", entry), SumLineKind::Entry);
  EXPECT_EQ(entry.name, "x.zip");
  for (const char* ignored : {"", "   ", "# comment"}) EXPECT_EQ(parse_sum_line(ignored, entry), SumLineKind::Ignored);
  for (const char* bad : {"garbage", "c18aad4fc41b831d1107f10a7bb2de0f", "c18aad4fc41b831d1107f10a7bb2de0f x",
                          "c18aad4fc41b831d1107f10a7bb2de0  x", "z18aad4fc41b831d1107f10a7bb2de0f  x",
                          "\\c18aad4fc41b831d1107f10a7bb2de0f  a\\qb", "c18aad4fc41b831d1107f10a7bb2de0f  "})
    EXPECT_EQ(parse_sum_line(bad, entry), SumLineKind::Malformed) << bad;
}

TEST(Md5sumFormat, WritesWhatMd5sumReads) {
  EXPECT_EQ(format_sum_line("d41d8cd98f00b204e9800998ecf8427e", "a.zip"), "d41d8cd98f00b204e9800998ecf8427e  a.zip");
  EXPECT_EQ(format_sum_line("d41d8cd98f00b204e9800998ecf8427e", "a\nb\\c"),
            "\\d41d8cd98f00b204e9800998ecf8427e  a\\nb\\\\c");
}

TEST(Verify, CatalogBeatsThePrefix) {
  Rom rom;
  rom.md5 = "00000000000000000000000000000000";
  const auto expectation = expect_from_catalog("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", {rom});
  EXPECT_EQ(expectation.source, ChecksumSource::Catalog);
  EXPECT_EQ(judge("c18aad4fc41b831d1107f10a7bb2de0f", expectation), VerifyStatus::Mismatch);
  EXPECT_EQ(judge("00000000000000000000000000000000", expectation), VerifyStatus::Ok);
}

TEST(Verify, PrefixWhenTheCatalogHasNoMd5) {
  Rom rom;  // in the catalog, MD5 unknown
  const auto expectation = expect_from_catalog("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", {rom});
  EXPECT_EQ(expectation.source, ChecksumSource::NamePrefix);
  EXPECT_EQ(expectation.shown(), "c18aad4fc4");
  EXPECT_EQ(judge("c18aad4fc41b831d1107f10a7bb2de0f", expectation), VerifyStatus::NameOk);
  EXPECT_EQ(judge("c18aad4fc51b831d1107f10a7bb2de0f", expectation), VerifyStatus::Mismatch);
  EXPECT_EQ(judge("c18aad4fc41b831d1107f10a7bb2de0f", expect_from_catalog("notes.txt", {})), VerifyStatus::Unknown);
}

TEST(Verify, ExitCodeForEachMix) {
  using S = VerifyStatus;
  const auto code = [](std::vector<S> statuses) { return verify_exit_code(statuses); };
  EXPECT_EQ(code({S::Ok, S::Ok}), ExitCode::Success);
  EXPECT_EQ(code({S::Ok, S::Mismatch}), ExitCode::ChecksumMismatch);
  EXPECT_EQ(code({S::Mismatch, S::Unreadable, S::Unknown}), ExitCode::ChecksumMismatch);
  EXPECT_EQ(code({S::Ok, S::Unreadable}), ExitCode::LocalFile);
  EXPECT_EQ(code({S::Unknown, S::Unreadable}), ExitCode::LocalFile);
  EXPECT_EQ(code({S::Ok, S::Unknown}), ExitCode::NothingMatched);
  EXPECT_EQ(code({S::Unknown}), ExitCode::NothingMatched);
}

TEST(Verify, ANameMatchPassesUnlessAFullMd5IsRequired) {
  using S = VerifyStatus;
  const std::vector<S> mixed{S::Ok, S::NameOk};
  EXPECT_EQ(verify_exit_code(mixed), ExitCode::Success);
  EXPECT_EQ(verify_exit_code(mixed, true), ExitCode::NothingMatched);
  EXPECT_EQ(verify_exit_code(std::vector<S>{S::NameOk, S::Mismatch}, true), ExitCode::ChecksumMismatch);
  EXPECT_TRUE(passes(S::NameOk, false));
  EXPECT_FALSE(passes(S::NameOk, true));
  EXPECT_TRUE(passes(S::Ok, true));
  EXPECT_FALSE(passes(S::Unknown, false));
  EXPECT_EQ(status_name(S::NameOk), "name-ok");
}

}  // namespace
}  // namespace xfu

namespace xfu {
namespace {

std::vector<std::string> split_in_chunks(std::string_view text, size_t chunk, bool& ok) {
  std::vector<std::string> lines;
  SumLineSplitter splitter;
  const auto keep = [&](std::string_view line) { lines.emplace_back(line); };
  ok = true;
  for (size_t at = 0; at < text.size() && ok; at += chunk) ok = splitter.feed(text.substr(at, chunk), keep);
  if (ok) splitter.finish(keep);
  return lines;
}

TEST(SumLineSplitter, GivesTheSameLinesHoweverTheBytesArrive) {
  const std::string text = "a  x\n\nb  y\nlast";
  for (size_t chunk : {1u, 2u, 3u, 100u}) {
    bool ok = false;
    EXPECT_EQ(split_in_chunks(text, chunk, ok), (std::vector<std::string>{"a  x", "", "b  y", "last"})) << chunk;
    EXPECT_TRUE(ok);
  }
}

TEST(SumLineSplitter, StopsAtTheFirstLineLongerThanAnyChecksumLine) {
  SumLineSplitter splitter;
  size_t seen = 0;
  const auto count = [&](std::string_view) { ++seen; };
  EXPECT_TRUE(splitter.feed("ok\n" + std::string(kMaxSumLineBytes, 'a') + "\n", count));
  EXPECT_FALSE(splitter.feed(std::string(kMaxSumLineBytes + 1, 'b'), count));
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(splitter.line_number(), 3u);
}

}  // namespace
}  // namespace xfu
