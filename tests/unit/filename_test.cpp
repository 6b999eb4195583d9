#include "core/filename.hpp"

#include <gtest/gtest.h>

namespace xfu {
namespace {

TEST(Filename, AcceptsRomNames) {
  for (const char* name : {"miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip",
                           "dipper_global_images_8.12.7_20181207.0000.00_9.0_global_2363b6e14c.tgz",
                           "air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-fc3ec2da64.zip"})
    EXPECT_EQ(package_name_problem(name), std::nullopt) << name;
}

TEST(Filename, RejectsNamesThatEscapeTheTargetDirectory) {
  for (const char* name : {"", "..", ".", "../x.zip", "a/b.zip", "/etc/passwd", "a\\b.zip", "x..zip"})
    EXPECT_NE(package_name_problem(name), std::nullopt) << name;
  EXPECT_NE(package_name_problem(std::string("a\0b.zip", 7)), std::nullopt);
  EXPECT_NE(package_name_problem("a\nb.zip"), std::nullopt);
  EXPECT_NE(package_name_problem("a\x1b[2Jb.zip"), std::nullopt);
  EXPECT_NE(package_name_problem(std::string(256, 'a')), std::nullopt);
}

TEST(Filename, RejectsInvisibleControlsAndInvalidUtf8) {
  for (const char* name :
       {"x\u009b31m.zip", "x\u0085.zip", "x\u0080.zip", "x\u009f.zip", "x\u200b.zip", "x\u200f.zip", "x\u202a.zip",
        "x\u202e.zip", "x\u2066.zip", "x\u2069.zip", "\ufeffx.zip", "x\u2028.zip", "x\u2029.zip"})
    EXPECT_NE(package_name_problem(name), std::nullopt) << name;
  EXPECT_EQ(package_name_problem("x\u202e.zip"), "file name contains an invisible control character (U+202E)");
  for (const char* name : {"x\xff.zip", "x\xc2.zip", "x\xc0\xaf.zip", "x\xed\xa0\x80.zip"})
    EXPECT_EQ(package_name_problem(name), "file name is not valid UTF-8") << name;
  EXPECT_EQ(package_name_problem("\u5c0f\u7c73-\u00e9t\u00e9.zip"), std::nullopt);  // readable UTF-8 is fine
}

TEST(Filename, RejectsTheNamesXfuGivesItsOwnFiles) {
  EXPECT_EQ(package_name_problem("rom.zip.part"), "file name ends in \".part\", which xfu uses for its own files");
  EXPECT_EQ(package_name_problem("rom.zip.part.state"),
            "file name ends in \".part.state\", which xfu uses for its own files");
  EXPECT_EQ(package_name_problem("rom.zip.corrupt"),
            "file name ends in \".corrupt\", which xfu uses for its own files");
  EXPECT_EQ(package_name_problem("rom.zip.part.state.tmp.abc123"),
            "file name ends like xfu's temporary files (\".tmp.XXXXXX\")");
  EXPECT_NE(package_name_problem("catalog.json.tmp.AbC123"), std::nullopt);
  for (const char* name : {"rom.partial.zip", "rom.zip.tmp.abc12", "rom.tmp.abc1234", "corrupt.zip", "part"})
    EXPECT_EQ(package_name_problem(name), std::nullopt) << name;
}

TEST(Filename, ChecksUrls) {
  EXPECT_TRUE(is_http_url("https://bigota.d.miui.com/x.zip"));
  EXPECT_TRUE(is_http_url("HTTP://127.0.0.1:8080/x"));
  for (const char* url : {"ftp://h/x", "file:///etc/passwd", "//h/x", "https://", "https:///x", "http://h/a b",
                          "javascript:alert(1)", "https://h/x\n", "gopher://h/",
                          "https://h/\xc2\x9b"
                          "31m",
                          "https://h/\xe5\xb0\x8f.zip", "https://h\\x.zip"})
    EXPECT_FALSE(is_http_url(url)) << url;
}

TEST(Filename, TakesTheLastPathSegment) {
  EXPECT_EQ(filename_from_url("https://h/8.12.7/miui.zip?t=1&s=2"), "miui.zip");
  EXPECT_EQ(filename_from_url("https://h/a/b.tgz#frag"), "b.tgz");
  EXPECT_EQ(filename_from_url("https://h"), "");
  EXPECT_EQ(filename_from_url("https://h/"), "");
}

}  // namespace
}  // namespace xfu
