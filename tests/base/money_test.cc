#include "base/money.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace base {
namespace {

TEST_CASE("ParseMoney accepts up to two fraction digits and returns cents") {
  struct Case {
    const char* text;
    Cents cents;
  };
  static const Case kCases[] = {
      {"19.90", 1990}, {"19.9", 1990}, {"19", 1900},    {"0", 0},
      {"0.05", 5},     {"0.5", 50},    {"007.01", 701}, {"92233720368547749.99", INT64_C(9223372036854774999)},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.text);
    Cents out = -1;
    REQUIRE(ParseMoney(c.text, &out));
    CHECK(out == c.cents);
  }
}

TEST_CASE("ParseMoney rejects malformed, signed and overflowing amounts and leaves the output alone") {
  static const char* const kCases[] = {
      "",     ".",     ".5",    "19.",   "1.234", "-1",   "+1",   " 1",  "1 ",
      "1,50", "1.5a",  "a",     "1..5",  "1.-5",  "0x10", "1e3",  "99999999999999999999",
  };
  for (const char* text : kCases) {
    CAPTURE(text);
    Cents out = 42;
    CHECK_FALSE(ParseMoney(text, &out));
    CHECK(out == 42);
  }
}

TEST_CASE("FormatMoney always prints two fraction digits") {
  struct Case {
    Cents cents;
    const char* text;
  };
  static const Case kCases[] = {
      {1990, "19.90"}, {0, "0.00"},    {5, "0.05"},  {50, "0.50"},
      {100, "1.00"},   {-150, "-1.50"}, {-5, "-0.05"}, {INT64_MAX, "92233720368547758.07"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.cents);
    CHECK(FormatMoney(c.cents) == c.text);
  }
}

TEST_CASE("FormatMoney and ParseMoney round-trip non-negative amounts") {
  static const Cents kCases[] = {0, 1, 99, 100, 1990, 123456789};
  for (Cents cents : kCases) {
    Cents back = -1;
    REQUIRE(ParseMoney(FormatMoney(cents), &back));
    CHECK(back == cents);
  }
}

// src bug: FormatMoney negates its argument, which overflows for INT64_MIN (undefined
// behaviour; in practice it prints "--92233720368547758.-8").
TEST_CASE("FormatMoney formats the most negative amount") {
  CHECK(FormatMoney(INT64_MIN) == "-92233720368547758.08");
}

}  // namespace
}  // namespace base
