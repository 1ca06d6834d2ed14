#include "services/order/order_service.h"

#include "services/handler.h"
#include "services/step_context.h"
#include "sim/executor.h"
#include "store/transaction.h"

namespace services {

base::Status OrderService::SeedPrices(const std::vector<std::pair<int64_t, base::Cents>>& prices) {
  store::Db& db = admin_db();
  store::Transaction txn(&db);
  if (!txn.begin_status().ok()) return txn.begin_status();
  base::Status s;
  for (const auto& [id, cents] : prices) {
    s = db.Prepare("INSERT OR REPLACE INTO product_price(id, price_cents) VALUES(?, ?)").Bind(1, id).Bind(2, cents).Run();
    if (!s.ok()) return s;
  }
  s = txn.Commit();
  if (!s.ok()) return s;
  // Nothing writes the prices after seeding: placements read them from memory.
  for (const auto& [id, cents] : prices) prices_[id] = cents;
  return base::Status::Ok();
}

void OrderService::AddConsumers() {
  using namespace std::placeholders;
  AddConsumer("paymentSuccessConsumer-in-0", std::bind(&OrderService::OnPaymentSuccess, this, _1, _2));
  AddConsumer("stockFreezeFailedConsumer-in-0", std::bind(&OrderService::OnStockFreezeFailed, this, _1, _2));
  if (options().cancellation == Cancellation::kCompensate) {
    AddConsumer("stockFrozenConsumer-in-0", std::bind(&OrderService::OnStockFrozen, this, _1, _2));
    AddConsumer("paymentFailedConsumer-in-0", std::bind(&OrderService::OnPaymentFailed, this, _1, _2));
  }
}

void OrderService::Place(PlaceRequest request) {
  std::string label = "place " + request.order_no;
  Submit(std::move(label), [this, request = std::move(request)](StepContext& ctx) { return PlaceNow(request, ctx); });
}

base::Status OrderService::PlaceNow(const PlaceRequest& request, StepContext& ctx) {
  ctx.SetSite("", "", request.order_no);
  store::Db& db = ctx.db();
  store::Transaction txn(&db);
  if (!txn.begin_status().ok()) return txn.begin_status();
  base::Cents total = 0;
  for (const auto& [product, quantity] : request.items) {
    auto price = prices_.find(product);
    if (price == prices_.end()) return base::Status::Failed("unknown product " + std::to_string(product));
    total += price->second * quantity;
  }
  base::Status s = db.Prepare(
                         "INSERT INTO orders(order_no, user_id, total_cents, remark, status, created_at, updated_at) "
                         "VALUES(?, ?, ?, ?, 'CREATED', ?, ?)")
                       .Bind(1, request.order_no)
                       .Bind(2, request.user_id)
                       .Bind(3, total)
                       .Bind(4, request.remark)
                       .Bind(5, ctx.now_ms())
                       .Bind(6, ctx.now_ms())
                       .Run();
  if (!s.ok()) return s;
  int64_t order_id = db.LastInsertRowId();
  for (const auto& [product, quantity] : request.items) {
    s = db.Prepare("INSERT INTO order_item(order_id, product_id, quantity) VALUES(?, ?, ?)")
            .Bind(1, order_id)
            .Bind(2, product)
            .Bind(3, quantity)
            .Run();
    if (!s.ok()) return s;
  }
  OrderCreatedEvent event;
  event.order_id = order_id;
  event.order_no = request.order_no;
  event.user_id = request.user_id;
  event.total_amount = total;
  event.product_quantity_map = request.items;
  event.remark = request.remark;
  event.timestamp = kEpochMs + ctx.now_ms();
  event.event_id = "oc-" + std::to_string(order_id);  // as the schema generates it
  sim::Event e = sim::Event::Make(sim::EventKind::kPlace, ctx.now_ms());
  e.order = request.order_no;
  e.event_id = event.event_id;
  e.detail = "order " + std::to_string(order_id) + ": " + ItemsText(request.items) + ", total " +
             base::FormatMoney(total);
  ctx.Note(std::move(e));
  s = ctx.Publish(*FindTopic("order-created"), request.order_no, event.event_id, ToJson(event));
  if (!s.ok()) return s;
  // A failed sync send after the commit leaves the order CREATED with nothing sent,
  // as the reference's @Transactional createOrder would.
  return ctx.Commit(&txn);
}

bool OrderService::LoadOrder(StepContext& ctx, int64_t order_id, OrderRow* row) {
  store::Statement& q =
      ctx.db().Prepare("SELECT status, stock_confirmed, payment_confirmed FROM orders WHERE id = ?");
  q.Bind(1, order_id);
  if (!q.Step()) return false;
  row->status = q.Text(0);
  row->stock_confirmed = q.Int(1) != 0;
  row->payment_confirmed = q.Int(2) != 0;
  q.Reset();
  return true;
}

base::Status OrderService::SetStatus(StepContext& ctx, int64_t order_id, const char* status,
                                     const std::string& reason) {
  return ctx.db()
      .Prepare("UPDATE orders SET status = ?, reason = ?, updated_at = ? WHERE id = ?")
      .Bind(1, status)
      .Bind(2, reason)
      .Bind(3, ctx.now_ms())
      .Bind(4, order_id)
      .Run();
}

base::Status OrderService::Cancel(StepContext& ctx, int64_t order_id, const std::string& order_no,
                                  const std::string& reason) {
  base::Status s = SetStatus(ctx, order_id, "CANCELLED", reason);
  if (!s.ok()) return s;
  ctx.NoteState(order_no, "CANCELLED: " + reason);
  if (options().cancellation != Cancellation::kCompensate) return s;
  OrderNoticeEvent event;
  event.order_id = order_id;
  event.order_no = order_no;
  event.reason = reason;
  event.timestamp = kEpochMs + ctx.now_ms();
  event.event_id = "ocl-" + std::to_string(order_id);
  return ctx.Publish(*FindTopic("order-cancelled"), order_no, event.event_id, ToJson(event));
}

void OrderService::NotePayment(StepContext& ctx, const std::string& order_no, const OrderRow& row) {
  // The caller's UPDATE has set PAID when the row was CREATED with both confirmed.
  if (row.status != "CREATED") return;
  if (!row.stock_confirmed) {
    ctx.NoteState(order_no, "payment confirmed, waiting for the stock freeze");
  } else if (!row.payment_confirmed) {
    ctx.NoteState(order_no, "stock frozen, waiting for the payment");
  } else {
    ctx.NoteState(order_no, "PAID");
  }
}

base::Status OrderService::OnPaymentSuccess(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParsePaymentSuccess, [&](const PaymentSuccessEvent& event) {
    OrderRow row;
    if (!LoadOrder(ctx, event.order_id, &row)) {
      ctx.NoteState(event.order_no, "payment-success for an unknown order: logged and acked");
      return base::Status::Ok();
    }
    if (row.status != "CREATED") {
      // updateOrderStatusAfterPayment returned false: the reference only logs it.
      ctx.NoteState(event.order_no, "stays " + row.status + ": payment " + std::to_string(event.payment_id) +
                                        " ignored (only logged)");
      return base::Status::Ok();
    }
    const bool compensate = options().cancellation == Cancellation::kCompensate;
    // The payment and, when this completes the order, its PAID status in one UPDATE.
    const bool pays = !compensate || row.stock_confirmed;
    store::Statement& update =
        pays ? ctx.db()
                   .Prepare("UPDATE orders SET payment_id = ?, transaction_no = ?, payment_confirmed = 1, "
                            "status = 'PAID', reason = '', updated_at = ? WHERE id = ?")
                   .Bind(3, ctx.now_ms())
                   .Bind(4, event.order_id)
             : ctx.db()
                   .Prepare("UPDATE orders SET payment_id = ?, transaction_no = ?, payment_confirmed = 1 WHERE id = ?")
                   .Bind(3, event.order_id);
    base::Status s = update.Bind(1, event.payment_id).Bind(2, event.transaction_no).Run();
    if (!s.ok()) return s;
    if (compensate) {
      // The row as just updated: no need to read it again.
      row.payment_confirmed = true;
      NotePayment(ctx, event.order_no, row);
      return s;
    }
    ctx.NoteState(event.order_no, "PAID (" + event.transaction_no + ")");
    return s;
  });
}

