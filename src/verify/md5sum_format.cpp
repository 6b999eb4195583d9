#include "verify/md5sum_format.hpp"

#include "core/hash.hpp"

#include "util/strings.hpp"

namespace xfu {

namespace {

bool needs_escape(std::string_view name) { return name.find_first_of("\\\n\r") != std::string_view::npos; }

std::string escape(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

std::optional<std::string> unescape(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '\\') {
      out += name[i];
      continue;
    }
    if (++i == name.size()) return std::nullopt;
    if (name[i] == '\\') out += '\\';
    else if (name[i] == 'n') out += '\n';
    else if (name[i] == 'r') out += '\r';
    else return std::nullopt;
  }
  return out;
}

}  // namespace

SumLineKind parse_sum_line(std::string_view line, SumLine& entry) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (trim(line).empty() || trim(line).front() == '#') return SumLineKind::Ignored;
  bool escaped = false;
  if (line.front() == '\\') {
    escaped = true;
    line.remove_prefix(1);
  }
  std::string_view md5, name;
  if (line.starts_with("MD5 (") || line.starts_with("MD5(")) {
    const auto open = line.find('(');
    const auto close = line.rfind(") = ");
    if (close == std::string_view::npos || close < open) return SumLineKind::Malformed;
    name = line.substr(open + 1, close - open - 1);
    md5 = line.substr(close + 4);
  } else {
    if (line.size() < 35 || line[32] != ' ' || (line[33] != ' ' && line[33] != '*')) return SumLineKind::Malformed;
    md5 = line.substr(0, 32);
    name = line.substr(34);
  }
  if (!is_md5_hex(md5) || name.empty()) return SumLineKind::Malformed;
  auto unescaped = escaped ? unescape(name) : std::optional<std::string>(std::string(name));
  if (!unescaped) return SumLineKind::Malformed;
  entry.md5 = to_lower(md5);
  entry.name = std::move(*unescaped);
  return SumLineKind::Entry;
}

std::string format_sum_line(std::string_view md5, std::string_view name) {
  if (needs_escape(name)) return "\\" + std::string(md5) + "  " + escape(name);
  return std::string(md5) + "  " + std::string(name);
}

std::string escaped_name(std::string_view name) { return needs_escape(name) ? "\\" + escape(name) : std::string(name); }

bool SumLineSplitter::feed(std::string_view chunk, const OnLine& on_line) {
  while (!chunk.empty()) {
    const size_t end = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, end);
    if (pending_.size() + piece.size() > kMaxSumLineBytes) return false;
    if (end == std::string_view::npos) {
      pending_.append(piece);
      return true;
    }
    if (pending_.empty()) {
      on_line(piece);
    } else {
      pending_.append(piece);
      on_line(pending_);
      pending_.clear();
    }
    ++lines_done_;
    chunk.remove_prefix(end + 1);
  }
  return true;
}

void SumLineSplitter::finish(const OnLine& on_line) {
  if (pending_.empty()) return;
  on_line(pending_);
  pending_.clear();
  ++lines_done_;
}

}  // namespace xfu
