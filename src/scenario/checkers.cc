#include "scenario/checkers.h"

#include "services/consumer_groups.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/money.h"

namespace scenario {
namespace {

// A report about 10,000 generated orders must stay readable: name a few offenders only.
constexpr size_t kMaxOffenders = 5;

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string ListOffenders(const std::vector<std::string>& offenders) {
  std::vector<std::string> shown(offenders.begin(),
                                 offenders.begin() + std::min(offenders.size(), kMaxOffenders));
  std::string out = Join(shown, "; ");
  if (offenders.size() > kMaxOffenders) {
    out += " … and " + std::to_string(offenders.size() - kMaxOffenders) + " more";
  }
  return out;
}

InvariantResult Verdict(const char* name, const std::vector<std::string>& offenders) {
  return {name, offenders.empty(), ListOffenders(offenders)};
}

std::string ProductLabel(int64_t id) { return "product " + std::to_string(id); }

// Sorted and unique, in the order the orders were placed (order_id), so "o2" comes
// before "o10"; ids of no known order go last, by name.
std::vector<std::string> SortByPlacement(std::vector<std::string> ids, const FinalState& state) {
  if (ids.empty()) return ids;
  std::map<std::string, int64_t> placed;
  for (const OrderRecord& order : state.orders) placed.emplace(order.order_no, order.order_id);
  auto key = [&placed](const std::string& id) {
    auto it = placed.find(id);
    bool unknown = it == placed.end();
    return std::make_tuple(unknown, unknown ? 0 : it->second, std::cref(id));
  };
  std::sort(ids.begin(), ids.end(),
            [&key](const std::string& a, const std::string& b) { return key(a) < key(b); });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// order_no -> its payments, in payment id order: the payments sorted by order, 8
// bytes each (a map of vectors cost about 120 bytes an order, a million orders at
// the end of a long run).
class PaymentIndex {
 public:
  explicit PaymentIndex(const FinalState& state) {
    sorted_.reserve(state.payments.size());
    for (const PaymentRecord& payment : state.payments) sorted_.push_back(&payment);
    // state.payments is in payment id order, which a stable sort keeps per order.
    std::stable_sort(sorted_.begin(), sorted_.end(), ByOrder);
  }
  std::vector<const PaymentRecord*> Of(const std::string& order_no) const {
    PaymentRecord key;
    key.order_no = order_no;
    auto range = std::equal_range(sorted_.begin(), sorted_.end(), &key, ByOrder);
    return {range.first, range.second};
  }

 private:
  static bool ByOrder(const PaymentRecord* a, const PaymentRecord* b) { return a->order_no < b->order_no; }
  std::vector<const PaymentRecord*> sorted_;
};

std::vector<const PaymentRecord*> SuccessfulPayments(const PaymentIndex& by_order,
                                                     const std::string& order_no) {
  std::vector<const PaymentRecord*> successes;
  for (const PaymentRecord* payment : by_order.Of(order_no)) {
    if (payment->status == "SUCCESS") successes.push_back(payment);
  }
  return successes;
}

std::set<std::string> StuckSet(const FinalState& state) {
  std::vector<std::string> stuck = StuckOrders(state);
  return {stuck.begin(), stuck.end()};
}

InvariantResult CheckStockConserved(const FinalState& state) {
  std::vector<std::string> offenders;
  for (const ProductRecord& p : state.products) {
    int64_t held = p.available + p.frozen + p.sold;
    int64_t supplied = p.initial + p.restocked;
    if (held == supplied) continue;
    offenders.push_back(ProductLabel(p.id) + ": available " + std::to_string(p.available) +
                        " + frozen " + std::to_string(p.frozen) + " + sold " +
                        std::to_string(p.sold) + " = " + std::to_string(held) + ", initial " +
                        std::to_string(p.initial) + " + restocked " + std::to_string(p.restocked) +
                        " = " + std::to_string(supplied));
  }
  return Verdict("stock-conserved", offenders);
}

InvariantResult CheckStockNonNegative(const FinalState& state) {
  std::vector<std::string> offenders;
  for (const ProductRecord& p : state.products) {
    // The current value counts too, in case a service updated it without the minimum.
    const std::pair<const char*, int64_t> lowest[] = {
        {"available", std::min(p.available, p.min_available)},
        {"frozen", std::min(p.frozen, p.min_frozen)},
        {"sold", std::min(p.sold, p.min_sold)},
    };
    std::vector<std::string> parts;
    for (const auto& [field, value] : lowest) {
      if (value < 0) parts.push_back(std::string(field) + " went down to " + std::to_string(value));
    }
    if (!parts.empty()) offenders.push_back(ProductLabel(p.id) + ": " + Join(parts, ", "));
  }
  return Verdict("stock-non-negative", offenders);
}

InvariantResult CheckOrdersSettled(const FinalState& state) {
  std::set<std::string> stuck = StuckSet(state);
  std::vector<std::string> offenders;
  for (const OrderRecord& order : state.orders) {
    if (order.status == "PAID" || order.status == "CANCELLED") continue;
    if (stuck.count(order.order_no)) continue;
    offenders.push_back(order.order_no + " " + order.status);
  }
  InvariantResult result = Verdict("orders-settled", offenders);
  // Unsettled because time ran out is a different story from a saga that got lost.
  if (!result.holds && state.hit_until) {
    result.detail += " (run cut off by until at " + base::FormatDuration(state.end_ms) + ")";
  }
  return result;
}

InvariantResult CheckPaidChargedOnce(const FinalState& state) {
  const PaymentIndex by_order(state);
  std::vector<std::string> offenders;
  for (const OrderRecord& order : state.orders) {
    if (order.status != "PAID") continue;
    std::vector<const PaymentRecord*> successes = SuccessfulPayments(by_order, order.order_no);
    if (successes.empty()) {
      offenders.push_back(order.order_no + ": no SUCCESS payment");
    } else if (successes.size() > 1) {
      offenders.push_back(order.order_no + ": " + std::to_string(successes.size()) +
                          " SUCCESS payments");
    } else if (successes[0]->amount != order.total) {
      offenders.push_back(order.order_no + ": paid " + base::FormatMoney(successes[0]->amount) +
                          ", total " + base::FormatMoney(order.total));
    }
  }
  return Verdict("paid-charged-once", offenders);
}

InvariantResult CheckCancelledNotCharged(const FinalState& state) {
  const PaymentIndex by_order(state);
  std::vector<std::string> offenders;
  for (const OrderRecord& order : state.orders) {
    if (order.status != "CANCELLED") continue;
    std::vector<const PaymentRecord*> successes = SuccessfulPayments(by_order, order.order_no);
    if (successes.empty()) continue;
    base::Cents charged = 0;
    for (const PaymentRecord* payment : successes) charged += payment->amount;
    std::string what = successes.size() == 1
                           ? "a SUCCESS payment of "
                           : std::to_string(successes.size()) + " SUCCESS payments, ";
    offenders.push_back(order.order_no + ": CANCELLED with " + what + base::FormatMoney(charged));
  }
  return Verdict("cancelled-not-charged", offenders);
}

InvariantResult CheckSoldMatchesPaid(const FinalState& state) {
  struct Tally {
    int64_t sold = 0, frozen = 0;        // what Stock says
    int64_t paid = 0, stuck_frozen = 0;  // what the orders say it should be
  };
  // Keyed by product so that a product missing from Stock but bought still shows up.
  std::map<int64_t, Tally> tallies;
  for (const ProductRecord& p : state.products) {
    tallies[p.id].sold = p.sold;
    tallies[p.id].frozen = p.frozen;
  }
  for (const OrderRecord& order : state.orders) {
    if (order.status != "PAID") continue;
    for (const auto& [product, quantity] : order.items) tallies[product].paid += quantity;
  }
  std::set<std::string> stuck = StuckSet(state);
  // Only stuck orders are asked about: the set stays small however long the run.
  std::set<std::string> paid;
  if (!stuck.empty())
    for (const OrderRecord& order : state.orders)
      if (order.status == "PAID" && stuck.count(order.order_no)) paid.insert(order.order_no);
  for (const ReservationRecord& r : state.reservations) {
    if (r.status == "FROZEN" && stuck.count(r.order_no)) {
      tallies[r.product].stuck_frozen += r.quantity;
      // A PAID order whose deduction sits in a DLQ still holds its quantity frozen,
      // not sold: the stuck exception covers it (the spec's hardened outcomes say
      // every invariant holds with stuck orders left out).
      if (paid.count(r.order_no)) tallies[r.product].paid -= r.quantity;
    }
  }
  std::vector<std::string> offenders;
  for (const auto& [product, t] : tallies) {
    std::vector<std::string> parts;
    if (t.sold != t.paid) {
      parts.push_back("sold " + std::to_string(t.sold) + ", PAID orders hold " +
                      std::to_string(t.paid));
    }
    if (t.frozen != t.stuck_frozen) {
      parts.push_back("frozen " + std::to_string(t.frozen) + ", stuck orders hold " +
                      std::to_string(t.stuck_frozen));
    }
    if (!parts.empty()) offenders.push_back(ProductLabel(product) + ": " + Join(parts, "; "));
  }
  return Verdict("sold-matches-paid", offenders);
}

InvariantResult CheckBrokerNoLoss(const FinalState& state) {
  std::vector<std::string> offenders;
  for (const UnackedRecord& u : state.unacked) {
    std::string line = u.group + " never acked " + u.topic + " q" + std::to_string(u.queue) +
                       " offset " + std::to_string(u.offset);
    if (!u.order_no.empty()) line += " (" + u.order_no + ")";
    offenders.push_back(line);
  }
  return Verdict("broker-no-loss", offenders);
}

// --- Expectations ---

ExpectationResult Compare(std::string what, std::string expected, std::string actual) {
  bool holds = expected == actual;
  return {std::move(what), holds, std::move(expected), std::move(actual)};
}

std::string PaymentStatusOf(const PaymentIndex& by_order, const std::string& order_no) {
  std::vector<const PaymentRecord*> payments = by_order.Of(order_no);
  if (payments.empty()) return "NONE";
  if (payments.size() == 1) return payments[0]->status;
  // Never equal to a single expected status, so several payments always fail the check.
  std::vector<std::string> statuses;
  for (const PaymentRecord* payment : payments) statuses.push_back(payment->status);
  return std::to_string(statuses.size()) + " payments: " + Join(statuses, ", ");
}

std::string ListOrNone(const std::vector<std::string>& ids) {
  return ids.empty() ? "none" : Join(ids, ", ");
}

// Names in kInvariantNames order; names outside it (never produced by the loader) go last.
std::vector<std::string> CanonicalInvariants(const std::vector<std::string>& names) {
  std::vector<std::string> known, unknown;
  for (const char* name : kInvariantNames) {
    if (std::find(names.begin(), names.end(), name) != names.end()) known.push_back(name);
  }
  for (const std::string& name : names) {
    bool listed = std::find(known.begin(), known.end(), name) != known.end() ||
                  std::find(unknown.begin(), unknown.end(), name) != unknown.end();
    if (!listed) unknown.push_back(name);
  }
  known.insert(known.end(), unknown.begin(), unknown.end());
  return known;
}

ExpectationResult CheckInvariantsExpectation(const std::vector<std::string>& expected_violated,
                                             const std::vector<InvariantResult>& invariants) {
  std::vector<std::string> violated;
  for (const InvariantResult& result : invariants) {
    if (!result.holds) violated.push_back(result.name);
  }
  violated = CanonicalInvariants(violated);
  std::string actual_list = "violated: " + Join(violated, ", ");
  if (expected_violated.empty()) {
    return Compare("invariants", "all hold", violated.empty() ? "all hold" : actual_list);
  }
  // Both sides canonical, so equal strings means equal sets.
  return Compare("invariants", "violated: " + Join(CanonicalInvariants(expected_violated), ", "),
                 violated.empty() ? "none violated" : actual_list);
}

// Each expectation kind appends one result per checked item to `out`.
using Results = std::vector<ExpectationResult>;

template <typename Record, typename Pred>
std::string CountWhere(const std::vector<Record>& records, Pred pred) {
  return std::to_string(std::count_if(records.begin(), records.end(), pred));
}

void CheckOrders(const Expectations& expect, const FinalState& state, Results* out) {
  // The index costs about 100 bytes an order: only when single orders are asked about.
  std::map<std::string, const OrderRecord*> orders;
  if (!expect.orders.empty())
    for (const OrderRecord& order : state.orders) orders.emplace(order.order_no, &order);
  std::vector<std::string> ids;
  for (const auto& [id, status] : expect.orders) ids.push_back(id);
  for (const std::string& id : SortByPlacement(ids, state)) {
    auto it = orders.find(id);
    out->push_back(Compare("orders." + id, expect.orders.at(id),
                           it == orders.end() ? "no such order" : it->second->status));
  }
  for (const auto& [status, count] : expect.order_counts) {
    out->push_back(Compare(
        "orderCounts." + status, std::to_string(count),
        CountWhere(state.orders, [&status](const OrderRecord& o) { return o.status == status; })));
  }
}

void CheckPayments(const Expectations& expect, const FinalState& state, Results* out) {
  const PaymentIndex payments(state);
  std::vector<std::string> ids;
  for (const auto& [id, status] : expect.payments) ids.push_back(id);
  for (const std::string& id : SortByPlacement(ids, state)) {
    out->push_back(
        Compare("payments." + id, expect.payments.at(id), PaymentStatusOf(payments, id)));
  }
  for (const auto& [status, count] : expect.payment_counts) {
    out->push_back(Compare("paymentCounts." + status, std::to_string(count),
                           CountWhere(state.payments, [&status](const PaymentRecord& p) {
                             return p.status == status;
                           })));
  }
}

void CheckStock(const Expectations& expect, const FinalState& state, Results* out) {
  for (const auto& [id, want] : expect.stock) {
    auto product = std::find_if(state.products.begin(), state.products.end(),
                                [id = id](const ProductRecord& p) { return p.id == id; });
    const std::tuple<const char*, std::optional<int64_t>, int64_t ProductRecord::*> fields[] = {
        {"available", want.available, &ProductRecord::available},
        {"frozen", want.frozen, &ProductRecord::frozen},
        {"sold", want.sold, &ProductRecord::sold},
    };
    for (const auto& [field, expected, member] : fields) {
      if (!expected) continue;
      std::string actual =
          product == state.products.end() ? "no such product" : std::to_string((*product).*member);
      out->push_back(
          Compare("stock." + std::to_string(id) + "." + field, std::to_string(*expected), actual));
    }
  }
}

void CheckDlqAndDeliveries(const Expectations& expect, const FinalState& state, Results* out) {
  for (const auto& [group, count] : expect.dlq) {
    out->push_back(
        Compare("dlq." + group, std::to_string(count),
                CountWhere(state.dlq, [&group](const DlqRecord& d) { return services::GroupNamed(group, d.group); })));
  }
  for (const DeliveryExpectation& d : expect.deliveries) {
    DeliveryCount counted;  // a key the runner never saw was never delivered
    auto it = state.deliveries.find({d.group, d.topic, d.order});
    if (it != state.deliveries.end()) counted = it->second;
    std::string what = "deliveries " + d.group + " " + d.topic + " " + d.order;
    if (d.count) {
      out->push_back(
          Compare(what + " count", std::to_string(*d.count), std::to_string(counted.count)));
    }
    if (d.calls) {
      out->push_back(
          Compare(what + " calls", std::to_string(*d.calls), std::to_string(counted.calls)));
    }
  }
}

}  // namespace

std::vector<std::string> StuckOrders(const FinalState& state) {
  std::vector<std::string> ids;
  for (const DlqRecord& record : state.dlq) {
    // A keyless message (a poison body) belongs to no order.
    if (!record.order_no.empty()) ids.push_back(record.order_no);
  }
  return SortByPlacement(std::move(ids), state);
}

std::vector<InvariantResult> CheckInvariants(const FinalState& state) {
  return {
      CheckStockConserved(state),  CheckStockNonNegative(state),    CheckOrdersSettled(state),
      CheckPaidChargedOnce(state), CheckCancelledNotCharged(state), CheckSoldMatchesPaid(state),
      CheckBrokerNoLoss(state),
  };
}

std::vector<ExpectationResult> CheckExpectations(const Expectations& expect,
                                                 const FinalState& state,
                                                 const std::vector<InvariantResult>& invariants) {
  Results results;
  CheckOrders(expect, state, &results);
  CheckPayments(expect, state, &results);
  CheckStock(expect, state, &results);
  CheckDlqAndDeliveries(expect, state, &results);
  if (expect.stuck) {
    results.push_back(Compare("stuck", ListOrNone(SortByPlacement(*expect.stuck, state)),
                              ListOrNone(StuckOrders(state))));
  }

  results.push_back(CheckInvariantsExpectation(expect.violated_invariants, invariants));
  return results;
}

}  // namespace scenario
