#include "bench/bench_scenario.h"

#include "broker/broker.h"

namespace bench {

scenario::Scenario BenchScenario(int64_t orders, Load load, scenario::Mode mode) {
  scenario::Scenario sc;
  sc.file = "(bench)";
  sc.name = "bench";
  sc.description = "hardened happy path, generated orders, ample stock";
  sc.mode = mode;
  sc.profile = scenario::Profile::kHardened;
  sc.options = services::Options::ForProfile(services::Profile::kHardened);
  // At most 2 of each product per order: stock for every order, so none is short.
  for (int p = 1; p <= kBenchProducts; ++p)
    sc.catalog.push_back({p, 2 * orders + 10, 100 * (p + 1) + 99, "product-" + std::to_string(p)});
  scenario::GeneratedOrders g;
  g.count = orders;
  g.id_prefix = "g";
  g.user_min = 1;
  g.user_max = 1000;
  // Product 1 always, two more at random: orders of one to three items.
  g.items[1] = {1, 2};
  g.items[3] = {0, 1};
  g.items[6] = {0, 2};
  g.every_ms = load == Load::kBurst ? 0 : kPacedEveryMs;
  sc.generated.push_back(g);
  sc.expect.order_counts["PAID"] = orders;
  sc.expect.payment_counts["SUCCESS"] = orders;
  return sc;
}

}  // namespace bench
