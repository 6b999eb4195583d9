// Which ROMs are a phone's own: the codename and region a query of the catalog uses for it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "device/phone.hpp"

namespace xfu {

struct PhoneQuery {
  std::string codename;  // the variant (dipper_global), or the base codename when the region narrows it
  std::string region;    // the region filter to add ("China"), empty when none
  std::vector<std::string> notes;
};

// The query for `phone`'s ROMs. `region_flag` is the --region the user gave ("" when none): it wins over the
// phone's region, with a note when they differ. Error(NothingMatched) when the phone does not tell its codename
// (unauthorized, or a tool's answer that is no codename).
PhoneQuery query_for_phone(const Phone& phone, std::string_view region_flag);

}  // namespace xfu
