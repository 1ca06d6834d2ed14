#include "scenario/checkers.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "testing/final_state_builder.h"

namespace scenario {
namespace {

using ::testing::FinalStateBuilder;

// A run where everything went right: o1 and o2 paid, o3 cancelled for short stock.
FinalStateBuilder Healthy() {
  FinalStateBuilder b;
  b.AddProduct(1, 10, 7, 0, 3)
      .AddProduct(2, 5, 5, 0, 0)
      .AddOrder("o1", "PAID", {{1, 2}}, 3980)
      .AddOrder("o2", "PAID", {{1, 1}}, 1990)
      .AddOrder("o3", "CANCELLED", {{2, 6}}, 6000)
      .AddPayment("o1", "SUCCESS", 3980)
      .AddPayment("o2", "SUCCESS", 1990)
      .AddReservation("o1", 1, 2, "DEDUCTED")
      .AddReservation("o2", 1, 1, "DEDUCTED");
  return b;
}

InvariantResult Invariant(const FinalState& state, const std::string& name) {
  for (const InvariantResult& result : CheckInvariants(state)) {
    if (result.name == name) return result;
  }
  FAIL("no invariant named " << name);
  return {};
}

ExpectationResult Expectation(const Expectations& expect, const FinalState& state,
                              const std::string& what) {
  for (const ExpectationResult& result : CheckExpectations(expect, state, CheckInvariants(state))) {
    if (result.what == what) return result;
  }
  FAIL("no expectation named " << what);
  return {};
}

void CheckResult(const ExpectationResult& result, bool holds, const std::string& expected,
                 const std::string& actual) {
  CHECK(result.holds == holds);
  CHECK(result.expected == expected);
  CHECK(result.actual == actual);
}

TEST_CASE("CheckInvariants: all seven, in kInvariantNames order, all hold on a healthy run") {
  std::vector<InvariantResult> results = CheckInvariants(Healthy().Build());
  REQUIRE(results.size() == 7);
  for (size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i].name == kInvariantNames[i]);
    CHECK_MESSAGE(results[i].holds, results[i].name << ": " << results[i].detail);
    CHECK(results[i].detail.empty());
  }
}

// --- StuckOrders ---

TEST_CASE("StuckOrders: unique, in placement order, unknown ids last by name") {
  FinalState state = FinalStateBuilder()
                         .AddOrder("o10", "CREATED", {{1, 1}}, 100)
                         .AddOrder("o2", "CREATED", {{1, 1}}, 100)
                         .AddDlq("stock-consumer-group", "order-created", "zz")
                         .AddDlq("stock-consumer-group", "order-created", "o2")
                         .AddDlq("payment-consumer-group", "stock-frozen", "o2")
                         .AddDlq("stock-consumer-group", "order-created", "o10")
                         .AddDlq("stock-consumer-group", "order-created", "aa")
                         .AddDlq("stock-consumer-group", "order-created", "")  // poison, keyless
                         .Build();
  CHECK(StuckOrders(state) == std::vector<std::string>{"o10", "o2", "aa", "zz"});
  CHECK(StuckOrders(Healthy().Build()).empty());
}

// --- stock-conserved ---

TEST_CASE("invariant stock-conserved: holds when a restock is counted in available") {
  FinalState state = FinalStateBuilder().AddProduct(1, 10, 12, 1, 2).Restocked(5).Build();
  CHECK(Invariant(state, "stock-conserved").holds);
}

TEST_CASE("invariant stock-conserved: violated when stock is sold twice") {
  FinalState state = FinalStateBuilder().AddProduct(1, 10, 7, 1, 3).Restocked(0).Build();
  InvariantResult result = Invariant(state, "stock-conserved");
  CHECK_FALSE(result.holds);
  CHECK(result.detail ==
        "product 1: available 7 + frozen 1 + sold 3 = 11, initial 10 + restocked 0 = 10");
}

// --- stock-non-negative ---

