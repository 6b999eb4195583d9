#include "core/changelog.hpp"
#include "render/card.hpp"

#include <gtest/gtest.h>

namespace xfu {
namespace {

TEST(Changelog, BreaksBecomeLinesAndEntitiesAreDecoded) {
  EXPECT_EQ(changelog_to_text("[Other]<br>Optimized system performance<br>Improved system security and stability"),
            "[Other]\nOptimized system performance\nImproved system security and stability");
  EXPECT_EQ(changelog_to_text("Fix &amp; improve &lt;UI&gt; &quot;x&quot; &#39;y&#39; &#x263A; &nbsp;done"),
            "Fix & improve <UI> \"x\" 'y' \u263A  done");
  EXPECT_EQ(changelog_to_text("<b>Bold</b> <a href='x'>link</a><BR/>next<br />last"), "Bold link\nnext\nlast");
  EXPECT_EQ(changelog_to_text("  <br>text  <br><br>"), "text");
  EXPECT_EQ(changelog_to_text("a < b & c"), "a < b & c");
  EXPECT_EQ(changelog_to_text("&#0; &#xD800; &#99999999;"), "\uFFFD \uFFFD \uFFFD");
}

}  // namespace
}  // namespace xfu

namespace xfu {
namespace {

// A hostile megabyte must cost linear time: these finish in milliseconds, and
// would run for hours if any step rescanned the text (CTest's timeout catches that).
TEST(Changelog, AHostileMegabyteIsLinear) {
  for (const char filler : {'x', '&', '<', '['}) {
    const std::string text = changelog_to_text(std::string(1 << 20, filler));
    EXPECT_EQ(text.size(), size_t{1} << 20) << filler;
    const auto lines = wrap_text(text, 60);
    EXPECT_EQ(lines.size(), ((size_t{1} << 20) + 59) / 60) << filler;
  }
}

TEST(Changelog, AUrlInProseIsNeverSplit) {
  EXPECT_EQ(wrap_text("see https://hyperos.mi.com/ for more", 10),
            (std::vector<std::string>{"see", "https://hyperos.mi.com/", "for more"}));
  EXPECT_EQ(wrap_text("a verylongwordwithoutscheme", 10),
            (std::vector<std::string>{"a", "verylongwo", "rdwithouts", "cheme"}));
}

}  // namespace
}  // namespace xfu
