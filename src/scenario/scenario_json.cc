#include "scenario/scenario_json.h"

// Three layers, bottom up: DomBuilder turns text into a document (syntax errors with
// line:column); Reader gives typed access to it, each error naming its JSON pointer;
// Loader has one short function per section of the format and the cross-checks
// (products in the catalog, order ids, groups and topics).

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/money.h"
#include "services/bindings.h"

namespace scenario {
namespace {

using Json = nlohmann::json;

// Guards against absurd inputs: the simulator would run out of memory or time long
// before it could report anything useful.
constexpr int64_t kMaxOrders = 10'000'000;
constexpr int64_t kMaxSteps = 100'000;
constexpr int64_t kMaxFaults = 100'000;
constexpr int64_t kMaxProducts = 100'000;
// Stock, order quantities and restocks; keeps every sum of units far from overflow.
constexpr int64_t kMaxUnits = 1'000'000'000;
constexpr int64_t kMaxCopies = 1000;
// Arrays and objects inside one another; the format itself nests at most 6 deep.
// nlohmann's parser and destructor are iterative, so depth cannot overflow the stack,
// but each level costs a container and a builder frame: 10 MB of "[" took 1.2 GB.
constexpr size_t kMaxNesting = 64;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kIntMax = std::numeric_limits<int>::max();

constexpr const char* kDurationHint = "(use e.g. \"250ms\", \"10s\", \"5m\", \"2h\")";
constexpr const char* kMoneyHint =
    "(use a decimal string with at most 2 fraction digits, e.g. \"19.90\", or a non-negative integer)";

// ---------------------------------------------------------------------------------------
// Small text helpers.

std::string Join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// A JSON string literal for messages; long values are cut so one bad value cannot
// flood the terminal.
std::string Quote(std::string_view text) {
  std::string shown(text.substr(0, 60));
  if (text.size() > 60) shown += "...";
  return Json(shown).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string FormatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string Describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "boolean true" : "boolean false";
    case Json::value_t::string: return "string " + Quote(value.get_ref<const std::string&>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number " + value.dump();
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    default: return value.type_name();
  }
}

// RFC 6901: "~" and "/" inside a key are escaped so the pointer stays unambiguous.
std::string PointerSegment(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// A positive integer written as std::to_string writes it: "1", never "01" or "+1", so
// two spellings cannot name the same product or generated order.
std::optional<int64_t> ParseCanonicalPositive(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  if (std::to_string(value) != text) return std::nullopt;
  return value;
}

// RocketMQ's tag expression: "*", or tags joined by "||". Tags are limited to the
// characters tags are made of in practice, so a stray "|" or "," is caught here rather
// than silently filtering every message out.
bool ValidTagExpression(std::string_view expression) {
  // An empty expression is "*" (FilterAPI.buildSubscriptionData), as the client reads it.
  if (Trim(expression) == "*" || Trim(expression).empty()) return true;
  while (true) {
    size_t bar = expression.find("||");
    std::string_view tag = Trim(expression.substr(0, bar));
    if (tag.empty()) return false;
    for (char c : tag) {
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-';
      if (!ok) return false;
    }
    if (bar == std::string_view::npos) return true;
    expression.remove_prefix(bar + 2);
  }
}

std::string RangeMessage(int64_t min, int64_t max, const Json& got) {
  if (max == kInt64Max) return "must be at least " + std::to_string(min) + ", got " + got.dump();
  return "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + got.dump();
}

// ---------------------------------------------------------------------------------------
// JSON syntax: a DOM builder on nlohmann's SAX interface.

// 1-based line and column of the byte at `offset`. The column counts UTF-8 characters,
// not bytes, so it matches what an editor shows.
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1,
// column 9: syntax error while parsing value - invalid literal; last read: 'tru'"; the
// id and its own position are noise next to ours.
std::string ShortReason(std::string what) {
  if (what.starts_with("[json.exception.")) {
    if (size_t p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
  }
  if (what.starts_with("parse error")) {
    if (size_t p = what.find(": "); p != std::string::npos) what.erase(0, p + 2);
  }
  // The last-read token of an unterminated string is the rest of the file.
  const std::string kLastRead = "; last read: '";
  if (size_t start = what.find(kLastRead); start != std::string::npos) {
    size_t end = what.rfind("; expected ");
    if (end == std::string::npos || end < start) end = what.size();
    if (end - start > kLastRead.size() + 30) what.erase(start, end - start);
  }
  return what;
}

// Builds the same document as json::parse, and also: rejects duplicate keys (json::parse
// silently keeps the last, so a pasted copy would override the intended value), and
// receives the byte offset of every syntax error, including number overflow, for which
// json::parse's exception carries none.
class DomBuilder : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return Put(nullptr); }
  bool boolean(bool value) override { return Put(value); }
  bool number_integer(number_integer_t value) override { return Put(value); }
  bool number_unsigned(number_unsigned_t value) override { return Put(value); }
  bool number_float(number_float_t value, const string_t&) override { return Put(value); }
  bool string(string_t& value) override { return Put(std::move(value)); }
  bool binary(binary_t& value) override { return Put(Json::binary(std::move(value))); }
  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& key) override {
    Frame& top = stack_.back();
    if (top.node->contains(key)) {
      duplicate_path_ = PathOfOpenChild(stack_.size() - 1) + "/" + PointerSegment(key);
      duplicate_key_ = key;
      return false;
    }
    top.key = std::move(key);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    // `position` counts the characters read, the offending one included.
    error_offset_ = position == 0 ? 0 : position - 1;
    error_reason_ = ShortReason(ex.what());
    return false;
  }

  Json& root() { return root_; }
  const std::string& error_reason() const { return error_reason_; }
  size_t error_offset() const { return error_offset_; }
  const std::string& duplicate_path() const { return duplicate_path_; }
  const std::string& duplicate_key() const { return duplicate_key_; }

 private:
  struct Frame {
    Json* node;
    std::string key;  // for objects: the key whose value is being read
  };

  Json* Insert(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Frame& top = stack_.back();
    if (top.node->is_array()) {
      top.node->push_back(std::move(value));
      return &top.node->back();
    }
    return &((*top.node)[top.key] = std::move(value));
  }
  bool Put(Json value) {
    Insert(std::move(value));
    return true;
  }
  bool Open(Json container) {
    stack_.push_back({Insert(std::move(container)), {}});
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }
  // The pointer of the value currently being read inside the first `depth` frames.
  std::string PathOfOpenChild(size_t depth) const {
    std::string path;
    for (size_t i = 0; i < depth; ++i) {
      const Frame& frame = stack_[i];
      path += "/";
      path += frame.node->is_array() ? std::to_string(frame.node->size() - 1) : PointerSegment(frame.key);
    }
    return path;
  }

