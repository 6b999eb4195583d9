// xfu verify: the real binary against real files, the real md5sum, and a
// pseudo-terminal.
#include <gtest/gtest.h>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

class Verify : public ::testing::Test {
 protected:
  XfuHome home;
  std::filesystem::path dir = home.root() / "files";
  std::filesystem::path catalog = home.root() / "catalog.json";

  void SetUp() override {
    std::filesystem::create_directories(dir);
    home.env["XFU_CATALOG"] = catalog.string();
  }

  // A file with `content`; returns its path.
  std::filesystem::path file(const std::string& name, const std::string& content) {
    write_text(dir / name, content);
    return dir / name;
  }

  void write_catalog(const std::vector<std::pair<std::string, std::string>>& name_and_md5) {
    std::string records;
    for (const auto& [name, md5] : name_and_md5)
      records += std::string(records.empty() ? "" : ",\n") + R"({"codename": "dipper_global", "device": "Mi 8 Global",
        "version": "8.12.7", "branch": "Weekly", "type": "Recovery", "link": "https://h.example/8.12.7/)" +
                 name + R"(", "md5": )" + (md5.empty() ? "null" : "\"" + md5 + "\"") + "}";
    write_text(catalog, "[" + records + "]");
  }

  RunResult verify(std::vector<std::string> args) {
    args.insert(args.begin(), "verify");
    return home.run(args);
  }
};

