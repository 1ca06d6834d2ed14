#include "bench/floor.h"

#include <memory>
#include <vector>

#include "scenario/placements.h"
#include "services/order/order_service.h"
#include "services/payment/payment_service.h"
#include "services/service.h"
#include "services/stock/stock_service.h"
#include "store/db.h"
#include "store/transaction.h"

namespace bench {
namespace {

// A body of a typical event's size, written where the saga writes JSON.
const std::string kBody(240, 'x');

base::Result<std::unique_ptr<store::Db>> OpenService(const std::string& dir, const char* name, const char* schema) {
  auto db = store::Db::Open(dir.empty() ? ":memory:" : dir + "/" + name + ".db", /*exclusive=*/true);
  if (!db.ok()) return db.status();
  base::Status s = (*db)->Exec(services::Service::CommonSchema());
  if (s.ok()) s = (*db)->Exec(schema);
  if (!s.ok()) return s;
  return std::move(db.value());
}

// Counts statements and commits each step's transaction.
struct Step {
  store::Db* db;
  FloorResult* counts;
  store::Transaction txn;
  Step(store::Db* d, FloorResult* c) : db(d), counts(c), txn(d) {}
  base::Status Run(store::Statement& st) {
    ++counts->statements;
    return st.Run();
  }
  base::Status Commit() {
    ++counts->transactions;
    return txn.Commit();
  }
};

#define FLOOR_TRY(expr)                  \
  do {                                   \
    base::Status floor_s = (expr);       \
    if (!floor_s.ok()) return floor_s;   \
  } while (0)

}  // namespace

base::Result<FloorResult> RunFloor(const scenario::Scenario& sc, const std::string& dir) {
  auto order_db = OpenService(dir, "order", services::OrderService::SchemaSql());
  if (!order_db.ok()) return order_db.status();
  auto stock_db = OpenService(dir, "stock", services::StockService::SchemaSql());
  if (!stock_db.ok()) return stock_db.status();
  auto payment_db = OpenService(dir, "payment", services::PaymentService::SchemaSql());
  if (!payment_db.ok()) return payment_db.status();
  store::Db& odb = **order_db;
  store::Db& sdb = **stock_db;
  store::Db& pdb = **payment_db;

  std::map<int64_t, int64_t> price;
  {
    store::Transaction t(&sdb);
    for (const scenario::Product& p : sc.catalog) {
      price[p.id] = p.price;
      FLOOR_TRY(sdb.Prepare("INSERT INTO product(id, name, available, initial, min_available) VALUES(?, ?, ?, ?, ?)")
                    .Bind(1, p.id).Bind(2, p.name).Bind(3, p.stock).Bind(4, p.stock).Bind(5, p.stock).Run());
    }
    FLOOR_TRY(t.Commit());
  }
  // Prepared once and held by reference: the floor looks nothing up per order.
  store::Statement& o_insert = odb.Prepare(
      "INSERT INTO orders(id, order_no, user_id, total_cents, remark, status, created_at, updated_at) "
      "VALUES(?, ?, ?, ?, '', 'CREATED', ?, ?)");
  store::Statement& o_item = odb.Prepare("INSERT INTO order_item(order_id, product_id, quantity) VALUES(?, ?, ?)");
  store::Statement& o_outbox = odb.Prepare(
      "INSERT INTO outbox(topic, keys, event_id, body, created_at, sent) VALUES(?, ?, ?, ?, ?, 1)");
  store::Statement& o_seen = odb.Prepare("INSERT INTO processed_event(event_id, processed_at) VALUES(?, ?)");
  store::Statement& o_stock_ok = odb.Prepare("UPDATE orders SET stock_confirmed = 1 WHERE id = ?");
  store::Statement& o_paid = odb.Prepare(
      "UPDATE orders SET payment_id = ?, transaction_no = ?, payment_confirmed = 1, status = 'PAID', "
      "updated_at = ? WHERE id = ?");
  store::Statement& s_seen = sdb.Prepare("INSERT INTO processed_event(event_id, processed_at) VALUES(?, ?)");
  store::Statement& s_freeze =
      sdb.Prepare("UPDATE product SET available = available - ?1, frozen = frozen + ?1, "
                  "min_available = MIN(min_available, available - ?1) WHERE id = ?2");
  store::Statement& s_reserve = sdb.Prepare(
      "INSERT INTO reservation(order_id, order_no, product_id, quantity, status, updated_at) "
      "VALUES(?, ?, ?, ?, 'FROZEN', ?)");
  store::Statement& s_outbox = sdb.Prepare(
      "INSERT INTO outbox(topic, keys, event_id, body, created_at, sent) VALUES(?, ?, ?, ?, ?, 1)");
  store::Statement& s_deduct = sdb.Prepare("UPDATE product SET frozen = frozen - ?, sold = sold + ? WHERE id = ?");
  store::Statement& s_deducted =
      sdb.Prepare("UPDATE reservation SET status = 'DEDUCTED', updated_at = ? WHERE order_id = ? AND status = 'FROZEN'");
  store::Statement& p_seen = pdb.Prepare("INSERT INTO processed_event(event_id, processed_at) VALUES(?, ?)");
  store::Statement& p_insert = pdb.Prepare(
      "INSERT INTO payment(order_id, order_no, user_id, amount_cents, method, status, transaction_no, created_at, "
      "updated_at) VALUES(?, ?, ?, ?, 'ALIPAY', 'SUCCESS', ?, ?, ?)");
  store::Statement& p_outbox = pdb.Prepare(
      "INSERT INTO outbox(topic, keys, event_id, body, created_at, sent) VALUES(?, ?, ?, ?, ?, 1)");

  FloorResult out;
  scenario::Placements placements(sc, sc.seed);
  int64_t id = 0;
  while (placements.NextTime()) {
    const int64_t now = *placements.NextTime();
    services::PlaceRequest r = placements.Take();
    ++id;
    ++out.orders;
    int64_t total = 0;
    for (const auto& [product, quantity] : r.items) total += price[product] * quantity;
    const std::string oc = "oc-" + std::to_string(id), sf = "sf-" + std::to_string(id),
                      ps = "ps-" + std::to_string(id), txn_no = "TXN" + std::to_string(now) + std::to_string(id);
    {  // place
      Step step(&odb, &out);
      FLOOR_TRY(step.Run(o_insert.Bind(1, id).Bind(2, r.order_no).Bind(3, r.user_id).Bind(4, total).Bind(5, now)
                             .Bind(6, now)));
      for (const auto& [product, quantity] : r.items)
        FLOOR_TRY(step.Run(o_item.Bind(1, id).Bind(2, product).Bind(3, quantity)));
      FLOOR_TRY(step.Run(o_outbox.Bind(1, "order-created").Bind(2, r.order_no).Bind(3, oc).Bind(4, kBody).Bind(5, now)));
      FLOOR_TRY(step.Commit());
    }
    {  // stock freezes
      Step step(&sdb, &out);
      FLOOR_TRY(step.Run(s_seen.Bind(1, oc).Bind(2, now)));
      for (const auto& [product, quantity] : r.items) {
        FLOOR_TRY(step.Run(s_freeze.Bind(1, quantity).Bind(2, product)));
        FLOOR_TRY(step.Run(s_reserve.Bind(1, id).Bind(2, r.order_no).Bind(3, product).Bind(4, quantity).Bind(5, now)));
      }
      FLOOR_TRY(step.Run(s_outbox.Bind(1, "stock-frozen").Bind(2, r.order_no).Bind(3, sf).Bind(4, kBody).Bind(5, now)));
      FLOOR_TRY(step.Commit());
    }
    {  // payment captures
      Step step(&pdb, &out);
      FLOOR_TRY(step.Run(p_seen.Bind(1, oc).Bind(2, now)));
      FLOOR_TRY(step.Run(p_insert.Bind(1, id).Bind(2, r.order_no).Bind(3, r.user_id).Bind(4, total).Bind(5, txn_no)
                             .Bind(6, now).Bind(7, now)));
      FLOOR_TRY(step.Run(p_outbox.Bind(1, "payment-success").Bind(2, r.order_no).Bind(3, ps).Bind(4, kBody).Bind(5, now)));
      FLOOR_TRY(step.Commit());
    }
    {  // order: stock confirmed
      Step step(&odb, &out);
      FLOOR_TRY(step.Run(o_seen.Bind(1, sf).Bind(2, now)));
      FLOOR_TRY(step.Run(o_stock_ok.Bind(1, id)));
      FLOOR_TRY(step.Commit());
    }
    {  // order: paid
      Step step(&odb, &out);
      FLOOR_TRY(step.Run(o_seen.Bind(1, ps).Bind(2, now)));
      FLOOR_TRY(step.Run(o_paid.Bind(1, id).Bind(2, txn_no).Bind(3, now).Bind(4, id)));
      FLOOR_TRY(step.Commit());
    }
    {  // stock deducts
      Step step(&sdb, &out);
      FLOOR_TRY(step.Run(s_seen.Bind(1, ps).Bind(2, now)));
      for (const auto& [product, quantity] : r.items)
        FLOOR_TRY(step.Run(s_deduct.Bind(1, quantity).Bind(2, quantity).Bind(3, product)));
      FLOOR_TRY(step.Run(s_deducted.Bind(1, now).Bind(2, id)));
      FLOOR_TRY(step.Commit());
    }
  }
  return out;
}

}  // namespace bench
