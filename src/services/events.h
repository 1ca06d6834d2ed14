#pragma once

// The saga's events as JSON bodies, with the reference's field names (Java types:
// Long -> number, BigDecimal -> decimal string, Map<Long,Integer> -> object with
// string keys). Parsing fails with a Status on malformed bodies (poison messages).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/money.h"
#include "base/result.h"
#include "base/virtual_time.h"

namespace services {

using Items = std::map<int64_t, int64_t>;  // productId -> quantity

// Event timestamps count virtual time from base::kEpochMs (2026-01-01T00:00:00Z).
using base::kEpochMs;

struct OrderCreatedEvent {
  int64_t order_id = 0;
  std::string order_no;
  int64_t user_id = 0;
  base::Cents total_amount = 0;
  Items product_quantity_map;
  std::string remark;
  int64_t timestamp = 0;
  std::string event_id;
};

struct PaymentSuccessEvent {
  int64_t payment_id = 0;
  int64_t order_id = 0;
  std::string order_no;
  int64_t user_id = 0;
  base::Cents amount = 0;
  std::string payment_method;
  std::string transaction_no;
  int64_t timestamp = 0;
  std::string event_id;
};

// StockFreezeFailedEvent, and the hardened additions StockFrozenEvent,
// PaymentFailedEvent and OrderCancelledEvent, share this shape.
struct OrderNoticeEvent {
  int64_t order_id = 0;
  std::string order_no;
  std::string reason;          // empty for StockFrozenEvent
  int64_t payment_id = 0;      // PaymentFailedEvent only
  int64_t timestamp = 0;
  std::string event_id;
};

// "2x product 1, 1x product 3", for the story.
std::string ItemsText(const Items& items);
std::string ItemsText(const std::vector<std::pair<int64_t, int64_t>>& items);

std::string ToJson(const OrderCreatedEvent& e);
std::string ToJson(const PaymentSuccessEvent& e);
std::string ToJson(const OrderNoticeEvent& e);

// The parsers read the services' own bodies without a DOM (services/flat_json.h)
// and everything else with nlohmann's; both give the same result. Off: nlohmann's for
// every body (tests compare the two).
void SetFlatDecoding(bool on);

base::Result<OrderCreatedEvent> ParseOrderCreated(std::string_view body);
base::Result<PaymentSuccessEvent> ParsePaymentSuccess(std::string_view body);
base::Result<OrderNoticeEvent> ParseOrderNotice(std::string_view body);

}  // namespace services
