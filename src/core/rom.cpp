#include "core/rom.hpp"

#include <array>

#include "core/size.hpp"
#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr std::array branches{Branch::Stable, Branch::StableBeta, Branch::Weekly, Branch::PublicBeta};
constexpr std::array types{RomType::Recovery, RomType::Fastboot};

// "Stable Beta", "stable-beta", "STABLE_BETA" -> "stablebeta"
std::string squash(std::string_view text) {
  std::string out;
  for (char c : to_lower(trim(text)))
    if (c != ' ' && c != '-' && c != '_') out += c;
  return out;
}

}  // namespace

std::string_view branch_name(Branch branch) {
  switch (branch) {
    case Branch::Stable: return "Stable";
    case Branch::StableBeta: return "Stable Beta";
    case Branch::Weekly: return "Weekly";
    case Branch::PublicBeta: return "Public Beta";
  }
  return "";
}

std::string_view branch_slug(Branch branch) {
  switch (branch) {
    case Branch::Stable: return "stable";
    case Branch::StableBeta: return "stable-beta";
    case Branch::Weekly: return "weekly";
    case Branch::PublicBeta: return "public-beta";
  }
  return "";
}

std::span<const Branch> all_branches() { return branches; }

std::optional<Branch> parse_branch(std::string_view text) {
  const std::string wanted = squash(text);
  for (Branch branch : branches)
    if (squash(branch_name(branch)) == wanted) return branch;
  return std::nullopt;
}

std::string_view type_name(RomType type) { return type == RomType::Recovery ? "Recovery" : "Fastboot"; }
std::string_view type_slug(RomType type) { return type == RomType::Recovery ? "recovery" : "fastboot"; }
std::span<const RomType> all_types() { return types; }

std::optional<RomType> parse_type(std::string_view text) {
  for (RomType type : types)
    if (iequals(trim(text), type_name(type))) return type;
  return std::nullopt;
}

std::optional<uint64_t> exact_size(const Rom& rom) { return rom.size_label.empty() ? rom.size : std::nullopt; }

std::string_view os_of_version(std::string_view version) { return version.starts_with("OS") ? "HyperOS" : "MIUI"; }

std::string region_slug(std::string_view region) { return to_lower(region); }
std::string os_slug(std::string_view os) { return to_lower(os); }

std::string display_size(const Rom& rom) {
  if (!rom.size_label.empty()) return rom.size_label;
  return rom.size ? format_size(*rom.size) : std::string();
}

}  // namespace xfu
