// The conventions every command follows: --version, named unknown commands, numbers
// that do not wrap, contradictory flags refused, --help that says FILE and lists exit
// codes, errors on stderr, replay hints that paste, and a word before a long run.

#include <string>

#include <doctest/doctest.h>

#include "cli/process.h"
#include "testing/cli_fixtures.h"

namespace {

using testing::SagasimSplit;
using testing::SplitOutcome;
using testing::TempDir;

std::string Scenario(const std::string& name) { return testing::BundledScenario(name); }

TEST_CASE("--version prints the version and a git revision") {
  SplitOutcome out = SagasimSplit("--version");
  CHECK(out.exit_code == 0);
  CHECK(out.out.rfind("sagasim 0.3.0 (git ", 0) == 0);
  CHECK(out.out.find(")") != std::string::npos);
}

TEST_CASE("an unknown command is named in the error, with the known ones") {
  SplitOutcome out = SagasimSplit("frobnicate x.json");
  CHECK(out.exit_code == 2);
  CHECK(out.err.find("unknown command 'frobnicate' (commands: run, explore, admin, compare, validate, lint-config, bench, merge)") != std::string::npos);
  SplitOutcome admin = SagasimSplit("admin topics --state x");
  CHECK(admin.exit_code == 2);
  CHECK(admin.err.find("unknown command 'topics' (commands: topic-list, topic-status") != std::string::npos);
}

TEST_CASE("seeds that are negative, past 2^64 - 1 or not decimal are refused with exit 2") {
  std::string file = Scenario("happy-path.json");
  for (const char* seed : {"-1", "18446744073709551616", "99999999999999999999999", "0x10", "1e3", "+5", ""}) {
    CAPTURE(seed);
    SplitOutcome out = SagasimSplit("run --seed '" + std::string(seed) + "' " + file);
    CHECK(out.exit_code == 2);
    CHECK(out.out.find("scenarios:") == std::string::npos);
  }
  CHECK(SagasimSplit("run -q --seed 18446744073709551615 " + file).exit_code == 0);
  CHECK(SagasimSplit("run -q --seed 007 " + file).out.find("seed 7)") != std::string::npos);
  CHECK(SagasimSplit("explore -q --from -1 --seeds 1 " + file).exit_code == 2);
  CHECK(SagasimSplit("explore -q --seeds -1 " + file).exit_code == 2);
}

TEST_CASE("explore refuses a seed range that would wrap past 2^64 - 1") {
  std::string file = Scenario("happy-path.json");
  SplitOutcome wraps = SagasimSplit("explore -q --from 18446744073709551615 --seeds 2 " + file);
  CHECK(wraps.exit_code == 2);
  CHECK(wraps.err.find("goes past the largest seed") != std::string::npos);
  SplitOutcome last = SagasimSplit("explore -q --from 18446744073709551614 --seeds 2 " + file);
  CHECK(last.exit_code == 0);
  CHECK(last.out.find("2 seeds: 2 passed") != std::string::npos);
}

TEST_CASE("-j 0 and -q with -v are refused") {
  std::string file = Scenario("happy-path.json");
  for (const char* args : {"explore -j 0 ", "explore -j -2 ", "explore -j 65 ", "run -q -v ", "run --verbose --quiet "}) {
    CAPTURE(args);
    SplitOutcome out = SagasimSplit(args + file);
    CHECK(out.exit_code == 2);
    CHECK(!out.err.empty());
  }
}

TEST_CASE("--help says FILE, DIR and BYTES rather than TEXT, and lists the exit codes") {
  for (const char* command : {"", "run ", "explore ", "validate ", "admin ", "admin dlq "}) {
    CAPTURE(command);
    SplitOutcome out = SagasimSplit(std::string(command) + "--help");
    CHECK(out.exit_code == 0);
    CHECK(out.out.find("TEXT") == std::string::npos);
    CHECK(out.out.find("Exit codes: 0") != std::string::npos);
    CHECK(out.out.find("130/143") != std::string::npos);
  }
  SplitOutcome run = SagasimSplit("run --help");
  CHECK(run.out.find("FILE|DIR") != std::string::npos);
  CHECK(run.out.find("--state DIR") != std::string::npos);
  CHECK(run.out.find("--max-input-size BYTES") != std::string::npos);
}

TEST_CASE("errors go to stderr, reports to stdout") {
  TempDir dir;
  std::string bad = dir.Write("bad.json", R"({"name": "x"})");
  SplitOutcome validate = SagasimSplit("validate " + bad + " /nonexistent.json " + Scenario("happy-path.json"));
  CHECK(validate.exit_code == 2);
  CHECK(validate.err.find(bad) != std::string::npos);
  CHECK(validate.err.find("/nonexistent.json: no such file or folder") != std::string::npos);
  CHECK(validate.out.find(bad) == std::string::npos);
  CHECK(validate.out.find("ok   ") != std::string::npos);
  CHECK(validate.out.find("3 files: 1 valid, 2 invalid") != std::string::npos);
  SplitOutcome missing = SagasimSplit("run /nonexistent.json");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent.json") != std::string::npos);
  CHECK(missing.out.empty());
  SplitOutcome junit = SagasimSplit("run --junit /nowhere/r.xml " + Scenario("happy-path.json"));
  CHECK(junit.exit_code == 2);
  CHECK(junit.err.find("no such folder /nowhere") != std::string::npos);
  CHECK(junit.out.empty());
}

TEST_CASE("explore's replay hint is the command as invoked, shell-quoted, and it replays") {
  TempDir dir;
  // A file name with a space and a quote: the hint must still paste.
  std::string file = dir.path + "/it's a race.json";
  {
    std::string text = testing::ReadFile(Scenario("seed-race-pays-without-stock.json"));
    std::FILE* f = std::fopen(file.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  std::string quoted = "'" + dir.path + "/it'\\''s a race.json'";
  SplitOutcome out = SagasimSplit("explore -q --seeds 6 " + quoted);
  CHECK(out.exit_code == 1);
  std::string hint = std::string("replay: ") + SAGASIM_BINARY + " run " + quoted + " --seed ";
  size_t at = out.out.find(hint);
  REQUIRE(at != std::string::npos);
  std::string command = out.out.substr(at + 8, out.out.find('\n', at) - at - 8);
  // Pasted into a shell, it replays the failing seed.
  SplitOutcome replay = SagasimSplit(command.substr(std::string(SAGASIM_BINARY).size() + 1));
  CHECK(replay.exit_code == 1);
  CHECK(replay.out.find("FAILED") != std::string::npos);
}

TEST_CASE("a run that will be large says so on stderr before it starts, a small one does not") {
  TempDir dir;
  // (10^7 orders are in run_estimate_test.cc, and a million, stopped, in interrupt_test.cc.)
  SplitOutcome quick = SagasimSplit("run -q " + Scenario("happy-path.json"));
  CHECK(quick.err.find("note:") == std::string::npos);
  std::string ten_years = dir.Write("years.json", R"({"name": "years", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "broker": {"offsetPersistInterval": "1ms"}, "until": "87600h", "orders": [{"id": "o1", "items": {"1": 1}}]})");
  SplitOutcome years = SagasimSplit("run -q " + ten_years);
  CHECK(years.exit_code == 0);  // quiescent at once: the persist timer does not keep it going
  CHECK(years.err.find("note: until 87600h with offsetPersistInterval 1ms: up to 315,360,000,000 offset persists") !=
        std::string::npos);
}

}  // namespace
