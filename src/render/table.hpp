// Aligned text tables that fit the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "render/terminal.hpp"

namespace xfu {

struct TableColumn {
  std::string header;
  bool align_right = false;
  // Columns with the highest priority give up width first when the table is
  // too wide; 0 never shrinks.
  int shrink_priority = 0;
};

struct TableCell {
  std::string text;  // sanitized
  Colour colour = Colour::None;
};

struct TableOptions {
  size_t max_width = 80;
  bool colour = false;
  bool header = true;
  std::string ellipsis = "...";
};

std::string render_table(const std::vector<TableColumn>& columns, const std::vector<std::vector<TableCell>>& rows,
                         const TableOptions& options);

}  // namespace xfu
