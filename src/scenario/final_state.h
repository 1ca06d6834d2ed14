#pragma once

// What a finished run leaves behind, gathered from the services' databases and the
// broker, for the checkers (checkers.h) and the reports. Plain data, no behaviour.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/money.h"
#include "scenario/scenario.h"

namespace scenario {

// product -> quantity, by product: flat, because a run may hold a million of them.
using OrderItems = std::vector<std::pair<int64_t, int64_t>>;

struct OrderRecord {
  int64_t order_id = 0;
  std::string order_no;    // the scenario's order id
  std::string status;      // CREATED | PAID | CANCELLED
  OrderItems items;
  base::Cents total = 0;
  std::string reason;      // why it was cancelled, if it was
};

struct PaymentRecord {
  int64_t payment_id = 0;
  std::string order_no;
  std::string status;      // SUCCESS | FAILED | REFUNDED | PENDING
  base::Cents amount = 0;
};

struct ProductRecord {
  int64_t id = 0;
  std::string name;
  int64_t initial = 0;     // catalog stock
  int64_t restocked = 0;   // sum of restock steps applied
  int64_t available = 0, frozen = 0, sold = 0;
  int64_t min_available = 0, min_frozen = 0, min_sold = 0;  // lowest values ever held
};

// Stock's per-order record of what it froze.
struct ReservationRecord {
  std::string order_no;
  int64_t product = 0;
  int64_t quantity = 0;
  std::string status;      // FROZEN | DEDUCTED | RELEASED
};

// A message sitting in %DLQ%<group> at the end of the run.
struct DlqRecord {
  std::string group;
  std::string topic;       // the original topic
  std::string order_no;    // the message's key
  std::string msg_id;
};

// A message that a subscribed group neither acked nor dead-lettered.
struct UnackedRecord {
  std::string group;
  std::string topic;       // stored topic (may be %RETRY%<group>)
  int queue = 0;
  int64_t offset = 0;
  std::string order_no;
};

// One queue a consumer group reads, at the end of the run (mqadmin consumerProgress):
// the backlog is broker_offset - consumer_offset.
struct ProgressRecord {
  std::string group;
  std::string topic;       // stored topic (%RETRY%<group> for the retry queue)
  int queue = 0;
  int64_t broker_offset = 0;    // the queue's max offset
  int64_t consumer_offset = 0;  // the committed (lowest unacked) offset
};

struct DeliveryCount {
  int64_t count = 0;       // broker deliveries (first + redeliveries)
  int64_t calls = 0;       // handler invocations
};

struct FinalState {
  std::vector<OrderRecord> orders;          // by order id
  std::vector<PaymentRecord> payments;      // by payment id
  std::vector<ProductRecord> products;      // by product id
  std::vector<ReservationRecord> reservations;
  std::vector<DlqRecord> dlq;
  std::vector<UnackedRecord> unacked;
  std::vector<ProgressRecord> progress;     // per consumer, in registration order
  // (group, original topic, order id) -> counts; only keys the scenario asks about
  // are guaranteed to be present.
  std::map<std::tuple<std::string, std::string, std::string>, DeliveryCount> deliveries;
  int64_t end_ms = 0;      // virtual time when the run ended
  bool hit_until = false;  // the run was cut off by `until`
};

}  // namespace scenario
