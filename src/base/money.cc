#include "base/money.h"

#include <cstdio>

namespace base {

bool ParseMoney(std::string_view text, Cents* out) {
  if (text.empty()) return false;
  Cents whole = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    if (whole > (INT64_MAX / 100 - 9) / 10) return false;
    whole = whole * 10 + (c - '0');
  }
  if (i == 0) return false;
  Cents frac = 0;
  if (i < text.size()) {  // at '.'
    size_t digits = text.size() - i - 1;
    if (digits == 0 || digits > 2) return false;
    for (size_t j = i + 1; j < text.size(); ++j) {
      char c = text[j];
      if (c < '0' || c > '9') return false;
      frac = frac * 10 + (c - '0');
    }
    if (digits == 1) frac *= 10;
  }
  *out = whole * 100 + frac;
  return true;
}

std::string FormatMoney(Cents cents) {
  char buf[32];
  const char* sign = cents < 0 ? "-" : "";
  // Negate in unsigned arithmetic so that INT64_MIN formats too.
  uint64_t magnitude = cents < 0 ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", sign, static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  return buf;
}

}  // namespace base
