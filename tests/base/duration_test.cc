#include "base/duration.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace base {
namespace {

TEST_CASE("ParseDuration understands ms, s, m, h and bare milliseconds") {
  struct Case {
    const char* text;
    int64_t ms;
  };
  static const Case kCases[] = {
      {"250ms", 250},       {"10s", 10000},   {"5m", 300000},          {"2h", 7200000},
      {"1500", 1500},       {"0", 0},         {"0s", 0},               {"007s", 7000},
      {"315360000000", kMaxDurationMs},        {"87600h", kMaxDurationMs},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.text);
    int64_t ms = -1;
    REQUIRE(ParseDuration(c.text, &ms));
    CHECK(ms == c.ms);
  }
}

TEST_CASE("ParseDuration rejects malformed input and anything over ten years") {
  static const char* const kCases[] = {
      "",      "ms",    "s",     "-5s",  "+5s",          "1.5s",         " 5s",        "5s ",
      "5 s",   "5S",    "5sec",  "5d",   "5y",           "5mss",         "315360000001", "87601h",
      "5256001m", "99999999999999999999999",
  };
  for (const char* text : kCases) {
    CAPTURE(text);
    int64_t ms = 42;
    CHECK_FALSE(ParseDuration(text, &ms));
    CHECK(ms == 42);
  }
}

TEST_CASE("FormatDuration is compact: largest units first, zero parts left out") {
  struct Case {
    int64_t ms;
    const char* text;
  };
  static const Case kCases[] = {
      {0, "0ms"},           {999, "999ms"},        {1000, "1s"},        {1500, "1.5s"},
      {1050, "1.05s"},      {1001, "1.001s"},      {60000, "1m"},       {600000, "10m"},
      {90000, "1m30s"},     {3600000, "1h"},       {17160000, "4h46m"}, {3661000, "1h1m1s"},
      {3600500, "1h0.5s"},  {7200000, "2h"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.ms);
    CHECK(FormatDuration(c.ms) == c.text);
  }
}

TEST_CASE("FormatDuration output of whole units parses back to the same duration") {
  static const int64_t kCases[] = {0, 250, 1000, 60000, 600000, 3600000};
  for (int64_t ms : kCases) {
    int64_t back = -1;
    REQUIRE(ParseDuration(FormatDuration(ms), &back));
    CHECK(back == ms);
  }
}

}  // namespace
}  // namespace base
