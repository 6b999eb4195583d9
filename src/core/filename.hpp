// Rules for the names and URLs a catalog gives us. Catalog data is untrusted:
// a package name becomes a file name on the user's disk.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xfu {

// What xfu names the files it keeps beside NAME while downloading it.
inline constexpr std::string_view kPartSuffix = ".part";
inline constexpr std::string_view kPartStateSuffix = ".part.state";
inline constexpr std::string_view kCorruptSuffix = ".corrupt";

// Why `name` cannot be used as a file name in the target directory, or
// nothing when it can: it must be non-empty, at most 255 bytes of valid
// UTF-8, not start with '.' (a hidden file, or "." and ".."), hold no '/',
// '\\', "..", C0 or C1 control characters or invisible controls
// (is_invisible_control), and not end like a file xfu makes beside a
// download (kPartSuffix, kPartStateSuffix, kCorruptSuffix, ".tmp.XXXXXX"),
// which a later download of another name would remove.
std::optional<std::string> package_name_problem(std::string_view name);

// Why `name` followed by `suffix` (the longest name made beside it) is too
// long for a directory whose file names hold at most `name_max` bytes
// (pathconf's _PC_NAME_MAX; -1 when unknown, then nothing is), or nothing.
std::optional<std::string> name_length_problem(std::string_view name, std::string_view suffix, long name_max);

// True when `text` starts with http:// or https:// (either case): what xfu
// takes for a URL rather than a file path or a name.
bool has_http_scheme(std::string_view text);

// True for an absolute http:// or https:// URL with a host, written in
// printable ASCII without spaces or backslashes (anything else must be
// percent-encoded).
bool is_http_url(std::string_view url);

// The last path segment of `url`, without query string or fragment.
std::string filename_from_url(std::string_view url);

}  // namespace xfu
