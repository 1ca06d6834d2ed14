#include "scenario/runner.h"

#include <set>

#include <doctest/doctest.h>

#include "testing/scenario_fixtures.h"

namespace {

using testing::ParseOrDie;
using testing::RunOrDie;
using testing::TraceLines;

std::vector<std::string> TraceOf(const scenario::Scenario& sc, uint64_t seed) {
  scenario::RunSettings settings;
  settings.seed = seed;
  TraceLines trace;
  RunOrDie(sc, settings, &trace);
  return trace.lines;
}

TEST_CASE("deterministic mode: the same file and seed give an identical trace") {
  scenario::Scenario sc = ParseOrDie(testing::kRaceForLastUnit);
  for (uint64_t seed : {1, 2, 42}) {
    std::vector<std::string> first = TraceOf(sc, seed);
    std::vector<std::string> second = TraceOf(sc, seed);
    CHECK(first.size() > 10);
    CHECK(first == second);
  }
}

TEST_CASE("deterministic mode: different seeds explore different interleavings") {
  scenario::Scenario sc = ParseOrDie(testing::kRaceForLastUnit);
  std::set<std::vector<std::string>> traces;
  std::set<std::string> o2_outcomes;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    scenario::RunSettings settings;
    settings.seed = seed;
    TraceLines trace;
    scenario::RunResult r = RunOrDie(sc, settings, &trace);
    traces.insert(trace.lines);
    for (const auto& o : r.state.orders)
      if (o.order_no == "o2") o2_outcomes.insert(o.status);
  }
  CHECK(traces.size() > 1);
  // The loser is sometimes paid without stock, sometimes cancelled after being charged.
  CHECK(o2_outcomes.count("PAID") == 1);
  CHECK(o2_outcomes.count("CANCELLED") == 1);
}

TEST_CASE("hardened: competing one-unit orders end with exactly min(N, S) paid, in both modes") {
  const char* text = R"json({
    "name": "compete",
    "bindings": {"stock.orderCreatedConsumer-in-0": {"concurrency": 3},
                 "payment.orderCreatedConsumer-in-0": {"concurrency": 2}},
    "catalog": [{"product": 1, "stock": 7, "price": "3.00"}],
    "orders": [{"generate": {"count": 30, "items": {"1": [1, 1]}, "every": "1ms"}}]
  })json";
  scenario::Scenario sc = ParseOrDie(text);
  for (scenario::Mode mode : {scenario::Mode::kDeterministic, scenario::Mode::kConcurrent}) {
    CAPTURE(scenario::ModeName(mode));
    scenario::RunSettings settings;
    settings.mode = mode;
    scenario::RunResult r = RunOrDie(sc, settings);
    int paid = 0;
    for (const auto& o : r.state.orders) paid += o.status == "PAID";
    CHECK(paid == 7);
    for (const auto& inv : r.invariants) CHECK_MESSAGE(inv.holds, inv.name << ": " << inv.detail);
    CHECK(r.passed);
  }
}

TEST_CASE("seed profile: the happy path leaves the paid order's stock frozen") {
  const char* text = R"json({
    "name": "seed-happy", "profile": "seed", "options": {"consumerGroups": "per-binding"},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 2}}]
  })json";
  scenario::RunResult r = RunOrDie(ParseOrDie(text), {});
  REQUIRE(r.state.products.size() == 1);
  CHECK(r.state.products[0].frozen == 2);
  CHECK(r.state.products[0].sold == 0);
  CHECK(r.state.orders[0].status == "PAID");
  CHECK_FALSE(r.passed);  // the default expectation: all invariants hold
}

TEST_CASE("options override the profile one at a time") {
  // The seed profile with only the deduct fix: the paid order's stock is sold.
  const char* text = R"json({
    "name": "seed-with-reservation", "profile": "seed",
    "options": {"stockDeduct": "reservation", "consumerGroups": "per-binding"},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 2}}],
    "expect": {"stock": {"1": {"available": 3, "frozen": 0, "sold": 2}}}
  })json";
  scenario::RunResult r = RunOrDie(ParseOrDie(text), {});
  CHECK(r.passed);
}

TEST_CASE("a run cut off by until reports unsettled orders") {
  const char* text = R"json({
    "name": "cut", "until": "5s",
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}, "at": "1m"}]
  })json";
  scenario::RunResult r = RunOrDie(ParseOrDie(text), {});
  CHECK(r.state.hit_until);
  CHECK(r.state.end_ms == 5000);
  CHECK(r.state.orders.size() == 1);  // o2 was never placed
}

