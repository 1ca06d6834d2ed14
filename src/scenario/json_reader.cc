#include "scenario/json_reader.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "base/duration.h"

namespace scenario::loader {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

constexpr const char* kDurationHint = "(use e.g. \"250ms\", \"10s\", \"5m\", \"2h\")";
constexpr const char* kMoneyHint =
    "(use a decimal string with at most 2 fraction digits, e.g. \"19.90\", or a non-negative integer)";

std::string RangeMessage(int64_t min, int64_t max, const Json& got) {
  if (max == kInt64Max) return "must be at least " + std::to_string(min) + ", got " + got.dump();
  return "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + got.dump();
}

}  // namespace

void Errors::Add(const std::string& path, const std::string& message) {
  if (!status_.ok()) return;
  status_ = base::Status::InvalidInput(file_ + ": " + (path.empty() ? "(top level)" : path) + ": " + message);
}

std::string DescribeJson(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "boolean true" : "boolean false";
    case Json::value_t::string: return "string " + base::Quote(value.get_ref<const std::string&>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number " + value.dump();
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    default: return value.type_name();
  }
}

Reader Reader::Child(std::string_view key) const {
  const Json* child = nullptr;
  if (present() && value_->is_object()) {
    auto it = value_->find(key);
    if (it != value_->end()) child = &*it;
  }
  return Reader(child, path_ + "/" + PointerSegment(key), errors_);
}

bool Reader::Require() const {
  if (!present()) Fail("missing required key");
  return present() && ok();
}

bool Reader::IsObject() const { return present() && CheckType(value_->is_object(), "an object"); }
bool Reader::IsArray() const { return present() && CheckType(value_->is_array(), "an array"); }

bool Reader::ExpectObject(std::span<const std::string_view> allowed) const {
  if (!present() || !ok() || !IsObject()) return false;
  for (const auto& [key, unused] : value_->items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      Child(key).Fail("unknown key " + base::Quote(key) + " (expected one of: " + base::Join(names) + ")");
      return false;
    }
  }
  return true;
}

bool Reader::ExpectArray(int64_t max_size) const {
  if (!present() || !ok() || !IsArray()) return false;
  if (static_cast<int64_t>(value_->size()) > max_size) {
    Fail("too many elements: " + std::to_string(value_->size()) + " (at most " + std::to_string(max_size) + ")");
    return false;
  }
  return true;
}

void Reader::ForEachMember(const std::function<void(const std::string&, const Reader&)>& visit) const {
  if (!present() || !ok() || !IsObject()) return;
  for (const auto& [key, value] : value_->items()) {
    visit(key, Reader(&value, path_ + "/" + PointerSegment(key), errors_));
    if (!ok()) return;
  }
}

void Reader::ForEachElement(const std::function<void(int, const Reader&)>& visit) const {
  if (!present() || !ok() || !IsArray()) return;
  for (size_t i = 0; i < value_->size(); ++i) {
    visit(static_cast<int>(i), Element(i));
    if (!ok()) return;
  }
}

std::string Reader::String(std::string fallback) const {
  if (!present() || !ok() || !CheckType(value_->is_string(), "a string")) return fallback;
  return value_->get<std::string>();
}

std::string Reader::NonEmptyString() const {
  std::string value = String();
  if (present() && ok() && value.empty()) Fail("must not be empty");
  return value;
}

bool Reader::Bool(bool fallback) const {
  if (!present() || !ok() || !CheckType(value_->is_boolean(), "a boolean (true or false)")) return fallback;
  return value_->get<bool>();
}

int64_t Reader::Int(int64_t fallback, int64_t min, int64_t max) const {
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
    Fail("expected an integer, got " + DescribeJson(*value_));
    return fallback;
  }
  if (value < min || value > max) {
    Fail(RangeMessage(min, max, *value_));
    return fallback;
  }
  return value;
}

uint64_t Reader::Uint64(uint64_t fallback) const {
  if (!present() || !ok() || !CheckType(value_->is_number_unsigned(), "an unsigned integer")) return fallback;
  return value_->get<uint64_t>();
}

double Reader::Number(double fallback, double min, double max) const {
  if (!present() || !ok() || !CheckType(value_->is_number(), "a number")) return fallback;
  double value = value_->get<double>();
  if (value < min || value > max) {
    std::string range = max == std::numeric_limits<double>::max()
                            ? "must be at least " + base::FormatDouble(min)
                            : "must be between " + base::FormatDouble(min) + " and " + base::FormatDouble(max);
    Fail(range + ", got " + value_->dump());
    return fallback;
  }
  return value;
}

int64_t Reader::Duration(int64_t fallback, int64_t min_ms) const {
  std::string text, shown;
  if (!present() || !ok() || !ScalarText("a duration such as \"10s\"", &text, &shown)) return fallback;
  int64_t ms = 0;
  if (!ParseDurationText(text, shown, &ms)) return fallback;
  if (ms < min_ms) {
    Fail("must be at least " + base::FormatDuration(min_ms) + ", got " + shown);
    return fallback;
  }
  return ms;
}

bool Reader::ParseDurationText(std::string_view text, const std::string& shown, int64_t* ms) const {
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

base::Cents Reader::Money(base::Cents fallback) const {
  std::string text, shown;
  if (!present() || !ok() || !ScalarText("money such as \"19.90\"", &text, &shown)) return fallback;
  base::Cents cents = 0;
  // A JSON float has already been through binary floating point; the spec wants
  // exact amounts, so it must be written as a string.
  if (value_->is_number_float() || !base::ParseMoney(text, &cents)) {
    Fail("bad money " + shown + " " + kMoneyHint);
    return fallback;
  }
  return cents;
}

std::string Reader::OneOf(const std::vector<std::string>& valid, const char* what) const {
  std::string text = String();
  if (!present() || !ok()) return text;
  for (const std::string& name : valid)
    if (text == name) return text;
  Fail(std::string("unknown ") + what + " " + base::Quote(text) + " (expected one of: " + base::Join(valid) + ")");
  return text;
}

std::pair<int64_t, int64_t> Reader::IntRange(std::pair<int64_t, int64_t> fallback, int64_t lo, int64_t hi) const {
  if (!present() || !ok()) return fallback;
  if (!value_->is_array() || value_->size() != 2) {
    Fail("expected [min, max], got " + DescribeJson(*value_));
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

bool Reader::ScalarText(const char* expected, std::string* text, std::string* shown) const {
  if (value_->is_string()) {
    *text = value_->get<std::string>();
    *shown = base::Quote(*text);
  } else if (value_->is_number()) {
    *text = *shown = value_->dump();
  } else {
    Fail(std::string("expected ") + expected + ", got " + DescribeJson(*value_));
    return false;
  }
  return true;
}

Reader Reader::Element(size_t i) const { return Reader(&(*value_)[i], path_ + "/" + std::to_string(i), errors_); }

bool Reader::CheckType(bool is_expected_type, const char* expected) const {
  if (!is_expected_type) Fail(std::string("expected ") + expected + ", got " + DescribeJson(*value_));
  return is_expected_type;
}

}  // namespace scenario::loader
