#pragma once

// Small text helpers for messages: quoting a value, joining a list, trimming, and the
// one spelling of a positive integer. Pure functions, no state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace base {

// "a, b, c" (or with another separator); empty for an empty list.
std::string Join(const std::vector<std::string>& items, const char* separator = ", ");

// `text` as a JSON string literal, e.g. "\"o1\"", with quotes, backslashes and control
// characters escaped and invalid UTF-8 replaced by U+FFFD. Longer than 60 bytes, it is
// cut there and "..." is appended inside the quotes, so one bad value cannot flood the
// terminal.
std::string Quote(std::string_view text);

// `text` without leading and trailing spaces (only ' ', not tabs or newlines).
std::string_view Trim(std::string_view text);

// `value` as printf's "%g" writes it: 2 -> "2", 0.5 -> "0.5", 1e+20.
std::string FormatDouble(double value);

// A positive integer written as std::to_string writes it: "1", never "01", "+1" or
// "1.0", so two spellings cannot name the same thing. nullopt otherwise (also for 0,
// negatives and values past int64).
std::optional<int64_t> ParseCanonicalPositive(std::string_view text);

}  // namespace base
