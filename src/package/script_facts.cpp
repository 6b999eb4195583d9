#include "package/script_facts.hpp"

#include <algorithm>
#include <charconv>

#include "util/strings.hpp"

namespace xfu {

namespace {

constexpr size_t kMaxCodenameBytes = 64;
constexpr size_t kMaxDevices = 64;
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

void add_unique(std::vector<std::string>& list, std::string_view item) {
  if (list.size() < kMaxDevices && std::find(list.begin(), list.end(), item) == list.end()) list.emplace_back(item);
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
      add_unique(devices, name);
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
    for (const auto& device : codenames_after_label(line.substr(at + kLabel.size()))) add_unique(devices, device);
  }
  return devices;
}

// The value of `CURRENT_ANTI_VER=N` or `set CURRENT_ANTI_VER=N`, quotes allowed.
std::optional<std::string_view> anti_version_assignment(std::string_view line) {
  if (line.starts_with('@')) line.remove_prefix(1);
  if (istarts_with(line, "set ")) line = trim(line.substr(4));
  constexpr std::string_view kName = "CURRENT_ANTI_VER=";
  if (!line.starts_with(kName)) return std::nullopt;
  std::string_view value = trim(line.substr(kName.size()));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

}  // namespace

bool is_codename(std::string_view text) {
  return !text.empty() && text.size() <= kMaxCodenameBytes && std::all_of(text.begin(), text.end(), is_codename_char);
}

FlashScriptFacts parse_flash_script(std::string_view text) {
  FlashScriptFacts facts;
  const auto note = [&](std::string message) {
    if (facts.notes.size() < kMaxNotes) facts.notes.push_back(std::move(message));
  };
  for_each_line(text, [&](std::string_view line) {
    if (line.empty() || is_script_comment(line)) return;
    if (auto devices = product_check_devices(line)) {
      if (devices->empty()) note("a product check names no valid codename: " + quoted_excerpt(line));
      for (const auto& device : *devices) add_unique(facts.devices, device);
      return;
    }
    const auto value = anti_version_assignment(line);
    if (!value) return;
    const auto index = parse_small_number(*value);
    if (!index) {
      note("CURRENT_ANTI_VER is not a small number: " + quoted_excerpt(*value));
    } else if (!facts.anti_rollback) {
      facts.anti_rollback = index;
    } else if (*facts.anti_rollback != *index) {
      note("CURRENT_ANTI_VER is set twice, to " + std::to_string(*facts.anti_rollback) + " and " +
           std::to_string(*index) + "; the lower is kept");
      facts.anti_rollback = std::min(*facts.anti_rollback, *index);
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
      if (is_codename(name)) add_unique(meta.devices, name);
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
  std::string build, build_incremental;
  std::optional<int64_t> timestamp;
};

std::optional<DeviceState> parse_device_state(std::string_view bytes) {
  DeviceState state;
  WireReader reader(bytes);
  while (auto field = reader.next()) {
    if (field->wire_type == 2 && field->number == 1 && is_codename(field->bytes))
      add_unique(state.devices, field->bytes);
    else if (field->wire_type == 2 && field->number == 2 && state.build.empty() && is_plain_value(field->bytes))
      state.build = field->bytes;
    else if (field->wire_type == 2 && field->number == 3 && is_plain_value(field->bytes))
      state.build_incremental = field->bytes;
    else if (field->wire_type == 0 && field->number == 4 && field->number_value <= INT64_MAX)
      state.timestamp = static_cast<int64_t>(field->number_value);
  }
  if (reader.failed()) return std::nullopt;
  return state;
}

}  // namespace

std::optional<OtaMetadata> parse_ota_metadata_pb(std::string_view bytes) {
  OtaMetadata meta;
  bool any = false;
  WireReader reader(bytes);
  while (auto field = reader.next()) {
    if (field->number == 1 && field->wire_type == 0) {
      static constexpr std::string_view kTypes[] = {"", "AB", "BLOCK", "BRICK"};
      if (field->number_value < std::size(kTypes)) meta.ota_type = kTypes[field->number_value];
      any |= !meta.ota_type.empty();
    } else if ((field->number == 5 || field->number == 6) && field->wire_type == 2) {
      auto state = parse_device_state(field->bytes);
      if (!state) return std::nullopt;
      if (field->number == 5) {
        meta.devices = std::move(state->devices);
        meta.source_fingerprint = std::move(state->build);
        meta.incremental = !meta.source_fingerprint.empty() || !state->build_incremental.empty();
        any |= !meta.devices.empty() || meta.incremental;
      } else {
        meta.fingerprint = std::move(state->build);
        meta.version = std::move(state->build_incremental);
        meta.timestamp = state->timestamp;
        any |= !meta.fingerprint.empty() || !meta.version.empty() || meta.timestamp.has_value();
      }
    }
  }
  if (reader.failed() || !any) return std::nullopt;
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
          add_unique(facts.devices, rest.substr(1, close - 1));
        }
      }
    }
  });
  return facts;
}

}  // namespace xfu
