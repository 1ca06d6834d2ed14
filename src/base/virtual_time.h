#pragma once

#include <cstdint>
#include <string>

namespace base {

// Virtual time 0 is this instant (2026-01-01T00:00:00Z) wherever a date or an epoch
// timestamp is shown, so outputs are the same on every run.
inline constexpr int64_t kEpochMs = 1767225600000;

// "2026-01-01 00:00:10" (UTC), or with millis "2026-01-01 00:00:10,250".
std::string FormatVirtualDate(int64_t virtual_ms, bool millis = false);

}  // namespace base