  Json root_;
  std::vector<Frame> stack_;
  std::string error_reason_;
  size_t error_offset_ = 0;
  std::string duplicate_path_, duplicate_key_;
};

// The offset of the first '[' or '{' that opens a level deeper than kMaxNesting, if
// any; brackets inside strings do not count. A quick scan before parsing.
std::optional<size_t> TooDeep(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

base::Status ParseJson(std::string_view text, const std::string& file, Json* out) {
  if (std::optional<size_t> offset = TooDeep(text)) {
    auto [line, column] = LineAndColumn(text, *offset);
    return base::Status::InvalidInput(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                      ": nested too deeply: more than " + std::to_string(kMaxNesting) +
                                      " levels of arrays and objects");
  }
  DomBuilder builder;
  Json::sax_parse(text.begin(), text.end(), &builder);
  if (!builder.error_reason().empty()) {
    auto [line, column] = LineAndColumn(text, builder.error_offset());
    return base::Status::InvalidInput(file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                      ": invalid JSON: " + builder.error_reason());
  }
  if (!builder.duplicate_path().empty()) {
    return base::Status::InvalidInput(file + ": " + builder.duplicate_path() + ": duplicate key " +
                                      Quote(builder.duplicate_key()));
  }
  *out = std::move(builder.root());
  return base::Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Reader: typed access to the document with error messages that name the place.

// Keeps the first input error. Later checks become no-ops, so each section reads
// straight through instead of threading a Status through every field.
class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}
  void Add(const std::string& path, const std::string& message) {
    if (!status_.ok()) return;
    status_ = base::Status::InvalidInput(file_ + ": " + (path.empty() ? "(top level)" : path) + ": " + message);
  }
  bool ok() const { return status_.ok(); }
  const base::Status& status() const { return status_; }

 private:
  std::string file_;
  base::Status status_;
};

// A place in the document: the value there (none when the key is absent) and its JSON
// pointer. Getters return their fallback when the value is absent, and also, after
// recording an error, when it is invalid. Thread-safety: none needed (one per load).
class Reader {
 public:
  Reader(const Json* value, std::string path, Errors* errors)
      : value_(value), path_(std::move(path)), errors_(errors) {}

  bool present() const { return value_ != nullptr; }
  bool ok() const { return errors_->ok(); }
  const std::string& path() const { return path_; }
  const Json& json() const { return *value_; }
  void Fail(const std::string& message) const { errors_->Add(path_, message); }

  Reader Child(std::string_view key) const {
    const Json* child = nullptr;
    if (present() && value_->is_object()) {
      auto it = value_->find(key);
      if (it != value_->end()) child = &*it;
    }
    return Reader(child, path_ + "/" + PointerSegment(key), errors_);
  }

  // Records "missing required key" when absent.
  bool Require() const {
    if (!present()) Fail("missing required key");
    return present() && ok();
  }

  bool IsObject() const { return present() && CheckType(value_->is_object(), "an object"); }
  bool IsArray() const { return present() && CheckType(value_->is_array(), "an array"); }

  // An object whose keys are all in `allowed`; false (and an error) otherwise.
  bool ExpectObject(std::initializer_list<std::string_view> allowed) const {
    return ExpectObject(std::span(allowed.begin(), allowed.size()));
  }
  bool ExpectObject(std::span<const std::string_view> allowed) const {
    if (!present() || !ok() || !IsObject()) return false;
    for (const auto& [key, unused] : value_->items()) {
      bool known = false;
      for (std::string_view name : allowed) known = known || key == name;
      if (!known) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        Child(key).Fail("unknown key " + Quote(key) + " (expected one of: " + Join(names) + ")");
        return false;
      }
    }
    return true;
  }

  // An array of at most `max_size` elements.
  bool ExpectArray(int64_t max_size) const {
    if (!present() || !ok() || !IsArray()) return false;
    if (static_cast<int64_t>(value_->size()) > max_size) {
      Fail("too many elements: " + std::to_string(value_->size()) + " (at most " + std::to_string(max_size) + ")");
      return false;
    }
    return true;
  }

  // Members of an object / elements of an array, in order, until the first error.
  void ForEachMember(const std::function<void(const std::string&, const Reader&)>& visit) const {
    if (!present() || !ok() || !IsObject()) return;
    for (const auto& [key, value] : value_->items()) {
      visit(key, Reader(&value, path_ + "/" + PointerSegment(key), errors_));
      if (!ok()) return;
    }
  }
  void ForEachElement(const std::function<void(int, const Reader&)>& visit) const {
    if (!present() || !ok() || !IsArray()) return;
    for (size_t i = 0; i < value_->size(); ++i) {
      visit(static_cast<int>(i), Reader(&(*value_)[i], path_ + "/" + std::to_string(i), errors_));
      if (!ok()) return;
    }
  }

  std::string String(std::string fallback = {}) const {
    if (!present() || !ok() || !CheckType(value_->is_string(), "a string")) return fallback;
    return value_->get<std::string>();
  }

  std::string NonEmptyString() const {
    std::string value = String();
    if (present() && ok() && value.empty()) Fail("must not be empty");
    return value;
  }

  bool Bool(bool fallback) const {
    if (!present() || !ok() || !CheckType(value_->is_boolean(), "a boolean (true or false)")) return fallback;
    return value_->get<bool>();
  }

  int64_t Int(int64_t fallback, int64_t min, int64_t max) const {
    if (!present() || !ok()) return fallback;
    int64_t value;
    if (value_->is_number_unsigned()) {
      uint64_t u = value_->get<uint64_t>();
      if (u > static_cast<uint64_t>(max)) {
        Fail(RangeMessage(min, max, *value_));
        return fallback;
      }
      value = static_cast<int64_t>(u);
    } else if (value_->is_number_integer()) {
      value = value_->get<int64_t>();
    } else {
      Fail("expected an integer, got " + Describe(*value_));
      return fallback;
    }
    if (value < min || value > max) {
      Fail(RangeMessage(min, max, *value_));
      return fallback;
    }
    return value;
  }

  uint64_t Uint64(uint64_t fallback) const {
    if (!present() || !ok() || !CheckType(value_->is_number_unsigned(), "an unsigned integer")) return fallback;
    return value_->get<uint64_t>();
  }

  double Number(double fallback, double min, double max) const {
    if (!present() || !ok() || !CheckType(value_->is_number(), "a number")) return fallback;
    double value = value_->get<double>();
    if (value < min || value > max) {
      std::string range = max == std::numeric_limits<double>::max()
                              ? "must be at least " + FormatDouble(min)
                              : "must be between " + FormatDouble(min) + " and " + FormatDouble(max);
      Fail(range + ", got " + value_->dump());
      return fallback;
    }
    return value;
  }