TEST_CASE("invariant stock-non-negative: holds when everything stayed at or above 0") {
  FinalState state = FinalStateBuilder().AddProduct(1, 2, 0, 0, 2).SetMinimums(0, 0, 0).Build();
  CHECK(Invariant(state, "stock-non-negative").holds);
}

TEST_CASE("invariant stock-non-negative: violated when a value dipped below 0 and came back") {
  FinalState state = FinalStateBuilder().AddProduct(1, 2, 0, 0, 2).SetMinimums(-1, 0, 0).Build();
  InvariantResult result = Invariant(state, "stock-non-negative");
  CHECK_FALSE(result.holds);
  CHECK(result.detail == "product 1: available went down to -1");
}

TEST_CASE("invariant stock-non-negative: violated when a value ends below 0") {
  // Minimums left at 0, as if the service never tracked them: the end value still counts.
  FinalState state = FinalStateBuilder().AddProduct(7, 2, 3, -1, -2).SetMinimums(0, 0, 0).Build();
  InvariantResult result = Invariant(state, "stock-non-negative");
  CHECK_FALSE(result.holds);
  CHECK(result.detail == "product 7: frozen went down to -1, sold went down to -2");
}

// --- orders-settled ---

TEST_CASE("invariant orders-settled: holds when the only unsettled order is stuck") {
  FinalState state = Healthy()
                         .AddOrder("o4", "CREATED", {{1, 1}}, 1990)
                         .AddDlq("stock-consumer-group", "order-created", "o4")
                         .Build();
  CHECK(Invariant(state, "orders-settled").holds);
}

TEST_CASE("invariant orders-settled: violated when an order is left CREATED") {
  FinalState state = Healthy().AddOrder("o4", "CREATED", {{1, 1}}, 1990).Build();
  InvariantResult result = Invariant(state, "orders-settled");
  CHECK_FALSE(result.holds);
  CHECK(result.detail == "o4 CREATED");
}

TEST_CASE("invariant orders-settled: violated with many orders lists five, says until") {
  FinalStateBuilder b;
  for (int i = 1; i <= 8; ++i) b.AddOrder("g" + std::to_string(i), "CREATED", {{1, 1}}, 100);
  b.HitUntil(90000);
  InvariantResult result = Invariant(b.Build(), "orders-settled");
  CHECK_FALSE(result.holds);
  CHECK(result.detail ==
        "g1 CREATED; g2 CREATED; g3 CREATED; g4 CREATED; g5 CREATED … and 3 more "
        "(run cut off by until at 1m30s)");
}

// --- paid-charged-once ---

TEST_CASE("invariant paid-charged-once: holds with one SUCCESS beside a FAILED attempt") {
  FinalState state = Healthy().AddPayment("o1", "FAILED", 3980).Build();
  CHECK(Invariant(state, "paid-charged-once").holds);
}

