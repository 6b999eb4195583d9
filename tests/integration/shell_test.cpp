// Shell integration: completions in the real bash, zsh and fish; the man page;
// install paths; the Debian package.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = fs::path(XFU_FIXTURES).parent_path().parent_path();
const fs::path kBuild = fs::path(XFU_BINARY).parent_path();

// The words a completion prints, one per line, without fish's descriptions or empty lines.
std::vector<std::string> completion_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    if (const auto tab = line.find('\t'); tab != std::string::npos) line.resize(tab);  // fish adds descriptions
    if (!line.empty()) lines.push_back(line);
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

class Completion : public ::testing::Test {
 protected:
  XfuHome home;
  void SetUp() override {
    home.env["PATH"] = kBuild.string() + ":/usr/bin:/bin";
    home.env["XFU_CATALOG"] = "builtin";
  }

  // bash: the completion function called as bash calls it, with bash-completion loaded.
  std::vector<std::string> bash(const std::string& line) {
    const std::string script = "source /usr/share/bash-completion/bash_completion; source " +
                               (kSource / "completions/xfu.bash").string() + "; COMP_LINE='" + line +
                               "'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< \"$COMP_LINE\"; "
                               "[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                               "_xfu; printf '%s\\n' \"${COMPREPLY[@]}\"";
    return completion_lines(run_process({"/bin/bash", "-c", script}, home.env).out);
  }
  std::vector<std::string> zsh(const std::string& line) {
    const auto output = home.root() / "zsh-candidates";
    return completion_lines(run_process({"/usr/bin/zsh", "-f", (kSource / "tests/shell/zsh_complete.zsh").string(),
                                         (kSource / "completions").string(), output.string(), line},
                                        home.env, 30)
                                .out);
  }
  std::vector<std::string> fish(const std::string& line) {
    const std::string script = "source " + (kSource / "completions/xfu.fish").string() + "; complete -C '" + line + "'";
    return completion_lines(run_process({"/usr/bin/fish", "--no-config", "-c", script}, home.env).out);
  }

  void expect_all(const std::string& line, const std::set<std::string>& expected) {
    for (const auto& [shell, candidates] : {std::pair{"bash", bash(line)}, {"zsh", zsh(line)}, {"fish", fish(line)}})
      EXPECT_EQ(std::set<std::string>(candidates.begin(), candidates.end()), expected) << shell << ": " << line;
  }
};

TEST_F(Completion, CodenamesFromTheCatalog) {
  expect_all("xfu show dip", {"dipper", "dipper_global", "dipper_ru_global"});
  expect_all("xfu download capri", {"capricorn", "capricorn_global"});
}

TEST_F(Completion, VersionsOfTheCodename) {
  expect_all("xfu show dipper 8.12", {"8.12.6", "8.12.7", "8.12.13", "8.12.20"});
  expect_all("xfu download --offline cancro 7.12.", {"7.12.8", "7.12.28"});
}

TEST_F(Completion, FlagValues) {
  expect_all("xfu list --branch ", {"stable", "stable-beta", "weekly", "public-beta"});
  expect_all("xfu list dipper --type ", {"recovery", "fastboot"});
  expect_all("xfu download dipper --mirror ", {"bigota", "cdnorg", "hugeota", "bn", "aliyun"});
  expect_all("xfu list --format ", {"table", "tsv", "json", "cards"});
}

TEST_F(Completion, Subcommands) {
  for (const auto& candidates : {bash("xfu "), zsh("xfu "), fish("xfu ")}) {
    const std::set<std::string> got(candidates.begin(), candidates.end());
    for (const char* command : {"list", "show", "devices", "verify", "download", "catalog"})
      EXPECT_TRUE(got.count(command)) << command;
    EXPECT_FALSE(got.count("__complete"));
  }
}

TEST_F(Completion, TheCatalogNamedOnTheCommandLine) {
  // Codenames the built-in catalog (XFU_CATALOG) does not have: they can only come from --catalog.
  const fs::path catalog = home.root() / "mine.json";
  write_text(catalog, R"([{"codename": "zorro", "device": "Zorro", "version": "1.2.3", "branch": "Stable",
      "type": "Recovery", "link": "https://example.org/z/miui_ZORRO_1.2.3_0123456789_9.0.zip"},
    {"codename": "zorro_global", "device": "Zorro Global", "version": "1.2.4", "branch": "Stable",
      "type": "Recovery", "link": "https://example.org/z/miui_ZORROGlobal_1.2.4_0123456789_9.0.zip"}])");
  const std::string quoted = "\"" + catalog.string() + "\"";
  for (const std::string& line : {"xfu --catalog " + quoted + " show zo", "xfu list --catalog " + quoted + " zo",
                                  "xfu --catalog=" + quoted + " download zo"})
    expect_all(line, {"zorro", "zorro_global"});
  expect_all("xfu --catalog " + quoted + " show zorro_global 1.", {"1.2.4"});
  expect_all("xfu --catalog " + quoted + " show dip", {});

  home.env["HOME"] = home.root().string();
  expect_all("xfu --catalog ~/mine.json list zor", {"zorro", "zorro_global"});
  // As the shells' own file completion writes a name: backslash-escaped.
  fs::copy_file(catalog, home.root() / "mine(1).json");
  expect_all("xfu --catalog ~/mine\\(1\\).json list zor", {"zorro", "zorro_global"});
  // An option's value is not the command.
  expect_all("xfu --color always --catalog ~/mine.json list zor", {"zorro", "zorro_global"});
}

