#include "scenario/collect.h"

#include <algorithm>
#include <map>

#include "broker/consumer.h"
#include "store/db.h"

namespace scenario {
namespace {

// Rows in `table`, so that a vector of a million records is allocated once, not
// grown by doubling (half of it slack at worst).
size_t RowCount(store::Db& db, const char* count_sql) {
  store::Statement& q = db.Prepare(count_sql);
  size_t n = q.Step() ? static_cast<size_t>(q.Int(0)) : 0;
  q.Reset();
  return n;
}

base::Status CollectOrders(store::Db& db, FinalState* state) {
  state->orders.reserve(RowCount(db, "SELECT COUNT(*) FROM orders"));
  store::Statement& q =
      db.Prepare("SELECT id, order_no, status, total_cents, reason FROM orders ORDER BY id");
  while (q.Step()) {
    OrderRecord r;
    r.order_id = q.Int(0);
    r.order_no = q.Text(1);
    r.status = q.Text(2);
    r.total = q.Int(3);
    r.reason = q.Text(4);
    state->orders.push_back(std::move(r));
  }
  if (!q.status().ok()) return q.status();
  q.Reset();
  store::Statement& items = db.Prepare("SELECT order_id, product_id, quantity FROM order_item ORDER BY order_id, product_id");
  // The orders are in id order: found by binary search, no index beside them.
  auto by_id = [](const OrderRecord& o, int64_t id) { return o.order_id < id; };
  while (items.Step()) {
    int64_t id = items.Int(0);
    auto it = std::lower_bound(state->orders.begin(), state->orders.end(), id, by_id);
    // order_item's primary key is (order_id, product_id): one row per product, in order.
    if (it != state->orders.end() && it->order_id == id) it->items.emplace_back(items.Int(1), items.Int(2));
  }
  base::Status s = items.status();
  items.Reset();
  return s;
}

base::Status CollectPayments(store::Db& db, FinalState* state) {
  state->payments.reserve(RowCount(db, "SELECT COUNT(*) FROM payment"));
  store::Statement& q = db.Prepare("SELECT id, order_no, status, amount_cents FROM payment ORDER BY id");
  while (q.Step()) state->payments.push_back({q.Int(0), q.Text(1), q.Text(2), q.Int(3)});
  base::Status s = q.status();
  q.Reset();
  return s;
}

base::Status CollectStock(store::Db& db, FinalState* state) {
  store::Statement& q = db.Prepare(
      "SELECT id, name, initial, restocked, available, frozen, sold, min_available, min_frozen, min_sold "
      "FROM product ORDER BY id");
  while (q.Step()) {
    ProductRecord p;
    p.id = q.Int(0);
    p.name = q.Text(1);
    p.initial = q.Int(2);
    p.restocked = q.Int(3);
    p.available = q.Int(4);
    p.frozen = q.Int(5);
    p.sold = q.Int(6);
    p.min_available = q.Int(7);
    p.min_frozen = q.Int(8);
    p.min_sold = q.Int(9);
    state->products.push_back(std::move(p));
  }
  if (!q.status().ok()) return q.status();
  q.Reset();
  state->reservations.reserve(RowCount(db, "SELECT COUNT(*) FROM reservation"));
  store::Statement& r =
      db.Prepare("SELECT order_no, product_id, quantity, status FROM reservation ORDER BY id");
  while (r.Step()) state->reservations.push_back({r.Text(0), r.Int(1), r.Int(2), r.Text(3)});
  base::Status s = r.status();
  r.Reset();
  return s;
}

void CollectBroker(broker::Broker& broker, FinalState* state) {
  for (const auto& [name, topic] : broker.topics()) {
    if (name.rfind("%DLQ%", 0) != 0) continue;
    std::string group = name.substr(5);
    // Redriven messages left the DLQ's backlog; the log keeps them.
    const broker::Queue& q = topic.queues[0];
    for (int64_t off = broker.DlqRedriven(group); off < q.max_offset(); ++off) {
      const broker::Message& m = q.At(off);
      state->dlq.push_back({group, m.OriginalTopic(), m.keys, m.msg_id});
    }
  }
  for (broker::Consumer* c : broker.consumers())
    for (const auto& u : c->CollectUnacked())
      state->unacked.push_back({c->config().group, u.topic, u.queue, u.offset, u.message->keys});
  for (broker::Consumer* c : broker.consumers())
    for (const auto& q : c->Queues()) {
      auto topic = broker.topics().find(q.topic);
      int64_t max = topic == broker.topics().end() || q.queue >= static_cast<int>(topic->second.queues.size())
                        ? 0
                        : topic->second.queues[q.queue].max_offset();
      state->progress.push_back({c->config().group, q.topic, q.queue, max, q.committed});
    }
  // A run cut off by `until` can leave retry copies waiting for their delay.
  for (const auto& [id, pending] : broker.pending_retries())
    state->unacked.push_back({pending.group, broker::RetryTopic(pending.group), 0, -1, pending.keys});
}

}  // namespace

base::Status CollectFinalState(services::OrderService& order, services::StockService& stock,
                               services::PaymentService& payment, broker::Broker& broker, FinalState* state) {
  base::Status s = CollectOrders(order.admin_db(), state);
  if (s.ok()) s = CollectPayments(payment.admin_db(), state);
  if (s.ok()) s = CollectStock(stock.admin_db(), state);
  if (!s.ok()) return s;
  CollectBroker(broker, state);
  return base::Status::Ok();
}

}  // namespace scenario
