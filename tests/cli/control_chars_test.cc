// Names and ids with control characters (ESC sequences, NUL, newlines) from a scenario
// file: every human-facing output shows them escaped, with or without colors, and the
// JSON and JUnit reports stay valid.

#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli/process.h"
#include "testing/cli_fixtures.h"

namespace {

using testing::ReadFile;
using testing::SagasimSplit;
using testing::SplitOutcome;
using testing::TempDir;

// ESC [ 2 J clears a screen; ESC ] 0 ; ... BEL sets a terminal's title.
constexpr const char* kHostile = R"({
  "name": "evil\u001b[2Jname\u0000x",
  "description": "line one\nfake line\u001b]0;owned\u0007",
  "catalog": [{"product": 1, "stock": 2, "price": "1.00", "name": "pad\u001b[31m"}],
  "orders": [{"id": "o\u001b[1m1", "items": {"1": 1}, "remark": "r\r\n"},
             {"id": "o\n2", "items": {"1": 1}}],
  "faults": [{"kind": "payment-decline", "order": "o\n2", "reason": "no\u001b[0m\u0000money"}],
  "expect": {"orders": {"o\u001b[1m1": "CANCELLED"}}
})";

bool HasRawControl(const std::string& text, bool allow_newlines) {
  for (char c : text) {
    unsigned char b = static_cast<unsigned char>(c);
    if (c == '\n' && allow_newlines) continue;
    if (b < 0x20 || b == 0x7F) return true;
  }
  return false;
}

TEST_CASE("run: control characters in names, ids and messages are escaped in the console report") {
  TempDir dir;
  std::string file = dir.Write("evil.json", kHostile);
  for (const char* flags : {"--no-color", "-v", "-q"}) {
    CAPTURE(flags);
    SplitOutcome out = SagasimSplit(std::string("run ") + flags + " " + file);
    CHECK(out.exit_code == 1);  // o1 is PAID, the file expects CANCELLED
    CHECK_FALSE(HasRawControl(out.out, true));
    CHECK_FALSE(HasRawControl(out.err, true));
    CHECK(out.out.find("evil\\x1b[2Jname\\x00x") != std::string::npos);
    CHECK(out.out.find("orders.o\\x1b[1m1: expected CANCELLED") != std::string::npos);
  }
  SplitOutcome full = SagasimSplit("run --no-color " + file);
  CHECK(full.out.find("line one\\nfake line\\x1b]0;owned\\x07") != std::string::npos);
  CHECK(full.out.find("no\\x1b[0m\\x00money") != std::string::npos);
  CHECK(full.out.find("o\\n2") != std::string::npos);
}

TEST_CASE("run: the JSON and JUnit reports of such a scenario stay valid and hold no raw control character") {
  TempDir dir;
  std::string file = dir.Write("evil.json", kHostile);
  std::string json = dir.path + "/r.json", xml = dir.path + "/r.xml";
  SplitOutcome out = SagasimSplit("run -q --json " + json + " --junit " + xml + " " + file);
  CHECK(out.exit_code == 1);
  nlohmann::json parsed = nlohmann::json::parse(ReadFile(json));  // throws if invalid
  CHECK(parsed["scenarios"][0]["name"] == std::string("evil\x1b[2Jname\0x", 14));
  std::string report = ReadFile(xml);
  CHECK_FALSE(HasRawControl(report, true));
  CHECK(report.find("evil\\x1b[2Jname\\x00x") != std::string::npos);
}

TEST_CASE("validate, errors and admin views escape control characters too") {
  TempDir dir;
  std::string file = dir.Write("evil.json", kHostile);
  SplitOutcome valid = SagasimSplit("validate " + file);
  CHECK(valid.exit_code == 0);
  CHECK_FALSE(HasRawControl(valid.out, true));
  CHECK(valid.out.find("evil\\x1b[2Jname\\x00x") != std::string::npos);

  // An unknown key with an ESC in it: the loader's message names it, escaped.
  std::string bad = dir.Write("bad.json", R"({"name": "x", "\u001b[2Jkey": 1})");
  SplitOutcome error = SagasimSplit("validate " + bad);
  CHECK(error.exit_code == 2);
  CHECK_FALSE(HasRawControl(error.err, true));
  CHECK(error.err.find("\\x1b[2Jkey") != std::string::npos);

  std::string state = dir.path + "/state";
  REQUIRE(SagasimSplit("run -q --state " + state + " " + file).exit_code == 1);
  SplitOutcome query = SagasimSplit("admin query-msg --state " + state + " -i 7F000001000000000000000000000001");
  CHECK(query.exit_code == 0);
  CHECK_FALSE(HasRawControl(query.out, true));
  CHECK(query.out.find("o\\x1b[1m1") != std::string::npos);
  SplitOutcome missing = SagasimSplit("admin topic-status --state " + state + " -t \"$(printf '\\033[2Jtopic')\"");
  CHECK(missing.exit_code == 2);
  CHECK_FALSE(HasRawControl(missing.err, true));
}

}  // namespace
