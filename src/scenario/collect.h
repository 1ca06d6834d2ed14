#pragma once

#include <set>
#include <string>
#include <tuple>

#include "base/status.h"
#include "broker/broker.h"
#include "scenario/final_state.h"
#include "services/order/order_service.h"
#include "services/payment/payment_service.h"
#include "services/stock/stock_service.h"

namespace scenario {

// Reads the end of a run into `state`: orders, payments, products and reservations
// from the services' databases (their admin connections), DLQ contents and unacked
// messages from the broker. REQUIRES: the run is over (no lane runs).
base::Status CollectFinalState(services::OrderService& order, services::StockService& stock,
                               services::PaymentService& payment, broker::Broker& broker, FinalState* state);

}  // namespace scenario
