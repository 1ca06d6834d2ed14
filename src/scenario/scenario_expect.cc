// The "expect" section: the final state the run must reach, checked by checkers.cc.

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "scenario/scenario_loader.h"
#include "services/bindings.h"

namespace scenario::loader {
namespace {

using base::Quote;

const std::vector<std::string> kOrderStatuses = {"CREATED", "PAID", "CANCELLED"};
const std::vector<std::string> kPaymentStatuses = {"SUCCESS", "FAILED", "REFUNDED"};

std::vector<std::string> InvariantNames() { return {std::begin(kInvariantNames), std::end(kInvariantNames)}; }

// A key that must be one of `valid`, e.g. a status in "orderCounts".
bool KeyIn(const std::string& key, const std::vector<std::string>& valid, const char* what, const Reader& at) {
  if (std::find(valid.begin(), valid.end(), key) != valid.end()) return true;
  at.Fail(std::string("unknown ") + what + " " + Quote(key) + " (expected one of: " + base::Join(valid) + ")");
  return false;
}

}  // namespace

void Loader::ParseExpect(const Reader& r) {
  if (!r.present() || !r.ExpectObject({"orders", "orderCounts", "payments", "paymentCounts", "stock", "dlq",
                                       "deliveries", "invariants", "stuck"}))
    return;
  Expectations& x = scenario_.expect;
  auto known_order = [this](const std::string& id, const Reader& at) {
    if (!order_ids_.Contains(id)) at.Fail("unknown order " + Quote(id));
    return errors_.ok();
  };
  r.Child("orders").ForEachMember([&](const std::string& id, const Reader& status) {
    if (known_order(id, status)) x.orders[id] = status.OneOf(kOrderStatuses, "order status");
  });
  r.Child("orderCounts").ForEachMember([&](const std::string& status, const Reader& n) {
    if (KeyIn(status, kOrderStatuses, "order status", n)) x.order_counts[status] = n.Int(0, 0, kInt64Max);
  });
  std::vector<std::string> with_none = kPaymentStatuses;
  with_none.push_back("NONE");
  r.Child("payments").ForEachMember([&](const std::string& id, const Reader& status) {
    if (known_order(id, status)) x.payments[id] = status.OneOf(with_none, "payment status");
  });
  r.Child("paymentCounts").ForEachMember([&](const std::string& status, const Reader& n) {
    if (KeyIn(status, kPaymentStatuses, "payment status", n)) x.payment_counts[status] = n.Int(0, 0, kInt64Max);
  });
  r.Child("stock").ForEachMember([&](const std::string& key, const Reader& e) {
    auto id = ProductId(key, e);
    if (!id || !e.ExpectObject({"available", "frozen", "sold"})) return;
    StockExpectation& s = x.stock[*id];
    for (auto [name, field] : {std::pair{"available", &s.available}, {"frozen", &s.frozen}, {"sold", &s.sold}})
      if (Reader c = e.Child(name); c.present()) *field = c.Int(0, 0, kInt64Max);
  });
  const std::vector<std::string> groups = services::ConsumerGroupNames();
  r.Child("dlq").ForEachMember([&](const std::string& group, const Reader& n) {
    if (KeyIn(group, groups, "group", n)) x.dlq[group] = n.Int(0, 0, kInt64Max);
  });
  ParseDeliveries(r.Child("deliveries"));
  ParseInvariants(r.Child("invariants"));
  if (Reader stuck = r.Child("stuck"); stuck.present() && stuck.IsArray()) {
    std::vector<std::string>& ids = x.stuck.emplace();
    std::set<std::string> seen;
    stuck.ForEachElement([&](int, const Reader& e) {
      std::string id = OrderId(e);
      if (errors_.ok() && !seen.insert(id).second) return e.Fail("duplicate order " + Quote(id));
      ids.push_back(id);
    });
  }
}

void Loader::ParseDeliveries(const Reader& r) {
  if (!r.present() || !r.IsArray()) return;
  r.ForEachElement([this](int, const Reader& e) {
    if (!e.ExpectObject({"group", "topic", "order", "count", "calls"})) return;
    DeliveryExpectation d;
    if (Reader group = e.Child("group"); group.Require()) d.group = group.OneOf(services::ConsumerGroupNames(), "group");
    if (Reader topic = e.Child("topic"); topic.Require()) {
      // Redeliveries are counted under the original topic, so only business topics.
      d.topic = topic.OneOf(services::TopicNames(), "topic");
      CheckGroupConsumes(topic, d.group, d.topic);
    }
    if (Reader order = e.Child("order"); order.Require()) d.order = OrderId(order);
    if (Reader c = e.Child("count"); c.present()) d.count = c.Int(0, 0, kInt64Max);
    if (Reader c = e.Child("calls"); c.present()) d.calls = c.Int(0, 0, kInt64Max);
    scenario_.expect.deliveries.push_back(std::move(d));
  });
}

void Loader::ParseInvariants(const Reader& r) {
  if (!r.present()) return;
  if (r.json().is_string() && r.json() == "hold") return;
  if (!r.json().is_object()) {
    r.Fail("expected \"hold\" or {\"violated\": [names]}, got " + DescribeJson(r.json()));
    return;
  }
  if (!r.ExpectObject({"violated"})) return;
  Reader violated = r.Child("violated");
  if (!violated.Require() || !violated.IsArray()) return;
  std::vector<std::string>& names = scenario_.expect.violated_invariants;
  violated.ForEachElement([&](int, const Reader& e) {
    std::string name = e.OneOf(InvariantNames(), "invariant");
    if (errors_.ok() && std::find(names.begin(), names.end(), name) != names.end())
      return e.Fail("duplicate invariant " + Quote(name));
    names.push_back(name);
  });
}

}  // namespace scenario::loader
