#include "catalog/catalog_scan.hpp"

#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/exit_code.hpp"

namespace xfu {

namespace {

struct SyntaxError {};

// Bytes a string may hold as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> plain_string_bytes() {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}
constexpr std::array<bool, 256> kPlain = plain_string_bytes();

class Scanner {
 public:
  Scanner(std::string_view text, RecordVisitor* visitor) : text_(text), visitor_(visitor) {}

  CatalogScan scan() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    space();
    if (peek() == '{') top_object();
    else if (peek() == '[') scan_.is_array = true, records();
    else value();
    space();
    if (pos_ != text_.size()) throw SyntaxError{};
    return std::move(scan_);
  }

 private:
  std::string_view text_;
  RecordVisitor* visitor_;
  size_t pos_ = 0;
  CatalogScan scan_;

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }
  void expect(char c) {
    if (at_end() || text_[pos_] != c) throw SyntaxError{};
    ++pos_;
  }
  void space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  // A member name, decoded only when it holds an escape.
  std::string key() {
    space();
    if (peek() != '"') throw SyntaxError{};
    const size_t start = pos_;
    bool escaped = false;
    const std::string_view contents = string(&escaped);
    std::string name = escaped ? decode_json_string(text_.substr(start, pos_ - start)) : std::string(contents);
    space();
    expect(':');
    space();
    return name;
  }

  // Reads the elements of the object or array opening at pos_, which `close`
  // ends, calling `element` at each (for an object: at each member's name).
  template <typename Element>
  void elements(char close, Element element) {
    ++pos_;
    space();
    if (peek() == close) {
      ++pos_;
      return;
    }
    for (;;) {
      element();
      space();
      if (peek() == close) break;
      expect(',');
    }
    ++pos_;
  }

  void top_object() {
    scan_.is_object = true;
    elements('}', [&] {
      const std::string name = key();
      const size_t start = pos_;
      if (name == "roms" && peek() == '[') {
        scan_.records.clear();  // the last "roms" wins, as in the full parser
        if (visitor_) visitor_->restart();
        records();
      } else {
        value();
      }
      const std::string_view member = text_.substr(start, pos_ - start);
      if (name == "schema") scan_.schema_value = member;
      if (name == "roms") scan_.roms_value = member;
      if (name == "generated") {
        scan_.generated_value = member;
        scan_.generated = member.size() >= 2 && member.front() == '"' ? member.substr(1, member.size() - 2) : "";
      }
    });
  }

  void records() {
    elements(']', [&] {
      space();
      const size_t start = pos_;
      RecordSpan record;
      if (peek() == '{') record_object(record);
      else value();
      record.text = text_.substr(start, pos_ - start);
      if (visitor_) visitor_->record(record);
      else scan_.records.push_back(record);
    });
  }

  void record_object(RecordSpan& record) {
    elements('}', [&] {
      const std::string name = key();
      std::string_view contents;
      if (peek() == '"') contents = string(nullptr);
      else value();
      if (name == "codename") record.codename = contents;
      else if (name == "variant") record.variant = contents;
      else if (name == "filename") record.filename = contents;
      else if (name == "link" || name == "download") record.link = contents;
    });
  }

  // Any value, nested to any depth, without recursion.
  void value() {
    std::string open;  // the containers we are in: '{' or '['
    for (;;) {
      space();
      switch (peek()) {
        case '{':
          ++pos_;
          space();
          if (peek() != '}') {
            open.push_back('{');
            key();
            continue;
          }
          ++pos_;
          break;
        case '[':
          ++pos_;
          space();
          if (peek() != ']') {
            open.push_back('[');
            continue;
          }
          ++pos_;
          break;
        case '"': string(nullptr); break;
        case 't': literal("true"); break;
        case 'f': literal("false"); break;
        case 'n': literal("null"); break;
        default: number(); break;
      }
      // After a value: close containers, or go on to the next element.
      for (;;) {
        if (open.empty()) return;
        space();
        const char c = peek();
        if (c == ',') {
          ++pos_;
          if (open.back() == '{') key();
          break;
        }
        if (c != (open.back() == '{' ? '}' : ']')) throw SyntaxError{};
        ++pos_;
        open.pop_back();
      }
    }
  }

