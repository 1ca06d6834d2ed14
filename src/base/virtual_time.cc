#include "base/virtual_time.h"

#include <cstdio>
#include <ctime>

namespace base {

std::string FormatVirtualDate(int64_t virtual_ms, bool millis) {
  int64_t ms = kEpochMs + virtual_ms;
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::string out = buf;
  if (millis) {
    std::snprintf(buf, sizeof buf, ",%03d", static_cast<int>(ms % 1000));
    out += buf;
  }
  return out;
}

}  // namespace base
