// The one answer to "which device does the user mean?": `devices QUERY` and
// the suggestions for an unknown codename both ask it. Tolerant of case,
// spaces, a leading "Xiaomi " and typos.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace xfu {

// How closely `query` names a device, known by its base codename, a variant
// codename and a display name ("dipper", "dipper_global", "Mi 8 Global"):
//   kExactMatch   the codename or variant, or the device name without its
//                 region ("mi8", "Xiaomi Mi 8", "MI 8")
//   kPrefixMatch  the start of the codename or variant, or of a word of the
//                 device name ("dipp", "mi 8" for "Mi 8 Lite", "note 7")
//   kTypoMatch+n  n typos away from the codename or from the name without
//                 its region ("dippr", "redmi not 7"); a query shorter than
//                 four letters and digits allows none
// and nullopt when it names another device. Lower is closer.
inline constexpr size_t kExactMatch = 0, kPrefixMatch = 1, kTypoMatch = 2;
std::optional<size_t> device_match(std::string_view query, std::string_view codename, std::string_view variant,
                                   std::string_view device);

// Of names a query starts equally, the one it names most of comes first: how
// many letters of `device` (without its region) follow where `query` matches
// the start of one of its words ("note 8": 0 for Redmi Note 8, 3 for Redmi
// Note 8 Pro); SIZE_MAX when it matches none.
size_t letters_after_match(std::string_view query, std::string_view device);

}  // namespace xfu