  // A string such as "250ms", "10s", "5m", "2h", or an integer of milliseconds.
  int64_t Duration(int64_t fallback, int64_t min_ms = 0) const {
    if (!present() || !ok()) return fallback;
    std::string text, shown;
    if (value_->is_string()) {
      text = value_->get<std::string>();
      shown = Quote(text);
    } else if (value_->is_number()) {
      text = shown = value_->dump();
    } else {
      Fail("expected a duration such as \"10s\", got " + Describe(*value_));
      return fallback;
    }
    int64_t ms = 0;
    if (!ParseDurationText(text, shown, &ms)) return fallback;
    if (ms < min_ms) {
      Fail("must be at least " + base::FormatDuration(min_ms) + ", got " + shown);
      return fallback;
    }
    return ms;
  }

  // Parses one duration token, reporting a bad one at this place.
  bool ParseDurationText(std::string_view text, const std::string& shown, int64_t* ms) const {
    if (base::ParseDuration(text, ms)) return true;
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    std::string_view unit = text.substr(digits);
    bool well_formed = digits > 0 && (unit.empty() || unit == "ms" || unit == "s" || unit == "m" || unit == "h");
    if (well_formed) {
      Fail("duration " + shown + " is too long (at most " + base::FormatDuration(base::kMaxDurationMs) + ")");
    } else {
      Fail("bad duration " + shown + " " + kDurationHint);
    }
    return false;
  }

  base::Cents Money(base::Cents fallback) const {
    if (!present() || !ok()) return fallback;
    std::string text, shown;
    if (value_->is_string()) {
      text = value_->get<std::string>();
      shown = Quote(text);
    } else if (value_->is_number()) {
      text = shown = value_->dump();
    } else {
      Fail("expected money such as \"19.90\", got " + Describe(*value_));
      return fallback;
    }
    base::Cents cents = 0;
    // A JSON float has already been through binary floating point; the spec wants
    // exact amounts, so it must be written as a string.
    if (value_->is_number_float() || !base::ParseMoney(text, &cents)) {
      Fail("bad money " + shown + " " + kMoneyHint);
      return fallback;
    }
    return cents;
  }

  template <typename T>
  T Enum(T fallback, std::initializer_list<std::pair<const char*, T>> names) const {
    std::string text = String();
    if (!present() || !ok()) return fallback;
    std::vector<std::string> valid;
    for (const auto& [name, value] : names) {
      if (text == name) return value;
      valid.push_back(name);
    }
    Fail("unknown value " + Quote(text) + " (expected one of: " + Join(valid) + ")");
    return fallback;
  }

  // A string that must be one of `valid`.
  std::string OneOf(const std::vector<std::string>& valid, const char* what = "value") const {
    std::string text = String();
    if (!present() || !ok()) return text;
    for (const std::string& name : valid)
      if (text == name) return text;
    Fail(std::string("unknown ") + what + " " + Quote(text) + " (expected one of: " + Join(valid) + ")");
    return text;
  }

  // [min, max] with lo <= min <= max <= hi.
  std::pair<int64_t, int64_t> IntRange(std::pair<int64_t, int64_t> fallback, int64_t lo, int64_t hi) const {
    if (!present() || !ok()) return fallback;
    if (!value_->is_array() || value_->size() != 2) {
      Fail("expected [min, max], got " + Describe(*value_));
      return fallback;
    }
    int64_t min = Element(0).Int(0, lo, hi), max = Element(1).Int(0, lo, hi);
    if (!ok()) return fallback;
    if (min > max) {
      Fail("min " + std::to_string(min) + " is greater than max " + std::to_string(max));
      return fallback;
    }
    return {min, max};
  }

 private:
  Reader Element(size_t i) const { return Reader(&(*value_)[i], path_ + "/" + std::to_string(i), errors_); }

  bool CheckType(bool is_expected_type, const char* expected) const {
    if (!is_expected_type) Fail(std::string("expected ") + expected + ", got " + Describe(*value_));
    return is_expected_type;
  }

  const Json* value_;
  std::string path_;
  Errors* errors_;
};

// ---------------------------------------------------------------------------------------
// Order ids, without expanding generated blocks (up to ten million ids).

// "g1..g1000".
std::string GeneratedRange(const std::string& prefix, int64_t count) {
  return prefix + "1" + (count > 1 ? ".." + prefix + std::to_string(count) : "");
}

class OrderIds {
 public:
  // Adds an id; on a collision, returns the message.
  std::optional<std::string> AddSingle(const std::string& id, const std::string& path) {
    if (auto it = singles_.find(id); it != singles_.end())
      return "duplicate order id " + Quote(id) + " (first at " + it->second + ")";
    if (const Block* block = FindBlock(id))
      return "order id " + Quote(id) + " is also generated by " + block->path + " (" +
             GeneratedRange(block->prefix, block->count) + ")";
    singles_.emplace(id, path);
    return std::nullopt;
  }

  // Adds ids prefix+1 .. prefix+count; on a collision, returns the message.
  std::optional<std::string> AddGenerated(const std::string& prefix, int64_t count, const std::string& path) {
    std::string ours = "generated ids " + GeneratedRange(prefix, count);
    if (auto it = blocks_.find(prefix); it != blocks_.end())
      return ours + " overlap those of " + it->second.path + " (same idPrefix " + Quote(prefix) + ")";
    // A block whose prefix is a proper prefix of ours, e.g. "g" (count 20) vs "g1": "g11".
    for (size_t k = 0; k < prefix.size(); ++k) {
      auto it = blocks_.find(std::string_view(prefix).substr(0, k));
      if (it != blocks_.end() && Overlaps(it->second, prefix))
        return ours + " collide with " + it->second.path + " (both have " + Quote(prefix + "1") + ")";
    }
    Block block{prefix, count, path};
    // Blocks whose prefix extends ours.
    for (auto it = blocks_.lower_bound(prefix); it != blocks_.end() && it->first.starts_with(prefix); ++it) {
      if (Overlaps(block, it->first))
        return ours + " collide with " + it->second.path + " (both have " + Quote(it->first + "1") + ")";
    }
    for (auto it = singles_.lower_bound(prefix); it != singles_.end() && it->first.starts_with(prefix); ++it) {
      if (auto n = ParseCanonicalPositive(std::string_view(it->first).substr(prefix.size())); n && *n <= count)
        return ours + " include " + Quote(it->first) + ", the id of " + it->second;
    }
    blocks_.emplace(prefix, std::move(block));
    return std::nullopt;
  }

  bool Contains(std::string_view id) const { return singles_.count(id) > 0 || FindBlock(id) != nullptr; }