TEST_F(Verify, CatalogMatchIsOk) {
  const auto rom = file("miui_MI8Global_8.12.7_0123456789_9.0.zip", "the rom");
  write_catalog({{rom.filename().string(), md5sum_of(rom)}});
  const RunResult result = verify({rom.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, rom.string() + ": OK\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(Verify, CatalogBeatsTheNamePrefix) {
  // The name carries the right prefix, but the catalog's full MD5 disagrees: the catalog wins.
  const std::string content = "prefix wins?";
  write_text(dir / "tmp", content);
  const std::string actual = md5sum_of(dir / "tmp");
  const auto rom = file("miui_MI8Global_8.12.7_" + actual.substr(0, 10) + "_9.0.zip", content);
  write_catalog({{rom.filename().string(), "0123456789abcdef0123456789abcdef"}});
  const RunResult result = verify({rom.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, rom.string() + ": FAILED\n");
  EXPECT_EQ(result.err, "xfu: " + rom.string() +
                            ": MD5 mismatch: expected 0123456789abcdef0123456789abcdef "
                            "(catalog), got " +
                            actual + "\n");
}

TEST_F(Verify, NamePrefixIsUsedWhenTheCatalogKnowsNothing) {
  write_catalog({});
  const std::string content = "prefix only";
  write_text(dir / "tmp", content);
  const std::string actual = md5sum_of(dir / "tmp");
  for (const std::string& name :
       {"miui_MI8Global_8.12.7_" + actual.substr(0, 10) + "_9.0.zip",
        "dipper_global_images_8.12.7_20181207.0000.00_9.0_global_" + actual.substr(0, 10) + ".tgz",
        "air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-" + actual.substr(0, 10) + ".zip",
        "miui-blockota-wayne-20.1.2-20.1.16-" + actual.substr(0, 10) + "-9.0.zip"}) {
    const auto rom = file(name, content);
    const RunResult result = verify({rom.string(), "--json"});
    EXPECT_EQ(result.exit_code, 0) << name;
    EXPECT_NE(result.out.find("\"source\": \"name-prefix\""), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("\"expected\": \"" + actual.substr(0, 10) + "\""), std::string::npos);
  }
  const auto wrong = file("miui_MI8Global_8.12.7_0000000000_9.0.zip", content);
  EXPECT_EQ(verify({wrong.string()}).exit_code, 1);
}

// A file named after its own MD5 prefix matches that prefix, which proves
// nothing against a forgery: scripts can tell it from a full match, and
// --require-md5 refuses it.
TEST_F(Verify, ANameIsNotAChecksum) {
  write_catalog({});
  const std::string content = "forged package";
  write_text(dir / "tmp", content);
  const std::string actual = md5sum_of(dir / "tmp");
  const auto rom = file("miui_MI8Global_8.12.7_" + actual.substr(0, 10) + "_9.0.zip", content);

  const RunResult piped = verify({rom.string()});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, rom.string() + ": NAME-OK\n");
  EXPECT_EQ(piped.err, "");

  const RunResult json = verify({rom.string(), "--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("\"status\": \"name-ok\""), std::string::npos) << json.out;

  const RunResult strict = verify({rom.string(), "--require-md5"});
  EXPECT_EQ(strict.exit_code, 3);
  EXPECT_EQ(strict.out, rom.string() + ": NAME-OK\n");
  EXPECT_EQ(strict.err, "xfu: " + rom.string() +
                            ": only the MD5 prefix in its name (40 bits) matched, and --require-md5 asks for a full "
                            "MD5; give one with --md5\n");
  EXPECT_EQ(verify({rom.string(), "--require-md5", "--quiet"}).out, rom.string() + ": NAME-OK\n");

  const RunResult full = verify({rom.string(), "--require-md5", "--md5", actual});
  EXPECT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(full.out, rom.string() + ": OK\n");
}

TEST_F(Verify, UnknownChecksumIsExit3AndNeverOk) {
  write_catalog({});
  const auto plain = file("notes.zip", "x");
  const RunResult result = verify({plain.string()});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, plain.string() + ": UNKNOWN\n");
  EXPECT_EQ(result.err,
            "xfu: " + plain.string() +
                ": no checksum known (not in the catalog, no MD5 prefix in its name); give one with --md5\n");
  const RunResult flagged = verify({plain.string(), "--md5", md5sum_of(plain)});
  EXPECT_EQ(flagged.exit_code, 0);
  EXPECT_EQ(verify({plain.string(), "--md5", "0123456789abcdef0123456789abcdef"}).exit_code, 1);
}

TEST_F(Verify, ExitCodesForMixes) {
  const auto good = file("good.zip", "good");
  const auto bad = file("bad.zip", "bad");
  const auto unknown = file("unknown.zip", "?");
  write_catalog({{"good.zip", md5sum_of(good)}, {"bad.zip", "0123456789abcdef0123456789abcdef"}});
  const std::string missing = (dir / "missing.zip").string();
  EXPECT_EQ(verify({good.string(), good.string()}).exit_code, 0);
  EXPECT_EQ(verify({good.string(), unknown.string()}).exit_code, 3);
  EXPECT_EQ(verify({good.string(), missing}).exit_code, 6);
  EXPECT_EQ(verify({unknown.string(), missing}).exit_code, 6);
  EXPECT_EQ(verify({bad.string(), missing, unknown.string(), good.string()}).exit_code, 1);
  const RunResult directory = verify({dir.string()});
  EXPECT_EQ(directory.exit_code, 6);
  EXPECT_EQ(directory.out, dir.string() + ": FAILED open or read\n");
  EXPECT_EQ(directory.err, "xfu: " + dir.string() + ": Is a directory\n");
  const RunResult absent = verify({missing});
  EXPECT_EQ(absent.out, missing + ": FAILED open or read\n");
  EXPECT_EQ(absent.err, "xfu: " + missing + ": No such file or directory\n");
}

TEST_F(Verify, QuietPrintsOnlyFailures) {
  const auto good = file("good.zip", "good");
  const auto bad = file("bad.zip", "bad");
  write_catalog({{"good.zip", md5sum_of(good)}, {"bad.zip", "0123456789abcdef0123456789abcdef"}});
  const RunResult result = verify({"-q", good.string(), bad.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, bad.string() + ": FAILED\n");
}

TEST_F(Verify, ParallelOutputKeepsArgumentOrder) {
  write_catalog({});
  std::vector<std::string> args;
  std::string expected;
  for (int i = 0; i < 8; ++i) {
    // Big files first, so later ones finish first.
    const auto path = file("f" + std::to_string(i) + ".bin",
                           std::string((8 - i) * 3000000, static_cast<char>('a' + i)));
    args.push_back(path.string());
    args.push_back("--md5");
    args.push_back(md5sum_of(path));
    expected += path.string() + ": OK\n";
  }
  // --md5 takes one file; check the order through --check instead.
  std::string sums;
  for (size_t i = 0; i < args.size(); i += 3) sums += args[i + 2] + "  " + args[i] + "\n";
  write_text(home.root() / "SUMS", sums);
  const RunResult result = verify({"--check", (home.root() / "SUMS").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, expected);
}

TEST_F(Verify, CheckReadsAFifoAndRefusesEndlessSources) {
  file("f.bin", "foxtrot");
  const std::string in_dir = "cd '" + dir.string() + "' && ";
  const auto shell = [&](const std::string& command) {
    return run_process({"/bin/bash", "-c", in_dir + command}, home.env);
  };
  RunResult result = shell(std::string(XFU_BINARY) + " verify --check <(md5sum f.bin)");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "f.bin: OK\n");
  result = shell(std::string(XFU_BINARY) + " verify --check /dev/zero");
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.err, "xfu: cannot read /dev/zero: not a regular file (a character device)\n");
  result = shell(std::string(XFU_BINARY) + " verify --check - < /dev/zero");
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.err, "xfu: cannot read standard input: not a regular file (a character device)\n");
  result = shell("(md5sum f.bin; tr '\\0' a < /dev/zero) | " + std::string(XFU_BINARY) + " verify --check -");
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.err, "xfu: standard input: line 2 is longer than 64 KiB: not an md5sum checksum list\n");
}

