// The catalog snapshot compiled into xfu (data/catalog.json).
#pragma once

#include <string_view>

namespace xfu {

std::string_view builtin_catalog_json();

}  // namespace xfu
