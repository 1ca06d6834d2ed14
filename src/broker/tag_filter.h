#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace broker {

// A RocketMQ tag expression: "*" (or empty) matches everything, "A || B" matches
// messages tagged exactly A or B (case-sensitive); an untagged message matches only "*".
// Thread-safety: immutable after construction.
class TagFilter {
 public:
  explicit TagFilter(std::string_view expression = "*");
  bool Matches(std::string_view tags) const;
  const std::string& expression() const { return expression_; }
  // Whether `expression` is well formed.
  static bool Valid(std::string_view expression);

 private:
  std::string expression_;
  bool all_ = true;
  std::vector<std::string> tags_;
};

}  // namespace broker