  // Whether some order id starts with `prefix` (for "g*" matchers).
  bool AnyWithPrefix(std::string_view prefix) const {
    auto single = singles_.lower_bound(prefix);
    if (single != singles_.end() && single->first.starts_with(prefix)) return true;
    auto block = blocks_.lower_bound(prefix);
    if (block != blocks_.end() && block->first.starts_with(prefix)) return true;
    for (size_t k = 0; k < prefix.size(); ++k) {
      auto it = blocks_.find(prefix.substr(0, k));
      // Some number 1..count starts with these digits iff the digits themselves are one.
      if (it == blocks_.end()) continue;
      if (auto n = ParseCanonicalPositive(prefix.substr(k)); n && *n <= it->second.count) return true;
    }
    return false;
  }

 private:
  struct Block {
    std::string prefix;
    int64_t count;
    std::string path;
  };

  // Whether `block` generates an id starting with `longer` + digits, where `longer`
  // extends block.prefix: "g" + n == "g1" + m needs n = 1·10^k + m, the least being 11.
  static bool Overlaps(const Block& block, std::string_view longer) {
    auto rest = ParseCanonicalPositive(longer.substr(block.prefix.size()));
    return rest && *rest <= (block.count - 1) / 10;
  }

  const Block* FindBlock(std::string_view id) const {
    for (size_t k = 0; k < id.size(); ++k) {
      auto it = blocks_.find(id.substr(0, k));
      if (it == blocks_.end()) continue;
      if (auto n = ParseCanonicalPositive(id.substr(k)); n && *n <= it->second.count) return &it->second;
    }
    return nullptr;
  }

  std::map<std::string, std::string, std::less<>> singles_;  // id -> path
  std::map<std::string, Block, std::less<>> blocks_;         // idPrefix -> block
};

// ---------------------------------------------------------------------------------------
// Name tables.

std::vector<std::string> ConsumerGroups() {
  std::vector<std::string> groups;
  for (const services::ConsumerBindingDef& b : services::ConsumerBindings()) {
    bool seen = false;
    for (const std::string& g : groups) seen = seen || g == b.group;
    if (!seen) groups.push_back(b.group);
  }
  return groups;
}

std::vector<std::string> TopicNames() {
  std::vector<std::string> names;
  for (const services::TopicDef& t : services::Topics()) names.push_back(t.topic);
  return names;
}

bool GroupConsumes(const std::string& group, const std::string& topic) {
  for (const services::ConsumerBindingDef& b : services::ConsumerBindings())
    if (group == b.group && topic == b.topic) return true;
  return false;
}

std::vector<std::string> TopicsOfGroup(const std::string& group) {
  std::vector<std::string> topics;
  for (const services::ConsumerBindingDef& b : services::ConsumerBindings())
    if (group == b.group) topics.push_back(b.topic);
  return topics;
}

const std::vector<std::string> kOrderStatuses = {"CREATED", "PAID", "CANCELLED"};
const std::vector<std::string> kPaymentStatuses = {"SUCCESS", "FAILED", "REFUNDED"};
const std::vector<std::string> kServices = {"order", "stock", "payment"};

std::vector<std::string> InvariantNames() { return {std::begin(kInvariantNames), std::end(kInvariantNames)}; }

constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::kConsumerError, FaultKind::kDuplicate,      FaultKind::kSendFailure,
    FaultKind::kCrash,         FaultKind::kDelay,          FaultKind::kSlow,
    FaultKind::kPaymentDecline, FaultKind::kBrokerRestart, FaultKind::kPoison,
};

// Matchers first, then the kind's own keys: a key of another kind is an unknown key.
std::vector<std::string_view> FaultKeys(FaultKind kind) {
  std::vector<std::string_view> keys = {"kind", "service", "group", "topic", "order", "probability", "times"};
  switch (kind) {
    case FaultKind::kConsumerError: keys.push_back("message"); break;
    case FaultKind::kDuplicate: keys.push_back("copies"); break;
    case FaultKind::kSendFailure: break;
    case FaultKind::kCrash: keys.insert(keys.end(), {"point", "restartAfter"}); break;
    case FaultKind::kDelay: keys.push_back("by"); break;
    case FaultKind::kSlow: keys.push_back("latency"); break;
    case FaultKind::kPaymentDecline: keys.push_back("reason"); break;
    case FaultKind::kBrokerRestart: keys.insert(keys.end(), {"at", "downFor"}); break;
    case FaultKind::kPoison: keys.insert(keys.end(), {"at", "body"}); break;
  }
  return keys;
}

template <typename T>
void SetOverride(const Reader& options, const char* key, std::optional<T>* field,
                 std::initializer_list<std::pair<const char*, T>> names) {
  if (Reader r = options.Child(key); r.present()) *field = r.Enum(T{}, names);
}

// A key that must be one of `valid`, e.g. a status in "orderCounts".
bool KeyIn(const std::string& key, const std::vector<std::string>& valid, const char* what, const Reader& at) {
  if (std::find(valid.begin(), valid.end(), key) != valid.end()) return true;
  at.Fail(std::string("unknown ") + what + " " + Quote(key) + " (expected one of: " + Join(valid) + ")");
  return false;
}

// ---------------------------------------------------------------------------------------
// The sections of the file.

class Loader {
 public:
  Loader(const Json& root, const std::string& file) : errors_(file), root_(&root, "", &errors_) {
    scenario_.file = file;
  }
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  base::Result<Scenario> Load() {
    ParseTopLevel();
    if (!errors_.ok()) return errors_.status();
    return std::move(scenario_);
  }

 private:
  void ParseTopLevel();
  void ParseOptions(const Reader& r);
  void ParseBroker(const Reader& r);
  void ParseBindings(const Reader& r);
  ConsumerSettings ParseConsumer(const Reader& r);
  ProducerSettings ParseProducer(const Reader& r);
  void ParseCatalog(const Reader& r);
  void ParseOrders(const Reader& r);
  void ParseSingleOrder(const Reader& r);
  void ParseGenerated(const Reader& r);
  void ParseSteps(const Reader& r);
  Step ParseStep(const Reader& r);
  void ParseFaults(const Reader& r);
  Fault ParseFault(const Reader& r);
  void ParseExpect(const Reader& r);
  void ParseDeliveries(const Reader& r);
  void ParseInvariants(const Reader& r);

  // Shared checks.
  std::optional<int64_t> ProductId(const std::string& key, const Reader& at);
  Items ParseItems(const Reader& r);
  void CheckOrderTotal(const Reader& r, const Items& quantities);
  std::string OrderId(const Reader& r);
  std::string Topic(const Reader& r);
  void CheckGroupConsumes(const Reader& topic_reader, const std::string& group, const std::string& topic);
  void CountOrders(const Reader& r, int64_t n);

  Errors errors_;
  Reader root_;
  Scenario scenario_;
  std::map<int64_t, base::Cents> prices_;  // product -> price
  OrderIds order_ids_;
  int64_t total_orders_ = 0;
};

