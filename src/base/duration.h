#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace base {

// Parses "250ms", "10s", "5m", "2h" or "1500" (milliseconds). False if malformed or
// larger than 10 years (a guard against absurd inputs).
bool ParseDuration(std::string_view text, int64_t* ms);
// Formats milliseconds compactly: 0 -> "0ms", 1500 -> "1.5s", 600000 -> "10m", 4h46m...
std::string FormatDuration(int64_t ms);

constexpr int64_t kMaxDurationMs = int64_t{10} * 365 * 24 * 3600 * 1000;

}  // namespace base
