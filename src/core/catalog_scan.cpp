#include "core/catalog_scan.hpp"

namespace xfu {

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Position just after the string that starts at `pos` (a '"').
size_t skip_string(std::string_view text, size_t pos) {
  for (++pos; pos < text.size(); ++pos) {
    if (text[pos] == '\\') ++pos;
    else if (text[pos] == '"') return pos + 1;
  }
  return text.size();
}

size_t skip_space(std::string_view text, size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  return pos;
}

// Position just after the value that starts at `pos`.
size_t skip_value(std::string_view text, size_t pos) {
  if (pos >= text.size()) return pos;
  if (text[pos] == '"') return skip_string(text, pos);
  if (text[pos] != '{' && text[pos] != '[') {
    while (pos < text.size() && text[pos] != ',' && text[pos] != '}' && text[pos] != ']' && !is_space(text[pos])) ++pos;
    return pos;
  }
  int depth = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '"') {
      pos = skip_string(text, pos) - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return pos + 1;
    }
  }
  return pos;
}

// Calls visit(key, value_text) for each member of the object at `pos`.
template <typename Visit>
void for_each_member(std::string_view object, Visit visit) {
  size_t pos = skip_space(object, 1);
  while (pos < object.size() && object[pos] == '"') {
    const size_t key_end = skip_string(object, pos);
    const std::string_view key = object.substr(pos + 1, key_end - pos - 2);
    const size_t value_start = skip_space(object, skip_space(object, key_end) + 1);
    const size_t value_end = skip_value(object, value_start);
    visit(key, object.substr(value_start, value_end - value_start));
    pos = skip_space(object, value_end);
    if (pos < object.size() && object[pos] == ',') pos = skip_space(object, pos + 1);
  }
}

std::string_view string_contents(std::string_view value) {
  return value.size() >= 2 && value.front() == '"' ? value.substr(1, value.size() - 2) : std::string_view();
}

}  // namespace

CatalogScan scan_catalog(std::string_view text) {
  CatalogScan scan;
  size_t pos = skip_space(text, 0);
  std::string_view array;
  if (pos < text.size() && text[pos] == '{') {
    for_each_member(text.substr(pos, skip_value(text, pos) - pos), [&](std::string_view key, std::string_view value) {
      if (key == "roms") array = value;
      if (key == "generated") scan.generated = string_contents(value);
    });
  } else if (pos < text.size() && text[pos] == '[') {
    array = text.substr(pos, skip_value(text, pos) - pos);
  }
  if (array.empty() || array.front() != '[') return scan;
  pos = skip_space(array, 1);
  while (pos < array.size() && array[pos] != ']') {
    const size_t end = skip_value(array, pos);
    RecordSpan record{array.substr(pos, end - pos), {}, {}, {}, {}};
    if (record.text.front() == '{') {
      for_each_member(record.text, [&](std::string_view key, std::string_view value) {
        if (key == "codename") record.codename = string_contents(value);
        if (key == "variant") record.variant = string_contents(value);
        if (key == "filename") record.filename = string_contents(value);
        if (key == "link" || key == "download") record.link = string_contents(value);
      });
    }
    scan.records.push_back(record);
    pos = skip_space(array, end);
    if (pos < array.size() && array[pos] == ',') pos = skip_space(array, pos + 1);
  }
  return scan;
}

}  // namespace xfu