  void literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) throw SyntaxError{};
    pos_ += word.size();
  }

  bool digit() const { return peek() >= '0' && peek() <= '9'; }

  void number() {
    const size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else {
      if (!digit()) throw SyntaxError{};
      while (digit()) ++pos_;
    }
    bool plain_integer = true;
    if (peek() == '.') {
      plain_integer = false;
      ++pos_;
      if (!digit()) throw SyntaxError{};
      while (digit()) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      plain_integer = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digit()) throw SyntaxError{};
      while (digit()) ++pos_;
    }
    if (!plain_integer || pos_ - start > 18) check_finite(text_.substr(start, pos_ - start));
  }

  // The full parser refuses a number too large for a double; a tiny one becomes 0.
  static void check_finite(std::string_view number) {
    double value = 0;
    const auto result = std::from_chars(number.data(), number.data() + number.size(), value);
    if (result.ec != std::errc::result_out_of_range) return;
    // Out of range one way or the other: which way is the sign of its decimal exponent.
    size_t mantissa_end = number.find_first_of("eE");
    long exponent = 0;
    if (mantissa_end != std::string_view::npos) {
      std::string_view digits = number.substr(mantissa_end + 1);
      const bool negative = !digits.empty() && digits.front() == '-';
      if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
      for (char c : digits) exponent = std::min(exponent * 10 + (c - '0'), 100000L);
      if (negative) exponent = -exponent;
    } else {
      mantissa_end = number.size();
    }
    const std::string_view mantissa = number.substr(0, mantissa_end);
    const size_t first_nonzero = mantissa.find_first_of("123456789");
    const size_t point = std::min(mantissa.find('.'), mantissa.size());
    if (first_nonzero == std::string_view::npos) return;
    const long magnitude = first_nonzero < point ? static_cast<long>(point - first_nonzero)
                                                 : -static_cast<long>(first_nonzero - point - 1);
    if (magnitude + exponent > 0) throw SyntaxError{};
  }

  // A string starting at the quote; returns its raw contents.
  std::string_view string(bool* escaped) {
    const size_t start = ++pos_;
    for (;;) {
      while (pos_ < text_.size() && kPlain[static_cast<unsigned char>(text_[pos_])]) ++pos_;
      if (at_end()) throw SyntaxError{};
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return text_.substr(start, pos_ - 1 - start);
      }
      if (c == '\\') {
        if (escaped) *escaped = true;
        escape();
      } else if (c < 0x20) {
        throw SyntaxError{};
      } else {
        utf8_sequence(c);
      }
    }
  }

  unsigned hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      const char c = peek();
      code <<= 4;
      if (c >= '0' && c <= '9') code |= c - '0';
      else if (c >= 'a' && c <= 'f') code |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') code |= c - 'A' + 10;
      else throw SyntaxError{};
    }
    return code;
  }

  void escape() {
    ++pos_;
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't': return;
      case 'u': break;
      default: throw SyntaxError{};
    }
    const unsigned code = hex4();
    if (code >= 0xDC00 && code <= 0xDFFF) throw SyntaxError{};  // a low surrogate alone
    if (code >= 0xD800 && code <= 0xDBFF) {                     // must be followed by a low one
      if (peek() != '\\') throw SyntaxError{};
      ++pos_;
      if (peek() != 'u') throw SyntaxError{};
      ++pos_;
      const unsigned low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) throw SyntaxError{};
    }
  }

  // One multi-byte UTF-8 character as RFC 3629 allows it: no overlong forms, no surrogates, nothing past U+10FFFF.
  void utf8_sequence(unsigned char lead) {
    unsigned char low = 0x80, high = 0xBF;
    int continuation = 0;
    if (lead >= 0xC2 && lead <= 0xDF) continuation = 1;
    else if (lead == 0xE0) continuation = 2, low = 0xA0;
    else if (lead == 0xED) continuation = 2, high = 0x9F;
    else if (lead >= 0xE1 && lead <= 0xEF) continuation = 2;
    else if (lead == 0xF0) continuation = 3, low = 0x90;
    else if (lead == 0xF4) continuation = 3, high = 0x8F;
    else if (lead >= 0xF1 && lead <= 0xF3) continuation = 3;
    else throw SyntaxError{};
    ++pos_;
    for (int i = 0; i < continuation; ++i, ++pos_) {
      if (at_end()) throw SyntaxError{};
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c < low || c > high) throw SyntaxError{};
      low = 0x80, high = 0xBF;
    }
  }
};

// Collects the full parser's message for a syntax error, without building a tree.
struct ErrorCollector : nlohmann::json_sax<nlohmann::json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
    message = error.what();
    return false;
  }
};

[[noreturn]] void throw_syntax_error(std::string_view text) {
  ErrorCollector collector;
  nlohmann::json::sax_parse(text.begin(), text.end(), &collector);
  const std::string& what = collector.message;
  if (what.empty()) throw Error(ExitCode::InvalidCatalog, "invalid JSON");
  // "[json.exception.parse_error.101] parse error at line 3, column 4: syntax error ..."
  if (const auto at = what.find(" at line "); at != std::string::npos)
    throw Error(ExitCode::InvalidCatalog, "invalid JSON" + what.substr(at));
  const auto bracket = what.find("] ");
  throw Error(ExitCode::InvalidCatalog,
              "invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2)));
}

}  // namespace

CatalogScan scan_catalog(std::string_view text, RecordVisitor* visitor) {
  try {
    return Scanner(text, visitor).scan();
  } catch (const SyntaxError&) {
    throw_syntax_error(text);
  }
}

std::string decode_json_string(std::string_view literal) {
  const auto value = nlohmann::json::parse(literal.begin(), literal.end(), nullptr, false);
  return value.is_string() ? value.get<std::string>() : std::string();
}

}  // namespace xfu