TEST_F(Verify, PrintRoundTripsThroughMd5sumWhateverTheNames) {
  const std::vector<std::string> names{"c\x1b[31mred.zip",
                                       "f\xc2\x9b"
                                       "31m.zip",
                                       "e\xff.zip", "back\\slash.zip", "new\nline.zip"};
  std::string args;
  for (const auto& name : names) {
    file(name, name);
    args += " '" + name + "'";
  }
  const std::string in_dir = "cd '" + dir.string() + "' && ";
  const RunResult ours = run_process({"/bin/sh", "-c", in_dir + XFU_BINARY + " verify --print" + args}, home.env);
  const RunResult theirs = run_process({"/bin/sh", "-c", in_dir + "md5sum" + args}, home.env);
  EXPECT_EQ(ours.exit_code, 0) << ours.err;
  EXPECT_EQ(ours.out, theirs.out);
  write_text(dir / "SUMS", ours.out);
  const RunResult md5sum = run_process({"/bin/sh", "-c", in_dir + "md5sum -c --quiet SUMS"}, home.env);
  EXPECT_EQ(md5sum.exit_code, 0) << md5sum.out << md5sum.err;
  const RunResult check = run_process({"/bin/sh", "-c", in_dir + XFU_BINARY + " verify --quiet --check SUMS"},
                                      home.env);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(Verify, ChecksWhatMd5sumWrote) {
  const auto a = file("a.bin", "alpha");
  const auto b = file("b w.bin", "bravo");
  const auto c = file("c\\d.bin", "charlie");
  write_text(dir / "n.bin", "november");
  const std::string names = "a.bin 'b w.bin' 'c\\d.bin' n.bin";
  run_process({"/bin/sh", "-c",
               "cd '" + dir.string() + "' && md5sum " + names +
                   " > SUMS && md5sum -b a.bin >> SUMS && "
                   "echo '# a comment' >> SUMS && echo 'not a checksum line' >> SUMS && echo >> SUMS"},
              {{"PATH", "/usr/bin:/bin"}});
  write_text(dir / "n.bin", "changed");  // now it fails
  auto env = home.env;
  const RunResult result =
      run_process({"/bin/sh", "-c", "cd '" + dir.string() + "' && " + XFU_BINARY + " verify --check SUMS"}, env);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "a.bin: OK\nb w.bin: OK\nc\\d.bin: OK\nn.bin: FAILED\na.bin: OK\n");
  EXPECT_NE(result.err.find("xfu: warning: 1 line is improperly formatted\n"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("xfu: warning: 1 computed checksum did NOT match\n"), std::string::npos) << result.err;
  write_text(dir / "EMPTY", "# nothing\n");
  const RunResult empty =
      run_process({"/bin/sh", "-c", "cd '" + dir.string() + "' && " + XFU_BINARY + " verify --check EMPTY"}, env);
  EXPECT_EQ(empty.exit_code, 3);
  EXPECT_EQ(empty.err, "xfu: EMPTY: no properly formatted MD5 checksum lines found\n");
}

TEST_F(Verify, Md5sumAcceptsPrintOutput) {
  file("a.bin", "alpha");
  file("new\nline.bin", "x");
  file("back\\slash.bin", "y");
  const RunResult result =
      run_process({"/bin/sh", "-c",
                   "cd '" + dir.string() + "' && " + XFU_BINARY + " verify --print * > PRINTED && md5sum -c PRINTED"},
                  home.env);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "a.bin: OK\nback\\slash.bin: OK\n\\new\\nline.bin: OK\n");
  EXPECT_EQ(read_text(dir / "PRINTED"), run_process({"/bin/sh", "-c",
                                                     "cd '" + dir.string() +
                                                         "' && md5sum a.bin "
                                                         "'back\\slash.bin' \"$(printf 'new\\nline.bin')\""},
                                                    {})
                                            .out);
}

