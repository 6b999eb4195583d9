// The README's recipes, run exactly as written, in bash, against a catalog and
// ROM files served by the local test server.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/harness.hpp"

namespace xfu::test {
namespace {

namespace fs = std::filesystem;

const fs::path kReadme = fs::path(XFU_FIXTURES).parent_path().parent_path() / "README.md";

// The indented code blocks of the README's "## Recipes" section, without their indentation.
std::vector<std::string> readme_recipes() {
  std::ifstream readme(kReadme);
  std::vector<std::string> recipes;
  bool in_recipes = false, in_block = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("## ", 0) == 0) in_recipes = line == "## Recipes";
    if (!in_recipes) continue;
    const bool code = line.rfind("    ", 0) == 0;
    if (code && !in_block) recipes.emplace_back();
    if (code) recipes.back() += line.substr(4) + "\n";
    in_block = code;
  }
  return recipes;
}

// A ROM of the served catalog: its file is `size` bytes on the test server.
struct ServedRom {
  std::string codename, device, version, branch, type, date, prefix, suffix;
  size_t size;
  std::string filename = {}, md5 = {};
};

class ReadmeRecipes : public ::testing::Test {
 protected:
  XfuHome home;
  TestServer server;
  fs::path work = home.root() / "work";
  std::vector<ServedRom> roms{
      {"dipper_global", "Mi 8 Global", "V12.0.3.0.QEAMIXM", "Stable", "Recovery", "2021-12-21", "miui_MI8Global_",
       "_10.0.zip", 3000},
      {"dipper_global", "Mi 8 Global", "9.6.27", "Weekly", "Recovery", "2019-06-27", "miui_MI8Global_", "_9.0.zip",
       4000},
      {"dipper", "Mi 8 China", "20.9.4", "Weekly", "Recovery", "2020-09-04", "miui_MI8_", "_10.0.zip", 5000},
      {"dipper_global", "Mi 8 Global", "V12.0.3.0.QEAMIXM", "Stable", "Fastboot", "2021-12-21",
       "dipper_global_images_V12.0.3.0.QEAMIXM_20211221.0000.00_10.0_global_", ".tgz", 6000},
  };

  void SetUp() override {
    fs::create_directories(work);
    std::string catalog = "[";
    for (ServedRom& rom : roms) {
      const fs::path staged = home.root() / "staged";
      write_pattern_file(staged, rom.size);
      rom.md5 = md5sum_of(staged);
      rom.filename = rom.prefix + rom.md5.substr(0, 10) + rom.suffix;
      fs::rename(staged, server.root() / rom.filename);
      catalog += std::string(catalog.size() > 1 ? ",\n" : "") + R"({"codename": ")" + rom.codename +
                 R"(", "device": ")" + rom.device + R"(", "version": ")" + rom.version + R"(", "branch": ")" +
                 rom.branch + R"(", "type": ")" + rom.type + R"(", "date": ")" + rom.date + R"(", "filename": ")" +
                 rom.filename + R"(", "link": ")" + server.url(rom.filename) + R"(", "md5": ")" + rom.md5 + "\"}";
    }
    write_text(server.root() / "catalog.json", catalog + "]");
    home.env["XFU_CATALOG"] = server.url("catalog.json");
    home.env["PATH"] = fs::path(XFU_BINARY).parent_path().string() + ":/usr/bin:/bin";
  }

  // Runs a recipe in bash, in `work`, as a user would paste it.
  RunResult run_recipe(const std::string& recipe) const {
    return run_process({"/bin/bash", "-c", "cd " + work.string() + " && " + recipe}, home.env, 120);
  }

  // Puts a copy of the served file of `rom` at `dir`/its name.
  void copy_rom(const ServedRom& rom, const fs::path& dir) const {
    fs::create_directories(dir);
    fs::copy_file(server.root() / rom.filename, dir / rom.filename);
  }
};

TEST_F(ReadmeRecipes, EveryRecipeRunsAsWritten) {
  const auto recipes = readme_recipes();
  ASSERT_EQ(recipes.size(), 5u) << "a recipe was added or removed: give it its own check here";

  // The URL of the newest stable recovery ROM.
  ASSERT_NE(recipes[0].find("cut -f12"), std::string::npos) << recipes[0];
  const RunResult url = run_recipe(recipes[0]);
  EXPECT_EQ(url.exit_code, 0) << url.err;
  EXPECT_EQ(url.out, server.url(roms[0].filename) + "\n");

  // Verify every ROM in a folder.
  ASSERT_NE(recipes[1].find("xfu verify -q ~/roms/"), std::string::npos) << recipes[1];
  copy_rom(roms[0], home.root() / "roms");
  copy_rom(roms[3], home.root() / "roms");
  const RunResult verified = run_recipe(recipes[1]);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_EQ(verified.out, "");

  // The newest weekly of every device in my-devices.txt.
  ASSERT_NE(recipes[2].find("my-devices.txt"), std::string::npos) << recipes[2];
  fs::remove_all(home.root() / "roms");
  write_text(work / "my-devices.txt", "dipper china\ndipper global\n");
  const RunResult weekly = run_recipe(recipes[2]);
  EXPECT_EQ(weekly.exit_code, 0) << weekly.err;
  EXPECT_EQ(weekly.err.find("failed:"), std::string::npos) << weekly.err;
  for (const ServedRom* rom : {&roms[1], &roms[2]})
    EXPECT_EQ(md5sum_of(home.root() / "roms" / rom->filename), rom->md5) << rom->filename;

  // Versions as JSON, through jq.
  ASSERT_NE(recipes[3].find("| jq "), std::string::npos) << recipes[3];
  const RunResult versions = run_recipe(recipes[3]);
  EXPECT_EQ(versions.exit_code, 0) << versions.err;
  EXPECT_EQ(versions.out, "2021-12-21 V12.0.3.0.QEAMIXM stable\n2021-12-21 V12.0.3.0.QEAMIXM stable\n"
                          "2020-09-04 20.9.4 weekly\n2019-06-27 9.6.27 weekly\n");

  // md5sum's own format, and back.
  ASSERT_NE(recipes[4].find("md5sum -c SUMS"), std::string::npos) << recipes[4];
  copy_rom(roms[0], work);
  copy_rom(roms[1], work);
  const RunResult sums = run_recipe(recipes[4]);
  EXPECT_EQ(sums.exit_code, 0) << sums.err;
  EXPECT_EQ(count_of(sums.out, "\n"), 2u) << sums.out;
  for (const ServedRom* rom : {&roms[0], &roms[1]})
    EXPECT_NE(sums.out.find(rom->filename + ": OK\n"), std::string::npos) << sums.out;
}

}  // namespace
}  // namespace xfu::test
