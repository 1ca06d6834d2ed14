// The JSON report: its shape, and that it is the same bytes run after run.

#include "report/json_report.h"

#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "testing/scenario_fixtures.h"

namespace {

using Json = nlohmann::ordered_json;

// Retried deliveries, a dead letter and a stuck order, so every part of the report
// has something in it.
const char* kRetryToDlq = R"json({
  "name": "retry-to-dlq",
  "description": "Stock keeps failing on o2 until it is dead-lettered.",
  "profile": "hardened",
  "options": {"publish": "sync", "compensationJob": "off"},
  "seed": 7,
  "catalog": [{"product": 1, "stock": 5, "price": "19.90", "name": "keyboard"},
              {"product": 2, "stock": 1, "price": "5"}],
  "bindings": {"stock.orderCreatedConsumer-in-0": {"maxReconsumeTimes": 1}},
  "orders": [{"id": "o1", "user": 1, "items": {"1": 2, "2": 1}},
             {"id": "o2", "user": 2, "items": {"1": 1}}],
  "faults": [{"kind": "consumer-error", "service": "stock", "topic": "order-created", "order": "o2",
              "times": "always",
              "message": "boom <&>"}],
  "expect": {"stuck": ["o2"], "dlq": {"stock-consumer-group": 1}}
})json";

struct Counted {
  scenario::RunResult result;
  report::EventCounts counts;
};

Counted RunCounted(const char* text) {
  report::MetricsCounter metrics;
  Counted out;
  out.result = testing::RunOrDie(testing::ParseOrDie(text), {}, &metrics);
  out.counts = metrics.counts();
  return out;
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

// The report text without its wall-clock lines, the only ones allowed to differ.
std::string WithoutWallTime(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("\"wallMs\":") == std::string::npos) out += line + "\n";
  return out;
}

TEST_CASE("json: a scenario's entry has every field, in a fixed order") {
  Counted run = RunCounted(kRetryToDlq);
  REQUIRE(run.result.passed);
  Json s = report::RunResultToJson(run.result, &run.counts);
  CHECK(Keys(s) == std::vector<std::string>{"name", "file", "description", "profile", "seed", "mode", "options",
                                            "passed", "virtualTimeMs", "steps", "wallMs", "hitUntil", "orders",
                                            "payments", "stock", "dlq", "stuck", "invariants", "expectations",
                                            "metrics"});
  CHECK(s["name"] == "retry-to-dlq");
  CHECK(s["file"] == "test.json");
  CHECK(s["description"] == "Stock keeps failing on o2 until it is dead-lettered.");
  CHECK(s["profile"] == "hardened");
  CHECK(s["seed"] == 7);
  CHECK(s["mode"] == "deterministic");
  CHECK(s["options"] == Json{{"idempotency", "transactional"}, {"publish", "sync"}, {"stockDeduct", "reservation"},
                             {"freeze", "atomic"}, {"cancellation", "compensate"}, {"compensationJob", "off"},
                             {"consumerGroups", "per-binding"}});
  CHECK(s["passed"] == true);
  CHECK(s["virtualTimeMs"].get<int64_t>() > 10000);  // the retry waits 10 s
  CHECK(s["steps"].get<uint64_t>() == run.result.steps);
  CHECK(s["wallMs"].is_number());
  CHECK(s["hitUntil"] == false);

  const Json& o1 = s["orders"][0];
  CHECK(Keys(o1) == std::vector<std::string>{"id", "orderId", "status", "total", "items", "reason"});
  CHECK(o1["id"] == "o1");
  CHECK(o1["orderId"] == 1);
  CHECK(o1["status"] == "PAID");
  CHECK(o1["total"] == "44.80");
  CHECK(o1["items"] == Json{{"1", 2}, {"2", 1}});
  CHECK(s["orders"][1]["status"] == "CREATED");

  REQUIRE(s["payments"].size() >= 1);
  CHECK(s["payments"][0] == Json{{"paymentId", 1}, {"order", "o1"}, {"status", "SUCCESS"}, {"amount", "44.80"}});
  CHECK(s["stock"][0] == Json{{"product", 1}, {"name", "keyboard"}, {"available", 3}, {"frozen", 0}, {"sold", 2},
                              {"initial", 5}, {"restocked", 0}});
  REQUIRE(s["dlq"].size() == 1);
  CHECK(Keys(s["dlq"][0]) == std::vector<std::string>{"group", "topic", "order", "msgId"});
  CHECK(s["dlq"][0]["group"] == "stock-consumer-group-orderCreatedConsumer-in-0");
  CHECK(s["dlq"][0]["topic"] == "order-created");
  CHECK(s["dlq"][0]["order"] == "o2");
  CHECK(s["stuck"] == Json::array({"o2"}));

  REQUIRE(s["invariants"].size() == 7);
  CHECK(s["invariants"][0] == Json{{"name", "stock-conserved"}, {"holds", true}, {"detail", ""}});
  const Json& last = s["expectations"].back();
  CHECK(Keys(last) == std::vector<std::string>{"what", "holds", "expected", "actual"});
  CHECK(last["what"] == "invariants");

  const Json& m = s["metrics"];
  CHECK(Keys(m) == std::vector<std::string>{"deliveries", "handlerCalls", "failures", "retries", "dlq", "acks",
                                            "placed", "publishes", "sendFailures", "filtered", "skippedDuplicates",
                                            "faults", "crashes", "restarts", "stateChanges", "operatorSteps"});
  CHECK(m["placed"] == 2);
  CHECK(m["dlq"] == 1);
  CHECK(m["retries"] == 1);
  CHECK(m["failures"] == 6);  // two deliveries of o2 to Stock, three calls each
  CHECK(m["handlerCalls"].get<int64_t>() > m["deliveries"].get<int64_t>());
  CHECK(m["crashes"] == 0);
}