void Loader::ParseTopLevel() {
  if (!root_.IsObject()) return;
  // Before the key check: a newer format's new keys should not hide the real problem.
  if (Reader format = root_.Child("format"); format.present()) {
    int64_t version = format.Int(1, std::numeric_limits<int64_t>::min(), kInt64Max);
    if (errors_.ok() && version != 1)
      format.Fail("unsupported format " + std::to_string(version) + " (this version reads format 1)");
  }
  // "$schema" is the one key outside the format: editors use it to find the JSON
  // Schema (docs/scenario.schema.json). It must be a string and is otherwise ignored.
  if (!root_.ExpectObject({"format", "name", "description", "seed", "mode", "profile", "options", "broker",
                           "bindings", "catalog", "orders", "steps", "faults", "until", "expect", "$schema"}))
    return;
  (void)root_.Child("$schema").String();
  Scenario& s = scenario_;
  if (Reader name = root_.Child("name"); name.Require()) s.name = name.NonEmptyString();
  s.description = root_.Child("description").String();
  s.seed = root_.Child("seed").Uint64(1);
  s.mode = root_.Child("mode").Enum(Mode::kDeterministic,
                                    {{"deterministic", Mode::kDeterministic}, {"concurrent", Mode::kConcurrent}});
  s.profile =
      root_.Child("profile").Enum(Profile::kHardened, {{"seed", Profile::kSeed}, {"hardened", Profile::kHardened}});
  ParseOptions(root_.Child("options"));
  ParseBroker(root_.Child("broker"));
  ParseBindings(root_.Child("bindings"));
  ParseCatalog(root_.Child("catalog"));
  ParseOrders(root_.Child("orders"));
  ParseSteps(root_.Child("steps"));
  ParseFaults(root_.Child("faults"));
  if (Reader until = root_.Child("until"); until.present()) s.until_ms = until.Duration(0);
  ParseExpect(root_.Child("expect"));
}

void Loader::ParseOptions(const Reader& r) {
  OptionOverrides& o = scenario_.overrides;
  if (r.present() && r.ExpectObject({"idempotency", "publish", "stockDeduct", "freeze", "cancellation",
                                     "compensationJob", "consumerGroups"})) {
    using I = Idempotency;
    using P = Publish;
    using D = StockDeduct;
    using F = Freeze;
    using C = Cancellation;
    using J = CompensationJob;
    SetOverride<I>(r, "idempotency", &o.idempotency,
                   {{"none", I::kNone}, {"sample", I::kSample}, {"transactional", I::kTransactional}});
    SetOverride<P>(r, "publish", &o.publish, {{"async", P::kAsync}, {"sync", P::kSync}, {"outbox", P::kOutbox}});
    SetOverride<D>(r, "stockDeduct", &o.stock_deduct,
                   {{"unknown-items", D::kUnknownItems}, {"reservation", D::kReservation}});
    SetOverride<F>(r, "freeze", &o.freeze, {{"per-item", F::kPerItem}, {"atomic", F::kAtomic}});
    SetOverride<C>(r, "cancellation", &o.cancellation, {{"none", C::kNone}, {"compensate", C::kCompensate}});
    SetOverride<J>(r, "compensationJob", &o.compensation_job, {{"off", J::kOff}, {"resend", J::kResend}});
    using G = services::ConsumerGroups;
    SetOverride<G>(r, "consumerGroups", &o.consumer_groups, {{"per-service", G::kPerService}, {"per-binding", G::kPerBinding}});
  }
  scenario_.options = o.ApplyTo(Options::ForProfile(scenario_.profile));
}

void Loader::ParseBroker(const Reader& r) {
  // The defaults are the broker's own (BrokerConfig), not a second copy of them.
  BrokerSettings& b = scenario_.broker;
  const BrokerSettings defaults;
  Reader at = r.Child("delayLevels");
  if (r.present() && r.ExpectObject({"queuesPerTopic", "delayLevels", "offsetPersistInterval", "maxMessageSize"})) {
    b.queues_per_topic = static_cast<int>(r.Child("queuesPerTopic").Int(defaults.queues_per_topic, 1, 64));
    b.offset_persist_interval_ms = r.Child("offsetPersistInterval").Duration(defaults.offset_persist_interval_ms, 1);
    b.max_message_size = r.Child("maxMessageSize").Int(defaults.max_message_size, 1, kInt64Max);
  }
  if (!at.present()) return;
  // RocketMQ's messageDelayLevel syntax: durations separated by spaces.
  std::string levels = at.String("");
  b.delay_levels_ms.clear();
  std::string_view rest = levels;
  while (errors_.ok()) {
    rest = Trim(rest);
    if (rest.empty()) break;
    std::string token(rest.substr(0, rest.find(' ')));
    rest.remove_prefix(token.size());
    int64_t ms = 0;
    if (!at.ParseDurationText(token, Quote(token), &ms)) break;
    if (ms <= 0) at.Fail("delay level " + Quote(token) + " must be greater than 0");
    b.delay_levels_ms.push_back(ms);
  }
  if (errors_.ok() && b.delay_levels_ms.empty()) at.Fail("must list at least one delay level, e.g. \"1s 5s 10s\"");
}

void Loader::ParseBindings(const Reader& r) {
  r.ForEachMember([this](const std::string& key, const Reader& value) {
    if (services::FindConsumerBinding(key)) {
      scenario_.bindings.consumers[key] = ParseConsumer(value);
    } else if (services::FindProducerBinding(key)) {
      scenario_.bindings.producers[key] = ParseProducer(value);
    } else {
      value.Fail("unknown binding " + Quote(key) + " (expected one of: " + Join(services::AllBindingKeys()) + ")");
    }
  });
}

ConsumerSettings Loader::ParseConsumer(const Reader& r) {
  ConsumerSettings c;
  if (!r.ExpectObject({"maxAttempts", "backOffInitialInterval", "backOffMultiplier", "backOffMaxInterval",
                       "maxReconsumeTimes", "concurrency", "orderly", "suspendCurrentQueueTime", "batchSize",
                       "subscription", "delayLevelWhenNextConsume", "messageModel"}))
    return c;
  // Spring's attempts are in-process calls; thousands per delivery is a typo, and an
  // unbounded count with no back-off would spin without virtual time passing.
  c.max_attempts = static_cast<int>(r.Child("maxAttempts").Int(3, 1, 1000));
  c.back_off_initial_ms = r.Child("backOffInitialInterval").Duration(1000);
  c.back_off_multiplier = r.Child("backOffMultiplier").Number(2.0, 1.0, std::numeric_limits<double>::max());
  c.back_off_max_ms = r.Child("backOffMaxInterval").Duration(10000);
  // -1 is the RocketMQ client's own spelling of "default".
  int64_t reconsume = r.Child("maxReconsumeTimes").Int(-1, -1, 1000000);
  if (reconsume >= 0) c.max_reconsume_times = static_cast<int>(reconsume);
  c.concurrency = static_cast<int>(r.Child("concurrency").Int(1, 1, 64));
  c.orderly = r.Child("orderly").Bool(false);
  // The client clamps rather than rejects (ConsumeMessageOrderlyService), so do we.
  c.suspend_current_queue_time_ms =
      std::clamp<int64_t>(r.Child("suspendCurrentQueueTime").Duration(1000), 10, 30000);
  c.batch_size = static_cast<int>(r.Child("batchSize").Int(1, 1, 1024));
  c.delay_level_when_next_consume = static_cast<int>(r.Child("delayLevelWhenNextConsume").Int(0, -1, 1000));
  c.broadcasting = r.Child("messageModel").Enum(false, {{"CLUSTERING", false}, {"BROADCASTING", true}});
  if (Reader sub = r.Child("subscription"); sub.present()) {
    std::string expression = sub.String();
    if (errors_.ok() && !ValidTagExpression(expression))
      sub.Fail("bad tag expression " + Quote(expression) + " (use \"*\", \"TAG\" or \"TAG_A || TAG_B\")");
    c.subscription = expression;
  }
  return c;
}

