// Mermaid diagrams: labels that survive Mermaid's syntax, what an order's diagram
// holds, the size limit, and two golden diagrams (SAGASIM_UPDATE_GOLDEN=1 rewrites
// tests/golden/*.mmd.md). tests/render/ renders them in the real Mermaid library.

#include "report/mermaid.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "report/trace_links.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"
#include "testing/recording_sink.h"
#include "testing/scenario_fixtures.h"

namespace {

std::vector<sim::Event> RunBundled(const std::string& name) {
  auto sc = scenario::LoadScenarioFile(std::string(SAGASIM_SOURCE_DIR) + "/scenarios/" + name + ".json");
  REQUIRE(sc.ok());
  testing::RecordingSink sink;
  auto result = scenario::RunScenario(sc.value(), {}, &sink);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  return sink.events;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void CheckGolden(const std::string& name, const std::string& actual) {
  std::string path = std::string(SAGASIM_SOURCE_DIR) + "/tests/golden/" + name + ".mmd.md";
  if (std::getenv("SAGASIM_UPDATE_GOLDEN")) std::ofstream(path) << actual;
  std::string expected = Slurp(path);
  CHECK_MESSAGE(!expected.empty(), "missing golden file " << path);
  CHECK(actual == expected);
}

// Every '#' in the text starts an entity code such as #35;.
bool OnlyEntityHashes(const std::string& text) {
  return !std::regex_search(text, std::regex("#(?![0-9]+;)"));
}

}  // namespace

TEST_CASE("Mermaid labels escape what Mermaid would read as syntax") {
  CHECK(report::MermaidEscape("rule 0, #1") == "rule 0, #35;1");
  CHECK(report::MermaidEscape("a;b") == "a#59;b");
  CHECK(report::MermaidEscape("%%comment") == "#37;#37;comment");
  CHECK(report::MermaidEscape("say \"hi\"") == "say #34;hi#34;");
  CHECK(report::MermaidEscape("A->>B") == "A#45;#62;#62;B");
  CHECK(report::MermaidEscape("A-->B") == "A#45;#45;#62;B");
  CHECK(report::MermaidEscape("<b>") == "#60;b#62;");
  CHECK(report::MermaidEscape("two\nlines") == "two lines");
  // Ordinary dashes stay readable.
  CHECK(report::MermaidEscape("order-created") == "order-created");
  CHECK(OnlyEntityHashes(report::MermaidEscape("#1 ## #x; #35;")));
}

TEST_CASE("an order's diagram shows its hops through %RETRY% and %DLQ%") {
  std::vector<sim::Event> events = RunBundled("retry-then-dlq");
  auto diagram = report::MermaidDiagram(events, "o1");
  REQUIRE(diagram.ok());
  const std::string& d = *diagram;
  CHECK(d.rfind("sequenceDiagram\n  participant Order\n", 0) == 0);
  CHECK(d.find("as #37;RETRY#37;stock#45;consumer#45;group") != std::string::npos);
  CHECK(d.find("as #37;DLQ#37;stock#45;consumer#45;group") != std::string::npos);
  CHECK(d.find("attempt 17") != std::string::npos);
  CHECK(d.find("retry hop to #37;RETRY#37;stock-consumer-group-orderCreatedConsumer-in-0 as reconsumeTimes 1, delay level 3 (10s)") !=
        std::string::npos);
  CHECK(d.find("dead-letter to #37;DLQ#37;") != std::string::npos);
  CHECK(OnlyEntityHashes(d));
  // One failure note per handler call: 17 deliveries of 3 calls.
  size_t fails = 0;
  for (size_t at = 0; (at = d.find("handler FAILED", at)) != std::string::npos; ++at) ++fails;
  CHECK(fails == 51);
}

TEST_CASE("duplicate copies and skipped duplicates are drawn as such") {
  std::vector<sim::Event> events = RunBundled("fault-duplicate");
  auto diagram = report::MermaidDiagram(events, "o1");
  REQUIRE(diagram.ok());
  CHECK(diagram->find("(duplicate copy)") != std::string::npos);
  // A copy comes from the topic its original is stored in: no nameless participant.
  CHECK(diagram->find(" as \n") == std::string::npos);
  CHECK(diagram->find("T2->>Payment") == std::string::npos);
  CHECK(diagram->find("skip duplicate oc-1") != std::string::npos);
  CHECK(diagram->find("fault duplicate (rule 0, #35;1)") != std::string::npos);
}

TEST_CASE("a crash and its restart belong to the order whose handler crashed") {
  std::vector<sim::Event> events = RunBundled("fault-crash-after-commit");
  auto o1 = report::MermaidDiagram(events, "o1");
  auto o2 = report::MermaidDiagram(events, "o2");
  REQUIRE(o1.ok());
  REQUIRE(o2.ok());
  CHECK(o1->find("CRASH") != std::string::npos);
  CHECK(o1->find("restart") != std::string::npos);
  CHECK(o2->find("CRASH") == std::string::npos);
  CHECK(o2->find("o1") == std::string::npos);
}

TEST_CASE("a run too large for one diagram is refused, naming --order") {
  std::string orders;
  for (int i = 1; i <= 80; ++i)
    orders += std::string(i > 1 ? "," : "") + "{\"id\": \"o" + std::to_string(i) + "\", \"user\": 1, \"items\": {\"1\": 1}}";
  scenario::Scenario sc = testing::ParseOrDie(R"({"name": "many", "catalog": [{"product": 1, "stock": 100, "price": "1"}],
    "orders": [)" + orders + "]}");
  testing::RecordingSink sink;
  REQUIRE(scenario::RunScenario(sc, {}, &sink).ok());
  const std::vector<sim::Event>& events = sink.events;
  REQUIRE(report::MermaidDiagram(events, "o80").ok());
  auto whole = report::MermaidDiagram(events, "");
  REQUIRE_FALSE(whole.ok());
  CHECK(whole.status().message().find("pass --order ID") != std::string::npos);
  CHECK(whole.status().message().find("40000") != std::string::npos);
  auto unknown = report::MermaidDiagram(events, "nope");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message() == "no order nope in this run");
}

