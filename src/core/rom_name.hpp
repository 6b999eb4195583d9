// What Xiaomi's ROM file names say about their contents. Every official
// package name carries the first 10 hex digits (40 bits) of the file's MD5:
//
//   recovery     miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip
//   fastboot     dipper_global_images_8.12.7_20181207.0000.00_9.0_global_2363b6e14c.tgz
//                (old files may lack the build date or the region)
//   HyperOS      air-ota_full-OS2.0.209.0.VGQCNXM-user-15.0-fc3ec2da64.zip
//   incremental  miui-blockota-wayne-20.1.2-20.1.16-ffe4801b72-9.0.zip
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xfu {

struct NamePrefix {
  std::string md5_prefix;  // 10 lower-case hex digits
  std::string pattern;     // "recovery", "fastboot", "hyperos", "incremental"
};

std::optional<NamePrefix> md5_prefix_in_name(std::string_view filename);

// The variant codename a package name starts with, in the shapes above that carry one: "dipper_global" from a
// fastboot name, "air" from a HyperOS one, "wayne" from an incremental one; empty for the others (recovery
// names carry a device name, not a codename).
std::string variant_in_name(std::string_view filename);

}  // namespace xfu
