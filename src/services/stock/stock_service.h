#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "services/events.h"
#include "services/idempotency.h"
#include "services/service.h"

namespace services {

// Stock Service: freezes an order's items when the order is created, deducts them
// when it is paid, releases them when it is cancelled (compensate). It keeps a
// reservation row per frozen item and order, and tracks the lowest values each
// product ever held (for the stock-non-negative invariant).
class StockService : public Service {
 public:
  explicit StockService(Env* env) : Service(ServiceId::kStock, env) {}

  struct CatalogEntry {
    int64_t id;
    std::string name;
    int64_t stock;
  };
  // The initial stock, before the run (single-threaded).
  base::Status SeedCatalog(const std::vector<CatalogEntry>& catalog);
  // An operator's restock step, run on the API thread. REQUIRES: executor lock.
  void Restock(Items quantities, std::string label);

 protected:
  const char* Schema() const override { return SchemaSql(); }
 public:
  // The service's own tables (the bench's floor writes the same ones).
  static const char* SchemaSql();
 protected:
  void AddConsumers() override;

 private:
  struct Reserved {
    int64_t id, product, quantity;
  };
  base::Status OnOrderCreated(const broker::Message& msg, StepContext& ctx);
  base::Status OnPaymentSuccess(const broker::Message& msg, StepContext& ctx);
  base::Status OnOrderCancelled(const broker::Message& msg, StepContext& ctx);

  // Freezes the items; on a shortage returns the reason (empty when all froze).
  base::Result<std::string> Freeze(StepContext& ctx, const OrderCreatedEvent& event);
  base::Status FreezeItem(StepContext& ctx, const OrderCreatedEvent& event, int64_t product, int64_t quantity);
  base::Result<std::vector<Reserved>> FrozenFor(StepContext& ctx, int64_t order_id);
  // Moves the order's frozen reservations to sold (deduct) or back to available.
  base::Status Settle(StepContext& ctx, const std::string& order_no, int64_t order_id, bool deduct);
  base::Result<bool> Marked(StepContext& ctx, int64_t order_id, const char* column);
  base::Status Mark(StepContext& ctx, int64_t order_id, const std::string& order_no, const char* column);
  std::string NextEventId(const char* prefix);

  ProcessedMarks marks_;  // the reference's Redis keys (`idempotency: sample`)
  std::atomic<int64_t> event_seq_{0};
};

}  // namespace services
