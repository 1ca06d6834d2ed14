#include "base/text.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace base {
namespace {

TEST_CASE("Join puts the separator between items only") {
  CHECK(Join({}) == "");
  CHECK(Join({"a"}) == "a");
  CHECK(Join({"a", "b", "c"}) == "a, b, c");
  CHECK(Join({"restock", "redriveDlq"}, " and ") == "restock and redriveDlq");
  CHECK(Join({"", "x"}) == "x");  // an empty first item leaves no separator
}

TEST_CASE("Quote writes a JSON string literal") {
  CHECK(Quote("o1") == "\"o1\"");
  CHECK(Quote("") == "\"\"");
  CHECK(Quote("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"");
  CHECK(Quote("a\nb\tc") == "\"a\\nb\\tc\"");
  CHECK(Quote(std::string("\x01\x1b[31m", 6)) == "\"\\u0001\\u001b[31m\"");
  CHECK(Quote(std::string("nul\0end", 7)) == "\"nul\\u0000end\"");
  CHECK(Quote("h\xC3\xA9") == "\"h\xC3\xA9\"");          // valid UTF-8 stays as it is
  CHECK(Quote("bad\xFFhere") == "\"bad\xEF\xBF\xBDhere\"");  // invalid: U+FFFD
}

TEST_CASE("Quote cuts values past 60 bytes") {
  std::string sixty(60, 'x');
  CHECK(Quote(sixty) == "\"" + sixty + "\"");
  CHECK(Quote(sixty + "y") == "\"" + sixty + "...\"");
  // A cut through a multi-byte character leaves an invalid tail, which is replaced.
  std::string cut = std::string(59, 'x') + "\xC3\xA9";
  CHECK(Quote(cut) == "\"" + std::string(59, 'x') + "\xEF\xBF\xBD...\"");
}

TEST_CASE("Trim removes spaces only") {
  CHECK(Trim("  a b  ") == "a b");
  CHECK(Trim("") == "");
  CHECK(Trim("   ") == "");
  CHECK(Trim("\ta\n") == "\ta\n");
}

TEST_CASE("FormatDouble uses %g") {
  CHECK(FormatDouble(0) == "0");
  CHECK(FormatDouble(1) == "1");
  CHECK(FormatDouble(0.25) == "0.25");
  CHECK(FormatDouble(1e20) == "1e+20");
}

TEST_CASE("ParseCanonicalPositive accepts only std::to_string's spelling") {
  CHECK(ParseCanonicalPositive("1") == 1);
  CHECK(ParseCanonicalPositive("9223372036854775807") == INT64_MAX);
  for (const char* bad : {"", "0", "-1", "+1", "01", "1.0", "1 ", " 1", "1e3", "x", "9223372036854775808"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseCanonicalPositive(bad).has_value());
  }
}

}  // namespace
}  // namespace base
