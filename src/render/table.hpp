// Aligned text tables that fit the terminal.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "render/terminal.hpp"

namespace xfu {

// When a table is too wide, its columns give way one step at a time, in the
// order of their steps (1 first; 0 never): a column shrinks to its compact
// width at its shrink_step and is left out at its drop_step. What tells rows
// apart should give way last.
struct TableColumn {
  std::string header;
  bool align_right = false;
  int shrink_step = 0;
  int drop_step = 0;
};

struct TableCell {
  std::string text;  // sanitized
  Colour colour = Colour::None;
  // Shown instead of `text` when the column is too narrow for it ("S.Beta").
  std::string short_text = {};
  // The end of `text` kept whole when the cell is cut (" Global" of "Mi 8
  // Global"): the part that tells this row from the next one.
  std::string kept_tail = {};
  // Shown instead of a cut `text` when the column is too narrow for it: a
  // shorter name unique to the row's record ("cancro_global" for "MI 3
  // Global"), so that cut cells never make two rows look alike. Cut when even
  // it does not fit, where the column's aliases stay apart best.
  std::string alias = {};
};

struct TableOptions {
  size_t max_width = 80;
  bool colour = false;
  bool header = true;
  std::string ellipsis = "...";
};

std::string render_table(const std::vector<TableColumn>& columns, const std::vector<std::vector<TableCell>>& rows,
                         const TableOptions& options);

// What the column-fitting decision needs to know of a column.
struct ColumnNeeds {
  size_t natural = 0;  // the widest cell, header included
  size_t compact = 0;  // the width it shrinks to (<= natural)
  int shrink_step = 0;
  int drop_step = 0;
  // Shrunk to short forms: a width between compact and natural shows nothing
  // more, so room left is given back only when it is enough for all of it.
  bool all_or_nothing = false;
};

struct ColumnFit {
  std::vector<size_t> widths;  // 0 for a column left out
  size_t gap = 2;              // spaces between neighbours
};

// The width of each column so that the table is at most `max_width` wide,
// with two spaces between columns, or one when that is what it takes to fit
// without cutting what no step allows to be cut. Steps are
// taken in order until the table fits; the room left then goes back to the
// shrunk columns (the last shrunk first), then to left-out columns that fit
// again (the last left out first). When every step is taken and the table is
// still too wide, a column that never shrinks takes at most half of
// `max_width` (one long value must not squeeze the others); then the widest
// columns are cut, then columns are left out from
// the right, so that the result never exceeds `max_width` (one column stays).
ColumnFit fit_columns(const std::vector<ColumnNeeds>& columns, size_t max_width);

// How aliases too wide for `width` are shown cut to it, each apart from the
// others where any cut can do it: the cut keeping most of its start that no
// other alias shows ("dipper_ru…" and "dipper_ee…"; "capric…n" and
// "capric…l", not "caprico…" twice).
std::map<std::string, std::string> cut_apart(const std::vector<std::string>& aliases, size_t width,
                                             const std::string& ellipsis);

}  // namespace xfu
