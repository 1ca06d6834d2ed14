#include "base/text.h"

#include <charconv>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace base {

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// nlohmann's serializer does the escaping: the loader's messages have always quoted
// values exactly as JSON does, and a hand-written copy would drift from it on invalid
// UTF-8.
std::string Quote(std::string_view text) {
  using Json = nlohmann::json;
  std::string shown(text.substr(0, 60));
  if (text.size() > 60) shown += "...";
  return Json(shown).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::string FormatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::optional<int64_t> ParseCanonicalPositive(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  if (std::to_string(value) != text) return std::nullopt;
  return value;
}

}  // namespace base
