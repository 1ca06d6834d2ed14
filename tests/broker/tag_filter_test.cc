#include "broker/tag_filter.h"

#include <doctest/doctest.h>

namespace broker {
namespace {

TEST_CASE("TagFilter matching follows RocketMQ's TAG expressions") {
  struct Case {
    const char* expression;
    const char* tags;
    bool matches;
  };
  static const Case kCases[] = {
      {"*", "A", true},          {"*", "", true},           {"", "A", true},
      {"", "", true},            {" * ", "B", true},        {"A", "A", true},
      {"A", "B", false},         {"A", "a", false},         {"a", "A", false},
      {"A", "AB", false},        {"A", "", false},          {"A || B", "A", true},
      {"A || B", "B", true},     {"A || B", "C", false},    {"A || B", "", false},
      {"A||B", "B", true},       {"A || B", "A || B", false}, {"OrderCreated", "ordercreated", false},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.expression);
    CAPTURE(c.tags);
    CHECK(TagFilter(c.expression).Matches(c.tags) == c.matches);
  }
}

TEST_CASE("TagFilter defaults to '*' and keeps its expression text") {
  CHECK(TagFilter().Matches(""));
  CHECK(TagFilter().Matches("X"));
  CHECK(TagFilter().expression() == "*");
  CHECK(TagFilter("A || B").expression() == "A || B");
}

TEST_CASE("TagFilter::Valid accepts '*', empty and tag lists, rejects empty or odd tags") {
  struct Case {
    const char* expression;
    bool valid;
  };
  static const Case kCases[] = {
      {"*", true},       {"", true},          {"  ", true},       {"A", true},
      {"A || B", true},  {"A||B||C", true},   {"a_b-c9", true}, {"a.b", false}, {"A ||", false},
      {"|| A", false},   {"A |||| B", false}, {"A | B", false},   {"A B", false},
      {"* || A", false}, {"A,B", false},      {"A && B", false},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.expression);
    CHECK(TagFilter::Valid(c.expression) == c.valid);
  }
}

}  // namespace
}  // namespace broker