ProducerSettings Loader::ParseProducer(const Reader& r) {
  ProducerSettings p;
  if (!r.ExpectObject({"sync", "group"})) return p;
  if (Reader sync = r.Child("sync"); sync.present()) p.sync = sync.Bool(false);
  if (Reader group = r.Child("group"); group.present()) p.group = group.NonEmptyString();
  return p;
}

void Loader::ParseCatalog(const Reader& r) {
  if (!r.Require() || !r.ExpectArray(kMaxProducts)) return;
  if (r.json().empty()) {
    r.Fail("must list at least one product");
    return;
  }
  std::map<int64_t, std::string> paths;
  r.ForEachElement([&](int, const Reader& e) {
    if (!e.ExpectObject({"product", "stock", "price", "name"})) return;
    Product p;
    Reader id = e.Child("product");
    if (id.Require()) p.id = id.Int(0, 1, kInt64Max);
    if (Reader stock = e.Child("stock"); stock.Require()) p.stock = stock.Int(0, 0, kMaxUnits);
    if (Reader price = e.Child("price"); price.Require()) p.price = price.Money(0);
    p.name = e.Child("name").String();
    if (!errors_.ok()) return;
    if (auto [it, added] = paths.emplace(p.id, e.path()); !added) {
      id.Fail("duplicate product " + std::to_string(p.id) + " (first at " + it->second + ")");
      return;
    }
    prices_[p.id] = p.price;
    scenario_.catalog.push_back(std::move(p));
  });
}

// A product id written as an object key ("1"), which must be in the catalog.
std::optional<int64_t> Loader::ProductId(const std::string& key, const Reader& at) {
  auto id = ParseCanonicalPositive(key);
  if (!id) {
    at.Fail("bad product id " + Quote(key) + " (expected a positive integer such as \"1\")");
    return std::nullopt;
  }
  if (prices_.count(*id) == 0) {
    std::vector<std::string> known;
    for (const auto& [product, unused] : prices_) {
      if (known.size() == 10) {
        known.push_back("...");
        break;
      }
      known.push_back(std::to_string(product));
    }
    at.Fail("unknown product " + key + " (catalog has " + Join(known) + ")");
    return std::nullopt;
  }
  return id;
}

Items Loader::ParseItems(const Reader& r) {
  Items items;
  r.ForEachMember([&](const std::string& key, const Reader& quantity) {
    if (auto id = ProductId(key, quantity)) items[*id] = quantity.Int(0, 1, kMaxUnits);
  });
  if (errors_.ok() && items.empty()) r.Fail("must list at least one product");
  return items;
}

// Totals are Σ quantity × price in cents; a file that overflows them is absurd, and the
// services must never have to check.
void Loader::CheckOrderTotal(const Reader& r, const Items& quantities) {
  int64_t total = 0;
  for (const auto& [product, quantity] : quantities) {
    int64_t line = 0;
    if (__builtin_mul_overflow(quantity, prices_.at(product), &line) || __builtin_add_overflow(total, line, &total)) {
      r.Fail("order total overflows (quantities times prices are too large)");
      return;
    }
  }
}

void Loader::CountOrders(const Reader& r, int64_t n) {
  total_orders_ += n;
  if (total_orders_ > kMaxOrders)
    r.Fail("too many orders: " + std::to_string(total_orders_) + " in total (at most " + std::to_string(kMaxOrders) +
           ")");
}

void Loader::ParseOrders(const Reader& r) {
  if (!r.present() || !r.ExpectArray(kMaxOrders)) return;
  r.ForEachElement([this](int, const Reader& e) {
    if (!e.IsObject()) return;
    if (e.Child("generate").present()) {
      if (e.ExpectObject({"generate"})) ParseGenerated(e.Child("generate"));
    } else {
      ParseSingleOrder(e);
    }
  });
}

void Loader::ParseSingleOrder(const Reader& r) {
  if (!r.ExpectObject({"id", "user", "items", "at", "remark"})) return;
  SingleOrder o;
  Reader id = r.Child("id");
  if (id.Require()) o.id = id.NonEmptyString();
  o.user = r.Child("user").Int(1, 1, kInt64Max);
  if (Reader items = r.Child("items"); items.Require()) {
    o.items = ParseItems(items);
    CheckOrderTotal(items, o.items);
  }
  o.at_ms = r.Child("at").Duration(0);
  o.remark = r.Child("remark").String();
  if (!errors_.ok()) return;
  if (auto collision = order_ids_.AddSingle(o.id, r.path())) return id.Fail(*collision);
  CountOrders(r, 1);
  scenario_.orders.push_back(std::move(o));
}

void Loader::ParseGenerated(const Reader& r) {
  if (!r.ExpectObject({"count", "idPrefix", "users", "items", "start", "every"})) return;
  GeneratedOrders g;
  if (Reader count = r.Child("count"); count.Require()) g.count = count.Int(1, 1, kMaxOrders);
  g.id_prefix = r.Child("idPrefix").String("g");
  std::tie(g.user_min, g.user_max) = r.Child("users").IntRange({1, 1}, 1, kInt64Max);
  Reader items = r.Child("items");
  items.ForEachMember([&](const std::string& key, const Reader& range) {
    if (auto id = ProductId(key, range)) g.items[*id] = range.IntRange({0, 0}, 0, kMaxUnits);
  });
  g.start_ms = r.Child("start").Duration(0);
  Reader every = r.Child("every");
  g.every_ms = every.Duration(0);
  if (!errors_.ok()) return;
  // The last order's time; ParseDuration keeps each factor small enough not to overflow.
  if (g.start_ms + g.every_ms * (g.count - 1) > base::kMaxDurationMs)
    return every.Fail("the last generated order would be placed after " +
                      base::FormatDuration(base::kMaxDurationMs));
  Items largest;
  for (const auto& [product, range] : g.items) largest[product] = range.second;
  CheckOrderTotal(items.present() ? items : r, largest);
  if (!errors_.ok()) return;
  if (auto collision = order_ids_.AddGenerated(g.id_prefix, g.count, r.path())) return r.Fail(*collision);
  CountOrders(r.Child("count"), g.count);
  scenario_.generated.push_back(std::move(g));
}

