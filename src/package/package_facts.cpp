#include "package/package_facts.hpp"

namespace xfu {

std::string_view package_kind_slug(PackageKind kind) {
  switch (kind) {
    case PackageKind::Fastboot: return "fastboot";
    case PackageKind::Ota: return "ota";
    case PackageKind::NotRom: return "not-rom";
  }
  return "not-rom";
}

}  // namespace xfu
