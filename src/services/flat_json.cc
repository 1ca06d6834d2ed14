#include "services/flat_json.h"

#include <cstdint>

#include "base/escape.h"

namespace services {
namespace {

using nlohmann::json;

class FlatParser {
 public:
  explicit FlatParser(std::string_view text) : s_(text) {}

  bool Document(json* out) {
    Space();
    if (!Object(out, /*nested=*/false)) return false;
    Space();
    return at_ == s_.size();
  }

 private:
  void Space() {
    while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r')) ++at_;
  }
  bool Eat(char c) {
    if (at_ < s_.size() && s_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  bool Object(json* out, bool nested) {
    if (!Eat('{')) return false;
    *out = json::object();
    Space();
    if (Eat('}')) return true;
    for (;;) {
      std::string key;
      if (!String(&key)) return false;
      Space();
      if (!Eat(':')) return false;
      Space();
      json value;
      if (!Value(&value, nested)) return false;
      // Assigned, not inserted: a repeated key keeps its last value, as in nlohmann.
      (*out)[key] = std::move(value);
      Space();
      if (Eat('}')) return true;
      if (!Eat(',')) return false;
      Space();
    }
  }

  bool Value(json* out, bool nested) {
    if (at_ >= s_.size()) return false;
    char c = s_[at_];
    if (c == '"') {
      std::string text;
      if (!String(&text)) return false;
      *out = std::move(text);
      return true;
    }
    if (c == '{') return !nested && Object(out, /*nested=*/true);
    return Integer(out);
  }

  // Strings of plain characters and well-formed UTF-8 only: an escape sends the
  // text to nlohmann, which knows every one of them.
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    size_t start = at_;
    while (at_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[at_]);
      if (c == '"') {
        out->assign(s_.substr(start, at_ - start));
        ++at_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      if (c < 0x80) {
        ++at_;
        continue;
      }
      uint32_t code_point = 0;
      size_t n = base::Utf8Sequence(s_, at_, &code_point);
      if (n == 0) return false;
      at_ += n;
    }
    return false;
  }

  // -?(0|[1-9][0-9]*), at most 18 digits (so it fits either way), not followed by a
  // fraction or an exponent.
  bool Integer(json* out) {
    bool negative = Eat('-');
    size_t start = at_;
    while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') ++at_;
    size_t digits = at_ - start;
    if (digits == 0 || digits > 18 || (digits > 1 && s_[start] == '0')) return false;
    if (at_ < s_.size() && (s_[at_] == '.' || s_[at_] == 'e' || s_[at_] == 'E')) return false;
    int64_t n = 0;
    for (size_t i = start; i < at_; ++i) n = n * 10 + (s_[i] - '0');
    if (negative) {
      *out = -n;  // nlohmann: a negative integer is signed ("-0" too)
    } else {
      *out = static_cast<uint64_t>(n);  // and a non-negative one unsigned
    }
    return true;
  }

  std::string_view s_;
  size_t at_ = 0;
};

}  // namespace

std::optional<json> ParseFlatJson(std::string_view text) {
  json out;
  if (!FlatParser(text).Document(&out)) return std::nullopt;
  return out;
}

}  // namespace services
