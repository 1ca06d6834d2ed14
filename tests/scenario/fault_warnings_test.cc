#include "scenario/fault_warnings.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "scenario/scenario_json.h"
#include "testing/cli_fixtures.h"

namespace scenario {
namespace {

constexpr const char* kFile = "scenarios/w.json";

// The warnings of a file with products 1 and 2, orders o1 and o2, and these faults.
std::vector<std::string> WarningsOf(const std::string& faults) {
  std::string text = R"({"name": "w", "catalog": [{"product": 1, "stock": 10, "price": 3}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}],
    "faults": [)" + faults + "]}";
  base::Result<Scenario> result = ParseScenario(text, kFile);
  INFO(result.status().message());
  REQUIRE(result.ok());
  return result.value().warnings;
}

std::string OnlyWarning(const std::string& faults) {
  std::vector<std::string> warnings = WarningsOf(faults);
  REQUIRE(warnings.size() == 1);
  return warnings[0];
}

TEST_CASE("fault warnings: matchers no place of the kind has") {
  struct Case {
    const char* name;
    const char* fault;
    const char* warning;
  };
  static const Case kCases[] = {
      {"send-failure with a group", R"({"kind": "send-failure", "group": "stock-consumer-group"})",
       "scenarios/w.json: /faults/0/group: send-failure never fires with a group: a send has no consumer group"},
      {"payment-decline on another topic", R"({"kind": "payment-decline", "topic": "stock-frozen"})",
       "scenarios/w.json: /faults/0/topic: payment-decline never fires with topic stock-frozen: payments are "
       "declined only in payment's order-created handler (payment-consumer-group)"},
      {"payment-decline in another group", R"({"kind": "payment-decline", "group": "stock-consumer-group"})",
       "scenarios/w.json: /faults/0/group: payment-decline never fires with group stock-consumer-group: payments "
       "are declined only in payment's order-created handler (payment-consumer-group)"},
      {"payment-decline in another service", R"({"kind": "payment-decline", "service": "order"})",
       "scenarios/w.json: /faults/0/service: payment-decline never fires with service order: payments are "
       "declined only in payment's order-created handler (payment-consumer-group)"},
      {"group and topic no binding has together",
       R"({"kind": "consumer-error", "group": "stock-consumer-group", "topic": "payment-failed"})",
       "scenarios/w.json: /faults/0/topic: consumer-error never fires with group stock-consumer-group and topic "
       "payment-failed: group stock-consumer-group consumes order-created, payment-success, order-cancelled"},
      {"a service with no binding of the topic", R"({"kind": "slow", "latency": "1s", "service": "order", "topic": "order-created"})",
       "scenarios/w.json: /faults/0/topic: slow never fires with service order and topic order-created: service "
       "order consumes payment-success, stock-freeze-failed, stock-frozen, payment-failed"},
      {"a service with no binding in the group",
       R"({"kind": "duplicate", "service": "stock", "group": "payment-consumer-group"})",
       "scenarios/w.json: /faults/0/group: duplicate never fires with service stock and group "
       "payment-consumer-group: service stock consumes in stock-consumer-group only"},
      {"a service that does not send the topic", R"({"kind": "send-failure", "service": "order", "topic": "stock-frozen"})",
       "scenarios/w.json: /faults/0/topic: send-failure never fires with service order and topic stock-frozen: "
       "service order sends to order-created, order-cancelled"},
      {"a crash with a topic its service neither consumes nor sends",
       R"({"kind": "crash", "service": "stock", "topic": "payment-failed", "point": "after-send"})",
       "scenarios/w.json: /faults/0/topic: crash never fires with service stock and topic payment-failed: service "
       "stock consumes order-created, payment-success, order-cancelled and sends to stock-freeze-failed, "
       "stock-frozen"},
      {"a crash before commit where only the relay sends the topic",
       R"({"kind": "crash", "service": "order", "topic": "order-created"})",
       "scenarios/w.json: /faults/0/topic: crash never fires with service order and topic order-created: service "
       "order consumes payment-success, stock-freeze-failed, stock-frozen, payment-failed"},
      {"a retry topic", R"({"kind": "delay", "by": "1s", "topic": "%RETRY%stock-consumer-group"})",
       "scenarios/w.json: /faults/0/topic: delay never fires with topic %RETRY%stock-consumer-group: faults see a "
       "message's original topic, never its retry or DLQ topic"},
      {"probability 0", R"({"kind": "consumer-error", "topic": "order-created", "probability": 0})",
       "scenarios/w.json: /faults/0/probability: consumer-error never fires with probability 0"},
  };
  for (const Case& c : kCases) {
    INFO(c.name);
    CHECK(OnlyWarning(c.fault) == c.warning);
  }
}

TEST_CASE("fault warnings: a rule shadowed by an earlier one") {
  std::vector<std::string> warnings = WarningsOf(
      R"({"kind": "consumer-error", "topic": "order-created", "times": "always"},
         {"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1"})");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "scenarios/w.json: /faults/1: consumer-error never fires: rule 0 (/faults/0) comes first and fires every "
        "time on everything this rule matches");
  // Not shadowed: the first rule runs out, draws a probability, or matches less.
  for (const char* first : {R"({"kind": "consumer-error", "topic": "order-created", "times": 5})",
                            R"({"kind": "consumer-error", "probability": 0.5, "times": "always"})",
                            R"({"kind": "consumer-error", "order": "o2", "times": "always"})",
                            R"({"kind": "slow", "latency": "1s", "times": "always"})"}) {
    CAPTURE(first);
    CHECK(WarningsOf(std::string(first) + R"(, {"kind": "consumer-error", "topic": "order-created"})").empty());
  }
  // An order glob covers the ids it starts.
  CHECK(WarningsOf(R"({"kind": "duplicate", "order": "o*", "times": "always"}, {"kind": "duplicate", "order": "o2"})")
            .size() == 1);
  // A crash rule shadows only rules of its own point.
  CHECK(WarningsOf(R"({"kind": "crash", "times": "always"}, {"kind": "crash", "point": "after-commit"})").empty());
}

