#include "render/table.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "render/sanitize.hpp"

namespace xfu {

namespace {

constexpr size_t kGap = 2;
constexpr size_t kMinShrunkWidth = 6;

size_t table_width(const std::vector<size_t>& widths, size_t gap) {
  size_t total = 0, shown = 0;
  for (size_t width : widths) {
    if (!width) continue;
    total += width;
    ++shown;
  }
  return shown ? total + gap * (shown - 1) : 0;
}

struct Event {
  size_t column;
  bool dropped;   // else shrunk
  size_t before;  // the width it had
};

// Takes the steps in order until the table fits; returns what was done.
std::vector<Event> take_steps(const std::vector<ColumnNeeds>& columns, std::vector<size_t>& widths, size_t max_width,
                              size_t gap) {
  std::set<int> steps;
  for (const auto& column : columns) {
    if (column.shrink_step > 0) steps.insert(column.shrink_step);
    if (column.drop_step > 0) steps.insert(column.drop_step);
  }
  std::vector<Event> events;
  for (int step : steps) {
    if (table_width(widths, gap) <= max_width) break;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!widths[c]) continue;
      if (columns[c].drop_step == step) {
        events.push_back({c, true, widths[c]});
        widths[c] = 0;
      } else if (columns[c].shrink_step == step && columns[c].compact < widths[c]) {
        events.push_back({c, false, widths[c]});
        widths[c] = std::max<size_t>(columns[c].compact, 1);
      }
    }
  }
  return events;
}

// Undoes what the room left allows, the last step first.
void give_back(const std::vector<Event>& events, const std::vector<ColumnNeeds>& columns, std::vector<size_t>& widths,
               size_t max_width, size_t gap) {
  for (auto event = events.rbegin(); event != events.rend(); ++event) {
    const size_t used = table_width(widths, gap);
    if (used >= max_width) return;
    const size_t spare = max_width - used;
    size_t& width = widths[event->column];
    const ColumnNeeds& column = columns[event->column];
    if (!event->dropped) {
      if (width == 0) continue;  // shrunk, then left out for good: nothing to widen
      if (!column.all_or_nothing || spare >= column.natural - width) width += std::min(spare, column.natural - width);
    } else if (event->before + (used ? gap : 0) <= spare) {
      width = event->before;
    }
  }
}

// Cuts the widest of the columns `may_cut` allows, not below `floor`, until
// the table fits or none can give.
template <typename MayCut>
void cut_widest(std::vector<size_t>& widths, size_t max_width, size_t gap, size_t floor, MayCut may_cut) {
  while (table_width(widths, gap) > max_width) {
    size_t widest = widths.size();
    for (size_t c = 0; c < widths.size(); ++c)
      if (may_cut(c) && widths[c] > floor && (widest == widths.size() || widths[c] > widths[widest])) widest = c;
    if (widest == widths.size()) return;
    size_t next = floor;
    for (size_t c = 0; c < widths.size(); ++c)
      if (may_cut(c) && widths[c] < widths[widest]) next = std::max(next, widths[c]);
    const size_t excess = table_width(widths, gap) - max_width;
    widths[widest] -= std::min(excess, std::max<size_t>(widths[widest] - next, 1));
  }
}

// The last resort: cuts the columns that may shrink (to 4), then any column
// (to 1), then leaves columns out from the right; one column stays.
void force_fit(const std::vector<ColumnNeeds>& columns, std::vector<size_t>& widths, size_t max_width, size_t gap) {
  cut_widest(widths, max_width, gap, 4, [&](size_t c) { return columns[c].shrink_step > 0; });
  cut_widest(widths, max_width, gap, 1, [](size_t) { return true; });
  while (table_width(widths, gap) > max_width) {
    if (std::count_if(widths.begin(), widths.end(), [](size_t width) { return width > 0; }) <= 1) return;
    *std::find_if(widths.rbegin(), widths.rend(), [](size_t width) { return width > 0; }) = 0;
  }
}

