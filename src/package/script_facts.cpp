#include "package/script_facts.hpp"

#include <algorithm>
#include <charconv>

#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr size_t kMaxCodenameBytes = 64;
constexpr size_t kMaxValueBytes = 512;  // fingerprints run to ~100 characters
constexpr size_t kMaxNotes = 8;         // a hostile script could otherwise fill memory with them

bool is_codename_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Printable ASCII without spaces: what a fingerprint or a version is made of.
bool is_plain_value(std::string_view text) {
  return !text.empty() && text.size() <= kMaxValueBytes &&
         std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// Adds `item` unless it is there already; false when it is new but the list
// is full. The lists of one line hold one more, so that the cut shows later.
bool add_unique(std::vector<std::string>& list, std::string_view item, size_t limit = kMaxDevices) {
  if (std::find(list.begin(), list.end(), item) != list.end()) return true;
  if (list.size() >= limit) return false;
  list.emplace_back(item);
  return true;
}

// Calls `on_line` with each line, its '\r' and surrounding blanks removed.
template <typename OnLine>
void for_each_line(std::string_view text, OnLine on_line) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    on_line(trim(text.substr(0, end)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

bool is_script_comment(std::string_view line) {
  if (line.starts_with('@')) line.remove_prefix(1);
  return line.starts_with('#') || line.starts_with("::") || iequals(line, "rem") || istarts_with(line, "rem ") ||
         istarts_with(line, "rem\t");
}

// A small non-negative number: only digits, at most as large as kMaxAntiRollback.
std::optional<int> parse_small_number(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.front() == '-') return std::nullopt;
  return value <= kMaxAntiRollback ? std::optional<int>(value) : std::nullopt;
}

// The codenames after one "product:" of a product check: `*dipper"`, `*(umi|umiin)$"`;
// an empty list when it names something else.
std::vector<std::string> codenames_after_label(std::string_view rest) {
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (rest.starts_with('*')) rest.remove_prefix(1);
  std::vector<std::string> devices;
  if (rest.starts_with('(')) {
    const size_t close = rest.find(')');
    if (close == std::string_view::npos) return {};
    for (const auto& name : split(rest.substr(1, close - 1), '|')) {
      if (!is_codename(name)) return {};
      add_unique(devices, name, kMaxDevices + 1);
    }
    return devices;
  }
  size_t length = 0;
  while (length < rest.size() && is_codename_char(rest[length])) ++length;
  if (is_codename(rest.substr(0, length))) devices.emplace_back(rest.substr(0, length));
  return devices;
}

// The codenames a `getvar product` line accepts: every "product:" after it
// (findstr takes one /c: per codename); nothing when the line is no such check.
std::optional<std::vector<std::string>> product_check_devices(std::string_view line) {
  constexpr std::string_view kGetvar = "getvar product";
  const size_t getvar = line.find(kGetvar);
  if (getvar == std::string_view::npos) return std::nullopt;
  std::vector<std::string> devices;
  constexpr std::string_view kLabel = "product:";
  for (size_t at = line.find(kLabel, getvar + kGetvar.size()); at != std::string_view::npos;
       at = line.find(kLabel, at + kLabel.size())) {
    for (const auto& device : codenames_after_label(line.substr(at + kLabel.size())))
      add_unique(devices, device, kMaxDevices + 1);
  }
  return devices;
}

constexpr std::string_view kAntiVersionName = "CURRENT_ANTI_VER";

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view skip_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  return text;
}

// Whether `c` ends one command and starts the next on the same line: ; & | in
// sh, & | and parentheses in cmd (which takes ; as plain text).
bool is_command_break(char c, ScriptDialect dialect) {
  if (c == '&' || c == '|') return true;
  return dialect == ScriptDialect::Shell ? c == ';' : c == '(' || c == ')';
}

// The commands of one line as the shell or cmd.exe splits them, outside
// quotes; in sh, a '#' that starts a word ends the line.
std::vector<std::string_view> line_commands(std::string_view line, ScriptDialect dialect) {
  std::vector<std::string_view> commands;
  const bool shell = dialect == ScriptDialect::Shell;
  size_t start = 0;
  char quote = 0;
  const auto cut = [&](size_t end) {
    const std::string_view command = trim(line.substr(start, end - start));
    if (!command.empty()) commands.push_back(command);
    start = end + 1;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || (shell && c == '\'')) {
      quote = c;
    } else if (shell && c == '#' && (i == 0 || is_blank(line[i - 1]))) {
      cut(i);
      return commands;
    } else if (is_command_break(c, dialect)) {
      cut(i);
    }
  }
  cut(line.size());
  return commands;
}

