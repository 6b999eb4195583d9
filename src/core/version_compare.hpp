// Ordering of ROM versions: numeric part by part, HyperOS after MIUI.
//   V12.5.10.0 > V12.5.9.0, OS2.0.1 > V14.0.30, weekly 20.1.16 > 9.12.26
#pragma once

#include <string_view>

namespace xfu {

// Negative, zero or positive as `a` is older than, equal to or newer than `b`.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace xfu