std::vector<size_t> natural_widths(const std::vector<TableColumn>& columns,
                                   const std::vector<std::vector<TableCell>>& rows, bool header) {
  std::vector<size_t> widths(columns.size(), 1);
  for (size_t c = 0; c < columns.size(); ++c) {
    if (header) widths[c] = std::max(widths[c], display_width(columns[c].header));
    for (const auto& row : rows) widths[c] = std::max(widths[c], display_width(row[c].text));
  }
  return widths;
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() > tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

size_t compact_width(const TableCell& cell, size_t ellipsis_width) {
  const size_t full = display_width(cell.text);
  if (!cell.short_text.empty()) return std::min(full, display_width(cell.short_text));
  if (!cell.alias.empty()) return std::min(full, display_width(cell.alias));
  if (!cell.kept_tail.empty() && ends_with(cell.text, cell.kept_tail))
    return std::min(full, ellipsis_width + display_width(cell.kept_tail));
  return std::min(full, kMinShrunkWidth);
}

std::vector<ColumnNeeds> needs_of(const std::vector<TableColumn>& columns,
                                  const std::vector<std::vector<TableCell>>& rows, const TableOptions& options) {
  const std::vector<size_t> natural = natural_widths(columns, rows, options.header);
  const size_t ellipsis_width = display_width(options.ellipsis);
  std::vector<ColumnNeeds> needs;
  for (size_t c = 0; c < columns.size(); ++c) {
    size_t compact = options.header ? std::min(display_width(columns[c].header), kMinShrunkWidth) : 1;
    bool short_forms = false;
    for (const auto& row : rows) {
      compact = std::max(compact, compact_width(row[c], ellipsis_width));
      short_forms = short_forms || !row[c].short_text.empty();
    }
    if (!columns[c].shrink_step) compact = natural[c];
    needs.push_back(
        {natural[c], std::min(compact, natural[c]), columns[c].shrink_step, columns[c].drop_step, short_forms});
  }
  return needs;
}

// The end of `text` that fits in `width` columns ("ndonesia").
std::string last_columns(const std::string& text, size_t width) {
  size_t start = text.size();
  while (start > 0) {
    size_t begin = start - 1;
    while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
    if (display_width(std::string_view(text).substr(begin)) > width) break;
    start = begin;
  }
  return text.substr(start);
}

// The first columns of `text` that fit in `width` ("cancr"), cut on a character boundary.
std::string first_columns(const std::string& text, size_t width) {
  size_t end = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (display_width(std::string_view(text).substr(0, next)) > width) break;
    end = next;
  }
  return text.substr(0, end);
}

// `text` cut to `width` columns keeping its first `head` columns and as much
// of its end as fits after the ellipsis.
std::string cut_at(const std::string& text, size_t width, size_t head, const std::string& ellipsis) {
  const size_t ellipsis_width = display_width(ellipsis);
  if (width <= ellipsis_width) return last_columns(text, width);
  const size_t room = width - ellipsis_width;
  head = std::min(head, room);
  return first_columns(text, head) + ellipsis + last_columns(text, room - head);
}

// The cell as it fits `width`: whole, its short form, its alias (cut as
// `alias_cuts` says if need be), cut before its kept tail, or cut at the end.
std::string fit_cell(const TableCell& cell, size_t width, const std::map<std::string, std::string>& alias_cuts,
                     const std::string& ellipsis) {
  if (display_width(cell.text) <= width) return cell.text;
  if (!cell.short_text.empty() && display_width(cell.short_text) <= width) return cell.short_text;
  if (!cell.alias.empty()) {
    if (display_width(cell.alias) <= width) return cell.alias;
    const auto cut = alias_cuts.find(cell.alias);
    return cut != alias_cuts.end() ? cut->second : cut_at(cell.alias, width, width / 2, ellipsis);
  }
  if (!cell.kept_tail.empty() && ends_with(cell.text, cell.kept_tail)) {
    const size_t tail_width = display_width(cell.kept_tail);
    if (tail_width + display_width(ellipsis) <= width) {
      const std::string head = cell.text.substr(0, cell.text.size() - cell.kept_tail.size());
      return truncate_to_width(head, width - tail_width, ellipsis) + cell.kept_tail;
    }
    return std::string(ellipsis) + last_columns(cell.kept_tail, width - std::min(width, display_width(ellipsis)));
  }
  return truncate_to_width(cell.text, width, ellipsis);
}

// The aliases of a column's rows that are cut at `width`, each once.
std::vector<std::string> cut_aliases(const std::vector<std::vector<TableCell>>& rows, size_t column, size_t width) {
  std::set<std::string> aliases;
  for (const auto& row : rows) {
    const TableCell& cell = row[column];
    if (cell.alias.empty() || display_width(cell.text) <= width) continue;
    if (!cell.short_text.empty() && display_width(cell.short_text) <= width) continue;
    if (display_width(cell.alias) > width) aliases.insert(cell.alias);
  }
  return {aliases.begin(), aliases.end()};
}

void append_cell(std::string& line, const TableCell& cell, size_t width,
                 const std::map<std::string, std::string>& alias_cuts, bool right, bool last,
                 const TableOptions& options) {
  const std::string shown = fit_cell(cell, width, alias_cuts, options.ellipsis);
  const size_t pad = width - std::min(width, display_width(shown));
  if (right) line.append(pad, ' ');
  line += paint(shown, cell.colour, options.colour);
  if (!right && !last) line.append(pad, ' ');
}

}  // namespace