// `text` without a first word equal to `word` (any case when `any_case`) and the blanks after it.
bool strip_word(std::string_view& text, std::string_view word, bool any_case = false) {
  if (text.size() <= word.size() || !is_blank(text[word.size()])) return false;
  const std::string_view head = text.substr(0, word.size());
  if (any_case ? !iequals(head, word) : head != word) return false;
  text = skip_blanks(text.substr(word.size()));
  return true;
}

// The length of the shell word that starts `text`: up to an unquoted blank.
size_t shell_word_length(std::string_view text) {
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (quote != 0) {
      if (text[i] == quote) quote = 0;
    } else if (text[i] == '"' || text[i] == '\'') {
      quote = text[i];
    } else if (is_blank(text[i])) {
      return i;
    }
  }
  return text.size();
}

std::string_view without_enclosing_quotes(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front() &&
      value.substr(1, value.size() - 2).find(value.front()) == std::string_view::npos) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// The value a sh command assigns to CURRENT_ANTI_VER: `[export|readonly] CURRENT_ANTI_VER=V`,
// V bare or in one pair of quotes. Nothing for any other command.
std::optional<std::string_view> shell_assignment(std::string_view command) {
  for (const std::string_view keyword : {"then", "else", "do", "{"}) strip_word(command, keyword);
  const bool declared = strip_word(command, "export") || strip_word(command, "readonly");
  const size_t length = shell_word_length(command);
  const std::string_view word = command.substr(0, length);
  if (!word.starts_with(kAntiVersionName) || word.size() == kAntiVersionName.size() ||
      word[kAntiVersionName.size()] != '=') {
    return std::nullopt;
  }
  // Without export, a word after the assignment makes it a command's environment, not the script's variable.
  if (!declared && !trim(command.substr(length)).empty()) return std::nullopt;
  return without_enclosing_quotes(word.substr(kAntiVersionName.size() + 1));
}

// The value a cmd command assigns: `set CURRENT_ANTI_VER=V` or `set "CURRENT_ANTI_VER=V"`.
// cmd takes the name as written up to '=' (any case, blanks included), and
// blanks around a number do not change the comparison the script makes.
std::optional<std::string_view> batch_assignment(std::string_view command) {
  if (command.starts_with('@')) command.remove_prefix(1);
  if (!strip_word(command, "set", /*any_case=*/true)) return std::nullopt;
  std::string_view assignment = command;
  if (assignment.starts_with('"')) {
    const size_t close = assignment.rfind('"');
    if (close == 0) return std::nullopt;
    assignment = assignment.substr(1, close - 1);
  }
  const size_t equals = assignment.find('=');
  if (equals == std::string_view::npos || !iequals(assignment.substr(0, equals), kAntiVersionName)) {
    return std::nullopt;
  }
  return trim(assignment.substr(equals + 1));
}

// `text` with what its quotes enclose blanked out: what the shell or cmd.exe takes as plain text.
std::string without_quoted_text(std::string_view text, ScriptDialect dialect) {
  std::string out(text);
  char quote = 0;
  for (char& c : out) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      c = ' ';
    } else if (c == '"' || (dialect == ScriptDialect::Shell && c == '\'')) {
      quote = c;
    }
  }
  return out;
}

