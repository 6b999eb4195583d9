// What the `xfu download` tests share: an isolated home with an empty output
// directory, and, for the tests against the local test server, a file on that
// server and a one-record catalog that points at it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/harness.hpp"

namespace xfu::test {

// The record a download test's catalog holds, apart from its file name, link,
// mirrors and MD5. Branch, type and date are always Stable, Recovery and
// 2026-01-02.
struct DownloadRecord {
  std::string codename;  // "testdev_global"
  std::string device;    // "Test Phone Global"
  std::string version;   // "1.0"
  std::string size;      // as the catalog writes it: "3.0 MB"
  // Whether the record has a "mirrors" list at all; without one, `mirrors`
  // must be empty.
  bool with_mirrors = true;
};

// The text of a catalog that holds only `record` for `filename` at `link`.
// An empty `md5` is written as null.
std::string one_record_catalog(const DownloadRecord& record, const std::string& filename, const std::string& link,
                               const std::vector<std::string>& mirrors, const std::string& md5);

// An XfuHome with an output directory `out` (made by SetUp) for the file `name`.
class DownloadFixture : public ::testing::Test {
 protected:
  explicit DownloadFixture(std::string file_name) : name(std::move(file_name)) {}

  XfuHome home;
  std::filesystem::path out = home.root() / "out";
  std::string name;
  std::string md5;

  void SetUp() override { std::filesystem::create_directories(out); }

  // Runs `xfu download BEFORE_OUT... -o OUT AFTER_OUT...` in the home.
  RunResult run_download(const std::vector<std::string>& before_out, const std::vector<std::string>& after_out,
                         double timeout_seconds = 60) const;

  // Whether `out` holds anything other than `name`.
  bool leftovers() const;
};

// A DownloadFixture whose file is `size` bytes of write_pattern_file on the
// local test server, with `md5` its MD5. SetUp writes the catalog, in the
// home, with `catalog_record` for the file on the server, and points
// XFU_CATALOG at it.
class ServedDownloadFixture : public DownloadFixture {
 protected:
  ServedDownloadFixture(std::string file_name, uint64_t file_size, DownloadRecord record)
      : DownloadFixture(std::move(file_name)), size(file_size), catalog_record(std::move(record)) {}

  TestServer server;
  const uint64_t size;
  const DownloadRecord catalog_record;

  void SetUp() override;

  // Replaces the catalog with one whose record links `name` at `link`.
  void write_catalog(const std::string& link, const std::vector<std::string>& mirrors, const std::string& md5_value);
};

// A ServedDownloadFixture for the test phone's package: "Test Phone Global"
// (testdev_global) 1.0, miui_TESTGlobal_1.0_0123456789_9.0.zip, of `size`
// bytes that the catalog gives as `size_label` ("3.0 MB").
class TestPhoneDownload : public ServedDownloadFixture {
 protected:
  TestPhoneDownload(uint64_t size, std::string size_label)
      : ServedDownloadFixture("miui_TESTGlobal_1.0_0123456789_9.0.zip", size,
                              {.codename = "testdev_global",
                               .device = "Test Phone Global",
                               .version = "1.0",
                               .size = std::move(size_label),
                               .with_mirrors = true}) {}

  // `xfu download ARGS... -o OUT`, given 90 seconds.
  RunResult download(std::vector<std::string> args) { return run_download(args, {}, 90); }
};

}  // namespace xfu::test
