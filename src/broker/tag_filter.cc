#include "broker/tag_filter.h"

namespace broker {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::vector<std::string> Split(std::string_view expr) {
  std::vector<std::string> out;
  for (;;) {
    size_t bar = expr.find("||");
    out.emplace_back(Trim(expr.substr(0, bar)));
    if (bar == std::string_view::npos) break;
    expr.remove_prefix(bar + 2);
  }
  return out;
}

}  // namespace

TagFilter::TagFilter(std::string_view expression) : expression_(expression) {
  std::string_view e = Trim(expression);
  all_ = e.empty() || e == "*";
  // FilterAPI.buildSubscriptionData: a null or empty expression is SUB_ALL ("*").
  if (e.empty()) expression_ = "*";
  if (!all_) tags_ = Split(e);
}

bool TagFilter::Matches(std::string_view tags) const {
  if (all_) return true;
  if (tags.empty()) return false;
  for (const std::string& t : tags_)
    if (t == tags) return true;
  return false;
}

bool TagFilter::Valid(std::string_view expression) {
  std::string_view e = Trim(expression);
  if (e.empty() || e == "*") return true;
  for (const std::string& t : Split(e)) {
    if (t.empty()) return false;
    for (char c : t)
      if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

}  // namespace broker