// Whether `command` names CURRENT_ANTI_VER as what it assigns (the name, then
// `=` or `+=`, blanks allowed), rather than reading its value ($X, %X%, !X!)
// or quoting it. In cmd, `set "NAME=V"` assigns inside its quotes.
bool mentions_assignment(std::string_view command, ScriptDialect dialect) {
  const bool batch = dialect == ScriptDialect::Batch;
  std::string_view set_operand = command.starts_with('@') ? command.substr(1) : command;
  if (batch && strip_word(set_operand, "set", /*any_case=*/true) && set_operand.starts_with('"')) {
    command = set_operand.substr(1);
  }
  const std::string text = batch ? to_lower(without_quoted_text(command, dialect))
                                 : without_quoted_text(command, dialect);
  const std::string name = batch ? to_lower(kAntiVersionName) : std::string(kAntiVersionName);
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const char before = at == 0 ? ' ' : text[at - 1];
    if (is_codename_char(before) || before == '$' || before == '{' || before == '%' || before == '!') continue;
    const std::string_view after = skip_blanks(std::string_view(text).substr(at + name.size()));
    if (after.starts_with("+=")) return true;
    if (after.starts_with('=') && !after.starts_with("==")) return true;
  }
  return false;
}

// fastboot as a script runs it: by name or path, with .exe, from the script's
// folder (%~dp0), or through a variable named fastboot.
bool is_fastboot_word(std::string_view word) {
  word = without_enclosing_quotes(word);
  const size_t slash = word.find_last_of("/\\");
  if (slash != std::string_view::npos) word = word.substr(slash + 1);
  std::string name = to_lower(word);
  if (name.starts_with("%~dp0")) name.erase(0, 5);
  return name == "fastboot" || name == "fastboot.exe" || name == "$fastboot" || name == "${fastboot}" ||
         name == "%fastboot%";
}

// Whether a command runs fastboot to lock the bootloader again: `oem lock`,
// `flashing lock` or `flashing lock_critical` (the unlock forms do not).
bool relocks_bootloader(std::string_view command) {
  if (command.starts_with('@')) command.remove_prefix(1);
  for (const std::string_view keyword : {"then", "else", "do", "{", "sudo"}) strip_word(command, keyword);
  std::string spaced(command);
  std::replace(spaced.begin(), spaced.end(), '\t', ' ');
  std::vector<std::string> words;
  for (const auto& word : split(spaced, ' ')) {
    if (!word.empty()) words.push_back(word);
  }
  if (words.empty() || !is_fastboot_word(words.front())) return false;
  for (size_t at = 1; at + 1 < words.size(); ++at) {
    const std::string verb = to_lower(words[at]), action = to_lower(words[at + 1]);
    if (verb == "oem" && action == "lock") return true;
    if (verb == "flashing" && (action == "lock" || action == "lock_critical")) return true;
  }
  return false;
}

}  // namespace

bool is_codename(std::string_view text) {
  return !text.empty() && text.size() <= kMaxCodenameBytes && std::all_of(text.begin(), text.end(), is_codename_char);
}

FlashScriptFacts parse_flash_script(std::string_view text, ScriptDialect dialect) {
  FlashScriptFacts facts;
  const auto note = [&](std::string message) {
    if (facts.notes.size() < kMaxNotes) facts.notes.push_back(std::move(message));
  };
  const auto take_index = [&](std::string_view value) {
    const auto index = parse_small_number(value);
    if (!index) {
      note("CURRENT_ANTI_VER is not a small number: " + quoted_excerpt(value));
    } else if (!facts.anti_rollback) {
      facts.anti_rollback = index;
    } else if (*facts.anti_rollback != *index) {
      note("CURRENT_ANTI_VER is set twice, to " + std::to_string(*facts.anti_rollback) + " and " +
           std::to_string(*index) + "; the lower is kept");
      facts.anti_rollback = std::min(*facts.anti_rollback, *index);
    }
  };
  size_t line_number = 0;
  for_each_line(text, [&](std::string_view line) {
    ++line_number;
    if (line.empty() || is_script_comment(line)) return;
    if (auto devices = product_check_devices(line)) {
      if (devices->empty()) note("a product check names no valid codename: " + quoted_excerpt(line));
      for (const auto& device : *devices) facts.devices_cut |= !add_unique(facts.devices, device);
    }
    for (const auto command : line_commands(line, dialect)) {
      facts.relocks |= relocks_bootloader(command);
      const auto value = dialect == ScriptDialect::Shell ? shell_assignment(command) : batch_assignment(command);
      if (value) {
        take_index(*value);
      } else if (mentions_assignment(command, dialect)) {
        note("line " + std::to_string(line_number) +
             " sets CURRENT_ANTI_VER in a way xfu cannot read: " + quoted_excerpt(command));
      }
    }
  });
  return facts;
}

