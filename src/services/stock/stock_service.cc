#include "services/stock/stock_service.h"

#include "services/handler.h"
#include "services/step_context.h"
#include "sim/executor.h"
#include "store/transaction.h"

namespace services {

base::Status StockService::SeedCatalog(const std::vector<CatalogEntry>& catalog) {
  store::Db& db = admin_db();
  store::Transaction txn(&db);
  if (!txn.begin_status().ok()) return txn.begin_status();
  for (const CatalogEntry& p : catalog) {
    base::Status s = db.Prepare("INSERT OR REPLACE INTO product(id, name, available, initial, min_available) "
                                "VALUES(?, ?, ?, ?, ?)")
                         .Bind(1, p.id)
                         .Bind(2, p.name)
                         .Bind(3, p.stock)
                         .Bind(4, p.stock)
                         .Bind(5, p.stock)
                         .Run();
    if (!s.ok()) return s;
  }
  return txn.Commit();
}

void StockService::AddConsumers() {
  using namespace std::placeholders;
  AddConsumer("orderCreatedConsumer-in-0", std::bind(&StockService::OnOrderCreated, this, _1, _2));
  AddConsumer("paymentSuccessConsumer-in-0", std::bind(&StockService::OnPaymentSuccess, this, _1, _2));
  if (options().cancellation == Cancellation::kCompensate)
    AddConsumer("orderCancelledConsumer-in-0", std::bind(&StockService::OnOrderCancelled, this, _1, _2));
}

void StockService::Restock(Items quantities, std::string label) {
  Submit(label, [this, quantities = std::move(quantities), label](StepContext& ctx) {
    store::Transaction txn(&ctx.db());
    if (!txn.begin_status().ok()) return txn.begin_status();
    for (const auto& [product, quantity] : quantities) {
      base::Status s = ctx.db()
                           .Prepare("UPDATE product SET available = available + ?, restocked = restocked + ? "
                                    "WHERE id = ?")
                           .Bind(1, quantity)
                           .Bind(2, quantity)
                           .Bind(3, product)
                           .Run();
      if (!s.ok()) return s;
    }
    sim::Event e = sim::Event::Make(sim::EventKind::kStep, ctx.now_ms());
    e.detail = label;
    ctx.Note(std::move(e));
    return ctx.Commit(&txn);
  });
}

std::string StockService::NextEventId(const char* prefix) {
  return std::string(prefix) + "-" + std::to_string(++event_seq_);
}

base::Result<bool> StockService::Marked(StepContext& ctx, int64_t order_id, const char* column) {
  store::Statement& q = ctx.db().Prepare(std::string("SELECT ") + column + " FROM order_mark WHERE order_id = ?");
  q.Bind(1, order_id);
  bool marked = q.Step() && q.Int(0) != 0;
  q.Reset();
  return marked;
}

base::Status StockService::Mark(StepContext& ctx, int64_t order_id, const std::string& order_no, const char* column) {
  return ctx.db()
      .Prepare(std::string("INSERT INTO order_mark(order_id, order_no, ") + column +
               ") VALUES(?, ?, 1) ON CONFLICT(order_id) DO UPDATE SET " + column + " = 1")
      .Bind(1, order_id)
      .Bind(2, order_no)
      .Run();
}

base::Status StockService::FreezeItem(StepContext& ctx, const OrderCreatedEvent& event, int64_t product,
                                      int64_t quantity) {
  // A freeze lowers `available`: its low-water mark moves in the same write.
  base::Status s = ctx.db()
                       .Prepare("UPDATE product SET available = available - ?1, frozen = frozen + ?1, "
                                "min_available = MIN(min_available, available - ?1) WHERE id = ?2")
                       .Bind(1, quantity)
                       .Bind(2, product)
                       .Run();
  if (!s.ok()) return s;
  return ctx.db()
      .Prepare("INSERT INTO reservation(order_id, order_no, product_id, quantity, status, updated_at) "
               "VALUES(?, ?, ?, ?, 'FROZEN', ?)")
      .Bind(1, event.order_id)
      .Bind(2, event.order_no)
      .Bind(3, product)
      .Bind(4, quantity)
      .Bind(5, ctx.now_ms())
      .Run();
}

base::Result<std::string> StockService::Freeze(StepContext& ctx, const OrderCreatedEvent& event) {
  auto available = [&](int64_t product) -> int64_t {
    store::Statement& q = ctx.db().Prepare("SELECT available FROM product WHERE id = ?");
    q.Bind(1, product);
    int64_t n = q.Step() ? q.Int(0) : -1;
    q.Reset();
    return n;
  };
  auto shortage = [](int64_t product, int64_t have) {
    return have < 0 ? "product " + std::to_string(product) + " does not exist"
                    : "product " + std::to_string(product) + " has insufficient stock";
  };
  const bool atomic = options().freeze == Freeze::kAtomic;
  if (atomic) {
    for (const auto& [product, quantity] : event.product_quantity_map) {
      int64_t have = available(product);
      if (have < quantity) return shortage(product, have);
    }
  }
  // Per item, as the reference's loop does: a later shortage leaves the earlier
  // items frozen. After the atomic check every item is known to fit (the items are
  // distinct products, so freezing one leaves the others' stock as checked).
  for (const auto& [product, quantity] : event.product_quantity_map) {
    if (!atomic) {
      int64_t have = available(product);
      if (have < quantity) return shortage(product, have);
    }
    base::Status s = FreezeItem(ctx, event, product, quantity);
    if (!s.ok()) return s;
  }
  return std::string();
}

base::Status StockService::OnOrderCreated(const broker::Message& msg, StepContext& ctx) {
  bool sample = options().idempotency == Idempotency::kSample;
  if (sample) {
    auto peek = ParseOrderCreated(msg.body);
    if (peek.ok() && marks_.Has(peek->event_id, ctx.now_ms())) {
      NoteDuplicate(ctx, peek->order_no, peek->event_id, "Redis key event:processed:" + peek->event_id);
      return ctx.Flush();
    }
  }
  std::string event_id;
  base::Status s = HandleInTransaction(msg, ctx, ParseOrderCreated, [&](const OrderCreatedEvent& event) {
    event_id = event.event_id;
    bool compensate = options().cancellation == Cancellation::kCompensate;
    if (compensate) {
      auto cancelled = Marked(ctx, event.order_id, "cancelled");
      if (!cancelled.ok()) return cancelled.status();
      if (*cancelled) {
        ctx.NoteState(event.order_no, "already cancelled: nothing frozen");
        return base::Status::Ok();
      }
    }
    auto reason = Freeze(ctx, event);
    if (!reason.ok()) return reason.status();
    if (!reason->empty()) {
      auto left = FrozenFor(ctx, event.order_id);
      if (!left.ok()) return left.status();
      std::string detail = "freeze failed: " + *reason;
      if (!left->empty()) {
        std::vector<std::pair<int64_t, int64_t>> items;
        for (const Reserved& r : *left) items.emplace_back(r.product, r.quantity);
        detail += " (" + ItemsText(items) + " stays frozen)";
      }
      ctx.NoteState(event.order_no, detail);
      OrderNoticeEvent out;
      out.order_id = event.order_id;
      out.order_no = event.order_no;
      out.reason = *reason;
      out.timestamp = kEpochMs + ctx.now_ms();
      out.event_id = NextEventId("sff");
      return ctx.Publish(*FindTopic("stock-freeze-failed"), event.order_no, out.event_id, ToJson(out));
    }
    std::vector<std::pair<int64_t, int64_t>> items(event.product_quantity_map.begin(),
                                                   event.product_quantity_map.end());
    ctx.NoteState(event.order_no, "froze " + ItemsText(items));
    if (options().stock_deduct == StockDeduct::kReservation) {
      // The payment was confirmed before the order reached Stock: deduct at once.
      auto paid = Marked(ctx, event.order_id, "paid");
      if (!paid.ok()) return paid.status();
      if (*paid) {
        base::Status settled = Settle(ctx, event.order_no, event.order_id, /*deduct=*/true);
        if (!settled.ok()) return settled;
      }
    }
    if (!compensate) return base::Status::Ok();
    OrderNoticeEvent out;
    out.order_id = event.order_id;
    out.order_no = event.order_no;
    out.timestamp = kEpochMs + ctx.now_ms();
    out.event_id = NextEventId("sf");
    return ctx.Publish(*FindTopic("stock-frozen"), event.order_no, out.event_id, ToJson(out));
  });
  // The reference marks the event in Redis after the work, outside any transaction:
  // a crash in between applies it twice on redelivery.
  if (s.ok() && sample && !event_id.empty()) marks_.Mark(event_id, ctx.now_ms());
  return s;
}

base::Result<std::vector<StockService::Reserved>> StockService::FrozenFor(StepContext& ctx, int64_t order_id) {
  std::vector<Reserved> out;
  store::Statement& q = ctx.db().Prepare(
      "SELECT id, product_id, quantity FROM reservation WHERE order_id = ? AND status = 'FROZEN' ORDER BY id");
  q.Bind(1, order_id);
  while (q.Step()) out.push_back({q.Int(0), q.Int(1), q.Int(2)});
  if (!q.status().ok()) return q.status();
  q.Reset();
  return out;
}

base::Status StockService::Settle(StepContext& ctx, const std::string& order_no, int64_t order_id, bool deduct) {
  auto frozen = FrozenFor(ctx, order_id);
  if (!frozen.ok()) return frozen.status();
  std::vector<std::pair<int64_t, int64_t>> items;
  for (const Reserved& r : *frozen) {
    const char* sql = deduct ? "UPDATE product SET frozen = frozen - ?, sold = sold + ? WHERE id = ?"
                             : "UPDATE product SET frozen = frozen - ?, available = available + ? WHERE id = ?";
    base::Status s = ctx.db().Prepare(sql).Bind(1, r.quantity).Bind(2, r.quantity).Bind(3, r.product).Run();
    if (!s.ok()) return s;
    items.emplace_back(r.product, r.quantity);
  }
  if (!frozen->empty()) {
    // The rows FrozenFor read, in the same transaction: one UPDATE for all of them.
    base::Status s = ctx.db()
                         .Prepare("UPDATE reservation SET status = ?, updated_at = ? WHERE order_id = ? AND status = 'FROZEN'")
                         .Bind(1, deduct ? "DEDUCTED" : "RELEASED")
                         .Bind(2, ctx.now_ms())
                         .Bind(3, order_id)
                         .Run();
    if (!s.ok()) return s;
  }
  if (!items.empty()) ctx.NoteState(order_no, (deduct ? "deducted " : "released ") + ItemsText(items));
  return base::Status::Ok();
}

base::Status StockService::OnPaymentSuccess(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParsePaymentSuccess, [&](const PaymentSuccessEvent& event) {
    if (options().stock_deduct == StockDeduct::kUnknownItems) {
      // Known problem 1 of the reference: the event carries no productQuantityMap.
      ctx.NoteState(event.order_no, "cannot deduct: PaymentSuccessEvent has no productQuantityMap");
      return base::Status::Ok();
    }
    auto frozen = FrozenFor(ctx, event.order_id);
    if (!frozen.ok()) return frozen.status();
    if (frozen->empty()) {
      ctx.NoteState(event.order_no, "paid before anything was frozen: deducts when frozen");
      return Mark(ctx, event.order_id, event.order_no, "paid");
    }
    return Settle(ctx, event.order_no, event.order_id, /*deduct=*/true);
  });
}

base::Status StockService::OnOrderCancelled(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParseOrderNotice, [&](const OrderNoticeEvent& event) {
    // The mark also stops a late OrderCreatedEvent from freezing for this order.
    base::Status s = Mark(ctx, event.order_id, event.order_no, "cancelled");
    if (!s.ok()) return s;
    return Settle(ctx, event.order_no, event.order_id, /*deduct=*/false);
  });
}

}  // namespace services
