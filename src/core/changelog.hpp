// Changelogs as the catalog holds them (HTML fragments with <br> breaks,
// [Section] headings and entities) turned into plain text.
#pragma once

#include <string>
#include <string_view>

namespace xfu {

// `<br>` becomes a line break, HTML entities are decoded, other tags are
// dropped, trailing spaces and blank lines at either end are removed. The
// result is not yet safe for a terminal: sanitize it before printing.
std::string changelog_to_text(std::string_view html);

}  // namespace xfu
