// How ROMs look: cards for `show`, table and TSV rows for `list`.
#pragma once

#include <string>
#include <vector>

#include "core/rom.hpp"
#include "render/card.hpp"
#include "render/table.hpp"

namespace xfu {

// One card for one file; `same_file` holds every record of that file (one
// per device name it is listed under). `warnings`, sanitized, end it.
std::string render_rom_card(const std::vector<const Rom*>& same_file, const CardStyle& style,
                            const std::vector<std::string>& warnings = {});

// Columns Device, Version, Branch, Type, Android, Size, Date; narrow terminals
// drop or shorten some (see the .cpp).
std::string render_rom_table(const std::vector<const Rom*>& roms, const TableOptions& options);

// The TSV columns, in their fixed order.
inline constexpr const char* kRomTsvColumns =
    "device\tversion\tbranch\ttype\tandroid\tsize\tdate\tregion\tvariant\tfilename\tmd5\tlink";
std::string render_rom_tsv(const std::vector<const Rom*>& roms, bool header);

Colour branch_colour(Branch branch);
// At most six columns, for narrow tables: "S.Beta" for Stable Beta.
std::string branch_short_name(Branch branch);

}  // namespace xfu
