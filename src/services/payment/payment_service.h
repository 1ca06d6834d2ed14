#pragma once

#include "services/events.h"
#include "services/service.h"

namespace services {

// Payment Service: creates and captures a payment for each created order (the
// reference's "simplified logic"), through a gateway that the payment-decline fault
// can make decline; refunds a captured payment when the order is cancelled
// (compensate).
class PaymentService : public Service {
 public:
  explicit PaymentService(Env* env) : Service(ServiceId::kPayment, env) {}

 protected:
  const char* Schema() const override { return SchemaSql(); }
 public:
  // The service's own tables (the bench's floor writes the same ones).
  static const char* SchemaSql();
 protected:
  void AddConsumers() override;

 private:
  base::Status OnOrderCreated(const broker::Message& msg, StepContext& ctx);
  base::Status OnOrderCancelled(const broker::Message& msg, StepContext& ctx);
  // The gateway's answer: empty when captured, else the decline reason.
  std::string Charge(const std::string& order_no, int64_t cause);
};

}  // namespace services