TEST_F(Completion, FileNamesForVerify) {
  write_text(home.root() / "miui_A_1.0_0123456789_9.0.zip", "x");
  const std::string line = "xfu verify " + (home.root() / "miui_A").string();
  const std::string expected = (home.root() / "miui_A_1.0_0123456789_9.0.zip").string();
  EXPECT_EQ(bash(line), std::vector<std::string>{expected});
  EXPECT_EQ(fish(line), std::vector<std::string>{expected});
}

TEST_F(Completion, TheHiddenEntryPointIsQuickAndOffline) {
  home.env["XFU_CATALOG"] = "http://127.0.0.1:9/catalog.json";  // never contacted
  const RunResult result = home.run({"__complete", "codenames", "cepheu"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "cepheus\ncepheus_eea_global\ncepheus_global\ncepheus_ru_global\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(home.run({"__complete", "versions", "nosuch"}).out, "");
  EXPECT_EQ(home.run({"__complete", "bogus"}).exit_code, 0);
}

// Every long option that --help prints, for every command.
std::set<std::string> long_options() {
  std::set<std::string> options;
  XfuHome home;
  for (const char* command :
       {"", "list", "show", "devices", "verify", "download", "catalog", "catalog info", "catalog update"}) {
    std::vector<std::string> args;
    std::istringstream words(command);
    for (std::string word; words >> word;) args.push_back(word);
    args.push_back("--help");
    const std::string help = home.run(args).out;
    const std::regex option("(^|[ ,])(--[a-z][a-z0-9-]+)");
    for (std::sregex_iterator it(help.begin(), help.end(), option), end; it != end; ++it) options.insert((*it)[2]);
  }
  return options;
}

TEST(ShellIntegration, EveryOptionIsInTheManPageAndEveryCompletion) {
  const auto options = long_options();
  ASSERT_GT(options.size(), 30u);
  const std::string man = std::regex_replace(read_text(kSource / "man/xfu.1"), std::regex("\\\\-"), "-");
  const std::string bash = read_text(kSource / "completions/xfu.bash");
  const std::string zsh = read_text(kSource / "completions/_xfu");
  const std::string fish = read_text(kSource / "completions/xfu.fish");
  for (const auto& option : options) {
    if (option == "--help") continue;
    EXPECT_NE(man.find(option), std::string::npos) << option << " is not in man/xfu.1";
    EXPECT_NE(bash.find(option), std::string::npos) << option << " is not in completions/xfu.bash";
    EXPECT_NE(zsh.find(option), std::string::npos) << option << " is not in completions/_xfu";
    EXPECT_NE(fish.find("-l " + option.substr(2)), std::string::npos) << option << " is not in completions/xfu.fish";
  }
}

TEST(ShellIntegration, ManPageLintsCleanAndRenders) {
  const RunResult lint = run_process({"/usr/bin/mandoc", "-Tlint", (kSource / "man/xfu.1").string()}, {});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out + lint.err, "");
  const RunResult man = run_process({"/usr/bin/man", "-l", (kSource / "man/xfu.1").string()},
                                    {{"PATH", "/usr/bin:/bin"}, {"MANPAGER", "cat"}, {"COLUMNS", "80"}});
  EXPECT_EQ(man.exit_code, 0) << man.err;
  for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "CATALOG FORMAT", "ENVIRONMENT",
                              "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"})
    EXPECT_NE(man.out.find(std::string("\n") + section + "\n"), std::string::npos) << section;
}

// The lines of the man page's verbatim blocks (.EX ... .EE), as a user must type them.
std::vector<std::string> man_page_examples() {
  std::vector<std::string> examples;
  std::istringstream source(read_text(kSource / "man/xfu.1"));
  bool verbatim = false;
  for (std::string line; std::getline(source, line);) {
    if (line == ".EX" || line == ".EE") {
      verbatim = line == ".EX";
      continue;
    }
    if (verbatim) examples.push_back(std::regex_replace(line, std::regex("\\\\-"), "-"));
  }
  return examples;
}

