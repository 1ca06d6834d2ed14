#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/money.h"
#include "services/events.h"
#include "services/service.h"

namespace services {

struct PlaceRequest {
  std::string order_no;
  int64_t user_id = 0;
  Items items;
  std::string remark;
};

// Order Service: places orders (CREATED), and moves them to PAID or CANCELLED on
// what Stock and Payment report. Under `cancellation: compensate` an order is PAID
// only once both the freeze and the payment are confirmed, and a cancellation is
// published so that Payment refunds and Stock releases.
class OrderService : public Service {
 public:
  explicit OrderService(Env* env) : Service(ServiceId::kOrder, env) {}

  // The price list, before the run (single-threaded).
  base::Status SeedPrices(const std::vector<std::pair<int64_t, base::Cents>>& prices);
  // Queues a placement for the API thread. REQUIRES: executor lock.
  void Place(PlaceRequest request);
  // Arms the compensation job (every 5 virtual minutes) when the option asks for it.
  // REQUIRES: executor lock.
  void ScheduleCompensationJob();

  static constexpr int64_t kJobEveryMs = 5 * 60 * 1000;
  static constexpr int64_t kJobMinAgeMs = 10 * 60 * 1000;
  static constexpr int kJobMaxResends = 3;

 protected:
  const char* Schema() const override { return SchemaSql(); }
 public:
  // The service's own tables (the bench's floor writes the same ones).
  static const char* SchemaSql();
 protected:
  void AddConsumers() override;

 private:
  struct OrderRow {
    std::string status;
    bool stock_confirmed = false, payment_confirmed = false;
  };
  base::Status PlaceNow(const PlaceRequest& request, StepContext& ctx);
  base::Status OnPaymentSuccess(const broker::Message& msg, StepContext& ctx);
  base::Status OnStockFreezeFailed(const broker::Message& msg, StepContext& ctx);
  base::Status OnStockFrozen(const broker::Message& msg, StepContext& ctx);
  base::Status OnPaymentFailed(const broker::Message& msg, StepContext& ctx);
  base::Status RunCompensationJob(StepContext& ctx);
  bool CompensationJobUseful();
  void ArmJob(int64_t t);

  // Loads the order's row; false if there is none.
  bool LoadOrder(StepContext& ctx, int64_t order_id, OrderRow* row);
  base::Status SetStatus(StepContext& ctx, int64_t order_id, const char* status, const std::string& reason);
  // Cancels a CREATED order and, under compensate, publishes OrderCancelledEvent.
  base::Status Cancel(StepContext& ctx, int64_t order_id, const std::string& order_no, const std::string& reason);
  // The story line of a CREATED order once a confirmation is written (compensate):
  // PAID when `row`, as it now stands in the step's transaction, has both (the
  // caller's UPDATE set the status with the confirmation), else which one it awaits.
  void NotePayment(StepContext& ctx, const std::string& order_no, const OrderRow& row);
  base::Result<OrderCreatedEvent> LoadCreatedEvent(StepContext& ctx, int64_t order_id);

  // product_price as seeded; read-only while the lanes run (SeedPrices comes first).
  std::map<int64_t, base::Cents> prices_;
};

}  // namespace services
