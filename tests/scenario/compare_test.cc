// sagasim compare's logic: option sets, the alignment of two traces along their cause
// links, and a real comparison of the reference design against the hardened one.

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "scenario/compare.h"
#include "scenario/scenario_json.h"

namespace {

using K = sim::EventKind;

sim::Event Ev(int64_t seq, int64_t cause, K kind, const std::string& group = "", const std::string& detail = "",
              int64_t t = 0) {
  sim::Event e = sim::Event::Make(kind, t, cause);
  e.seq = seq;
  e.order = "o1";
  e.group = group;
  e.detail = detail;
  return e;
}

// place -> publish -> deliver(g) -> call -> state(detail) -> ack
std::vector<sim::Event> Chain(const std::string& state, int64_t t = 0) {
  return {Ev(1, 0, K::kPlace, "", "", t),        Ev(2, 1, K::kPublish, "", "outbox relay", t),
          Ev(3, 2, K::kDeliver, "g", "", t),     Ev(4, 3, K::kCall, "g", "", t),
          Ev(5, 4, K::kState, "g", state, t),    Ev(6, 4, K::kAck, "g", "", t)};
}

TEST_CASE("compare: a per-binding group is the per-service group it is named after") {
  // Seed (stock-consumer-group) against hardened (one group per binding): the same
  // delivery, or every comparison of the two profiles would part at the first one.
  auto a = Chain("froze 1x product 1");
  auto b = Chain("froze 1x product 1");
  for (auto& e : a)
    if (!e.group.empty()) e.group = "stock-consumer-group";
  for (auto& e : b)
    if (!e.group.empty()) e.group = "stock-consumer-group-orderCreatedConsumer-in-0";
  auto al = scenario::AlignTraces(a, b);
  CHECK_FALSE(al.first_unmatched_a);
  CHECK_FALSE(al.first_unmatched_b);
  for (auto& e : b)
    if (!e.group.empty()) e.group = "payment-consumer-group-orderCreatedConsumer-in-0";
  CHECK(scenario::AlignTraces(a, b).first_unmatched_a == size_t{2});  // another group is another delivery
}

TEST_CASE("compare: identical traces match whatever their times and mechanism details") {
  auto a = Chain("froze 1x product 1");
  auto b = Chain("froze 1x product 1", 500);
  b[1].detail = "async send";  // how it was sent is not what happened
  auto al = scenario::AlignTraces(a, b);
  CHECK_FALSE(al.first_unmatched_a);
  CHECK_FALSE(al.first_unmatched_b);
  CHECK(al.matched == 6);
}

TEST_CASE("compare: a different state change is where the runs part, and its consequences follow") {
  auto a = Chain("froze 1x product 1");
  auto b = Chain("cannot freeze: out of stock");
  auto al = scenario::AlignTraces(a, b);
  REQUIRE(al.first_unmatched_a);
  REQUIRE(al.first_unmatched_b);
  CHECK(*al.first_unmatched_a == 4);
  CHECK(*al.first_unmatched_b == 4);
  CHECK(al.matched == 5);  // the ack is caused by the call, which both share
  auto chain = scenario::CauseChain(a, *al.first_unmatched_a);
  REQUIRE(chain.size() == 5);
  CHECK(chain.front().kind == K::kPlace);
  CHECK(chain.back().detail == "froze 1x product 1");
}

TEST_CASE("compare: an extra copy is unmatched, even though it looks like the first one") {
  auto a = Chain("x");
  auto b = Chain("x");
  // b: the same delivery arrives a second time, for the same reason.
  b.push_back(Ev(7, 2, K::kDeliver, "g"));
  auto al = scenario::AlignTraces(a, b);
  CHECK_FALSE(al.first_unmatched_a);
  REQUIRE(al.first_unmatched_b);
  CHECK(b[*al.first_unmatched_b].seq == 7);
}

TEST_CASE("compare: the same event for a different reason is not a counterpart") {
  auto a = Chain("x");
  auto b = Chain("x");
  b[2].group = "other";  // delivered to another group: everything after it differs
  auto al = scenario::AlignTraces(a, b);
  REQUIRE(al.first_unmatched_a);
  CHECK(*al.first_unmatched_a == 2);
  CHECK(al.matched == 2);
}

TEST_CASE("compare: option sets") {
  auto seed = scenario::ParseCompareSide("seed");
  REQUIRE(seed.ok());
  CHECK(seed.value().profile == scenario::Profile::kSeed);
  auto mixed = scenario::ParseCompareSide("seed,idempotency=transactional,publish=outbox");
  REQUIRE(mixed.ok());
  CHECK(mixed.value().profile == scenario::Profile::kSeed);
  CHECK(mixed.value().overrides.idempotency == scenario::Idempotency::kTransactional);
  CHECK(mixed.value().overrides.publish == scenario::Publish::kOutbox);
  auto plain = scenario::ParseCompareSide("freeze=per-item");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain.value().profile);
  CHECK(plain.value().overrides.freeze == scenario::Freeze::kPerItem);

  auto bad_key = scenario::ParseCompareSide("seed,idempotence=none");
  REQUIRE_FALSE(bad_key.ok());
  CHECK(bad_key.status().message().find("unknown option \"idempotence\"") != std::string::npos);
  auto bad_value = scenario::ParseCompareSide("publish=later");
  REQUIRE_FALSE(bad_value.ok());
  CHECK(bad_value.status().message().find("\"later\" is not a value of publish") != std::string::npos);
  CHECK_FALSE(scenario::ParseCompareSide("hardened,seed").ok());
  CHECK_FALSE(scenario::ParseCompareSide("").ok());
}

TEST_CASE("compare: the reference design charges a duplicate twice, the hardened one does not") {
  auto sc = scenario::LoadScenarioFile(std::string(SAGASIM_SOURCE_DIR) + "/scenarios/seed-duplicate-charges-twice.json");
  REQUIRE(sc.ok());
  auto cmp = scenario::CompareScenario(sc.value(), scenario::ParseCompareSide("seed").value(),
                                       scenario::ParseCompareSide("hardened").value(), std::nullopt);
  REQUIRE_MESSAGE(cmp.ok(), cmp.status().ToString());
  auto broken_seed = scenario::BrokenInvariants(cmp.value().a.result);
  CHECK(broken_seed == std::vector<std::string>{"paid-charged-once", "sold-matches-paid"});
  CHECK(scenario::BrokenInvariants(cmp.value().b.result).empty());
  CHECK(cmp.value().a.result.profile == scenario::Profile::kSeed);
  CHECK(cmp.value().b.result.profile == scenario::Profile::kHardened);
  // Both runs start the same way (o1 placed and published), then part.
  const auto& al = cmp.value().alignment;
  CHECK(al.matched >= 2);
  REQUIRE(al.first_unmatched_a);
  REQUIRE(al.first_unmatched_b);
  CHECK(*al.first_unmatched_a > 0);
  // Same seed, same scenario: a comparison is reproducible.
  auto again = scenario::CompareScenario(sc.value(), scenario::ParseCompareSide("seed").value(),
                                         scenario::ParseCompareSide("hardened").value(), std::nullopt);
  REQUIRE(again.ok());
  CHECK(again.value().alignment.first_unmatched_a == al.first_unmatched_a);
  CHECK(again.value().alignment.matched == al.matched);
}

}  // namespace