void Loader::ParseSteps(const Reader& r) {
  if (!r.present() || !r.ExpectArray(kMaxSteps)) return;
  r.ForEachElement([this](int i, const Reader& e) {
    Step step = ParseStep(e);
    step.index = i;
    scenario_.steps.push_back(std::move(step));
  });
}

Step Loader::ParseStep(const Reader& r) {
  Step step;
  if (!r.ExpectObject({"at", "restock", "redriveDlq", "resetOffset"})) return step;
  if (Reader at = r.Child("at"); at.Require()) step.at_ms = at.Duration(0);
  std::vector<std::string> actions;
  for (const char* action : {"restock", "redriveDlq", "resetOffset"})
    if (r.Child(action).present()) actions.push_back(action);
  if (errors_.ok() && actions.size() != 1) {
    r.Fail("expected exactly one action (restock, redriveDlq or resetOffset), got " +
           (actions.empty() ? std::string("none") : Join(actions, " and ")));
    return step;
  }
  if (Reader restock = r.Child("restock"); restock.present()) step.restock = ParseItems(restock);
  if (Reader group = r.Child("redriveDlq"); group.present()) step.redrive_dlq = group.OneOf(ConsumerGroups(), "group");
  if (Reader reset = r.Child("resetOffset");
      reset.present() && reset.ExpectObject({"group", "topic", "to"})) {
    Step::ResetOffset& o = step.reset_offset.emplace();
    if (Reader group = reset.Child("group"); group.Require()) o.group = group.OneOf(ConsumerGroups(), "group");
    if (Reader topic = reset.Child("topic"); topic.Require()) {
      o.topic = Topic(topic);
      CheckGroupConsumes(topic, o.group, o.topic);
    }
    // Like mqadmin resetOffsetByTime: a point in (virtual) time, or the queue's start.
    if (Reader to = reset.Child("to"); to.Require() && to.json() != "earliest") {
      int64_t unused;
      if (to.json().is_string() && !base::ParseDuration(to.json().get<std::string>(), &unused))
        to.Fail("bad offset time " + Quote(to.json().get<std::string>()) +
                " (use \"earliest\" or a duration such as \"10s\")");
      else
        o.to_ms = to.Duration(0);
    }
  }
  return step;
}

// A business topic or a retry/DLQ topic of a consumer group.
std::string Loader::Topic(const Reader& r) {
  std::string topic = r.String();
  if (!errors_.ok()) return topic;
  if (services::FindTopic(topic)) return topic;
  for (const std::string& group : ConsumerGroups())
    if (topic == "%RETRY%" + group || topic == "%DLQ%" + group) return topic;
  r.Fail("unknown topic " + Quote(topic) + " (expected one of: " + Join(TopicNames()) +
         ", or %RETRY%<group> or %DLQ%<group> of a consumer group: " + Join(ConsumerGroups()) + ")");
  return topic;
}

// A group is read from its business topics and its own retry topic only.
void Loader::CheckGroupConsumes(const Reader& r, const std::string& group, const std::string& topic) {
  if (!errors_.ok() || GroupConsumes(group, topic) || topic == "%RETRY%" + group) return;
  r.Fail("group " + group + " does not consume topic " + topic + " (it consumes: " + Join(TopicsOfGroup(group)) +
         ", %RETRY%" + group + ")");
}

// The id of an order of this file.
std::string Loader::OrderId(const Reader& r) {
  std::string id = r.String();
  if (errors_.ok() && !order_ids_.Contains(id)) r.Fail("unknown order " + Quote(id));
  return id;
}

void Loader::ParseFaults(const Reader& r) {
  if (!r.present() || !r.ExpectArray(kMaxFaults)) return;
  r.ForEachElement([this](int i, const Reader& e) {
    Fault fault = ParseFault(e);
    fault.index = i;
    scenario_.faults.push_back(std::move(fault));
  });
}

Fault Loader::ParseFault(const Reader& r) {
  Fault f;
  if (!r.IsObject()) return f;
  Reader kind = r.Child("kind");
  if (!kind.Require()) return f;
  std::vector<std::string> kinds;
  for (FaultKind k : kAllFaultKinds) kinds.push_back(FaultKindName(k));
  std::string kind_name = kind.OneOf(kinds, "fault kind");
  for (FaultKind k : kAllFaultKinds)
    if (kind_name == FaultKindName(k)) f.kind = k;
  if (!r.ExpectObject(FaultKeys(f.kind))) return f;

  if (Reader c = r.Child("service"); c.present()) f.service = c.OneOf(kServices, "service");
  if (Reader c = r.Child("group"); c.present()) f.group = c.OneOf(ConsumerGroups(), "group");
  if (Reader c = r.Child("topic"); c.present()) f.topic = Topic(c);
  if (Reader c = r.Child("order"); c.present()) {
    std::string order = c.NonEmptyString();
    std::string_view prefix = order;
    bool glob = prefix.ends_with('*');
    if (glob) prefix.remove_suffix(1);
    if (errors_.ok() && prefix.find('*') != std::string_view::npos) {
      c.Fail("bad order pattern " + Quote(order) + " (use an order id, or a prefix ending in '*' like \"g*\")");
    } else if (errors_.ok() && (glob ? !order_ids_.AnyWithPrefix(prefix) : !order_ids_.Contains(order))) {
      c.Fail((glob ? "no order id matches " : "unknown order ") + Quote(order));
    }
    f.order = order;
  }
  f.probability = r.Child("probability").Number(1.0, 0.0, 1.0);
  if (Reader times = r.Child("times"); times.present() && times.json().is_string()) {
    if (times.json() == "always") f.times.reset();
    else times.Fail("expected an integer >= 1 or \"always\", got " + Describe(times.json()));
  } else {
    f.times = times.Int(1, 1, kInt64Max);
  }

  switch (f.kind) {
    case FaultKind::kConsumerError: f.message = r.Child("message").String("injected consumer error"); break;
    case FaultKind::kDuplicate: f.copies = static_cast<int>(r.Child("copies").Int(1, 1, kMaxCopies)); break;
    case FaultKind::kSendFailure: break;
    case FaultKind::kCrash:
      f.point = r.Child("point").Enum(CrashPoint::kBeforeCommit, {{"before-commit", CrashPoint::kBeforeCommit},
                                                                  {"after-commit", CrashPoint::kAfterCommit},
                                                                  {"after-send", CrashPoint::kAfterSend}});
      f.restart_after_ms = r.Child("restartAfter").Duration(5000);
      break;
    case FaultKind::kDelay:
      if (Reader by = r.Child("by"); by.Require()) f.by_ms = by.Duration(0);
      break;
    case FaultKind::kSlow:
      if (Reader latency = r.Child("latency"); latency.Require()) f.latency_ms = latency.Duration(0);
      break;
    case FaultKind::kPaymentDecline: f.reason = r.Child("reason").String("payment declined"); break;
    case FaultKind::kBrokerRestart:
      if (Reader at = r.Child("at"); at.Require()) f.at_ms = at.Duration(0);
      f.down_for_ms = r.Child("downFor").Duration(0);
      break;
    case FaultKind::kPoison:
      if (Reader at = r.Child("at"); at.Require()) f.at_ms = at.Duration(0);
      if (Reader body = r.Child("body"); body.Require()) f.body = body.String();
      r.Child("topic").Require();  // the topic to publish to
      break;
  }
  return f;
}