base::Status OrderService::OnStockFrozen(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParseOrderNotice, [&](const OrderNoticeEvent& event) {
    // Read once, then updated in place: an unknown order has nothing to update.
    OrderRow row;
    if (!LoadOrder(ctx, event.order_id, &row)) return base::Status::Ok();
    const bool pays = row.status == "CREATED" && row.payment_confirmed;
    base::Status s =
        pays ? ctx.db()
                   .Prepare("UPDATE orders SET stock_confirmed = 1, status = 'PAID', reason = '', updated_at = ? "
                            "WHERE id = ?")
                   .Bind(1, ctx.now_ms())
                   .Bind(2, event.order_id)
                   .Run()
             : ctx.db().Prepare("UPDATE orders SET stock_confirmed = 1 WHERE id = ?").Bind(1, event.order_id).Run();
    if (!s.ok()) return s;
    row.stock_confirmed = true;
    NotePayment(ctx, event.order_no, row);
    return s;
  });
}

base::Status OrderService::OnStockFreezeFailed(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParseOrderNotice, [&](const OrderNoticeEvent& event) {
    OrderRow row;
    if (!LoadOrder(ctx, event.order_id, &row)) {
      ctx.NoteState(event.order_no, "stock-freeze-failed for an unknown order: logged and acked");
      return base::Status::Ok();
    }
    if (row.status != "CREATED") {
      ctx.NoteState(event.order_no, "stays " + row.status + ": stock-freeze-failed ignored (only logged)");
      return base::Status::Ok();
    }
    return Cancel(ctx, event.order_id, event.order_no, event.reason);
  });
}

