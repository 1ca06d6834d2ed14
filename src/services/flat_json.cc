#include "services/flat_json.h"

#include "base/escape.h"

namespace services {
namespace {

using nlohmann::json;

class FlatParser {
 public:
  FlatParser(std::string_view text, FlatDoc* doc) : s_(text), doc_(doc) {}

  bool Document() {
    Space();
    FlatValue root;
    if (!Object(&root, /*nested=*/false)) return false;
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

  // Top-level fields go to doc_->top, a nested object's to doc_->nested (whole, before
  // the next top-level field: one level of nesting only).
  bool Object(FlatValue* out, bool nested) {
    if (!Eat('{')) return false;
    std::vector<FlatField>& fields = nested ? doc_->nested : doc_->top;
    out->kind = FlatValue::Kind::kObject;
    out->first = fields.size();
    Space();
    if (Eat('}')) return true;
    for (;;) {
      FlatField field;
      if (!String(&field.key)) return false;
      Space();
      if (!Eat(':')) return false;
      Space();
      if (!Value(&field.value, nested)) return false;
      fields.push_back(field);
      ++out->count;
      Space();
      if (Eat('}')) return true;
      if (!Eat(',')) return false;
      Space();
    }
  }

  bool Value(FlatValue* out, bool nested) {
    if (at_ >= s_.size()) return false;
    char c = s_[at_];
    if (c == '"') {
      out->kind = FlatValue::Kind::kString;
      return String(&out->text);
    }
    if (c == '{') return !nested && Object(out, /*nested=*/true);
    return Integer(out);
  }

  // Plain characters and well-formed UTF-8 only: an escape sends the text to
  // nlohmann, which knows every one of them.
  bool String(std::string_view* out) {
    if (!Eat('"')) return false;
    size_t start = at_;
    while (at_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[at_]);
      if (c == '"') {
        *out = s_.substr(start, at_ - start);
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

  // -?(0|[1-9][0-9]*), at most 18 digits (so it fits), no fraction or exponent.
  bool Integer(FlatValue* out) {
    out->kind = FlatValue::Kind::kInteger;
    out->negative = Eat('-');
    size_t start = at_;
    while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') ++at_;
    size_t digits = at_ - start;
    if (digits == 0 || digits > 18 || (digits > 1 && s_[start] == '0')) return false;
    if (at_ < s_.size() && (s_[at_] == '.' || s_[at_] == 'e' || s_[at_] == 'E')) return false;
    int64_t n = 0;
    for (size_t i = start; i < at_; ++i) n = n * 10 + (s_[i] - '0');
    out->integer = out->negative ? -n : n;
    return true;
  }

  std::string_view s_;
  FlatDoc* doc_;
  size_t at_ = 0;
};

json Dom(const FlatValue& v, const FlatDoc& doc) {
  switch (v.kind) {
    case FlatValue::Kind::kString:
      return std::string(v.text);
    case FlatValue::Kind::kInteger:
      // nlohmann: a negative integer is signed ("-0" too), a non-negative one unsigned.
      if (v.negative) return v.integer;
      return static_cast<uint64_t>(v.integer);
    case FlatValue::Kind::kObject:
      break;
  }
  json out = json::object();
  for (size_t i = v.first; i < v.first + v.count; ++i)
    out[std::string(doc.nested[i].key)] = Dom(doc.nested[i].value, doc);  // the last of a repeated key
  return out;
}

}  // namespace

const FlatValue* FlatDoc::Find(std::string_view key) const {
  for (size_t i = top.size(); i-- > 0;)
    if (top[i].key == key) return &top[i].value;
  return nullptr;
}

bool ParseFlat(std::string_view text, FlatDoc* out) {
  out->top.clear();
  out->nested.clear();
  return FlatParser(text, out).Document();
}

std::optional<json> ParseFlatJson(std::string_view text) {
  FlatDoc doc;
  if (!ParseFlat(text, &doc)) return std::nullopt;
  json out = json::object();
  for (const FlatField& f : doc.top) out[std::string(f.key)] = Dom(f.value, doc);
  return out;
}

}  // namespace services