std::optional<int> parse_anti_version(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte-order mark from a Windows editor
  return parse_small_number(trim(text));
}

namespace {

// One key of the metadata into `meta`; false when the key is unknown or its value invalid.
bool apply_metadata_value(OtaMetadata& meta, std::string_view key, std::string_view value) {
  if (key == "pre-device") {
    std::string names(value);
    std::replace(names.begin(), names.end(), '|', ',');
    for (const auto& name : split(names, ',')) {
      if (is_codename(name)) meta.devices_cut |= !add_unique(meta.devices, name);
    }
    return !meta.devices.empty();
  }
  if (key == "post-timestamp") {
    int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || seconds < 0) return false;
    meta.timestamp = seconds;
    return true;
  }
  if (!is_plain_value(value)) return false;
  if (key == "post-build") meta.fingerprint = value;
  else if (key == "post-build-incremental") meta.version = value;
  else if (key == "pre-build") meta.source_fingerprint = value, meta.incremental = true;
  else if (key == "pre-build-incremental") meta.incremental = true;
  else if (key == "ota-type" && value.size() <= 16) meta.ota_type = value;
  else return false;
  return true;
}

}  // namespace

std::optional<OtaMetadata> parse_ota_metadata_text(std::string_view text) {
  OtaMetadata meta;
  bool any = false;
  for_each_line(text, [&](std::string_view line) {
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) return;
    any |= apply_metadata_value(meta, trim(line.substr(0, equals)), trim(line.substr(equals + 1)));
  });
  return any ? std::optional<OtaMetadata>(meta) : std::nullopt;
}

namespace {

// Protocol Buffers' wire format, only as far as OtaMetadata needs it: every
// read is bounded by what is left, and a malformed message stops the reading.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : rest_(bytes) {}
  bool done() const { return rest_.empty(); }

  std::optional<uint64_t> varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) return std::nullopt;
      const auto byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      if (shift == 63 && byte > 1) return std::nullopt;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return std::nullopt;
  }

  struct Field {
    uint32_t number = 0;
    uint64_t number_value = 0;  // wire type 0
    std::string_view bytes;     // wire type 2
    int wire_type = 0;
  };

  // The next field, or nothing at the end or at a malformed field (`failed()` tells which).
  std::optional<Field> next() {
    if (rest_.empty()) return std::nullopt;
    const auto key = varint();
    if (!key || (*key >> 3) == 0 || (*key >> 3) > 0x1fffffff) return fail();
    Field field;
    field.number = static_cast<uint32_t>(*key >> 3);
    field.wire_type = static_cast<int>(*key & 7);
    switch (field.wire_type) {
      case 0: {
        const auto value = varint();
        if (!value) return fail();
        field.number_value = *value;
        return field;
      }
      case 1: return skip(8) ? std::optional<Field>(field) : fail();
      case 5: return skip(4) ? std::optional<Field>(field) : fail();
      case 2: {
        const auto length = varint();
        if (!length || *length > rest_.size()) return fail();
        field.bytes = rest_.substr(0, *length);
        rest_.remove_prefix(*length);
        return field;
      }
      default: return fail();  // groups (3, 4) are obsolete and never in OtaMetadata
    }
  }
  bool failed() const { return failed_; }

 private:
  bool skip(size_t count) {
    if (rest_.size() < count) return false;
    rest_.remove_prefix(count);
    return true;
  }
  std::optional<Field> fail() {
    failed_ = true;
    return std::nullopt;
  }

  std::string_view rest_;
  bool failed_ = false;
};