TEST_CASE("invariant paid-charged-once: violated when charged zero, twice, or the wrong amount") {
  struct Case {
    const char* name;
    FinalStateBuilder builder;
    const char* detail;
  };
  FinalStateBuilder base = FinalStateBuilder().AddOrder("o3", "PAID", {{1, 1}}, 1990);
  std::vector<Case> cases = {
      {"no payment", base, "o3: no SUCCESS payment"},
      {"only FAILED", FinalStateBuilder(base).AddPayment("o3", "FAILED", 1990),
       "o3: no SUCCESS payment"},
      {"twice",
       FinalStateBuilder(base).AddPayment("o3", "SUCCESS", 1990).AddPayment("o3", "SUCCESS", 1990),
       "o3: 2 SUCCESS payments"},
      {"wrong amount", FinalStateBuilder(base).AddPayment("o3", "SUCCESS", 1000),
       "o3: paid 10.00, total 19.90"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    InvariantResult result = Invariant(c.builder.Build(), "paid-charged-once");
    CHECK_FALSE(result.holds);
    CHECK(result.detail == c.detail);
  }
}

// --- cancelled-not-charged ---

TEST_CASE("invariant cancelled-not-charged: holds when the charge was refunded or failed") {
  FinalState state = Healthy()
                         .AddOrder("o4", "CANCELLED", {{1, 1}}, 1990)
                         .AddPayment("o4", "REFUNDED", 1990)
                         .AddOrder("o5", "CANCELLED", {{1, 1}}, 1990)
                         .AddPayment("o5", "FAILED", 1990)
                         .Build();
  CHECK(Invariant(state, "cancelled-not-charged").holds);
}

TEST_CASE("invariant cancelled-not-charged: violated when a cancelled order kept a charge") {
  FinalState state = Healthy()
                         .AddPayment("o3", "SUCCESS", 6000)
                         .AddOrder("o4", "CANCELLED", {{1, 1}}, 1990)
                         .AddPayment("o4", "SUCCESS", 1990)
                         .AddPayment("o4", "SUCCESS", 1990)
                         .Build();
  InvariantResult result = Invariant(state, "cancelled-not-charged");
  CHECK_FALSE(result.holds);
  CHECK(result.detail ==
        "o3: CANCELLED with a SUCCESS payment of 60.00; o4: CANCELLED with 2 SUCCESS payments, "
        "39.80");
}

// --- sold-matches-paid ---

TEST_CASE("invariant sold-matches-paid: holds when the frozen stock belongs to stuck orders") {
  FinalState state = Healthy()
                         .AddOrder("o4", "CREATED", {{2, 2}}, 4000)
                         .AddReservation("o4", 2, 2, "FROZEN")
                         .AddDlq("payment-consumer-group", "stock-frozen", "o4")
                         .Build();
  state.products[1].available = 3;
  state.products[1].frozen = 2;
  CHECK(Invariant(state, "sold-matches-paid").holds);
}

TEST_CASE("invariant sold-matches-paid: violated when stock is frozen for nobody and not sold") {
  // Seed-profile shape: o1 paid while its freeze never became a deduction.
  FinalState state = FinalStateBuilder()
                         .AddProduct(1, 10, 8, 2, 0)
                         .AddOrder("o1", "PAID", {{1, 2}}, 3980)
                         .AddPayment("o1", "SUCCESS", 3980)
                         .AddReservation("o1", 1, 2, "FROZEN")
                         .Build();
  InvariantResult result = Invariant(state, "sold-matches-paid");
  CHECK_FALSE(result.holds);
  CHECK(result.detail == "product 1: sold 0, PAID orders hold 2; frozen 2, stuck orders hold 0");
}

TEST_CASE("invariant sold-matches-paid: violated when a paid product has no stock record") {
  FinalState state = FinalStateBuilder().AddOrder("o1", "PAID", {{9, 1}}, 100).Build();
  InvariantResult result = Invariant(state, "sold-matches-paid");
  CHECK_FALSE(result.holds);
  CHECK(result.detail == "product 9: sold 0, PAID orders hold 1");
}

// --- broker-no-loss ---

TEST_CASE("invariant broker-no-loss: holds when nothing is left unacked") {
  CHECK(Invariant(Healthy().AddDlq("g", "t", "o1").Build(), "broker-no-loss").holds);
}

TEST_CASE("invariant broker-no-loss: violated when a group never acked a message") {
  FinalState state =
      Healthy()
          .AddUnacked("stock-consumer-group", "order-created", 1, 3, "o4")
          .AddUnacked("payment-consumer-group", "%RETRY%payment-consumer-group", 0, 0, "")
          .Build();
  InvariantResult result = Invariant(state, "broker-no-loss");
  CHECK_FALSE(result.holds);
  CHECK(result.detail ==
        "stock-consumer-group never acked order-created q1 offset 3 (o4); "
        "payment-consumer-group never acked %RETRY%payment-consumer-group q0 offset 0");
}

// --- Expectations ---

std::vector<std::string> Whats(const std::vector<ExpectationResult>& results) {
  std::vector<std::string> whats;
  for (const ExpectationResult& result : results) whats.push_back(result.what);
  return whats;
}

TEST_CASE("CheckExpectations: documented order, ids in placement order, invariants last") {
  FinalState state = FinalStateBuilder()
                         .AddProduct(1, 10, 10, 0, 0)
                         .AddOrder("o2", "CREATED", {{1, 1}}, 100)
                         .AddOrder("o10", "CREATED", {{1, 1}}, 100)
                         .Build();
  Expectations expect;
  expect.orders = {{"o10", "PAID"}, {"o2", "PAID"}};
  expect.order_counts = {{"PAID", 1}};
  expect.payments = {{"o10", "NONE"}, {"o2", "NONE"}};
  expect.payment_counts = {{"SUCCESS", 0}};
  expect.stock = {{1, {.available = 10, .frozen = std::nullopt, .sold = 0}}};
  expect.dlq = {{"stock-consumer-group", 0}};
  expect.deliveries = {{.group = "g", .topic = "t", .order = "o2", .count = 1, .calls = 3}};
  expect.stuck = std::vector<std::string>{};
  std::vector<ExpectationResult> results = CheckExpectations(expect, state, CheckInvariants(state));
  CHECK(Whats(results) == std::vector<std::string>{
                              "orders.o2", "orders.o10", "orderCounts.PAID", "payments.o2",
                              "payments.o10", "paymentCounts.SUCCESS", "stock.1.available",
                              "stock.1.sold", "dlq.stock-consumer-group", "deliveries g t o2 count",
                              "deliveries g t o2 calls", "stuck", "invariants"});
}

TEST_CASE("CheckExpectations: no expectations still checks the invariants") {
  FinalState state = Healthy().Build();
  std::vector<ExpectationResult> results =
      CheckExpectations(Expectations(), state, CheckInvariants(state));
  REQUIRE(results.size() == 1);
  CheckResult(results[0], true, "all hold", "all hold");
  CHECK(results[0].what == "invariants");
}

TEST_CASE("expectation orders: status, wrong status, unknown order") {
  Expectations expect;
  expect.orders = {{"o1", "PAID"}, {"o3", "PAID"}, {"o9", "CANCELLED"}};
  FinalState state = Healthy().Build();
  CheckResult(Expectation(expect, state, "orders.o1"), true, "PAID", "PAID");
  CheckResult(Expectation(expect, state, "orders.o3"), false, "PAID", "CANCELLED");
  CheckResult(Expectation(expect, state, "orders.o9"), false, "CANCELLED", "no such order");
}

TEST_CASE("expectation orderCounts: counts per status, 0 for a status no order has") {
  Expectations expect;
  expect.order_counts = {{"PAID", 2}, {"CANCELLED", 3}, {"CREATED", 0}};
  FinalState state = Healthy().Build();
  CheckResult(Expectation(expect, state, "orderCounts.PAID"), true, "2", "2");
  CheckResult(Expectation(expect, state, "orderCounts.CANCELLED"), false, "3", "1");
  CheckResult(Expectation(expect, state, "orderCounts.CREATED"), true, "0", "0");
}

TEST_CASE("expectation payments: NONE, one payment, several payments") {
  FinalState state = Healthy()
                         .AddOrder("o4", "CANCELLED", {{1, 1}}, 1990)
                         .AddPayment("o4", "SUCCESS", 1990)
                         .AddPayment("o4", "REFUNDED", 1990)
                         .Build();
  struct Case {
    const char* order;
    const char* expected;
    bool holds;
    const char* actual;
  };
  const Case cases[] = {
      {"o1", "SUCCESS", true, "SUCCESS"},
      {"o1", "REFUNDED", false, "SUCCESS"},
      {"o3", "NONE", true, "NONE"},
      {"o3", "FAILED", false, "NONE"},
      {"o9", "NONE", true, "NONE"},
      {"o4", "REFUNDED", false, "2 payments: SUCCESS, REFUNDED"},
      {"o4", "SUCCESS", false, "2 payments: SUCCESS, REFUNDED"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.order);
    CAPTURE(c.expected);
    Expectations expect;
    expect.payments = {{c.order, c.expected}};
    CheckResult(Expectation(expect, state, std::string("payments.") + c.order), c.holds, c.expected,
                c.actual);
  }
}

TEST_CASE("expectation paymentCounts: counts per status") {
  Expectations expect;
  expect.payment_counts = {{"SUCCESS", 2}, {"REFUNDED", 1}};
  FinalState state = Healthy().Build();
  CheckResult(Expectation(expect, state, "paymentCounts.SUCCESS"), true, "2", "2");
  CheckResult(Expectation(expect, state, "paymentCounts.REFUNDED"), false, "1", "0");
}

TEST_CASE("expectation stock: only the given fields, unknown product") {
  Expectations expect;
  expect.stock = {{1, {.available = 7, .frozen = 1, .sold = std::nullopt}},
                  {5, {.available = std::nullopt, .frozen = std::nullopt, .sold = 0}}};
  FinalState state = Healthy().Build();
  std::vector<ExpectationResult> results = CheckExpectations(expect, state, CheckInvariants(state));
  CHECK(Whats(results) == std::vector<std::string>{"stock.1.available", "stock.1.frozen",
                                                   "stock.5.sold", "invariants"});
  CheckResult(results[0], true, "7", "7");
  CheckResult(results[1], false, "1", "0");
  CheckResult(results[2], false, "0", "no such product");
}

TEST_CASE("expectation dlq: messages per group") {
  Expectations expect;
  expect.dlq = {{"stock-consumer-group", 2}, {"payment-consumer-group", 0}};
  FinalState state = Healthy()
                         .AddDlq("stock-consumer-group", "order-created", "o1")
                         .AddDlq("order-consumer-group", "payment-success", "o1")
                         .Build();
  CheckResult(Expectation(expect, state, "dlq.stock-consumer-group"), false, "2", "1");
  CheckResult(Expectation(expect, state, "dlq.payment-consumer-group"), true, "0", "0");
}

TEST_CASE("expectation deliveries: count and calls, a key never seen counts 0") {
  Expectations expect;
  expect.deliveries = {
      {.group = "stock-consumer-group",
       .topic = "order-created",
       .order = "o1",
       .count = 2,
       .calls = 6},
      {.group = "stock-consumer-group",
       .topic = "order-created",
       .order = "o2",
       .count = 1,
       .calls = std::nullopt},
  };
  FinalState state =
      Healthy().SetDeliveries("stock-consumer-group", "order-created", "o1", 2, 5).Build();
  std::vector<ExpectationResult> results = CheckExpectations(expect, state, CheckInvariants(state));
  REQUIRE(results.size() == 4);
  CHECK(results[0].what == "deliveries stock-consumer-group order-created o1 count");
  CheckResult(results[0], true, "2", "2");
  CHECK(results[1].what == "deliveries stock-consumer-group order-created o1 calls");
  CheckResult(results[1], false, "6", "5");
  CHECK(results[2].what == "deliveries stock-consumer-group order-created o2 count");
  CheckResult(results[2], false, "1", "0");
}

TEST_CASE("expectation stuck: same set in any order holds, otherwise expected vs actual") {
  FinalState state = Healthy()
                         .AddOrder("o4", "CREATED", {{1, 1}}, 1990)
                         .AddOrder("o5", "CREATED", {{1, 1}}, 1990)
                         .AddDlq("stock-consumer-group", "order-created", "o5")
                         .AddDlq("payment-consumer-group", "stock-frozen", "o4")
                         .Build();
  struct Case {
    std::vector<std::string> expected_ids;
    bool holds;
    const char* expected;
  };
  const Case cases[] = {
      {{"o5", "o4"}, true, "o4, o5"},
      {{"o4"}, false, "o4"},
      {{"o4", "o5", "o7"}, false, "o4, o5, o7"},
      {{}, false, "none"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expected);
    Expectations expect;
    expect.stuck = c.expected_ids;
    CheckResult(Expectation(expect, state, "stuck"), c.holds, c.expected, "o4, o5");
  }
  Expectations none;
  none.stuck = std::vector<std::string>{};
  CheckResult(Expectation(none, Healthy().Build(), "stuck"), true, "none", "none");
}

std::vector<InvariantResult> Violating(const std::vector<std::string>& names) {
  std::vector<InvariantResult> results;
  for (const char* name : kInvariantNames) {
    bool violated = std::find(names.begin(), names.end(), name) != names.end();
    results.push_back({name, !violated, violated ? "something" : ""});
  }
  return results;
}

TEST_CASE("expectation invariants: exactly the expected set must be violated") {
  struct Case {
    const char* name;
    std::vector<std::string> expected_violated;
    std::vector<std::string> violated;
    bool holds;
    const char* expected;
    const char* actual;
  };
  const Case cases[] = {
      {"all hold as expected", {}, {}, true, "all hold", "all hold"},
      {"violations where none expected",
       {},
       {"broker-no-loss", "stock-conserved"},
       false,
       "all hold",
       "violated: stock-conserved, broker-no-loss"},
      {"same set, any order",
       {"sold-matches-paid", "orders-settled"},
       {"orders-settled", "sold-matches-paid"},
       true,
       "violated: orders-settled, sold-matches-paid",
       "violated: orders-settled, sold-matches-paid"},
      {"an extra violation",
       {"orders-settled"},
       {"orders-settled", "paid-charged-once"},
       false,
       "violated: orders-settled",
       "violated: orders-settled, paid-charged-once"},
      {"a missing violation",
       {"orders-settled", "paid-charged-once"},
       {"paid-charged-once"},
       false,
       "violated: orders-settled, paid-charged-once",
       "violated: paid-charged-once"},
      {"expected violations, none happened",
       {"broker-no-loss"},
       {},
       false,
       "violated: broker-no-loss",
       "none violated"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Expectations expect;
    expect.violated_invariants = c.expected_violated;
    std::vector<ExpectationResult> results =
        CheckExpectations(expect, Healthy().Build(), Violating(c.violated));
    REQUIRE(results.size() == 1);
    CHECK(results[0].what == "invariants");
    CheckResult(results[0], c.holds, c.expected, c.actual);
  }
}

}  // namespace
}  // namespace scenario

