#include "render/table.hpp"

#include <algorithm>

#include "render/sanitize.hpp"

namespace xfu {

namespace {

constexpr size_t kGap = 2;
constexpr size_t kMinShrunkWidth = 6;

std::vector<size_t> natural_widths(const std::vector<TableColumn>& columns,
                                   const std::vector<std::vector<TableCell>>& rows, bool header) {
  std::vector<size_t> widths(columns.size(), 0);
  for (size_t c = 0; c < columns.size(); ++c) {
    if (header) widths[c] = display_width(columns[c].header);
    for (const auto& row : rows) widths[c] = std::max(widths[c], display_width(row[c].text));
  }
  return widths;
}

// Takes width from shrinkable columns, highest priority first, until the
// table fits or nothing more can give.
void fit(std::vector<size_t>& widths, const std::vector<TableColumn>& columns, size_t max_width) {
  size_t total = kGap * (widths.empty() ? 0 : widths.size() - 1);
  for (size_t w : widths) total += w;
  std::vector<size_t> order(columns.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return columns[a].shrink_priority > columns[b].shrink_priority; });
  for (size_t c : order) {
    if (total <= max_width || columns[c].shrink_priority == 0) break;
    const size_t floor = std::min(widths[c], kMinShrunkWidth);
    const size_t give = std::min(widths[c] - floor, total - max_width);
    widths[c] -= give;
    total -= give;
  }
}

void append_cell(std::string& line, const std::string& text, size_t width, bool right, bool last, Colour colour,
                 const TableOptions& options) {
  const std::string shown = truncate_to_width(text, width, options.ellipsis);
  const size_t pad = width - std::min(width, display_width(shown));
  if (right) line.append(pad, ' ');
  line += paint(shown, colour, options.colour);
  if (!right && !last) line.append(pad, ' ');
}

}  // namespace

std::string render_table(const std::vector<TableColumn>& columns, const std::vector<std::vector<TableCell>>& rows,
                         const TableOptions& options) {
  std::vector<size_t> widths = natural_widths(columns, rows, options.header);
  fit(widths, columns, options.max_width);
  std::string out;
  const auto emit = [&](auto cell_at, bool is_header) {
    std::string line;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c) line.append(kGap, ' ');
      const TableCell cell = cell_at(c);
      append_cell(line, cell.text, widths[c], columns[c].align_right, c + 1 == columns.size(),
                  is_header ? Colour::Bold : cell.colour, options);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  if (options.header) emit([&](size_t c) { return TableCell{columns[c].header}; }, true);
  for (const auto& row : rows) emit([&](size_t c) { return row[c]; }, false);
  return out;
}

}  // namespace xfu
