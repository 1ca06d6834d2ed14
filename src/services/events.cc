#include "services/events.h"

#include <nlohmann/json.hpp>

namespace services {
namespace {

using nlohmann::json;

json ItemsToJson(const Items& items) {
  json out = json::object();
  for (const auto& [product, quantity] : items) out[std::to_string(product)] = quantity;
  return out;
}

// A JSON integer that fits in int64_t. get<int64_t>() alone would cast a float (1e20
// is undefined behaviour) and wrap an unsigned value above INT64_MAX; the services
// write integers only, so anything else is a malformed body.
int64_t IntValue(const json& v, const char* key) {
  bool fits = v.is_number_integer() &&
              !(v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX));
  if (!fits) throw std::runtime_error(std::string("field ") + key + " is not a 64-bit integer");
  return v.get<int64_t>();
}

int64_t IntField(const json& j, const char* key) { return IntValue(j.at(key), key); }

int64_t IntFieldOr(const json& j, const char* key, int64_t fallback) {
  auto it = j.find(key);
  return it == j.end() ? fallback : IntValue(*it, key);
}

base::Cents MoneyField(const json& j, const char* key) {
  const json& v = j.at(key);
  base::Cents cents = 0;
  if (v.is_string() && base::ParseMoney(v.get<std::string>(), &cents)) return cents;
  if (v.is_number_integer() && !__builtin_mul_overflow(IntValue(v, key), 100, &cents)) return cents;
  throw std::runtime_error(std::string("field ") + key + " is not an amount");
}

std::string StringOr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <typename T, typename Fn>
base::Result<T> Parse(std::string_view body, const char* type, Fn fill) {
  try {
    json j = json::parse(body);
    T event;
    fill(j, &event);
    return event;
  } catch (const std::exception& e) {
    return base::Status::Failed(std::string("cannot decode ") + type + ": " + e.what());
  }
}

}  // namespace

std::string ItemsText(const std::vector<std::pair<int64_t, int64_t>>& items) {
  std::string out;
  for (const auto& [product, quantity] : items) {
    if (!out.empty()) out += ", ";
    out += std::to_string(quantity) + "x product " + std::to_string(product);
  }
  return out;
}

std::string ItemsText(const Items& items) { return ItemsText(std::vector<std::pair<int64_t, int64_t>>(items.begin(), items.end())); }

std::string ToJson(const OrderCreatedEvent& e) {
  json j = {{"orderId", e.order_id},
            {"orderNo", e.order_no},
            {"userId", e.user_id},
            {"totalAmount", base::FormatMoney(e.total_amount)},
            {"productQuantityMap", ItemsToJson(e.product_quantity_map)},
            {"remark", e.remark},
            {"timestamp", e.timestamp},
            {"eventId", e.event_id}};
  return j.dump();
}

std::string ToJson(const PaymentSuccessEvent& e) {
  json j = {{"paymentId", e.payment_id},
            {"orderId", e.order_id},
            {"orderNo", e.order_no},
            {"userId", e.user_id},
            {"amount", base::FormatMoney(e.amount)},
            {"paymentMethod", e.payment_method},
            {"transactionNo", e.transaction_no},
            {"timestamp", e.timestamp},
            {"eventId", e.event_id}};
  return j.dump();
}

std::string ToJson(const OrderNoticeEvent& e) {
  json j = {{"orderId", e.order_id}, {"orderNo", e.order_no}};
  if (!e.reason.empty()) j["reason"] = e.reason;
  if (e.payment_id) j["paymentId"] = e.payment_id;
  j["timestamp"] = e.timestamp;
  j["eventId"] = e.event_id;
  return j.dump();
}

base::Result<OrderCreatedEvent> ParseOrderCreated(std::string_view body) {
  return Parse<OrderCreatedEvent>(body, "OrderCreatedEvent", [](const json& j, OrderCreatedEvent* e) {
    e->order_id = IntField(j, "orderId");
    e->order_no = j.at("orderNo").get<std::string>();
    e->user_id = IntFieldOr(j, "userId", 0);
    e->total_amount = MoneyField(j, "totalAmount");
    for (const auto& [product, quantity] : j.at("productQuantityMap").items())
      e->product_quantity_map[std::stoll(product)] = IntValue(quantity, "productQuantityMap");
    e->remark = StringOr(j, "remark");
    e->timestamp = IntFieldOr(j, "timestamp", 0);
    e->event_id = j.at("eventId").get<std::string>();
  });
}

base::Result<PaymentSuccessEvent> ParsePaymentSuccess(std::string_view body) {
  return Parse<PaymentSuccessEvent>(body, "PaymentSuccessEvent", [](const json& j, PaymentSuccessEvent* e) {
    e->payment_id = IntField(j, "paymentId");
    e->order_id = IntField(j, "orderId");
    e->order_no = j.at("orderNo").get<std::string>();
    e->user_id = IntFieldOr(j, "userId", 0);
    e->amount = MoneyField(j, "amount");
    e->payment_method = StringOr(j, "paymentMethod");
    e->transaction_no = StringOr(j, "transactionNo");
    e->timestamp = IntFieldOr(j, "timestamp", 0);
    e->event_id = j.at("eventId").get<std::string>();
  });
}

base::Result<OrderNoticeEvent> ParseOrderNotice(std::string_view body) {
  return Parse<OrderNoticeEvent>(body, "event", [](const json& j, OrderNoticeEvent* e) {
    e->order_id = IntField(j, "orderId");
    e->order_no = j.at("orderNo").get<std::string>();
    e->reason = StringOr(j, "reason");
    e->payment_id = IntFieldOr(j, "paymentId", 0);
    e->timestamp = IntFieldOr(j, "timestamp", 0);
    e->event_id = j.at("eventId").get<std::string>();
  });
}

}  // namespace services