TEST_F(Verify, JsonDescribesEachFile) {
  const auto rom = file("miui_MI8Global_8.12.7_0123456789_9.0.zip", "rom");
  write_catalog({{rom.filename().string(), md5sum_of(rom)}});
  const RunResult result = verify({rom.string(), (dir / "missing").string(), "--json"});
  EXPECT_EQ(result.exit_code, 6);
  EXPECT_EQ(result.err, "");
  EXPECT_NE(result.out.find("\"file\": \"" + rom.string() + "\",\n    \"size\": 3,\n    \"md5\": \"" + md5sum_of(rom) +
                            "\",\n    \"expected\": \"" + md5sum_of(rom) +
                            "\",\n    \"source\": \"catalog\",\n    "
                            "\"status\": \"ok\",\n    \"rom\": {\n      \"codename\": \"dipper\""),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(
                "\"status\": \"unreadable\",\n    \"rom\": null,\n    \"error\": \"No such file or directory\""),
            std::string::npos)
      << result.out;
}

TEST_F(Verify, UsageErrors) {
  const auto a = file("a.bin", "a");
  EXPECT_EQ(verify({}).exit_code, 2);
  EXPECT_EQ(verify({a.string(), a.string(), "--md5", md5sum_of(a)}).exit_code, 2);
  EXPECT_EQ(verify({a.string(), "--md5", "xyz"}).exit_code, 2);
  EXPECT_EQ(verify({a.string(), "--check", "SUMS"}).exit_code, 2);
  EXPECT_EQ(verify({"--print", "--json", a.string()}).exit_code, 2);
  EXPECT_EQ(verify({"--check", (dir / "nope").string()}).exit_code, 6);
}