std::map<std::string, std::string> cut_apart(const std::vector<std::string>& aliases, size_t width,
                                             const std::string& ellipsis) {
  const size_t ellipsis_width = display_width(ellipsis);
  const size_t room = width > ellipsis_width ? width - ellipsis_width : 0;
  // Heads to try, the longest first: a codename's start is what readers know
  // it by ("dipper_eea…"), and a cut further left still keeps it apart.
  std::vector<size_t> heads;
  for (size_t head = room + 1; head-- > 0;) heads.push_back(head);
  std::map<std::string, size_t> tried;  // alias -> index into heads
  for (const std::string& alias : aliases) tried[alias] = 0;
  std::map<std::string, std::string> shown;
  for (size_t round = 0; round < heads.size(); ++round) {
    std::map<std::string, std::vector<std::string>> aliases_by_cut;
    for (const auto& [alias, index] : tried)
      aliases_by_cut[cut_at(alias, width, heads[index], ellipsis)].push_back(alias);
    bool moved = false;
    shown.clear();
    for (const auto& [cut, same] : aliases_by_cut) {
      for (const std::string& alias : same) shown[alias] = cut;
      // The first keeps its cut; the others try the next one.
      for (size_t i = 1; i < same.size(); ++i) {
        if (tried[same[i]] + 1 < heads.size()) {
          ++tried[same[i]];
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return shown;
}

ColumnFit fit_columns(const std::vector<ColumnNeeds>& columns, size_t max_width) {
  ColumnFit fit;
  // When even every step leaves the table too wide, one long value (a hostile
  // version) that no step shrinks may take half the table, not all of it.
  const size_t fair_share = columns.size() > 1 ? std::max<size_t>(max_width / 2, 1) : max_width;
  for (size_t cap : {SIZE_MAX, fair_share}) {
    for (size_t gap : {kGap, size_t{1}}) {
      fit.gap = gap;
      fit.widths.clear();
      for (const auto& column : columns)
        fit.widths.push_back(std::min(std::max<size_t>(column.natural, 1), column.shrink_step ? SIZE_MAX : cap));
      const std::vector<Event> events = take_steps(columns, fit.widths, max_width, gap);
      if (table_width(fit.widths, gap) > max_width) continue;  // a narrower gap may spare a cut
      give_back(events, columns, fit.widths, max_width, gap);
      return fit;
    }
  }
  force_fit(columns, fit.widths, max_width, fit.gap);
  return fit;
}

std::string render_table(const std::vector<TableColumn>& columns, const std::vector<std::vector<TableCell>>& rows,
                         const TableOptions& options) {
  // A column empty in every row tells nothing: it is left out before the others are fitted, so that it never
  // takes the place of one that tells something.
  const std::vector<ColumnNeeds> all_needs = needs_of(columns, rows, options);
  std::vector<size_t> kept;
  for (size_t c = 0; c < columns.size(); ++c)
    if (rows.empty() || std::any_of(rows.begin(), rows.end(), [c](const auto& row) { return !row[c].text.empty(); }))
      kept.push_back(c);
  std::vector<ColumnNeeds> needs;
  for (size_t c : kept) needs.push_back(all_needs[c]);
  const ColumnFit kept_fit = fit_columns(needs, options.max_width);
  ColumnFit fit{std::vector<size_t>(columns.size(), 0), kept_fit.gap};
  for (size_t i = 0; i < kept.size(); ++i) fit.widths[kept[i]] = kept_fit.widths[i];
  const std::vector<size_t>& widths = fit.widths;
  size_t last_shown = 0;
  std::vector<std::map<std::string, std::string>> alias_cuts(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    if (!widths[c]) continue;
    last_shown = c;
    alias_cuts[c] = cut_apart(cut_aliases(rows, c, widths[c]), widths[c], options.ellipsis);
  }
  std::string out;
  const auto emit = [&](auto cell_at) {
    std::string line;
    bool first = true;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!widths[c]) continue;
      if (!first) line.append(fit.gap, ' ');
      first = false;
      append_cell(line, cell_at(c), widths[c], alias_cuts[c], columns[c].align_right, c == last_shown, options);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  if (options.header) emit([&](size_t c) { return TableCell{columns[c].header, Colour::Bold}; });
  for (const auto& row : rows) emit([&](size_t c) { return row[c]; });
  return out;
}

}  // namespace xfu