void Loader::ParseExpect(const Reader& r) {
  if (!r.present() || !r.ExpectObject({"orders", "orderCounts", "payments", "paymentCounts", "stock", "dlq",
                                       "deliveries", "invariants", "stuck"}))
    return;
  Expectations& x = scenario_.expect;
  auto known_order = [this](const std::string& id, const Reader& at) {
    if (!order_ids_.Contains(id)) at.Fail("unknown order " + Quote(id));
    return errors_.ok();
  };
  r.Child("orders").ForEachMember([&](const std::string& id, const Reader& status) {
    if (known_order(id, status)) x.orders[id] = status.OneOf(kOrderStatuses, "order status");
  });
  r.Child("orderCounts").ForEachMember([&](const std::string& status, const Reader& n) {
    if (KeyIn(status, kOrderStatuses, "order status", n)) x.order_counts[status] = n.Int(0, 0, kInt64Max);
  });
  std::vector<std::string> with_none = kPaymentStatuses;
  with_none.push_back("NONE");
  r.Child("payments").ForEachMember([&](const std::string& id, const Reader& status) {
    if (known_order(id, status)) x.payments[id] = status.OneOf(with_none, "payment status");
  });
  r.Child("paymentCounts").ForEachMember([&](const std::string& status, const Reader& n) {
    if (KeyIn(status, kPaymentStatuses, "payment status", n)) x.payment_counts[status] = n.Int(0, 0, kInt64Max);
  });
  r.Child("stock").ForEachMember([&](const std::string& key, const Reader& e) {
    auto id = ProductId(key, e);
    if (!id || !e.ExpectObject({"available", "frozen", "sold"})) return;
    StockExpectation& s = x.stock[*id];
    for (auto [name, field] : {std::pair{"available", &s.available}, {"frozen", &s.frozen}, {"sold", &s.sold}})
      if (Reader c = e.Child(name); c.present()) *field = c.Int(0, 0, kInt64Max);
  });
  const std::vector<std::string> groups = ConsumerGroups();
  r.Child("dlq").ForEachMember([&](const std::string& group, const Reader& n) {
    if (KeyIn(group, groups, "group", n)) x.dlq[group] = n.Int(0, 0, kInt64Max);
  });
  ParseDeliveries(r.Child("deliveries"));
  ParseInvariants(r.Child("invariants"));
  if (Reader stuck = r.Child("stuck"); stuck.present() && stuck.IsArray()) {
    std::vector<std::string>& ids = x.stuck.emplace();
    std::set<std::string> seen;
    stuck.ForEachElement([&](int, const Reader& e) {
      std::string id = OrderId(e);
      if (errors_.ok() && !seen.insert(id).second) return e.Fail("duplicate order " + Quote(id));
      ids.push_back(id);
    });
  }
}

void Loader::ParseDeliveries(const Reader& r) {
  if (!r.present() || !r.IsArray()) return;
  r.ForEachElement([this](int, const Reader& e) {
    if (!e.ExpectObject({"group", "topic", "order", "count", "calls"})) return;
    DeliveryExpectation d;
    if (Reader group = e.Child("group"); group.Require()) d.group = group.OneOf(ConsumerGroups(), "group");
    if (Reader topic = e.Child("topic"); topic.Require()) {
      // Redeliveries are counted under the original topic, so only business topics.
      d.topic = topic.OneOf(TopicNames(), "topic");
      CheckGroupConsumes(topic, d.group, d.topic);
    }
    if (Reader order = e.Child("order"); order.Require()) d.order = OrderId(order);
    if (Reader c = e.Child("count"); c.present()) d.count = c.Int(0, 0, kInt64Max);
    if (Reader c = e.Child("calls"); c.present()) d.calls = c.Int(0, 0, kInt64Max);
    scenario_.expect.deliveries.push_back(std::move(d));
  });
}

void Loader::ParseInvariants(const Reader& r) {
  if (!r.present()) return;
  if (r.json().is_string() && r.json() == "hold") return;
  if (!r.json().is_object()) {
    r.Fail("expected \"hold\" or {\"violated\": [names]}, got " + Describe(r.json()));
    return;
  }
  if (!r.ExpectObject({"violated"})) return;
  Reader violated = r.Child("violated");
  if (!violated.Require() || !violated.IsArray()) return;
  std::vector<std::string>& names = scenario_.expect.violated_invariants;
  violated.ForEachElement([&](int, const Reader& e) {
    std::string name = e.OneOf(InvariantNames(), "invariant");
    if (errors_.ok() && std::find(names.begin(), names.end(), name) != names.end())
      return e.Fail("duplicate invariant " + Quote(name));
    names.push_back(name);
  });
}

}  // namespace

base::Result<Scenario> ParseScenario(std::string_view text, const std::string& file_label) {
  try {
    Json root;
    if (base::Status status = ParseJson(text, file_label, &root); !status.ok()) return status;
    Loader loader(root, file_label);
    return loader.Load();
  } catch (const std::exception& e) {
    // The loader checks every type before reading a value, so only resource exhaustion
    // (bad_alloc) can land here; it must still not escape as an exception.
    return base::Status::InvalidInput(file_label + ": cannot load: " + e.what());
  }
}

base::Result<Scenario> LoadScenarioFile(const std::string& path) {
  auto cannot_read = [&path](int error) {
    return base::Status::InvalidInput(path + ": cannot read file (" + std::strerror(error) + ")");
  };
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return cannot_read(errno);
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  int error = std::ferror(file) ? errno : 0;  // before fclose can change errno
  std::fclose(file);
  if (error != 0) return cannot_read(error);
  return ParseScenario(text, path);
}

}  // namespace scenario