TEST_CASE("json: the same file and seed give the same bytes, wall time aside") {
  report::JsonReport first, second;
  Counted a = RunCounted(kRetryToDlq), b = RunCounted(kRetryToDlq);
  first.AddResult(a.result, &a.counts);
  second.AddResult(b.result, &b.counts);
  std::string text = first.ToText();
  CHECK(text.find("\"wallMs\":") != std::string::npos);
  CHECK(WithoutWallTime(text) == WithoutWallTime(second.ToText()));
  CHECK(text.back() == '\n');
}

TEST_CASE("json: the document's top level and summary") {
  report::JsonReport json;
  Counted ok = RunCounted(kRetryToDlq);
  json.AddResult(ok.result, &ok.counts);
  scenario::RunResult failed = ok.result;
  failed.passed = false;
  json.AddResult(failed, nullptr);
  json.AddError("broken", "broken.json", "I/O error: cannot create state directory");
  Json doc = json.ToJson();
  CHECK(Keys(doc) == std::vector<std::string>{"format", "tool", "scenarios", "summary"});
  CHECK(doc["format"] == 1);
  CHECK(doc["tool"] == "sagasim");
  REQUIRE(doc["scenarios"].size() == 3);
  CHECK_FALSE(doc["scenarios"][1].contains("metrics"));
  CHECK(doc["scenarios"][2] == Json{{"name", "broken"}, {"file", "broken.json"}, {"passed", false},
                                    {"error", "I/O error: cannot create state directory"}});
  CHECK(doc["summary"] == Json{{"scenarios", 3}, {"passed", 1}, {"failed", 2}, {"errors", 1}});
}

TEST_CASE("json: metrics name unknown event kinds after the known ones") {
  scenario::RunResult result;
  report::EventCounts counts{{"deliver", 4}, {"zz-new-kind", 2}};
  Json m = report::RunResultToJson(result, &counts)["metrics"];
  CHECK(m["deliveries"] == 4);
  CHECK(m["handlerCalls"] == 0);
  CHECK(Keys(m).back() == "zz-new-kind");
  CHECK(m["zz-new-kind"] == 2);
}

TEST_CASE("json: bytes that are not UTF-8 do not stop the report") {
  report::JsonReport json;
  json.AddError("bad", "bad.json", "body \xC3(");
  std::string text;
  CHECK_NOTHROW(text = json.ToText());
  CHECK(text.find("body \xEF\xBF\xBD(") != std::string::npos);
}

}  // namespace