TEST_F(Verify, BuiltinCatalogOfflineWithoutANote) {
  home.env.erase("XFU_CATALOG");  // the default: a remote catalog, never fetched by verify
  const auto rom = file("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", "not the real rom");
  const RunResult result = verify({rom.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.find("note"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("expected c18aad4fc41b831d1107f10a7bb2de0f (catalog)"), std::string::npos) << result.err;
}

TEST_F(Verify, UsesTheCachedCatalogAndNeverTheNetwork) {
  TestServer server;
  const auto rom = file("miui_MI8Global_8.12.7_0123456789_9.0.zip", "served");
  write_catalog({{rom.filename().string(), md5sum_of(rom)}});
  std::filesystem::copy_file(catalog, server.root() / "catalog.json");
  home.env["XFU_CATALOG"] = server.url("catalog.json");
  ASSERT_EQ(home.run({"catalog", "update"}).exit_code, 0);
  server.reset_log();
  home.env["XFU_CATALOG"] = server.url("catalog.json");
  const RunResult result = home.run({"--refresh", "verify", rom.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Verify, FetchesANamedCatalogThatIsNotCached) {
  TestServer server;
  const auto rom = file("miui_MI8Global_8.12.7_0123456789_9.0.zip", "served");
  write_catalog({{rom.filename().string(), md5sum_of(rom)}});
  std::filesystem::copy_file(catalog, server.root() / "catalog.json");
  home.env["XFU_CATALOG"] = server.url("catalog.json");
  const RunResult result = verify({rom.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, rom.string() + ": OK\n");
  EXPECT_EQ(result.err, "");
  EXPECT_NE(server.log(), "[]");
  server.reset_log();
  EXPECT_EQ(verify({rom.string()}).exit_code, 0);  // now cached
  EXPECT_EQ(server.log(), "[]");
}

TEST_F(Verify, ANamedCatalogThatCannotBeHadIsExit4NotTheBuiltinOne) {
  TestServer server;
  // The built-in catalog knows this file; a named catalog that cannot be had must not quietly stand in for it.
  const auto rom = file("miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip", "not the real rom");
  const std::string url = server.url("catalog.json");
  home.env["XFU_CATALOG"] = url;
  const RunResult offline = home.run({"--offline", "verify", rom.string()});
  EXPECT_EQ(offline.exit_code, 4);
  EXPECT_EQ(offline.out, "");
  EXPECT_EQ(offline.err, "xfu: offline, and no cached copy of the catalog " + url + "\n");
  const RunResult missing = verify({rom.string()});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err,
            "xfu: cannot fetch catalog " + url +
                ": HTTP 404 Not Found; check the catalog URL, or use --catalog builtin for the built-in copy\n");
}

TEST_F(Verify, HostileNamesCannotForgeLinesOrDriveTheTerminal) {
  write_catalog({});
  const auto escape = file("evil\x1b]52;c;eA==\x07\x1b[2J.zip", "e");
  const auto line = file("two\nlines: OK.zip", "l");
  const auto back = file("back\\slash.zip", "b");
  // md5sum escapes its output for names with '\n' or '\\': their MD5s come from plain copies.
  const std::string line_md5 = md5sum_of(file("plain-l", "l"));
  const std::string back_md5 = md5sum_of(file("plain-b", "b"));
  const RunResult print = verify({"--print", escape.string(), line.string(), back.string()});
  EXPECT_EQ(print.exit_code, 0) << print.err;
  // Not a terminal: md5sum's exact line, the name's bytes as they are, so that it reads back with md5sum -c.
  EXPECT_EQ(print.out, md5sum_of(escape) + "  " + escape.string() + "\n\\" + line_md5 + "  " + dir.string() +
                           "/two\\nlines: OK.zip\n\\" + back_md5 + "  " + dir.string() + "/back\\\\slash.zip\n");
  const RunResult checked = verify({"--md5", line_md5, line.string()});
  EXPECT_EQ(checked.out, "\\" + dir.string() + "/two\\nlines: OK.zip: OK\n");
  const RunResult unknown = verify({escape.string()});
  EXPECT_EQ(unknown.exit_code, 3);
  // Escaped, never silently changed: the name shown is the file's.
  EXPECT_EQ(unknown.out, "\\" + dir.string() + "/evil\\x1b]52;c;eA==\\x07\\x1b[2J.zip: UNKNOWN\n");
  EXPECT_EQ(unknown.err.find('\x1b'), std::string::npos) << unknown.err;
  EXPECT_EQ(count_of(unknown.err, "\n"), 1u) << unknown.err;
}

TEST_F(Verify, OnATerminalSaysWhatTheFileIs) {
  const auto good = file("miui_MI8Global_8.12.7_0123456789_9.0.zip", "good");
  const auto bad = file("bad.zip", "bad");
  write_catalog({{good.filename().string(), md5sum_of(good)}, {"bad.zip", "0123456789abcdef0123456789abcdef"}});
  home.env["TERM"] = "xterm";
  home.env["NO_COLOR"] = "1";
  const std::string command = std::string(XFU_BINARY) + " verify " + good.string() + " " + bad.string();
  const std::string out = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env).out;
  EXPECT_NE(out.find(good.string() + ": OK\r\n  Mi 8 Global \u00B7 8.12.7 \u00B7 Weekly \u00B7 Recovery\r\n"
                                     "  MD5 from the catalog\r\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(bad.string() +
                     ": FAILED\r\n  Mi 8 Global \u00B7 8.12.7 \u00B7 Weekly \u00B7 Recovery\r\n"
                     "  expected 0123456789abcdef0123456789abcdef (catalog)\r\n  actual   " +
                     md5sum_of(bad)),
            std::string::npos)
      << out;
}

TEST_F(Verify, ProgressOnlyOnATerminal) {
  write_catalog({});
  const auto big = dir / "big.bin";
  write_text(big, "");
  std::filesystem::resize_file(big, 512ull << 20);  // sparse: no disk needed
  const std::string md5 = md5sum_of(big);
  home.env["TERM"] = "xterm";
  const std::string command = std::string(XFU_BINARY) + " verify --md5 " + md5 + " " + big.string();
  const std::string out = run_process({"/usr/bin/script", "-qfec", command, "/dev/null"}, home.env).out;
  EXPECT_NE(out.find("\r\x1b[Kverifying  "), std::string::npos) << out;
  EXPECT_NE(out.find(" / 536.9 MB  "), std::string::npos) << out;
  const RunResult piped = verify({"--md5", md5, big.string()});
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.err, "");
  EXPECT_EQ(piped.out, big.string() + ": OK\n");
}

TEST_F(Verify, AThousandFilesInOneCall) {
  write_catalog({});
  std::string sums, expected;
  std::vector<std::string> args{"--check", (home.root() / "SUMS").string()};
  for (int i = 0; i < 1000; ++i) {
    const auto path = file("f" + std::to_string(i), std::to_string(i * 7919));
    sums += md5sum_of(path) + "  " + path.string() + "\n";
    expected += path.string() + ": OK\n";
  }
  write_text(home.root() / "SUMS", sums);
  const RunResult result = verify(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, expected);
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace xfu::test