TEST_CASE("the compensation job re-sends at most 3 times and lets a stuck run end") {
  // Every delivery of o1's OrderCreatedEvent to Stock fails and nothing redelivers it
  // (maxReconsumeTimes 0 sends it to the DLQ), so o1 stays CREATED.
  const char* text = R"json({
    "name": "job",
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxReconsumeTimes": 0, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "times": "always"}]
  })json";
  TraceLines trace;
  scenario::RunResult r = RunOrDie(ParseOrDie(text), {}, &trace);
  int resends = 0;
  for (const std::string& line : trace.lines) resends += line.find("compensation job re-sends") != std::string::npos;
  CHECK(resends == 3);
  CHECK(r.state.orders[0].status == "CREATED");
  CHECK(r.stuck == std::vector<std::string>{"o1"});
}

}  // namespace

namespace {

TEST_CASE("producer sync: false keeps the reference's async send even under publish: sync") {
  // The Payment handler's send fails. With a sync send the failure is thrown, the
  // delivery retried, and transactional idempotency then skips the retry (the
  // payment was committed): PaymentSuccessEvent is never sent. With the binding's
  // legacy `sync: false` the failure only reaches a callback; the handler succeeds.
  const char* base = R"json({
    "name": "sync", "options": {"publish": "sync", "compensationJob": "off"}, %BINDINGS%
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "send-failure", "service": "payment", "topic": "payment-success"}]
  })json";
  auto with = [&](const std::string& bindings) {
    std::string text = base;
    text.replace(text.find("%BINDINGS%"), 10, bindings);
    TraceLines trace;
    scenario::RunResult r = RunOrDie(ParseOrDie(text), {}, &trace);
    int fails = 0;
    for (const std::string& line : trace.lines)
      fails += line.find("\"kind\":\"fail\"") != std::string::npos && line.find("payment-consumer-group") != std::string::npos;
    return std::make_pair(r.state.orders[0].status, fails);
  };
  auto sync = with("");
  CHECK(sync.first == "CREATED");
  CHECK(sync.second == 1);  // the failed send failed the handler call
  auto legacy = with(R"("bindings": {"payment.paymentSuccessProducer-out-0": {"sync": false}},)");
  CHECK(legacy.first == "CREATED");
  CHECK(legacy.second == 0);  // only the callback knew
}

}  // namespace

namespace {

TEST_CASE("a broker-restart with probability 0 never fires, with 1 always") {
  const char* base = R"json({
    "name": "restart", "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "broker-restart", "at": "1s", "probability": %P%}]
  })json";
  for (const char* p : {"0", "1"}) {
    std::string text = base;
    text.replace(text.find("%P%"), 3, p);
    TraceLines trace;
    RunOrDie(ParseOrDie(text), {}, &trace);
    int restarts = 0;
    for (const std::string& line : trace.lines) restarts += line.find("broker-restart") != std::string::npos;
    CHECK(restarts == (std::string(p) == "1" ? 1 : 0));
  }
}

}  // namespace

namespace {

TEST_CASE("a run that never becomes quiescent stops 48h after its last scheduled event") {
  // An orderly queue blocked forever by a message that always fails.
  const char* text = R"json({
    "name": "forever", "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}, "at": "1h"}],
    "faults": [{"kind": "consumer-error", "topic": "order-created", "order": "o1", "times": "always"}]
  })json";
  scenario::RunResult r = RunOrDie(ParseOrDie(text), {});
  CHECK(r.stopped_at_horizon);
  CHECK(r.state.end_ms == 3600 * 1000 + scenario::kHorizonMs);
  CHECK_FALSE(r.passed);
}

TEST_CASE("many in-process attempts with a steep back-off stay capped by backOffMaxInterval") {
  const char* text = R"json({
    "name": "steep", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxAttempts": 60, "backOffMultiplier": 10,
                                                     "maxReconsumeTimes": 0}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "times": "always"}]
  })json";
  scenario::RunResult r = RunOrDie(ParseOrDie(text), {});
  // 1s, 10s, then 10s (the cap) for each of the remaining 57 gaps.
  CHECK(r.state.end_ms == 1000 + 58 * 10000);
  CHECK(r.stuck == std::vector<std::string>{"o1"});
}

}  // namespace
