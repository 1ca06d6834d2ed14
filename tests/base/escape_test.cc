#include "base/escape.h"

#include <doctest/doctest.h>

#include <string>

namespace base {
namespace {

using namespace std::string_literals;

TEST_CASE("EscapeForTerminal leaves printable text, UTF-8 included, as it is") {
  for (const char* text : {"", "o1", "order-created q2 (delivery 1)", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
                           "a\\nb (a backslash and an n)"}) {
    CAPTURE(text);
    CHECK(EscapeForTerminal(text) == text);
  }
}

TEST_CASE("EscapeForTerminal writes control characters, bad UTF-8 and bidi controls as escapes") {
  struct Case {
    std::string text, escaped;
  };
  const Case kCases[] = {
      {"a\nb", "a\\nb"},
      {"a\r\tb", "a\\r\\tb"},
      {"x\0y"s, "x\\x00y"},
      {"\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07"},
      {"del\x7f", "del\\x7f"},
      {"\xC2\x9B" "31m", "\\u009b31m"},          // C1 CSI, as UTF-8
      {"\x9B" "31m", "\\x9b31m"},                // a lone continuation byte
      {"\xC3", "\\xc3"},                         // a truncated sequence
      {"\xC0\xAF", "\\xc0\\xaf"},                // an overlong '/'
      {"\xED\xA0\x80", "\\xed\\xa0\\x80"},       // a surrogate
      {"abc\xE2\x80\xAE" "cba", "abc\\u202ecba"},  // RIGHT-TO-LEFT OVERRIDE
  };
  for (const Case& c : kCases) {
    CAPTURE(c.text);
    CHECK(EscapeForTerminal(c.text) == c.escaped);
  }
}

TEST_CASE("EscapeForTerminalKeepingLines keeps line breaks and escapes the rest") {
  CHECK(EscapeForTerminalKeepingLines("one\ntwo\x1b[0m\r") == "one\ntwo\\x1b[0m\\r");
}

TEST_CASE("Utf8Sequence measures well-formed sequences and refuses the others") {
  uint32_t cp = 0;
  CHECK(Utf8Sequence("\xE2\x82\xAC", 0, &cp) == 3);
  CHECK(cp == 0x20AC);
  CHECK(Utf8Sequence("\xF4\x90\x80\x80", 0, &cp) == 0);  // past U+10FFFF
  CHECK(Utf8Sequence("\xFF", 0, &cp) == 0);
}

TEST_CASE("ShellQuote quotes only what a shell would read differently") {
  CHECK(ShellQuote("scenarios/happy-path.json") == "scenarios/happy-path.json");
  CHECK(ShellQuote("--seed=3") == "--seed=3");
  CHECK(ShellQuote("") == "''");
  CHECK(ShellQuote("my file.json") == "'my file.json'");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
  CHECK(ShellQuote("$HOME;rm") == "'$HOME;rm'");
  CHECK(ShellQuote("a\nb'c") == "$'a\\x0ab\\'c'");
}

}  // namespace
}  // namespace base
