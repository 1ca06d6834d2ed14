#include "base/duration.h"

namespace base {

bool ParseDuration(std::string_view text, int64_t* ms) {
  size_t i = 0;
  int64_t value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (value > kMaxDurationMs) return false;
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  std::string_view unit = text.substr(i);
  int64_t scale;
  if (unit.empty() || unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "m") scale = 60 * 1000;
  else if (unit == "h") scale = 3600 * 1000;
  else return false;
  if (value > kMaxDurationMs / scale) return false;
  *ms = value * scale;
  return true;
}

std::string FormatDuration(int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  int64_t h = ms / 3600000, m = ms / 60000 % 60, s = ms / 1000 % 60, rest = ms % 1000;
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (s || rest) {
    out += std::to_string(s);
    if (rest) {
      std::string frac = std::to_string(1000 + rest).substr(1);
      while (frac.back() == '0') frac.pop_back();
      out += "." + frac;
    }
    out += "s";
  }
  return out;
}

}  // namespace base
