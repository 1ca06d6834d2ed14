// libFuzzer target: arbitrary bytes into scenario::ParseScenario, the scenario loader.
//
// Any result is fine; the loader must never crash, hang or exhaust memory (ASan, UBSan
// and libFuzzer's -timeout / -rss_limit_mb catch those). When a file loads, the
// promises scenario.h makes about a loaded scenario are checked, and a broken one
// traps, so the fuzzer reports it with the input that produced it.
//
// Built only by cmake/fuzz.cmake (SAGASIM_FUZZ=ON, clang). tests/*.cc is also globbed
// into sagasim_tests, hence the guard: there this file compiles to nothing.

#if defined(SAGASIM_FUZZ_TARGET)

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "base/duration.h"
#include "scenario/scenario.h"
#include "scenario/scenario_json.h"

namespace {

using scenario::Scenario;

// Mirrors the loader's limits (scenario_loader.h, docs/scenario-format.md).
constexpr int64_t kMaxOrders = 10'000'000;
constexpr int64_t kMaxUnits = 1'000'000'000;
constexpr size_t kMaxSteps = 100'000;
constexpr size_t kMaxFaults = 100'000;
constexpr size_t kMaxProducts = 100'000;

void Require(bool promise) {
  if (!promise) __builtin_trap();
}

bool IsDuration(int64_t ms) { return ms >= 0 && ms <= base::kMaxDurationMs; }

bool SameOptions(const scenario::Options& a, const scenario::Options& b) {
  return a.idempotency == b.idempotency && a.publish == b.publish && a.stock_deduct == b.stock_deduct &&
         a.freeze == b.freeze && a.cancellation == b.cancellation && a.compensation_job == b.compensation_job;
}

// Quantities (> 0) of products that are all in the catalog, their total in range.
void CheckItems(const scenario::Items& items, const std::set<int64_t>& catalog) {
  Require(!items.empty());
  for (const auto& [product, quantity] : items) {
    Require(catalog.count(product) == 1);
    Require(quantity > 0 && quantity <= kMaxUnits);
  }
}

void CheckScenario(const Scenario& s) {
  Require(!s.name.empty());
  // Options: the profile's preset with the file's overrides applied.
  Require(SameOptions(s.options, s.overrides.ApplyTo(scenario::Options::ForProfile(s.profile))));

  Require(s.broker.queues_per_topic >= 1 && s.broker.queues_per_topic <= 64);
  Require(!s.broker.delay_levels_ms.empty());
  for (int64_t level : s.broker.delay_levels_ms) Require(level > 0 && level <= base::kMaxDurationMs);
  Require(s.broker.offset_persist_interval_ms > 0);
  Require(s.broker.max_message_size > 0);

  for (const auto& [key, c] : s.bindings.consumers) {
    Require(c.max_attempts >= 1);
    Require(c.back_off_multiplier >= 1.0);
    Require(IsDuration(c.back_off_initial_ms) && IsDuration(c.back_off_max_ms));
    Require(!c.max_reconsume_times || *c.max_reconsume_times >= 0);
    Require(c.concurrency >= 1 && c.concurrency <= 64);
    Require(c.suspend_current_queue_time_ms >= 10 && c.suspend_current_queue_time_ms <= 30000);
    Require(c.batch_size >= 1 && c.batch_size <= 1024);
  }
  for (const auto& [key, p] : s.bindings.producers) Require(!p.group || !p.group->empty());

  // Catalog: non-empty, unique positive ids, stock in range, prices non-negative.
  Require(!s.catalog.empty() && s.catalog.size() <= kMaxProducts);
  std::set<int64_t> catalog;
  for (const scenario::Product& p : s.catalog) {
    Require(p.id > 0);
    Require(catalog.insert(p.id).second);
    Require(p.stock >= 0 && p.stock <= kMaxUnits);
    Require(p.price >= 0);
  }

  // Orders: non-empty unique ids, items in the catalog, at most ten million in all.
  std::set<std::string> ids;
  int64_t total = 0;
  for (const scenario::SingleOrder& o : s.orders) {
    Require(!o.id.empty());
    Require(ids.insert(o.id).second);
    Require(o.user >= 1);
    Require(IsDuration(o.at_ms));
    CheckItems(o.items, catalog);
    // The order total fits in 64-bit cents.
    int64_t sum = 0;
    for (const auto& [product, quantity] : o.items) {
      int64_t price = 0;
      for (const scenario::Product& p : s.catalog)
        if (p.id == product) price = p.price;
      int64_t line = 0;
      Require(!__builtin_mul_overflow(quantity, price, &line) && !__builtin_add_overflow(sum, line, &sum));
    }
    ++total;
  }
  std::set<std::string> prefixes;
  for (const scenario::GeneratedOrders& g : s.generated) {
    Require(g.count >= 1 && g.count <= kMaxOrders);
    Require(prefixes.insert(g.id_prefix).second);
    Require(g.user_min >= 1 && g.user_min <= g.user_max);
    for (const auto& [product, range] : g.items) {
      Require(catalog.count(product) == 1);
      Require(range.first >= 0 && range.first <= range.second && range.second <= kMaxUnits);
    }
    Require(IsDuration(g.start_ms) && IsDuration(g.every_ms));
    Require(g.start_ms + g.every_ms * (g.count - 1) <= base::kMaxDurationMs);
    total += g.count;
  }
  Require(total <= kMaxOrders);

  // Steps: exactly one action each, restocks of catalog products, positions in order.
  Require(s.steps.size() <= kMaxSteps);
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const scenario::Step& step = s.steps[i];
    Require(step.index == static_cast<int>(i));
    Require(IsDuration(step.at_ms));
    int actions = step.restock.has_value() + step.redrive_dlq.has_value() + step.reset_offset.has_value();
    Require(actions == 1);
    if (step.restock) CheckItems(*step.restock, catalog);
    if (step.reset_offset && step.reset_offset->to_ms) Require(IsDuration(*step.reset_offset->to_ms));
  }

  Require(s.faults.size() <= kMaxFaults);
  for (size_t i = 0; i < s.faults.size(); ++i) {
    const scenario::Fault& f = s.faults[i];
    Require(f.index == static_cast<int>(i));
    Require(f.probability >= 0.0 && f.probability <= 1.0);
    Require(!f.times || *f.times >= 1);
    Require(f.copies >= 1 && f.copies <= 1000);
    Require(!f.order || !f.order->empty());
    Require(IsDuration(f.restart_after_ms) && IsDuration(f.by_ms) && IsDuration(f.latency_ms) &&
            IsDuration(f.at_ms) && IsDuration(f.down_for_ms));
  }
  if (s.until_ms) Require(IsDuration(*s.until_ms));

  // Expectations name orders and products of this file.
  for (const auto& [product, unused] : s.expect.stock) Require(catalog.count(product) == 1);
  for (const auto& [id, unused] : s.expect.orders) Require(!id.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = scenario::ParseScenario(text, "fuzz.json");
  if (result.ok()) {
    CheckScenario(result.value());
    Require(result.value().file == "fuzz.json");
  } else {
    // Every refusal says where: the label starts the message.
    Require(result.status().message().rfind("fuzz.json", 0) == 0);
  }
  return 0;
}

#endif  // SAGASIM_FUZZ_TARGET