TEST_CASE("fault warnings: a consumer-error with a group and no topic matches every binding of the group") {
  CHECK(OnlyWarning(R"({"kind": "consumer-error", "group": "stock-consumer-group", "order": "o1"})") ==
        "scenarios/w.json: /faults/0/group: consumer-error with group stock-consumer-group and no topic matches "
        "all 3 of the group's bindings (order-created, payment-success, order-cancelled); add a topic to pick one");
}

TEST_CASE("fault warnings: broker-restart and poison ignore matchers") {
  CHECK(OnlyWarning(R"({"kind": "broker-restart", "at": "1s", "service": "stock", "order": "o1"})") ==
        "scenarios/w.json: /faults/0/service: broker-restart ignores service, order: it fires once, at its \"at\"");
  CHECK(OnlyWarning(R"({"kind": "poison", "at": "1s", "body": "x", "topic": "order-created", "times": 3})") ==
        "scenarios/w.json: /faults/0/times: poison ignores times: it fires once, at its \"at\"");
  // poison's topic is where it publishes, not a matcher.
  CHECK(WarningsOf(R"({"kind": "poison", "at": "1s", "body": "x", "topic": "order-created"})").empty());
}

TEST_CASE("fault warnings: rules that can fire have none") {
  for (const char* fault : {
           R"({"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created"})",
           R"({"kind": "consumer-error", "service": "payment", "topic": "order-created", "times": 2})",
           R"({"kind": "send-failure", "topic": "order-created", "order": "o1"})",
           R"({"kind": "send-failure", "service": "stock", "topic": "stock-frozen"})",
           R"({"kind": "crash", "service": "order", "topic": "order-created", "point": "after-send"})",
           R"({"kind": "crash", "service": "stock", "point": "after-commit", "probability": 0.01, "times": 3})",
           R"({"kind": "crash", "service": "order", "order": "o1"})",
           R"({"kind": "payment-decline", "order": "o2"})",
           R"({"kind": "payment-decline", "service": "payment", "group": "payment-consumer-group", "topic": "order-created"})",
           R"({"kind": "slow", "latency": "1s", "service": "payment", "order": "o1"})",
           R"({"kind": "delay", "by": "1s", "group": "stock-consumer-group", "topic": "order-created"})",
           R"({"kind": "duplicate", "probability": 0.1, "times": "always"})",
           R"({"kind": "broker-restart", "at": "1s", "downFor": "2s"})",
       }) {
    CAPTURE(fault);
    CHECK(WarningsOf(fault).empty());
  }
}

TEST_CASE("fault warnings: a file with errors reports the error, not warnings") {
  base::Result<Scenario> result = ParseScenario(
      R"({"name": "w", "catalog": [{"product": 1, "stock": 1, "price": 1}],
          "faults": [{"kind": "send-failure", "group": "stock-consumer-group"}, {"kind": "nope"}]})",
      kFile);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().message().find("/faults/1/kind: unknown fault kind") != std::string::npos);
}

TEST_CASE("fault warnings: no bundled scenario has any") {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SAGASIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path().string());
    base::Result<Scenario> result = LoadScenarioFile(entry.path().string());
    REQUIRE(result.ok());
    CHECK(result.value().warnings.empty());
  }
}

// Runs sagasim with stderr in a file of its own: testing::Sagasim appends "2>&1" to the
// command, so the command ends at ";" and the shell exits with sagasim's code.
testing::Outcome RunWithStderrIn(const std::string& err_file, const std::string& args) {
  return testing::Sagasim(args + " 2>" + err_file + "; exit $?");
}

TEST_CASE("fault warnings: run and validate print them on stderr and exit 0") {
  testing::TempDir dir;
  std::string file = dir.Write("never.json", R"({"name": "never",
    "catalog": [{"product": 1, "stock": 10, "price": 3}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "send-failure", "group": "stock-consumer-group", "order": "o1"}],
    "expect": {"orders": {"o1": "PAID"}}})");
  std::string expected =
      "warning: " + file + ": /faults/0/group: send-failure never fires with a group: a send has no consumer group\n";
  std::string err_file = dir.path + "/stderr.txt";

  testing::Outcome validate = RunWithStderrIn(err_file, "validate " + file);
  CHECK(validate.exit_code == 0);
  CHECK(testing::ReadFile(err_file) == expected);
  CHECK(validate.output.find("ok   " + file) != std::string::npos);
  CHECK(validate.output.find("warning") == std::string::npos);

  testing::Outcome run = RunWithStderrIn(err_file, "run -q --no-color " + file);
  CHECK(run.exit_code == 0);
  CHECK(testing::ReadFile(err_file) == expected);
  CHECK(run.output.find("1 scenarios: 1 passed, 0 failed") != std::string::npos);
  CHECK(run.output.find("warning") == std::string::npos);
}

}  // namespace
}  // namespace scenario
