// `sagasim explore --shard` and `sagasim merge` through the binary.

#include "cli/merge_command.h"

#include <stdlib.h>

#include <string>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

using testing::Sagasim;

// Two buyers race for one unit under the seed profile; the file insists the second
// one is paid, which holds for some seeds only.
const char* kRace = R"json({
  "name": "race", "profile": "seed",
  "catalog": [{"product": 1, "stock": 1, "price": "5.00"}],
  "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}],
  "expect": {"orders": {"o2": "PAID"}, "invariants": {"violated": ["sold-matches-paid"]}}
})json";

TEST_CASE("Shards of an explore merge into the verdict of the whole explore") {
  testing::TempDir dir;
  std::string file = dir.Write("race.json", kRace);
  auto whole = Sagasim("explore -q " + file + " --seeds 12 --from 1");
  std::string args;
  for (int k = 0; k < 3; ++k) {
    std::string json = dir.path + "/s" + std::to_string(k) + ".json", xml = dir.path + "/s" + std::to_string(k) + ".xml";
    auto shard = Sagasim("explore -q " + file + " --seeds 12 --from 1 --shard " + std::to_string(k) + "/3 --json " +
                         json + " --junit " + xml);
    CHECK(shard.output.find("4 seeds:") != std::string::npos);
    args += " " + json + " " + xml;
  }
  auto merged = Sagasim("merge" + args + " --json " + dir.path + "/all.json --junit " + dir.path + "/all.xml");
  // The closing line of the whole explore is the merge's too.
  std::string closing = whole.output.substr(whole.output.rfind("12 seeds:"));
  CHECK(merged.output.find(closing) != std::string::npos);
  CHECK(merged.exit_code == whole.exit_code);
  if (whole.exit_code != 0) CHECK(merged.output.find("replay: sagasim run") != std::string::npos);
  std::string xml = testing::ReadFile(dir.path + "/all.xml");
  CHECK(xml.find("tests=\"12\"") != std::string::npos);
  std::string json = testing::ReadFile(dir.path + "/all.json");
  CHECK(json.find("\"scenarios\": 12") != std::string::npos);
}

TEST_CASE("--shard N takes K from JOB_COMPLETION_INDEX, merge refuses what is not a report") {
  testing::TempDir dir;
  std::string file = dir.Write("race.json", kRace);
  auto shard = Sagasim("explore -q " + file + " --seeds 10 --shard 2");
  CHECK(shard.exit_code == 2);
  CHECK(shard.output.find("JOB_COMPLETION_INDEX") != std::string::npos);
  setenv("JOB_COMPLETION_INDEX", "1", 1);  // as a Kubernetes Indexed Job sets it
  auto indexed = Sagasim("explore -q " + file + " --seeds 10 --from 1 --shard 2");
  unsetenv("JOB_COMPLETION_INDEX");
  CHECK(indexed.output.find("shard 1/2: 5 seeds from 6") != std::string::npos);
  CHECK(indexed.output.find("5 seeds:") != std::string::npos);
  std::string bogus = dir.Write("bogus.json", "{\"x\": 1}");
  auto merged = Sagasim("merge " + bogus);
  CHECK(merged.exit_code == 2);
  CHECK(merged.output.find("bogus.json") != std::string::npos);
}

}  // namespace
