// The "catalog" and "orders" sections, and the product and order-total checks that
// "steps" (restock) and "expect" (stock) share with them.

#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/text.h"
#include "scenario/scenario_loader.h"

namespace scenario::loader {

void Loader::ParseCatalog(const Reader& r) {
  if (!r.Require() || !r.ExpectArray(kMaxProducts)) return;
  if (r.json().empty()) {
    r.Fail("must list at least one product");
    return;
  }
  std::map<int64_t, std::string> paths;
  r.ForEachElement([&](int, const Reader& e) {
    if (!e.ExpectObject({"product", "stock", "price", "name"})) return;
    Product p;
    Reader id = e.Child("product");
    if (id.Require()) p.id = id.Int(0, 1, kInt64Max);
    if (Reader stock = e.Child("stock"); stock.Require()) p.stock = stock.Int(0, 0, kMaxUnits);
    if (Reader price = e.Child("price"); price.Require()) p.price = price.Money(0);
    p.name = e.Child("name").String();
    if (!errors_.ok()) return;
    if (auto [it, added] = paths.emplace(p.id, e.path()); !added) {
      id.Fail("duplicate product " + std::to_string(p.id) + " (first at " + it->second + ")");
      return;
    }
    prices_[p.id] = p.price;
    scenario_.catalog.push_back(std::move(p));
  });
}

// A product id written as an object key ("1"), which must be in the catalog.
std::optional<int64_t> Loader::ProductId(const std::string& key, const Reader& at) {
  auto id = base::ParseCanonicalPositive(key);
  if (!id) {
    at.Fail("bad product id " + base::Quote(key) + " (expected a positive integer such as \"1\")");
    return std::nullopt;
  }
  if (prices_.count(*id) == 0) {
    std::vector<std::string> known;
    for (const auto& [product, unused] : prices_) {
      if (known.size() == 10) {
        known.push_back("...");
        break;
      }
      known.push_back(std::to_string(product));
    }
    at.Fail("unknown product " + key + " (catalog has " + base::Join(known) + ")");
    return std::nullopt;
  }
  return id;
}

Items Loader::ParseItems(const Reader& r) {
  Items items;
  r.ForEachMember([&](const std::string& key, const Reader& quantity) {
    if (auto id = ProductId(key, quantity)) items[*id] = quantity.Int(0, 1, kMaxUnits);
  });
  if (errors_.ok() && items.empty()) r.Fail("must list at least one product");
  return items;
}

// Totals are Σ quantity × price in cents; a file that overflows them is absurd, and the
// services must never have to check.
void Loader::CheckOrderTotal(const Reader& r, const Items& quantities) {
  int64_t total = 0;
  for (const auto& [product, quantity] : quantities) {
    int64_t line = 0;
    if (__builtin_mul_overflow(quantity, prices_.at(product), &line) || __builtin_add_overflow(total, line, &total)) {
      r.Fail("order total overflows (quantities times prices are too large)");
      return;
    }
  }
}

void Loader::CountOrders(const Reader& r, int64_t n) {
  total_orders_ += n;
  if (total_orders_ > kMaxOrders)
    r.Fail("too many orders: " + std::to_string(total_orders_) + " in total (at most " + std::to_string(kMaxOrders) +
           ")");
}

void Loader::ParseOrders(const Reader& r) {
  if (!r.present() || !r.ExpectArray(kMaxOrders)) return;
  r.ForEachElement([this](int, const Reader& e) {
    if (!e.IsObject()) return;
    if (e.Child("generate").present()) {
      if (e.ExpectObject({"generate"})) ParseGenerated(e.Child("generate"));
    } else {
      ParseSingleOrder(e);
    }
  });
}

void Loader::ParseSingleOrder(const Reader& r) {
  if (!r.ExpectObject({"id", "user", "items", "at", "remark"})) return;
  SingleOrder o;
  Reader id = r.Child("id");
  if (id.Require()) o.id = id.NonEmptyString();
  o.user = r.Child("user").Int(1, 1, kInt64Max);
  if (Reader items = r.Child("items"); items.Require()) {
    o.items = ParseItems(items);
    CheckOrderTotal(items, o.items);
  }
  o.at_ms = r.Child("at").Duration(0);
  o.remark = r.Child("remark").String();
  if (!errors_.ok()) return;
  if (auto collision = order_ids_.AddSingle(o.id, r.path())) return id.Fail(*collision);
  CountOrders(r, 1);
  scenario_.orders.push_back(std::move(o));
}

void Loader::ParseGenerated(const Reader& r) {
  if (!r.ExpectObject({"count", "idPrefix", "users", "items", "start", "every"})) return;
  GeneratedOrders g;
  if (Reader count = r.Child("count"); count.Require()) g.count = count.Int(1, 1, kMaxOrders);
  g.id_prefix = r.Child("idPrefix").String("g");
  std::tie(g.user_min, g.user_max) = r.Child("users").IntRange({1, 1}, 1, kInt64Max);
  Reader items = r.Child("items");
  items.ForEachMember([&](const std::string& key, const Reader& range) {
    if (auto id = ProductId(key, range)) g.items[*id] = range.IntRange({0, 0}, 0, kMaxUnits);
  });
  g.start_ms = r.Child("start").Duration(0);
  Reader every = r.Child("every");
  g.every_ms = every.Duration(0);
  if (!errors_.ok()) return;
  // The last order's time; ParseDuration keeps each factor small enough not to overflow.
  if (g.start_ms + g.every_ms * (g.count - 1) > base::kMaxDurationMs)
    return every.Fail("the last generated order would be placed after " +
                      base::FormatDuration(base::kMaxDurationMs));
  Items largest;
  for (const auto& [product, range] : g.items) largest[product] = range.second;
  CheckOrderTotal(items.present() ? items : r, largest);
  if (!errors_.ok()) return;
  if (auto collision = order_ids_.AddGenerated(g.id_prefix, g.count, r.path())) return r.Fail(*collision);
  CountOrders(r.Child("count"), g.count);
  scenario_.generated.push_back(std::move(g));
}

}  // namespace scenario::loader