TEST_CASE("golden diagrams: fault-duplicate o1 and out-of-stock-cancels") {
  auto dup = report::MermaidMarkdown(RunBundled("fault-duplicate"), "o1", "fault-duplicate: order o1");
  REQUIRE(dup.ok());
  CheckGolden("fault-duplicate.o1", *dup);
  auto oos = report::MermaidMarkdown(RunBundled("out-of-stock-cancels"), "", "out-of-stock-cancels");
  REQUIRE(oos.ok());
  CheckGolden("out-of-stock-cancels", *oos);
}

TEST_CASE("trace links: stored topics of retried and dead-lettered copies") {
  std::vector<sim::Event> events = RunBundled("retry-then-dlq");
  report::TraceLinks links(events);
  for (const sim::Event& e : events) {
    if (e.kind == sim::EventKind::kPublish) CHECK(links.StoredTopic(e) == e.topic);
    if (e.kind == sim::EventKind::kDlq) CHECK(links.StoredTopic(e) == "%DLQ%stock-consumer-group-orderCreatedConsumer-in-0");
    if (e.kind == sim::EventKind::kDeliver && e.group == "stock-consumer-group-orderCreatedConsumer-in-0")
      CHECK(links.StoredTopic(e) == (e.attempt == 1 ? "order-created" : "%RETRY%stock-consumer-group-orderCreatedConsumer-in-0"));
  }
  const sim::Event& dlq = events.back();
  REQUIRE(dlq.kind == sim::EventKind::kDlq);
  std::vector<int64_t> chain = links.CauseChain(dlq);
  REQUIRE_FALSE(chain.empty());
  CHECK(chain.back() == 1);  // the placement
  CHECK(links.orders() == std::vector<std::string>{"o1"});
}

TEST_CASE("Mermaid: a redrive step's note sits over the binding's own %DLQ%, and no phantom participant") {
  // The step names the group as the file does (stock-consumer-group); with per-binding
  // groups the dead letters are in %DLQ%stock-consumer-group-orderCreatedConsumer-in-0.
  auto diagram = report::MermaidDiagram(RunBundled("redrive-dlq-settles"), "o1");
  REQUIRE(diagram.ok());
  const std::string& d = diagram.value();
  std::smatch dlq;
  REQUIRE(std::regex_search(d, dlq, std::regex("participant (D[0-9]+) as #37;DLQ#37;stock#45;consumer#45;group#45;"
                                               "orderCreatedConsumer#45;in#45;0\n")));
  CHECK(d.find("Note over " + dlq[1].str() + ": [30m] step redriveDlq stock-consumer-group") != std::string::npos);
  CHECK(d.find(dlq[1].str() + "->>R") != std::string::npos);  // the redrive hop starts there too
  CHECK(d.find("as #37;DLQ#37;stock#45;consumer#45;group\n") == std::string::npos);
  // A step is drawn over the DLQ, not over a "broker" that sends and receives nothing.
  CHECK(d.find("as broker\n") == std::string::npos);
}
