// --log-level through the binary: diagnostics on stderr only, and the same trace at
// every level.

#include "cli/log_option.h"

#include <doctest/doctest.h>

#include <string>

#include "testing/cli_fixtures.h"

namespace {

using ::testing::BundledScenario;
using ::testing::ReadFile;
using ::testing::Sagasim;
using ::testing::TempDir;

TEST_CASE("--log-level debug notes scheduler and database decisions on stderr, not stdout") {
  std::string scenario = BundledScenario("retry-then-succeeds.json");
  // stdout only (Sagasim appends 2>&1, which the `echo` after `;` takes instead).
  auto out = Sagasim("--log-level debug run -q " + scenario + " 2>/dev/null; echo");
  CHECK(out.output.find("retry-then-succeeds") != std::string::npos);
  CHECK(out.output.find("sagasim: debug:") == std::string::npos);
  // Both: the clock jumps to the retry and the databases opened are named.
  auto both = Sagasim("run -q --log-level debug " + scenario);
  CHECK(both.exit_code == 0);
  CHECK(both.output.find("sagasim: debug: sim: t=") != std::string::npos);
  CHECK(both.output.find("the clock jumps") != std::string::npos);
  CHECK(both.output.find("sagasim: debug: store: open ") != std::string::npos);
}

TEST_CASE("the default level (warn) prints no diagnostics on a clean run") {
  auto out = Sagasim("run -q " + BundledScenario("happy-path.json"));
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("sagasim: debug") == std::string::npos);
  CHECK(out.output.find("sagasim: info") == std::string::npos);
}

TEST_CASE("logging does not change the trace: trace level and off give the same bytes") {
  TempDir dir;
  std::string scenario = BundledScenario("fault-duplicate.json");
  auto quiet = Sagasim("--log-level off run -q --trace " + dir.path + "/off.jsonl " + scenario);
  auto loud = Sagasim("run -q --log-level trace --trace " + dir.path + "/trace.jsonl " + scenario);
  REQUIRE(quiet.exit_code == 0);
  REQUIRE(loud.exit_code == 0);
  std::string a = ReadFile(dir.path + "/off.jsonl"), b = ReadFile(dir.path + "/trace.jsonl");
  CHECK(!a.empty());
  CHECK(a == b);
}

TEST_CASE("--log-level is accepted by every subcommand and refuses unknown levels with exit 2") {
  CHECK(Sagasim("validate --log-level info " + BundledScenario("happy-path.json")).exit_code == 0);
  CHECK(Sagasim("explore --log-level error -q --seeds 1 " + BundledScenario("happy-path.json")).exit_code == 0);
  auto bad = Sagasim("run --log-level loud " + BundledScenario("happy-path.json"));
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("loud") != std::string::npos);
}

}  // namespace
