// sagasim compare through the binary: the table, where the runs part, --json, bad input.

#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "testing/cli_fixtures.h"

namespace {

TEST_CASE("compare: seed against hardened, side by side") {
  auto out = testing::Sagasim("compare " + testing::BundledScenario("seed-partial-freeze-leaks-stock.json"));
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("> compare seed-partial-freeze-leaks-stock (seed 1, deterministic): seed against hardened") !=
        std::string::npos);
  CHECK(out.output.find("invariants broken  sold-matches-paid") != std::string::npos);
  CHECK(out.output.find("avail 4 frozen 1 sold 0") != std::string::npos);
  CHECK(out.output.find("avail 5 frozen 0 sold 0") != std::string::npos);
  CHECK(out.output.find("where the runs part") != std::string::npos);
  // The seed run's first own event: the per-item freeze keeps the mouse.
  CHECK(out.output.find("first in seed with no counterpart in hardened") != std::string::npos);
  CHECK(out.output.find("1x product 1 stays frozen") != std::string::npos);
}

TEST_CASE("compare: two option sets, and the JSON") {
  auto out = testing::Sagasim("compare " + testing::BundledScenario("seed-partial-freeze-leaks-stock.json") +
                              " --options seed --options seed,freeze=atomic --json -");
  REQUIRE(out.exit_code == 0);
  auto j = nlohmann::json::parse(out.output);
  CHECK(j["tool"] == "sagasim compare");
  REQUIRE(j["sides"].size() == 2);
  CHECK(j["sides"][0]["label"] == "seed");
  CHECK(j["sides"][1]["label"] == "seed,freeze=atomic");
  CHECK(j["sides"][0]["brokenInvariants"] == nlohmann::json::array({"sold-matches-paid"}));
  CHECK(j["sides"][1]["brokenInvariants"].empty());
  CHECK(j["sides"][1]["run"]["options"]["freeze"] == "atomic");
  REQUIRE(j["divergence"]["firstUnmatchedA"].is_array());
  CHECK(j["divergence"]["firstUnmatchedA"][0]["kind"] == "place");
}

TEST_CASE("compare --html writes the page with both timelines and the stored messages") {
  testing::TempDir dir;
  std::string page = dir.path + "/compare.html";
  auto out = testing::Sagasim("compare " + testing::BundledScenario("seed-partial-freeze-leaks-stock.json") +
                              " --html " + page);
  REQUIRE_MESSAGE(out.exit_code == 0, out.output);
  CHECK(out.output.find("where the runs part") != std::string::npos);  // the console as without --html
  std::string html = testing::ReadFile(page);
  CHECK(html.find("<h2 class=\"section\" id=\"parting\">Where they part</h2>") != std::string::npos);
  CHECK(html.find("data-run=\"a\"><span class=\"seq\">") != std::string::npos);
  CHECK(html.find("data-run=\"b\"><span class=\"seq\">") != std::string::npos);
  // The bodies come from each run's broker.db, kept in a scratch folder while it runs.
  CHECK(html.find("\"UNIQ_KEY\"") != std::string::npos);
  auto no_folder = testing::Sagasim("compare " + testing::BundledScenario("happy-path.json") + " --html " + dir.path +
                                    "/missing/x.html");
  CHECK(no_folder.exit_code == 2);
  CHECK(no_folder.output.find("--html " + dir.path + "/missing/x.html: no such folder") != std::string::npos);
}

TEST_CASE("compare: bad input runs nothing") {
  std::string file = testing::BundledScenario("happy-path.json");
  auto one = testing::Sagasim("compare " + file + " --options seed");
  CHECK(one.exit_code == 2);
  CHECK(one.output.find("give --options twice") != std::string::npos);
  auto bad = testing::Sagasim("compare " + file + " --options seed --options hardened,publish=later");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("\"later\" is not a value of publish") != std::string::npos);
  auto missing = testing::Sagasim("compare /nonexistent/x.json");
  CHECK(missing.exit_code == 2);
}

}  // namespace
