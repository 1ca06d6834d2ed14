#pragma once

// A fluent builder for scenario::FinalState fixtures, so a test states only the records
// it is about:
//
//   FinalState state = FinalStateBuilder()
//                          .AddProduct(1, 10, 8, 0, 2)
//                          .AddOrder("o1", "PAID", {{1, 2}}, 3980)
//                          .AddPayment("o1", "SUCCESS", 3980)
//                          .Build();

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "base/money.h"
#include "scenario/final_state.h"
#include "scenario/scenario.h"

namespace testing {

class FinalStateBuilder {
 public:
  // The lowest values default to what the product could not have avoided holding (its
  // starting value, or the current one if lower); SetMinimums overrides them.
  FinalStateBuilder& AddProduct(int64_t id, int64_t initial, int64_t available, int64_t frozen,
                                int64_t sold) {
    scenario::ProductRecord p;
    p.id = id;
    p.name = "product" + std::to_string(id);
    p.initial = initial;
    p.available = available;
    p.frozen = frozen;
    p.sold = sold;
    p.min_available = std::min(initial, available);
    p.min_frozen = std::min<int64_t>(0, frozen);
    p.min_sold = std::min<int64_t>(0, sold);
    state_.products.push_back(p);
    return *this;
  }

  // Applies to the product added last.
  FinalStateBuilder& Restocked(int64_t quantity) {
    state_.products.back().restocked = quantity;
    return *this;
  }

  // Applies to the product added last.
  FinalStateBuilder& SetMinimums(int64_t min_available, int64_t min_frozen, int64_t min_sold) {
    scenario::ProductRecord& p = state_.products.back();
    p.min_available = min_available;
    p.min_frozen = min_frozen;
    p.min_sold = min_sold;
    return *this;
  }

  // order_id follows the call order, as Order Service assigns it in placement order.
  FinalStateBuilder& AddOrder(std::string order_no, std::string status, scenario::Items items,
                              base::Cents total) {
    scenario::OrderRecord o;
    o.order_id = static_cast<int64_t>(state_.orders.size()) + 1;
    o.order_no = std::move(order_no);
    o.status = std::move(status);
    o.items.assign(items.begin(), items.end());
    o.total = total;
    state_.orders.push_back(std::move(o));
    return *this;
  }

  FinalStateBuilder& AddPayment(std::string order_no, std::string status, base::Cents amount) {
    scenario::PaymentRecord p;
    p.payment_id = static_cast<int64_t>(state_.payments.size()) + 1;
    p.order_no = std::move(order_no);
    p.status = std::move(status);
    p.amount = amount;
    state_.payments.push_back(std::move(p));
    return *this;
  }

  FinalStateBuilder& AddReservation(std::string order_no, int64_t product, int64_t quantity,
                                    std::string status) {
    state_.reservations.push_back({std::move(order_no), product, quantity, std::move(status)});
    return *this;
  }

  FinalStateBuilder& AddDlq(std::string group, std::string topic, std::string order_no) {
    std::string msg_id = "msg" + std::to_string(state_.dlq.size() + 1);
    state_.dlq.push_back(
        {std::move(group), std::move(topic), std::move(order_no), std::move(msg_id)});
    return *this;
  }

  FinalStateBuilder& AddUnacked(std::string group, std::string topic, int queue, int64_t offset,
                                std::string order_no) {
    state_.unacked.push_back(
        {std::move(group), std::move(topic), queue, offset, std::move(order_no)});
    return *this;
  }

  FinalStateBuilder& SetDeliveries(std::string group, std::string topic, std::string order_no,
                                   int64_t count, int64_t calls) {
    state_.deliveries[{std::move(group), std::move(topic), std::move(order_no)}] = {count, calls};
    return *this;
  }

  FinalStateBuilder& HitUntil(int64_t end_ms) {
    state_.end_ms = end_ms;
    state_.hit_until = true;
    return *this;
  }

  scenario::FinalState Build() const { return state_; }

 private:
  scenario::FinalState state_;
};

}  // namespace testing
