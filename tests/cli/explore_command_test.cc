// `sagasim explore` through the binary, as CI uses it.

#include "cli/explore_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

namespace fs = std::filesystem;

using testing::Outcome;

Outcome Explore(const std::string& args) { return testing::Sagasim("explore " + args); }

// Two buyers race for one unit under the seed profile; the file insists the second
// one is paid, which holds for some seeds only.
std::string WriteRace(const fs::path& dir) {
  std::string file = (dir / "race.json").string();
  std::ofstream(file) << R"json({
    "name": "race", "profile": "seed",
    "catalog": [{"product": 1, "stock": 1, "price": "5.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}],
    "expect": {"orders": {"o2": "PAID"}, "invariants": {"violated": ["sold-matches-paid"]}}
  })json";
  return file;
}

// fs::path-friendly view of the shared temporary folder.
struct TempDir {
  testing::TempDir dir;
  fs::path path{dir.path};
};

TEST_CASE("explore: failing seeds are listed with a replay command, then the closing line") {
  TempDir dir;
  std::string file = WriteRace(dir.path);
  Outcome out = Explore("-q " + file + " --from 1 --seeds 8");
  CHECK(out.exit_code == 1);
  CHECK(out.output.find("FAILED orders.o2: expected PAID, got CANCELLED") != std::string::npos);
  // The program as it was invoked (the fixture runs it by its full path).
  CHECK(out.output.find(std::string("replay: ") + SAGASIM_BINARY + " run " + file + " --seed ") != std::string::npos);
  CHECK(out.output.find("8 seeds: ") != std::string::npos);
  CHECK(out.output.find(" passed, ") != std::string::npos);
}

TEST_CASE("explore: a replayed failing seed fails the same way") {
  TempDir dir;
  std::string file = WriteRace(dir.path);
  Outcome out = Explore("-q " + file + " --from 1 --seeds 8");
  size_t at = out.output.find(std::string("replay: ") + SAGASIM_BINARY + " run ");
  REQUIRE(at != std::string::npos);
  size_t seed_at = out.output.find("--seed ", at) + 7;
  std::string seed = out.output.substr(seed_at, out.output.find('\n', seed_at) - seed_at);
  Outcome again = Explore("-q " + file + " --from " + seed + " --seeds 1");
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("seed " + seed + ": FAILED") != std::string::npos);
}

TEST_CASE("explore: all seeds passing exits 0, --check-determinism and --jobs agree") {
  std::string storm = std::string(SAGASIM_SOURCE_DIR) + "/scenarios/happy-path.json";
  Outcome out = Explore("-q " + storm + " --seeds 6 --jobs 2 --check-determinism");
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("6 seeds: 6 passed, 0 failed") != std::string::npos);
}

TEST_CASE("explore: --swarm prints the drawn settings of a failing seed and a swarm replay") {
  TempDir dir;
  std::string file = WriteRace(dir.path);
  Outcome out = Explore("-q " + file + " --swarm --from 1 --seeds 10");
  CHECK(out.exit_code == 1);
  CHECK(out.output.find("swarm: queuesPerTopic=") != std::string::npos);
  CHECK(out.output.find("--swarm --from ") != std::string::npos);
}

TEST_CASE("explore: --junit writes one testcase per seed") {
  TempDir dir;
  std::string file = WriteRace(dir.path);
  std::string xml = (dir.path / "explore.xml").string();
  Explore("-q " + file + " --from 1 --seeds 4 --junit " + xml);
  std::ifstream in(xml);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  CHECK(text.find("<testsuite name=\"race\" tests=\"4\"") != std::string::npos);
  CHECK(text.find("name=\"seed 1\"") != std::string::npos);
  CHECK(text.find("name=\"seed 4\"") != std::string::npos);
}

TEST_CASE("explore: invalid input exits 2") {
  CHECK(Explore("/nonexistent.json --seeds 2").exit_code == 2);
}

}  // namespace