struct DeviceState {
  std::vector<std::string> devices;
  bool devices_cut = false;
  std::string build, build_incremental;
  std::optional<int64_t> timestamp;
};

// One DeviceState message merged into `state`, as protobuf merges a message
// field given again: the repeated device and build append (only the first
// build is kept), later scalars win. False when the bytes are malformed.
bool merge_device_state(std::string_view bytes, DeviceState& state) {
  WireReader reader(bytes);
  while (auto field = reader.next()) {
    if (field->wire_type == 2 && field->number == 1 && is_codename(field->bytes))
      state.devices_cut |= !add_unique(state.devices, field->bytes);
    else if (field->wire_type == 2 && field->number == 2 && state.build.empty() && is_plain_value(field->bytes))
      state.build = field->bytes;
    else if (field->wire_type == 2 && field->number == 3 && is_plain_value(field->bytes))
      state.build_incremental = field->bytes;
    else if (field->wire_type == 0 && field->number == 4 && field->number_value <= INT64_MAX)
      state.timestamp = static_cast<int64_t>(field->number_value);
  }
  return !reader.failed();
}

}  // namespace

std::optional<OtaMetadata> parse_ota_metadata_pb(std::string_view bytes) {
  OtaMetadata meta;
  DeviceState before, after;  // fields 5 (precondition) and 6 (postcondition)
  WireReader reader(bytes);
  while (auto field = reader.next()) {
    if (field->number == 1 && field->wire_type == 0) {
      static constexpr std::string_view kTypes[] = {"", "AB", "BLOCK", "BRICK"};
      if (field->number_value < std::size(kTypes)) meta.ota_type = kTypes[field->number_value];
    } else if ((field->number == 5 || field->number == 6) && field->wire_type == 2) {
      if (!merge_device_state(field->bytes, field->number == 5 ? before : after)) return std::nullopt;
    }
  }
  if (reader.failed()) return std::nullopt;
  meta.devices = std::move(before.devices);
  meta.devices_cut = before.devices_cut;
  meta.source_fingerprint = std::move(before.build);
  meta.incremental = !meta.source_fingerprint.empty() || !before.build_incremental.empty();
  meta.fingerprint = std::move(after.build);
  meta.version = std::move(after.build_incremental);
  meta.timestamp = after.timestamp;
  const bool any = !meta.ota_type.empty() || !meta.devices.empty() || meta.incremental || !meta.fingerprint.empty() ||
                   !meta.version.empty() || meta.timestamp.has_value();
  if (!any) return std::nullopt;
  return meta;
}

UpdaterScriptFacts parse_updater_script(std::string_view text) {
  UpdaterScriptFacts facts;
  for_each_line(text, [&](std::string_view line) {
    if (line.starts_with('#')) return;
    if (line.find("apply_patch_check(") != std::string_view::npos) facts.incremental = true;
    for (const std::string_view property : {"getprop(\"ro.product.device\")", "getprop(\"ro.build.product\")"}) {
      for (size_t at = line.find(property); at != std::string_view::npos; at = line.find(property, at + 1)) {
        std::string_view rest = trim(line.substr(at + property.size()));
        if (!rest.starts_with("==")) continue;
        rest = trim(rest.substr(2));
        if (!rest.starts_with('"')) continue;
        const size_t close = rest.find('"', 1);
        if (close != std::string_view::npos && is_codename(rest.substr(1, close - 1))) {
          facts.devices_cut |= !add_unique(facts.devices, rest.substr(1, close - 1));
        }
      }
    }
  });
  return facts;
}

}  // namespace xfu
