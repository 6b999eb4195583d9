// One ROM release, as xfu holds it after reading a catalog record.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xfu {

enum class Branch { Stable, StableBeta, Weekly, PublicBeta };
enum class RomType { Recovery, Fastboot };

// "Stable Beta": how the catalog and the cards write it.
std::string_view branch_name(Branch branch);
// "stable-beta": how users type it on the command line.
std::string_view branch_slug(Branch branch);
std::span<const Branch> all_branches();
// Accepts either spelling, any case, with space, '-' or '_' between words.
std::optional<Branch> parse_branch(std::string_view text);

std::string_view type_name(RomType type);  // "Recovery"
std::string_view type_slug(RomType type);  // "recovery"
std::span<const RomType> all_types();
std::optional<RomType> parse_type(std::string_view text);

struct Rom {
  std::string codename;       // the device's own codename, as the phone reports it: "dipper", "laurel_sprout"
  std::string variant;        // full variant codename: "dipper_global" (the base when unknown)
  std::string site_codename;  // the name the XFU site files it under when that differs ("laurel"), or empty
  std::string os;             // "MIUI" or "HyperOS"
  std::string device;         // display name with region: "Mi 8 Global"
  std::string region;         // "Global"
  std::string version;        // "8.12.7", "V12.5.2.0.RKWEUXM", "OS2.0.209.0.VGQCNXM"
  std::string android;        // "9.0", or empty
  Branch branch = Branch::Stable;
  RomType type = RomType::Recovery;
  std::optional<uint64_t> size;  // bytes: exact when size_label is empty, else what the label reads as
  std::string size_label;        // as the catalog wrote it ("3.0 GB"), or empty
  std::string date;              // YYYY-MM-DD, or empty
  std::string link;              // primary download URL
  std::string filename;          // package name, safe to use as a file name
  std::string md5;               // 32 lower-case hex digits, or empty when unknown
  std::vector<std::string> mirrors;
  std::string incremental;  // URL, or empty
  std::string changelog;    // raw text as the catalog holds it
};

// The size as cards and tables show it: the catalog's own label when it has
// one, else computed from the byte count; empty when unknown.
std::string display_size(const Rom& rom);
// The byte count, when the catalog gave it as one (not a rounded label).
std::optional<uint64_t> exact_size(const Rom& rom);
// "HyperOS" for versions that start with "OS", else "MIUI".
std::string_view os_of_version(std::string_view version);

// Machine output (TSV, --json) writes every enumerated value as the
// lower-case token a flag would accept: branch_slug, type_slug, and these two
// ("global", "eea"; "miui", "hyperos"), so that a script can feed a value
// back to --region unchanged. Tables and cards keep the display names.
std::string region_slug(std::string_view region);
std::string os_slug(std::string_view os);

}  // namespace xfu
