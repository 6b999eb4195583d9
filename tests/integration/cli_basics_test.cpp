// Flags, help, version and exit codes of the real binary.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <regex>

#include "core/exit_code.hpp"
#include "support/harness.hpp"

namespace xfu::test {
namespace {

class Cli : public ::testing::Test {
 protected:
  XfuHome home;
  RunResult builtin(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--catalog", "builtin"});
    return home.run(args);
  }
};

TEST_F(Cli, VersionNamesEverything) {
  const RunResult result = home.run({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(std::regex_match(result.out, std::regex("xfu \\d+\\.\\d+\\.\\d+\n"
                                                      "built-in catalog: 2026-08-23, \\d+ ROMs\n"
                                                      "libcurl 7\\.\\d+\\.\\d+\n"
                                                      "OpenSSL 3\\.\\d+\\.\\d+ .*\n")))
      << result.out;
}

TEST_F(Cli, HelpListsCommandsGlobalOptionsAndExitCodes) {
  const RunResult result = home.run({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* text : {"list", "catalog", "--catalog", "--offline", "--refresh", "--ca-file", "--no-color",
                           "--version", "Exit status:", "  130  interrupted (SIGINT)"})
    EXPECT_NE(result.out.find(text), std::string::npos) << text;
  const RunResult list_help = home.run({"list", "--help"});
  EXPECT_EQ(list_help.exit_code, 0);
  for (const char* text : {"--branch", "--type", "--region", "--version", "--android", "--since", "--until", "--latest",
                           "--limit", "--format", "--json", "--header", "Global options"})
    EXPECT_NE(list_help.out.find(text), std::string::npos) << text;
}

TEST_F(Cli, ParseErrorsAreUsageErrors) {
  EXPECT_EQ(home.run({"--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(home.run({}).exit_code, 2);
  EXPECT_EQ(home.run({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(home.run({"list", "--limit", "zero"}).exit_code, 2);
  EXPECT_EQ(home.run({"list", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(home.run({"catalog"}).exit_code, 2);
  const RunResult bad_flag = home.run({"list", "--bogus"});
  EXPECT_EQ(bad_flag.err.substr(0, 5), "xfu: ");
  EXPECT_EQ(std::count(bad_flag.err.begin(), bad_flag.err.end(), '\n'), 1);
}

TEST_F(Cli, InvalidFilterValuesListTheValidOnes) {
  const RunResult type = builtin({"list", "dipper", "--type", "zip"});
  EXPECT_EQ(type.exit_code, 2);
  EXPECT_EQ(type.err, "xfu: invalid --type \"zip\": expected recovery, fastboot\n");
  const RunResult branch = builtin({"list", "--branch", "nightly"});
  EXPECT_EQ(branch.exit_code, 2);
  EXPECT_EQ(branch.err, "xfu: invalid --branch \"nightly\": expected stable, stable-beta, weekly, public-beta\n");
  EXPECT_EQ(builtin({"list", "--since", "2018-02-30"}).exit_code, 2);
  const RunResult region = builtin({"list", "dipper", "--region", "mars"});
  EXPECT_EQ(region.exit_code, 2);
  EXPECT_EQ(region.err, "xfu: invalid --region \"mars\": expected china, global, eea, india, russia, indonesia, "
                        "turkey, taiwan, japan, korea, singapore\n");
}

TEST_F(Cli, GlobalOptionsWorkAfterTheSubcommand) {
  const RunResult result = home.run({"list", "dipper", "--branch", "weekly", "--catalog", "builtin", "--limit", "1"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, result.out.find('\t')), "Mi 8 China");
}

TEST_F(Cli, TheMainJobOnTheBuiltinCatalog) {
  const RunResult result = builtin({"list", "dipper", "--branch", "weekly"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out.substr(0, result.out.find('\n')),
            "Mi 8 China\t20.9.4\tweekly\trecovery\t10.0\t2.3 GB\t2020-09-04\tchina\tdipper\t"
            "miui_MI8_20.9.4_21d22b073e_10.0.zip\t21d22b073e8ff68ec4ae0bd66451133a\t"
            "https://cdnorg.d.miui.com/20.9.4/miui_MI8_20.9.4_21d22b073e_10.0.zip");
  EXPECT_NE(result.out.find("\t8.12.7\tweekly\trecovery\t9.0\t1.8 GB\t2018-12-07\tglobal\tdipper_global\t"
                            "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip\tc18aad4fc41b831d1107f10a7bb2de0f\t"),
            std::string::npos);
}

TEST_F(Cli, UnknownCodenameIsExit3) {
  const RunResult result = builtin({"list", "nosuchphone"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "");
}

TEST_F(Cli, LocalCatalogFileErrors) {
  const auto missing = home.root() / "missing.json";
  const RunResult absent = home.run({"--catalog", missing.string(), "list"});
  EXPECT_EQ(absent.exit_code, 6);
  EXPECT_EQ(absent.err, "xfu: cannot read catalog " + missing.string() +
                            ": No such file or directory; --catalog builtin uses the built-in catalog\n");
  const auto broken = home.root() / "broken.json";
  write_text(broken, "[\n{\"codename\": \"x\",\n");
  const RunResult invalid = home.run({"--catalog", broken.string(), "list"});
  EXPECT_EQ(invalid.exit_code, 5);
  EXPECT_NE(invalid.err.find("xfu: catalog " + broken.string() + ": invalid JSON at line 3, column 1"),
            std::string::npos)
      << invalid.err;
  EXPECT_EQ(home.run({"--catalog", "ftp://example.invalid/c.json", "list"}).exit_code, 2);
}

TEST_F(Cli, SkippedRecordsGiveOneWarning) {
  const auto path = home.root() / "mixed.json";
  write_text(path, R"([
 {"codename": "dipper", "device": "Mi 8", "version": "1", "branch": "Stable", "type": "Recovery",
  "link": "https://h/a.zip"},
 {"codename": "dipper", "device": "Mi 8", "version": "2", "branch": "Stable", "type": "Recovery",
  "link": "file:///etc/passwd"},
 {"codename": "dipper", "device": "Mi 8", "version": "3", "branch": "Stable", "type": "Recovery"},
 {"codename": "dipper", "device": "Mi 8\u001b[2J", "version": "4", "branch": "Stable", "type": "Recovery",
  "link": "https://h/b.zip", "md5": "xyz\u001b]52;c;eA==\u0007"}
])");
  const RunResult result = home.run({"--catalog", path.string(), "list", "dipper"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "xfu: warning: skipped 3 invalid catalog records (first: record 2: link is not an http(s) "
                        "URL: \"file:///etc/passwd\")\n");
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1);
}

TEST_F(Cli, AWarningShowsEveryCharacterOfTheBadValue) {
  const auto path = home.root() / "invisible.json";
  // A zero-width space, a C1 control and a byte that is not UTF-8 in record 1's branch.
  write_text(path, "[{\"codename\": \"dipper\", \"device\": \"Mi 8\", \"version\": \"1\", \"type\": \"Recovery\","
                   " \"branch\": \"Sta\\u0085ble\\u200b!\", \"link\": \"https://h/a.zip\"},"
                   " {\"codename\": \"dipper\", \"device\": \"Mi 8\", \"version\": \"2\", \"type\": \"Recovery\","
                   " \"branch\": \"" +
                       std::string(70, 'e') + "\u00e9\", \"link\": \"https://h/a.zip\"}]");
  const RunResult result = home.run({"--catalog", path.string(), "list", "dipper"});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.err.substr(0, result.err.find('\n') + 1),
            "xfu: warning: skipped 2 invalid catalog records (first: record 1: unknown branch "
            "\"Sta\\u0085ble\\u200b!\")\n");
}

TEST_F(Cli, HostileCatalogFilesNeverCrashXfu) {
  struct Case {
    std::string name, text;
    int exit_code;
    std::string err_start;
  };
  std::string nulls = "[";
  for (int i = 0; i < 200000; ++i) nulls += i ? ",null" : "null";
  nulls += "]";
  const std::vector<Case> cases{
      // Nothing valid left to list: the catalog is no use (exit 5), and the warning said why.
      {"deep.json", "[" + std::string(10000, '[') + std::string(10000, ']') + "]", 5,
       "xfu: warning: skipped 1 invalid catalog record (first: record 1: record is not a JSON object)"},
      {"nulls.json", nulls, 5, "xfu: warning: skipped 200000 invalid catalog records"},
      {"utf8.json", "[{\"codename\": \"\xc3\x28\"}]", 5, "xfu: catalog "},
      {"number.json", "[{\"codename\": \"a\", \"size\": 1e99999}]", 5, "xfu: catalog "},
      {"types.json", R"([{"codename": 1, "device": [], "version": {}, "branch": true, "type": null, "link": 5}])", 5,
       "xfu: warning: skipped 1 invalid catalog record (first: record 1: field \"codename\" must be a string)"},
      {"long.json", "[{\"codename\": \"" + std::string(5'000'000, 'a') + "\"}]", 5,
       "xfu: warning: skipped 1 invalid catalog record (first: record 1: field \"codename\" is longer than 4096 "
       "bytes)"},
      {"empty.json", "", 5, "xfu: catalog "},
  };
  for (const auto& c : cases) {
    write_text(home.root() / c.name, c.text);
    const RunResult result = home.run({"--catalog", (home.root() / c.name).string(), "list"});
    EXPECT_EQ(result.exit_code, c.exit_code) << c.name << ": " << result.err;
    EXPECT_EQ(result.err.rfind(c.err_start, 0), 0u) << c.name << ": " << result.err;
    // The warning, then the line saying the catalog holds nothing valid; or the one line saying why it is no catalog.
    const bool warned = c.err_start.starts_with("xfu: warning:");
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), warned ? 2 : 1) << c.name;
    EXPECT_EQ(result.out, "") << c.name;
  }
}

// Every command with its standard output on /dev/full: the failed write is a
// local-file error (exit 6) with one line on stderr, never std::terminate.
TEST_F(Cli, EveryCommandWithStdoutOnAFullDiskIsExit6) {
  TestServer server;
  std::filesystem::copy_file(fixture("catalog-small.json"), server.root() / "catalog.json");
  const std::string small = fixture("catalog-small.json").string();
  const auto rom = home.root() / "miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip";
  write_text(rom, "not the real rom");
  const auto sums = home.root() / "SUMS";
  write_text(sums, md5sum_of(rom) + "  " + rom.string() + "\n");
  const std::string layout = (home.root() / "layout").string();
  ASSERT_EQ(home.run({"catalog", "split", small, layout}).exit_code, 0);
  const std::vector<std::vector<std::string>> commands{
      {"--help"},
      {"--version"},
      {"list", "--help"},
      {"--catalog", "builtin", "list", "dipper"},
      {"--catalog", "builtin", "list", "dipper", "--format", "json"},
      {"--catalog", "builtin", "show", "dipper"},
      {"--catalog", "builtin", "devices"},
      {"--catalog", "builtin", "verify", rom.string()},
      {"--catalog", "builtin", "verify", "--json", rom.string()},
      {"--catalog", "builtin", "verify", "--print", rom.string()},
      {"verify", "--check", sums.string()},
      {"--catalog", "builtin", "download", "http://127.0.0.1:9/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", "--dry-run"},
      {"--catalog", "builtin", "download", "http://127.0.0.1:9/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip",
       "--print-url"},
      {"--catalog", "builtin", "catalog", "info"},
      {"--catalog", server.url("catalog.json"), "catalog", "update"},
      {"catalog", "check", small},
      {"catalog", "split", small, (home.root() / "layout2").string()},
      {"catalog", "pack", layout, (home.root() / "small.pack").string()},
      {"--catalog", "builtin", "__complete", "codenames", "dip"},
  };
  for (const auto& args : commands) {
    std::vector<std::string> argv{"/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/full", XFU_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    const RunResult result = run_process(argv, home.env);
    const std::string shown = args.size() > 2 ? args[2] : args[0];
    EXPECT_EQ(result.exit_code, 6) << shown << ": " << result.err;
    // Before it, what the command had to say on stderr anyway (verify's mismatch).
    EXPECT_TRUE(result.err.ends_with("xfu: cannot write to standard output: No space left on device\n"))
        << shown << ": " << result.err;
    EXPECT_LE(count_of(result.err, "\n"), 2u) << shown << ": " << result.err;
    EXPECT_EQ(result.err.find("terminate"), std::string::npos) << shown;
  }
}

// Only regular files are read as a catalog or a file to verify: a FIFO would
// block forever, a device would never end.
TEST_F(Cli, NonRegularFilesAreRefusedAtOnce) {
  const auto fifo = home.root() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const RunResult catalog = home.run({"--catalog", fifo.string(), "list"}, 20);
  EXPECT_EQ(catalog.exit_code, 6);
  EXPECT_EQ(catalog.err, "xfu: cannot read catalog " + fifo.string() +
                             ": not a regular file (a FIFO); --catalog builtin uses the built-in catalog\n");
  const RunResult zero = home.run({"--catalog", "/dev/zero", "list"}, 20);
  EXPECT_EQ(zero.exit_code, 6);
  EXPECT_EQ(zero.err,
            "xfu: cannot read catalog /dev/zero: not a regular file (a character device); --catalog builtin uses the "
            "built-in catalog\n");
  const RunResult check = home.run({"catalog", "check", "/dev/zero"}, 20);
  EXPECT_EQ(check.exit_code, 6);
  EXPECT_EQ(check.err, "xfu: cannot read /dev/zero: not a regular file (a character device)\n");

  const RunResult verify = home.run({"--catalog", "builtin", "verify", fifo.string()}, 20);
  EXPECT_EQ(verify.exit_code, 6);
  EXPECT_EQ(verify.out, fifo.string() + ": FAILED open or read\n");
  EXPECT_EQ(verify.err, "xfu: " + fifo.string() + ": not a regular file (a FIFO)\n");
  std::filesystem::create_directories(home.config_dir());
  const auto config = home.config_dir() / "config.json";
  ASSERT_EQ(::mkfifo(config.c_str(), 0600), 0);
  const RunResult configured = home.run({"list", "dipper"}, 20);
  EXPECT_EQ(configured.exit_code, 6);
  EXPECT_EQ(configured.err, "xfu: cannot read config file " + config.string() + ": not a regular file (a FIFO)\n");
  std::filesystem::remove(config);

  const RunResult print = home.run({"verify", "--print", fifo.string(), "/dev/zero"}, 20);
  EXPECT_EQ(print.exit_code, 6);
  EXPECT_EQ(print.err, "xfu: " + fifo.string() +
                           ": not a regular file (a FIFO)\nxfu: /dev/zero: not a regular file (a "
                           "character device)\n");
}

TEST_F(Cli, ACatalogFileBeyondTheSizeLimitIsRefusedUnread) {
  const auto huge = home.root() / "huge.json";
  write_text(huge, "[");
  std::filesystem::resize_file(huge, (512ull << 20) + 1);  // sparse: no disk space taken
  const RunResult result = home.run({"--catalog", huge.string(), "list"}, 20);
  EXPECT_EQ(result.exit_code, 5);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "xfu: catalog " + huge.string() +
                            ": larger than the limit of 536.9 MB for a catalog file; xfu catalog check " +
                            huge.string() + " says more, and --catalog builtin uses the built-in catalog\n");
}

TEST_F(Cli, SplitNeverWritesThroughALinkedShardsDirectory) {
  const auto elsewhere = home.root() / "elsewhere";
  const auto layout = home.root() / "layout";
  std::filesystem::create_directories(elsewhere);
  std::filesystem::create_directories(layout);
  std::filesystem::create_directory_symlink(elsewhere, layout / "shards");
  const RunResult split = home.run({"catalog", "split", fixture("catalog-small.json").string(), layout.string()});
  EXPECT_EQ(split.exit_code, 6) << split.err;
  EXPECT_EQ(split.err, "xfu: refusing to write " + (layout / "shards").string() + ": it is a symbolic link\n");
  EXPECT_TRUE(std::filesystem::is_empty(elsewhere));
  EXPECT_FALSE(std::filesystem::exists(layout / "index.json"));
}

TEST_F(Cli, ReadmeListsTheExitCodeTable) {
  const std::string readme = read_text(std::filesystem::path(XFU_FIXTURES) / ".." / ".." / "README.md");
  for (const auto& entry : exit_code_table()) {
    const std::string row = "| " + std::to_string(static_cast<int>(entry.code)) + " | " + std::string(entry.meaning) +
                            " |";
    EXPECT_NE(readme.find(row), std::string::npos) << row;
  }
}

}  // namespace
}  // namespace xfu::test
