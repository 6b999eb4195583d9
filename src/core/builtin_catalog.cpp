#include "core/builtin_catalog.hpp"

extern "C" const char xfu_builtin_catalog_begin[];
extern "C" const char xfu_builtin_catalog_end[];

namespace xfu {

std::string_view builtin_catalog_json() {
  return {xfu_builtin_catalog_begin, static_cast<size_t>(xfu_builtin_catalog_end - xfu_builtin_catalog_begin)};
}

}  // namespace xfu