base::Status OrderService::OnPaymentFailed(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParseOrderNotice, [&](const OrderNoticeEvent& event) {
    OrderRow row;
    if (!LoadOrder(ctx, event.order_id, &row) || row.status != "CREATED") {
      ctx.NoteState(event.order_no, "payment-failed ignored: the order is not CREATED");
      return base::Status::Ok();
    }
    return Cancel(ctx, event.order_id, event.order_no, "payment failed: " + event.reason);
  });
}


// ---------------------------------------------------------------------------------
// The reference's compensation job: every 5 minutes, re-send OrderCreatedEvent for
// orders still CREATED after 10 minutes, at most 3 times per order.

void OrderService::ScheduleCompensationJob() {
  if (options().compensation_job != CompensationJob::kResend) return;
  ArmJob(env()->exec->now() + kJobEveryMs);
}

void OrderService::ArmJob(int64_t t) {
  env()->exec->AtIfUseful(
      t,
      [this, t] {
        Submit("compensation job", [this](StepContext& ctx) { return RunCompensationJob(ctx); });
        ArmJob(t + kJobEveryMs);
      },
      [this] { return CompensationJobUseful(); });
}

bool OrderService::CompensationJobUseful() {
  store::Statement& q = admin_db().Prepare(
      "SELECT EXISTS(SELECT 1 FROM orders WHERE status = 'CREATED' AND resend_count < ?)");
  q.Bind(1, kJobMaxResends);
  bool useful = q.Step() && q.Int(0) != 0;
  q.Reset();
  return useful;
}

base::Result<OrderCreatedEvent> OrderService::LoadCreatedEvent(StepContext& ctx, int64_t order_id) {
  OrderCreatedEvent e;
  store::Statement& q = ctx.db().Prepare(
      "SELECT order_no, user_id, total_cents, remark, event_id, created_at FROM orders WHERE id = ?");
  q.Bind(1, order_id);
  if (!q.Step()) return base::Status::NotFound("order " + std::to_string(order_id));
  e.order_id = order_id;
  e.order_no = q.Text(0);
  e.user_id = q.Int(1);
  e.total_amount = q.Int(2);
  e.remark = q.Text(3);
  e.event_id = q.Text(4);
  q.Reset();
  e.timestamp = kEpochMs + ctx.now_ms();
  store::Statement& items = ctx.db().Prepare("SELECT product_id, quantity FROM order_item WHERE order_id = ?");
  items.Bind(1, order_id);
  while (items.Step()) e.product_quantity_map[items.Int(0)] = items.Int(1);
  items.Reset();
  return e;
}

base::Status OrderService::RunCompensationJob(StepContext& ctx) {
  store::Transaction txn(&ctx.db());
  if (!txn.begin_status().ok()) return txn.begin_status();
  std::vector<std::pair<int64_t, int64_t>> due;  // order id, resends so far
  store::Statement& q = ctx.db().Prepare(
      "SELECT id, resend_count FROM orders WHERE status = 'CREATED' AND created_at <= ? AND resend_count < ? "
      "ORDER BY id");
  q.Bind(1, ctx.now_ms() - kJobMinAgeMs).Bind(2, kJobMaxResends);
  while (q.Step()) due.emplace_back(q.Int(0), q.Int(1));
  q.Reset();
  for (const auto& [order_id, resends] : due) {
    auto event = LoadCreatedEvent(ctx, order_id);
    if (!event.ok()) return event.status();
    base::Status s =
        ctx.db().Prepare("UPDATE orders SET resend_count = resend_count + 1 WHERE id = ?").Bind(1, order_id).Run();
    if (!s.ok()) return s;
    ctx.NoteState(event->order_no, "compensation job re-sends OrderCreatedEvent (" + std::to_string(resends + 1) +
                                       "/" + std::to_string(kJobMaxResends) + ")");
    s = ctx.Publish(*FindTopic("order-created"), event->order_no, event->event_id, ToJson(*event));
    if (!s.ok()) return s;
  }
  return ctx.Commit(&txn);
}

}  // namespace services
