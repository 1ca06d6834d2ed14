// Outputs that cannot be written (a full disk, as /dev/full is): the command says so
// and fails, instead of exiting 0 with a truncated file.

#include <string>

#include <doctest/doctest.h>

#include "cli/process.h"
#include "testing/cli_fixtures.h"

namespace {

using testing::SagasimSplit;
using testing::SplitOutcome;

std::string Scenario(const std::string& name) { return testing::BundledScenario(name); }

TEST_CASE("run --trace /dev/full fails, saying the trace could not be written") {
  SplitOutcome out = SagasimSplit("run --trace /dev/full " + Scenario("happy-path.json"));
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("cannot write trace file /dev/full: No space left on device") != std::string::npos);
  CHECK(out.out.find("1 scenarios: 0 passed, 1 failed") != std::string::npos);
  // A large trace fails on a write during the run, not only at the end.
  SplitOutcome storm = SagasimSplit("run -q --trace /dev/full " + Scenario("storm.json"));
  CHECK(storm.exit_code == 1);
  CHECK(storm.err.find("cannot write trace file /dev/full") != std::string::npos);
}

TEST_CASE("run and explore with --junit or --json on /dev/full fail, saying so") {
  for (const char* flag : {"--junit", "--json"}) {
    CAPTURE(flag);
    SplitOutcome run = SagasimSplit(std::string("run -q ") + flag + " /dev/full " + Scenario("happy-path.json"));
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("/dev/full") != std::string::npos);
    SplitOutcome explore =
        SagasimSplit(std::string("explore -q ") + flag + " /dev/full --seeds 2 " + Scenario("happy-path.json"));
    CHECK(explore.exit_code == 1);
    CHECK(explore.err.find("/dev/full") != std::string::npos);
  }
}

TEST_CASE("a report on standard output that cannot be written fails the command") {
  SplitOutcome out = SagasimSplit("run " + Scenario("happy-path.json") + " >/dev/full");
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("cannot write to standard output") != std::string::npos);
}

}  // namespace