std::string trimmed(const std::string& line) {
  const size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? "" : line.substr(first, line.find_last_not_of(' ') - first + 1);
}

TEST(ShellIntegration, ManPageExamplesRenderVerbatimAtEveryWidth) {
  const auto examples = man_page_examples();
  ASSERT_GE(examples.size(), 9u);
  EXPECT_NE(std::find(examples.begin(), examples.end(),
                      R"({"schema": "xfu-catalog/1", "generated": "...", "roms": [...]})"),
            examples.end());
  for (const char* width : {"40", "60", "80", "200"}) {
    const RunResult man =
        run_process({"/usr/bin/man", "-l", (kSource / "man/xfu.1").string()},
                    {{"PATH", "/usr/bin:/bin"}, {"MANPAGER", "cat"}, {"MANWIDTH", width}, {"LANG", "C.UTF-8"}});
    ASSERT_EQ(man.exit_code, 0) << man.err;
    std::set<std::string> rendered;
    std::istringstream lines(man.out);
    for (std::string line; std::getline(lines, line);) rendered.insert(trimmed(line));
    for (const auto& example : examples)
      EXPECT_TRUE(rendered.count(trimmed(example))) << width << " columns: " << example;
    // No word is hyphenated, in code or in prose: U+2010 is what groff puts at a break.
    EXPECT_EQ(man.out.find("\u2010"), std::string::npos) << width << " columns";
    if (std::string(width) == "200") {
      EXPECT_NE(man.out.find("xfu - find, show, download and verify official Xiaomi"), std::string::npos);
    }
  }
}

TEST(ShellIntegration, InstallPlacesEveryFile) {
  TempDir prefix;
  const RunResult install = run_process({"/usr/bin/cmake", "--install", kBuild.string(), "--prefix",
                                         prefix.path().string()},
                                        {{"PATH", "/usr/bin:/bin"}});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  for (const char* path :
       {"bin/xfu", "share/man/man1/xfu.1", "share/bash-completion/completions/xfu", "share/zsh/vendor-completions/_xfu",
        "share/fish/vendor_completions.d/xfu.fish", "share/doc/xfu/README.md", "share/doc/xfu/LICENSE"})
    EXPECT_TRUE(fs::exists(prefix.path() / path)) << path;
  const RunResult version = run_process({(prefix.path() / "bin/xfu").string(), "--version"}, {});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("xfu ", 0), 0u);
}

TEST(ShellIntegration, DebianPackage) {
  TempDir work;
  const RunResult pack = run_process({"/bin/sh", "-c",
                                      "cd '" + kBuild.string() + "' && cpack -G DEB -B '" + work.path().string() + "'"},
                                     {{"PATH", "/usr/bin:/bin"}}, 300);
  ASSERT_EQ(pack.exit_code, 0) << pack.out << pack.err;
  fs::path deb;
  for (const auto& entry : fs::directory_iterator(work.path()))
    if (entry.path().extension() == ".deb") deb = entry.path();
  ASSERT_FALSE(deb.empty());
  const std::string depends = run_process({"/usr/bin/dpkg-deb", "-f", deb.string(), "Depends"}, {}).out;
  for (const char* library : {"libc6", "libcurl4", "libssl3", "libstdc++6"})
    EXPECT_NE(depends.find(library), std::string::npos) << depends;
  EXPECT_EQ(depends.find("-dev"), std::string::npos) << depends;

  const fs::path root = work.path() / "root";
  ASSERT_EQ(run_process({"/usr/bin/dpkg-deb", "-x", deb.string(), root.string()}, {}).exit_code, 0);
  const RunResult version = run_process({(root / "usr/bin/xfu").string(), "--version"}, {});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("built-in catalog: 2026-08-23"), std::string::npos);
  const RunResult man = run_process({"/usr/bin/man", "-l", (root / "usr/share/man/man1/xfu.1").string()},
                                    {{"PATH", "/usr/bin:/bin"}, {"MANPAGER", "cat"}});
  EXPECT_NE(man.out.find("- find, show, download and verify"), std::string::npos) << man.out.substr(0, 300);
  const std::string script = "source /usr/share/bash-completion/bash_completion; source " +
                             (root / "usr/share/bash-completion/completions/xfu").string() +
                             "; COMP_WORDS=(xfu show dipper_r); COMP_CWORD=2; COMP_LINE='xfu show dipper_r'; "
                             "COMP_POINT=${#COMP_LINE}; _xfu; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const RunResult completion = run_process({"/bin/bash", "-c", script},
                                           {{"PATH", (root / "usr/bin").string() + ":/usr/bin:/bin"},
                                            {"XFU_CATALOG", "builtin"},
                                            {"HOME", work.path().string()}});
  EXPECT_EQ(completion.out, "dipper_ru_global\n");
}

}  // namespace
}  // namespace xfu::test
