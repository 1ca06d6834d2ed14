// The comparison page as text: both timelines drawn by the report's code (one element
// per event, data-run a or b), the parting events marked, the two final states and
// checks, nothing from the network. tests/render/check_compare_report.py drives it.

#include "report/compare_html.h"

#include <string>

#include <doctest/doctest.h>

#include "scenario/compare.h"
#include "scenario/scenario_json.h"
#include "testing/cli_fixtures.h"

namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}

TEST_CASE("compare --html: two timelines, one element per event each, and where the runs part") {
  auto sc = scenario::LoadScenarioFile(testing::BundledScenario("seed-partial-freeze-leaks-stock.json"));
  REQUIRE(sc.ok());
  auto seed = scenario::ParseCompareSide("seed"), hardened = scenario::ParseCompareSide("hardened");
  REQUIRE(seed.ok());
  REQUIRE(hardened.ok());
  auto cmp = scenario::CompareScenario(sc.value(), seed.value(), hardened.value(), std::nullopt);
  REQUIRE(cmp.ok());
  const scenario::Comparison& c = cmp.value();
  REQUIRE(c.alignment.first_unmatched_a);
  REQUIRE(c.alignment.first_unmatched_b);
  std::string page = report::CompareHtml(sc.value(), c, {}, {});

  CHECK(Count(page, "data-seq=\"") == c.a.trace.size() + c.b.trace.size());
  for (const auto& [run, trace] : {std::pair{"a", &c.a.trace}, std::pair{"b", &c.b.trace}})
    for (const sim::Event& e : *trace)
      CHECK(page.find("data-seq=\"" + std::to_string(e.seq) + "\" data-order=\"") != std::string::npos);
  CHECK(Count(page, "\" data-run=\"a\"><span class=\"seq\">") == c.a.trace.size());
  CHECK(Count(page, "\" data-run=\"b\"><span class=\"seq\">") == c.b.trace.size());
  // Each run's first event with no counterpart: marked, selected on opening, its chain listed.
  int64_t part_a = c.a.trace[*c.alignment.first_unmatched_a].seq;
  int64_t part_b = c.b.trace[*c.alignment.first_unmatched_b].seq;
  CHECK(page.find("id=\"timelinea\" data-run=\"a\" data-select=\"" + std::to_string(part_a) + "\"") != std::string::npos);
  CHECK(page.find("id=\"timelineb\" data-run=\"b\" data-select=\"" + std::to_string(part_b) + "\"") != std::string::npos);
  CHECK(page.find("<div class=\"row only parts\" data-seq=\"" + std::to_string(part_a) + "\"") != std::string::npos);
  CHECK(Count(page, "class=\"row only parts\"") == 2);
  CHECK(page.find("<li class=\"parts\"><a href=\"#\" data-goto=\"" + std::to_string(part_a) + "\" data-goto-run=\"a\">") !=
        std::string::npos);
  CHECK(page.find("1x product 1 stays frozen") != std::string::npos);
  // Both sides' checks and states, with ids of their own.
  for (const char* id : {"checks-a", "checks-b", "state-a", "state-b", "trace-dataa", "trace-datab", "detaila", "detailb"})
    CHECK_MESSAGE(Count(page, std::string("id=\"") + id + "\"") == 1, id);
  CHECK(page.find("<td class=\"differs\">per-item</td>") != std::string::npos);
  CHECK(page.find("sold-matches-paid") != std::string::npos);
  CHECK(page.find("<script src") == std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
}

}  // namespace
