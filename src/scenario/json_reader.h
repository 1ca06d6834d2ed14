#pragma once

// Typed access to a scenario document (json_dom.h) for the loader's section parsers.
// Each error names its JSON pointer; the first one is kept and the rest become no-ops,
// so a section reads straight through instead of threading a Status through every field.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/money.h"
#include "base/status.h"
#include "base/text.h"
#include "scenario/json_dom.h"

namespace scenario::loader {

// The first input error of a load, as "file: /json/pointer: message".
class Errors {
 public:
  explicit Errors(std::string file) : file_(std::move(file)) {}
  // Ignored once an error is recorded. An empty path is the document itself.
  void Add(const std::string& path, const std::string& message);
  bool ok() const { return status_.ok(); }
  const base::Status& status() const { return status_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  base::Status status_;
};

// A value as messages name it: "null", "boolean true", "string \"x\"", "number 3",
// "object", "array".
std::string DescribeJson(const Json& value);

// A place in the document: the value there (none when the key is absent) and its JSON
// pointer. Getters return their fallback when the value is absent, and also, after
// recording an error, when it is invalid. `value` and `errors` must outlive the Reader
// and its children. Thread-safety: none needed (one per load).
class Reader {
 public:
  Reader(const Json* value, std::string path, Errors* errors)
      : value_(value), path_(std::move(path)), errors_(errors) {}

  bool present() const { return value_ != nullptr; }
  bool ok() const { return errors_->ok(); }
  const std::string& path() const { return path_; }
  // REQUIRES: present().
  const Json& json() const { return *value_; }
  void Fail(const std::string& message) const { errors_->Add(path_, message); }

  // The member `key` (absent unless this is an object that has it).
  Reader Child(std::string_view key) const;

  // Records "missing required key" when absent.
  bool Require() const;

  bool IsObject() const;
  bool IsArray() const;

  // An object whose keys are all in `allowed`; false (and an error) otherwise.
  bool ExpectObject(std::initializer_list<std::string_view> allowed) const {
    return ExpectObject(std::span(allowed.begin(), allowed.size()));
  }
  bool ExpectObject(std::span<const std::string_view> allowed) const;

  // An array of at most `max_size` elements.
  bool ExpectArray(int64_t max_size) const;

  // Members of an object / elements of an array, in order, until the first error.
  void ForEachMember(const std::function<void(const std::string&, const Reader&)>& visit) const;
  void ForEachElement(const std::function<void(int, const Reader&)>& visit) const;

  std::string String(std::string fallback = {}) const;
  std::string NonEmptyString() const;
  bool Bool(bool fallback) const;
  int64_t Int(int64_t fallback, int64_t min, int64_t max) const;
  uint64_t Uint64(uint64_t fallback) const;
  double Number(double fallback, double min, double max) const;

  // A string such as "250ms", "10s", "5m", "2h", or an integer of milliseconds.
  int64_t Duration(int64_t fallback, int64_t min_ms = 0) const;
  // Parses one duration token, reporting a bad one at this place; `shown` is how the
  // message spells it.
  bool ParseDurationText(std::string_view text, const std::string& shown, int64_t* ms) const;

  // A decimal string with at most 2 fraction digits, or a non-negative integer.
  base::Cents Money(base::Cents fallback) const;

  // A string that names one of `names`.
  template <typename T>
  T Enum(T fallback, std::initializer_list<std::pair<const char*, T>> names) const {
    std::string text = String();
    if (!present() || !ok()) return fallback;
    std::vector<std::string> valid;
    for (const auto& [name, value] : names) {
      if (text == name) return value;
      valid.push_back(name);
    }
    Fail("unknown value " + base::Quote(text) + " (expected one of: " + base::Join(valid) + ")");
    return fallback;
  }

  // A string that must be one of `valid`; `what` names it in the message.
  std::string OneOf(const std::vector<std::string>& valid, const char* what = "value") const;

  // [min, max] with lo <= min <= max <= hi.
  std::pair<int64_t, int64_t> IntRange(std::pair<int64_t, int64_t> fallback, int64_t lo, int64_t hi) const;

 private:
  Reader Element(size_t i) const;
  bool CheckType(bool is_expected_type, const char* expected) const;
  // A string (shown quoted) or a number (shown as written) as text; otherwise records
  // "expected <expected>, got ..." and returns false. REQUIRES: present().
  bool ScalarText(const char* expected, std::string* text, std::string* shown) const;

  const Json* value_;
  std::string path_;
  Errors* errors_;
};

}  // namespace scenario::loader