TEST_CASE("invariant sold-matches-paid: holds for a PAID order whose deduction sits in a DLQ") {
  // Stock's PaymentSuccessEvent for o1 was dead-lettered: o1 is PAID, its unit still
  // frozen, and o1 is stuck; the stuck exception covers it.
  scenario::FinalState state = testing::FinalStateBuilder()
                                   .AddProduct(1, 5, 4, 1, 0)
                                   .AddOrder("o1", "PAID", {{1, 1}}, 100)
                                   .AddPayment("o1", "SUCCESS", 100)
                                   .AddReservation("o1", 1, 1, "FROZEN")
                                   .AddDlq("stock-consumer-group", "payment-success", "o1")
                                   .Build();
  auto results = scenario::CheckInvariants(state);
  for (const auto& r : results) CHECK_MESSAGE(r.holds, r.name << ": " << r.detail);
}

TEST_CASE("invariant sold-matches-paid: a PAID order not stuck must have its quantity sold") {
  scenario::FinalState state = testing::FinalStateBuilder()
                                   .AddProduct(1, 5, 4, 1, 0)
                                   .AddOrder("o1", "PAID", {{1, 1}}, 100)
                                   .AddPayment("o1", "SUCCESS", 100)
                                   .AddReservation("o1", 1, 1, "FROZEN")
                                   .Build();
  auto results = scenario::CheckInvariants(state);
  bool violated = false;
  for (const auto& r : results) violated = violated || (r.name == "sold-matches-paid" && !r.holds);
  CHECK(violated);
}
