#include "services/payment/payment_service.h"

#include "services/handler.h"
#include "services/step_context.h"
#include "sim/executor.h"

namespace services {

const char* PaymentService::SchemaSql() {
  return R"sql(
CREATE TABLE IF NOT EXISTS payment(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id INTEGER NOT NULL,
  order_no TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL,
  method TEXT NOT NULL,
  status TEXT NOT NULL,
  transaction_no TEXT,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_by_order ON payment(order_id, status);
CREATE TABLE IF NOT EXISTS order_mark(
  order_id INTEGER PRIMARY KEY,
  order_no TEXT NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0
);
)sql";
}

void PaymentService::AddConsumers() {
  using namespace std::placeholders;
  AddConsumer("orderCreatedConsumer-in-0", std::bind(&PaymentService::OnOrderCreated, this, _1, _2));
  if (options().cancellation == Cancellation::kCompensate)
    AddConsumer("orderCancelledConsumer-in-0", std::bind(&PaymentService::OnOrderCancelled, this, _1, _2));
}

std::string PaymentService::Charge(const std::string& order_no, int64_t cause) {
  if (!env()->faults) return std::string();
  auto lock = env()->exec->Lock();
  return env()->faults->DeclinePayment(order_no, cause).value_or(std::string());
}

base::Status PaymentService::OnOrderCreated(const broker::Message& msg, StepContext& ctx) {
  // The reference's Payment handler has no idempotency check (only `transactional`
  // adds one, through HandleInTransaction).
  return HandleInTransaction(msg, ctx, ParseOrderCreated, [&](const OrderCreatedEvent& event) {
    store::Db& db = ctx.db();
    if (options().cancellation == Cancellation::kCompensate) {
      store::Statement& q = db.Prepare("SELECT cancelled FROM order_mark WHERE order_id = ?");
      q.Bind(1, event.order_id);
      bool cancelled = q.Step() && q.Int(0) != 0;
      q.Reset();
      if (cancelled) {
        ctx.NoteState(event.order_no, "already cancelled: not charged");
        return base::Status::Ok();
      }
    }
    base::Status s = db.Prepare("INSERT INTO payment(order_id, order_no, user_id, amount_cents, method, status, "
                                "created_at, updated_at) VALUES(?, ?, ?, ?, 'ALIPAY', 'PENDING', ?, ?)")
                         .Bind(1, event.order_id)
                         .Bind(2, event.order_no)
                         .Bind(3, event.user_id)
                         .Bind(4, event.total_amount)
                         .Bind(5, ctx.now_ms())
                         .Bind(6, ctx.now_ms())
                         .Run();
    if (!s.ok()) return s;
    int64_t payment_id = db.LastInsertRowId();
    std::string declined = Charge(event.order_no, ctx.cause());
    if (!declined.empty()) {
      s = db.Prepare("UPDATE payment SET status = 'FAILED', reason = ?, updated_at = ? WHERE id = ?")
              .Bind(1, declined)
              .Bind(2, ctx.now_ms())
              .Bind(3, payment_id)
              .Run();
      if (!s.ok()) return s;
      ctx.NoteState(event.order_no, "payment " + std::to_string(payment_id) + " FAILED: " + declined);
      // The reference sends nothing on a failed payment; compensate reports it.
      if (options().cancellation != Cancellation::kCompensate) return base::Status::Ok();
      OrderNoticeEvent out;
      out.order_id = event.order_id;
      out.order_no = event.order_no;
      out.reason = declined;
      out.payment_id = payment_id;
      out.timestamp = kEpochMs + ctx.now_ms();
      out.event_id = "pf-" + std::to_string(payment_id);
      return ctx.Publish(*FindTopic("payment-failed"), event.order_no, out.event_id, ToJson(out));
    }
    PaymentSuccessEvent out;
    out.payment_id = payment_id;
    out.order_id = event.order_id;
    out.order_no = event.order_no;
    out.user_id = event.user_id;
    out.amount = event.total_amount;
    out.payment_method = "ALIPAY";
    out.timestamp = kEpochMs + ctx.now_ms();
    out.transaction_no = "TXN" + std::to_string(out.timestamp) + std::to_string(payment_id);
    out.event_id = "ps-" + std::to_string(payment_id);
    s = db.Prepare("UPDATE payment SET status = 'SUCCESS', transaction_no = ?, updated_at = ? WHERE id = ?")
            .Bind(1, out.transaction_no)
            .Bind(2, ctx.now_ms())
            .Bind(3, payment_id)
            .Run();
    if (!s.ok()) return s;
    ctx.NoteState(event.order_no, "payment " + std::to_string(payment_id) + " SUCCESS " +
                                      base::FormatMoney(event.total_amount));
    return ctx.Publish(*FindTopic("payment-success"), event.order_no, out.event_id, ToJson(out));
  });
}

base::Status PaymentService::OnOrderCancelled(const broker::Message& msg, StepContext& ctx) {
  return HandleInTransaction(msg, ctx, ParseOrderNotice, [&](const OrderNoticeEvent& event) {
    store::Db& db = ctx.db();
    // The mark also stops a late OrderCreatedEvent from charging this order.
    base::Status s = db.Prepare("INSERT INTO order_mark(order_id, order_no, cancelled) VALUES(?, ?, 1) "
                                "ON CONFLICT(order_id) DO UPDATE SET cancelled = 1")
                         .Bind(1, event.order_id)
                         .Bind(2, event.order_no)
                         .Run();
    if (!s.ok()) return s;
    std::vector<int64_t> captured;
    store::Statement& q = db.Prepare("SELECT id FROM payment WHERE order_id = ? AND status = 'SUCCESS' ORDER BY id");
    q.Bind(1, event.order_id);
    while (q.Step()) captured.push_back(q.Int(0));
    q.Reset();
    for (int64_t id : captured) {
      s = db.Prepare("UPDATE payment SET status = 'REFUNDED', updated_at = ? WHERE id = ?")
              .Bind(1, ctx.now_ms())
              .Bind(2, id)
              .Run();
      if (!s.ok()) return s;
      ctx.NoteState(event.order_no, "payment " + std::to_string(id) + " REFUNDED");
    }
    return base::Status::Ok();
  });
}

}  // namespace services
