#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace base {

// Money is kept in integer cents, never in binary floating point.
using Cents = int64_t;

// Parses "19.90", "19.9", "19" (at most 2 fraction digits, no sign). False if malformed.
bool ParseMoney(std::string_view text, Cents* out);
// Formats 1990 as "19.90".
std::string FormatMoney(Cents cents);

}  // namespace base
