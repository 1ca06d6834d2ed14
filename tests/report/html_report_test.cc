// The HTML report as text: self-contained, one timeline element per event, the
// state tables and checks, the messages' bodies. tests/render/ drives it in Chromium.

#include "report/html_report.h"

#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "cli/run_command.h"
#include "report/trace_links.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"
#include "testing/cli_fixtures.h"

namespace {

struct Run {
  scenario::RunResult result;
  std::vector<sim::Event> events;
  std::vector<report::StoredMessage> messages;
};

Run RunBundled(const std::string& name, const std::string& state_dir) {
  auto sc = scenario::LoadScenarioFile(testing::BundledScenario(name + ".json"));
  REQUIRE(sc.ok());
  report::EventRecorder recorder;
  scenario::RunSettings settings;
  settings.state_dir = state_dir;
  auto result = scenario::RunScenario(sc.value(), settings, &recorder);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  auto messages = report::ReadStoredMessages(state_dir + "/broker.db");
  REQUIRE_MESSAGE(messages.ok(), messages.status().ToString());
  return {result.value(), recorder.events(), messages.value()};
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}

}  // namespace

TEST_CASE("the HTML report has one timeline element per event and nothing from the network") {
  testing::TempDir dir;
  Run run = RunBundled("retry-then-dlq", dir.path);
  std::string page = report::HtmlReport(run.result, run.events, run.messages);
  CHECK(Count(page, "data-seq=\"") == run.events.size());
  for (const sim::Event& e : run.events)
    CHECK(page.find("data-seq=\"" + std::to_string(e.seq) + "\"") != std::string::npos);
  // Self-contained: no external scripts, styles or fetches.
  CHECK(page.find("<script src") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  // The scenario, its checks and its state.
  CHECK(page.find("<h1>retry-then-dlq") != std::string::npos);
  CHECK(page.find("Stock&#39;s handler always fails for o1") != std::string::npos);
  CHECK(page.find("<h3>Invariants</h3>") != std::string::npos);
  CHECK(page.find("<h3>Expectations</h3>") != std::string::npos);
  CHECK(page.find("<h3>Orders</h3>") != std::string::npos);
  CHECK(page.find("<h3>Stock</h3>") != std::string::npos);
  CHECK(page.find("<h3>Payments</h3>") != std::string::npos);
  CHECK(page.find("<td>%DLQ%stock-consumer-group-orderCreatedConsumer-in-0</td>") == std::string::npos);  // the group, not the topic
  CHECK(page.find("<td>stock-consumer-group-orderCreatedConsumer-in-0</td><td>order-created</td><td>o1</td>") != std::string::npos);
  // Retry and DLQ hops carry their own classes.
  // (One more of each is the legend's chip.)
  CHECK(Count(page, "class=\"ev k-retry\"") == 16 + 1);
  CHECK(Count(page, "class=\"ev k-dlq\"") == 1 + 1);
  CHECK(Count(page, "data-kind=\"retry\"") == 16);
  CHECK(Count(page, "data-kind=\"dlq\"") == 1);
  CHECK(page.find("k-deliver via-retry") != std::string::npos);
}

TEST_CASE("the HTML report carries each stored message's properties and body, keyed as the JS looks them up") {
  testing::TempDir dir;
  Run run = RunBundled("retry-then-dlq", dir.path);
  // The original, 16 retry copies and the dead letter.
  CHECK(run.messages.size() >= 18);
  std::string page = report::HtmlReport(run.result, run.events, run.messages);
  CHECK(page.find("\"%DLQ%stock-consumer-group-orderCreatedConsumer-in-0|0|0\":{\"topic\":\"%DLQ%stock-consumer-group-orderCreatedConsumer-in-0\"") != std::string::npos);
  CHECK(page.find("\"ORIGIN_MESSAGE_ID\":") != std::string::npos);
  CHECK(page.find("\\\"orderNo\\\":\\\"o1\\\"") != std::string::npos);  // the body, as a JSON string
  CHECK(page.find("\"stored\":\"%RETRY%stock-consumer-group-orderCreatedConsumer-in-0\"") != std::string::npos);
}

TEST_CASE("text from the scenario cannot close the report's script or inject markup") {
  testing::TempDir dir;
  Run run = RunBundled("happy-path", dir.path);
  run.result.description = "</script><b>bold</b>";
  run.events.front().detail = "</script><img src=x>";
  std::string page = report::HtmlReport(run.result, run.events, run.messages);
  CHECK(page.find("&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("<\\/script><img src=x>") != std::string::npos);  // inside the JSON
  CHECK(Count(page, "</script>") == 3);                              // the two data blocks and the code
}

TEST_CASE("run --html and --mermaid write their files, --order alone is refused") {
  testing::TempDir dir;
  std::string html = dir.path + "/r.html", md = dir.path + "/d.mmd.md";
  auto out = testing::Sagasim("run -q " + testing::BundledScenario("fault-duplicate.json") + " --html " + html +
                              " --mermaid " + md + " --order o1");
  CHECK_MESSAGE(out.exit_code == 0, out.output);
  CHECK(testing::ReadFile(html).find("data-seq=\"1\"") != std::string::npos);
  CHECK(testing::ReadFile(md).find("```mermaid\nsequenceDiagram\n") != std::string::npos);

  auto alone = testing::Sagasim("run -q " + testing::BundledScenario("fault-duplicate.json") + " --order o1");
  CHECK(alone.exit_code == 2);
  CHECK(alone.output.find("--order o1: needs --mermaid FILE") != std::string::npos);

  auto unknown = testing::Sagasim("run -q " + testing::BundledScenario("fault-duplicate.json") + " --mermaid " + md +
                                  " --order o9");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.output.find("--mermaid: no order o9 in this run") != std::string::npos);
}

TEST_CASE("run --out writes the results folder") {
  testing::TempDir dir;
  std::string out_dir = dir.path + "/results";
  auto out = testing::Sagasim("run -q " + testing::BundledScenario("fault-crash-after-commit.json") + " --out " + out_dir);
  CHECK_MESSAGE(out.exit_code == 0, out.output);
  for (const char* file : {"report.html", "trace.jsonl", "report.json", "junit.xml", "diagrams/README.md",
                           "diagrams/run.mmd.md", "diagrams/o1.mmd.md", "diagrams/o2.mmd.md", "state/broker.db",
                           "state/order.db", "state/stock.db", "state/payment.db"})
    CHECK_MESSAGE(std::filesystem::exists(out_dir + "/" + file), file);

  // A suite: one folder per scenario, the CI reports and an index at the top.
  std::string suite = dir.path + "/suite";
  auto two = testing::Sagasim("run -q " + testing::BundledScenario("happy-path.json") + " " +
                              testing::BundledScenario("fault-delay.json") + " --out " + suite);
  CHECK_MESSAGE(two.exit_code == 0, two.output);
  for (const char* file : {"index.html", "report.json", "junit.xml", "happy-path/report.html",
                           "happy-path/trace.jsonl", "happy-path/state/broker.db", "fault-delay/diagrams/o1.mmd.md"})
    CHECK_MESSAGE(std::filesystem::exists(suite + "/" + file), file);

  auto file = testing::Sagasim("run -q " + testing::BundledScenario("happy-path.json") + " --out " + out_dir +
                               "/report.html");
  CHECK(file.exit_code == 2);
  CHECK(file.output.find("is a file, not a folder") != std::string::npos);
}
