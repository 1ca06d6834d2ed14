#include "scenario/placements.h"

#include <algorithm>

#include "base/check.h"

namespace scenario {

Placements::Placements(const Scenario& scenario, uint64_t seed)
    : scenario_(scenario), prng_(seed, sim::kStreamOrders), generated_taken_(scenario.generated.size(), 0) {
  for (const SingleOrder& o : scenario.orders) singles_.push_back(&o);
  std::stable_sort(singles_.begin(), singles_.end(),
                   [](const SingleOrder* a, const SingleOrder* b) { return a->at_ms < b->at_ms; });
}

// Source 0 is the single orders, source i+1 generated block i; ties go to the lower.
int Placements::NextSource() const {
  int best = -1;
  int64_t best_t = 0;
  if (next_single_ < singles_.size()) {
    best = 0;
    best_t = singles_[next_single_]->at_ms;
  }
  for (size_t i = 0; i < scenario_.generated.size(); ++i) {
    const GeneratedOrders& g = scenario_.generated[i];
    if (generated_taken_[i] >= g.count) continue;
    int64_t t = g.start_ms + generated_taken_[i] * g.every_ms;
    if (best < 0 || t < best_t) {
      best = static_cast<int>(i) + 1;
      best_t = t;
    }
  }
  return best;
}

std::optional<int64_t> Placements::NextTime() const {
  int source = NextSource();
  if (source < 0) return std::nullopt;
  if (source == 0) return singles_[next_single_]->at_ms;
  const GeneratedOrders& g = scenario_.generated[source - 1];
  return g.start_ms + generated_taken_[source - 1] * g.every_ms;
}

services::PlaceRequest Placements::Take() {
  int source = NextSource();
  SAGASIM_CHECK(source >= 0);
  services::PlaceRequest r;
  if (source == 0) {
    const SingleOrder* o = singles_[next_single_++];
    r.order_no = o->id;
    r.user_id = o->user;
    r.items = o->items;
    r.remark = o->remark;
    return r;
  }
  const GeneratedOrders& g = scenario_.generated[source - 1];
  int64_t n = ++generated_taken_[source - 1];
  r.order_no = g.id_prefix + std::to_string(n);
  r.user_id = prng_.Between(g.user_min, g.user_max);
  for (const auto& [product, range] : g.items) {
    int64_t q = prng_.Between(range.first, range.second);
    if (q > 0) r.items[product] = q;
  }
  if (r.items.empty()) r.items[scenario_.catalog.front().id] = 1;
  return r;
}

}  // namespace scenario
