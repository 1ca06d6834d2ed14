#pragma once

#include <optional>
#include <string_view>

namespace services {

// Where a crash fault stops a step: before its transaction commits, after the commit
// but before its sends, or after the sends. One table names them for the scenario
// format ("before-commit") and for the trace ("before commit").
enum class CrashPoint { kBeforeCommit, kAfterCommit, kAfterSend };
inline constexpr int kCrashPointCount = 3;

struct CrashPointName {
  CrashPoint point;
  const char* key;    // as scenario files spell it
  const char* words;  // as the trace says it
};
inline constexpr CrashPointName kCrashPointNames[kCrashPointCount] = {
    {CrashPoint::kBeforeCommit, "before-commit", "before commit"},
    {CrashPoint::kAfterCommit, "after-commit", "after commit"},
    {CrashPoint::kAfterSend, "after-send", "after send"},
};

inline const char* CrashPointKey(CrashPoint p) { return kCrashPointNames[static_cast<int>(p)].key; }
inline const char* CrashPointWords(CrashPoint p) { return kCrashPointNames[static_cast<int>(p)].words; }
inline std::optional<CrashPoint> ParseCrashPoint(std::string_view key) {
  for (const CrashPointName& n : kCrashPointNames)
    if (key == n.key) return n.point;
  return std::nullopt;
}

}  // namespace services
