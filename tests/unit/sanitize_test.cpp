#include "render/sanitize.hpp"

#include <gtest/gtest.h>

#include "util/strings.hpp"

namespace xfu {
namespace {

TEST(Sanitize, RemovesEscapeSequencesAndControls) {
  EXPECT_EQ(sanitize_line("a\x1b[2Jb"), "ab");
  EXPECT_EQ(sanitize_line("a\x1b]52;c;ZXZpbA==\x07"
                          "b"),
            "ab");
  EXPECT_EQ(sanitize_line("a\x1b]0;title\x1b\\b"), "ab");
  EXPECT_EQ(sanitize_line("a\x1b(Bb"), "ab");
  EXPECT_EQ(sanitize_line("a\xc2\x9b"
                          "31mb"),
            "ab");  // C1 CSI
  EXPECT_EQ(sanitize_line("a\rb\x07\x08\x7f"), "ab");
  EXPECT_EQ(sanitize_line("a\nb\tc"), "a b c");
  EXPECT_EQ(sanitize_text("a\nb\x1b[31m"), "a\nb");
  EXPECT_EQ(sanitize_line("x\xe2\x80\xae"
                          "evil"),
            "xevil");  // right-to-left override
}

TEST(Sanitize, ReplacesInvalidUtf8) {
  EXPECT_EQ(sanitize_line("a\xff"
                          "b"),
            "a\uFFFD"
            "b");
  EXPECT_EQ(sanitize_line("\xc0\xaf"), "\uFFFD\uFFFD");            // overlong '/'
  EXPECT_EQ(sanitize_line("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_EQ(sanitize_line("Mi 8 \u00e9\u4e2d"), "Mi 8 \u00e9\u4e2d");
}

TEST(Sanitize, MeasuresDisplayColumns) {
  EXPECT_EQ(display_width("Mi 8"), 4u);
  EXPECT_EQ(display_width("\u5c0f\u7c73"), 4u);  // CJK
  EXPECT_EQ(display_width("\U0001F4F1"), 2u);    // emoji
  EXPECT_EQ(display_width("e\u0301"), 1u);       // combining accent
  EXPECT_EQ(truncate_to_width("Redmi Note 8 Pro", 8, "..."), "Redmi...");
  EXPECT_EQ(truncate_to_width("\u5c0f\u7c73\u5c0f\u7c73", 5, "\u2026"), "\u5c0f\u7c73\u2026");
  EXPECT_EQ(truncate_to_width("short", 8, "..."), "short");
}

TEST(VisibleName, ShowsAReadableNameAsItIs) {
  for (const char* name : {"/tmp/rom.zip", "back\\slash.zip", "\u5c0f\u7c73 \u00e9t\u00e9.zip", "a b.zip"})
    EXPECT_EQ(visible_name(name), name);
}

TEST(VisibleName, EscapesEverythingElseMd5sumStyle) {
  EXPECT_EQ(visible_name("two\nlines\\x.zip"), "\\two\\nlines\\\\x.zip");
  EXPECT_EQ(visible_name("a\rb"), "\\a\\rb");
  EXPECT_EQ(visible_name("x\x1b[2J.zip"), "\\x\\x1b[2J.zip");
  EXPECT_EQ(visible_name("x\u009b31m.zip"), "\\x\\xc2\\x9b31m.zip");
  EXPECT_EQ(visible_name("x\u202e.zip"), "\\x\\xe2\\x80\\xae.zip");
  EXPECT_EQ(visible_name("x\u2028\u5c0f.zip"), "\\x\\xe2\\x80\\xa8\u5c0f.zip");
  EXPECT_EQ(visible_name("x\xff.zip"), "\\x\\xff.zip");
  EXPECT_EQ(visible_name("x\x7f"), "\\x\\x7f");
}

TEST(JsonOutput, EscapesInvisibleControlsOnly) {
  EXPECT_EQ(escape_invisible_in_json("{\"a\": \"x\u009b31m \u0085 \u202e \u2066 \u2028 \u200b \ufeff\"}"),
            "{\"a\": \"x\\u009b31m \\u0085 \\u202e \\u2066 \\u2028 \\u200b \\ufeff\"}");
  EXPECT_EQ(escape_invisible_in_json("[\"\u5c0f\u7c73 \u00e9\", \"\\u001b\"]"),
            "[\"\u5c0f\u7c73 \u00e9\", \"\\u001b\"]");
}

TEST(QuotedExcerpt, EveryCharacterVisibleAndNeverCutInsideOne) {
  EXPECT_EQ(quoted_excerpt("Stable\u200b"), "\"Stable\\u200b\"");
  EXPECT_EQ(quoted_excerpt("a\u0085b\x1b[2J"), "\"a\\u0085b\\u001b[2J\"");
  EXPECT_EQ(quoted_excerpt("\xff\xfe"), "\"\\xff\\xfe\"");
  EXPECT_EQ(quoted_excerpt("\u00e9\u00e9\u00e9", 2), "\"\u00e9\u00e9...\"");
  EXPECT_EQ(quoted_excerpt("abc", 3), "\"abc\"");
}

}  // namespace

}  // namespace xfu
