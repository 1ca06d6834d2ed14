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

base::Cents MoneyField(const json& j, const char* key) {
  const json& v = j.at(key);
  base::Cents cents = 0;
  if (v.is_string() && base::ParseMoney(v.get<std::string>(), &cents)) return cents;
  if (v.is_number_integer()) return v.get<int64_t>() * 100;
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
    e->order_id = j.at("orderId").get<int64_t>();
    e->order_no = j.at("orderNo").get<std::string>();
    e->user_id = j.value("userId", int64_t{0});
    e->total_amount = MoneyField(j, "totalAmount");
    for (const auto& [product, quantity] : j.at("productQuantityMap").items())
      e->product_quantity_map[std::stoll(product)] = quantity.get<int64_t>();
    e->remark = StringOr(j, "remark");
    e->timestamp = j.value("timestamp", int64_t{0});
    e->event_id = j.at("eventId").get<std::string>();
  });
}

base::Result<PaymentSuccessEvent> ParsePaymentSuccess(std::string_view body) {
  return Parse<PaymentSuccessEvent>(body, "PaymentSuccessEvent", [](const json& j, PaymentSuccessEvent* e) {
    e->payment_id = j.at("paymentId").get<int64_t>();
    e->order_id = j.at("orderId").get<int64_t>();
    e->order_no = j.at("orderNo").get<std::string>();
    e->user_id = j.value("userId", int64_t{0});
    e->amount = MoneyField(j, "amount");
    e->payment_method = StringOr(j, "paymentMethod");
    e->transaction_no = StringOr(j, "transactionNo");
    e->timestamp = j.value("timestamp", int64_t{0});
    e->event_id = j.at("eventId").get<std::string>();
  });
}

base::Result<OrderNoticeEvent> ParseOrderNotice(std::string_view body) {
  return Parse<OrderNoticeEvent>(body, "event", [](const json& j, OrderNoticeEvent* e) {
    e->order_id = j.at("orderId").get<int64_t>();
    e->order_no = j.at("orderNo").get<std::string>();
    e->reason = StringOr(j, "reason");
    e->payment_id = j.value("paymentId", int64_t{0});
    e->timestamp = j.value("timestamp", int64_t{0});
    e->event_id = j.at("eventId").get<std::string>();
  });
}

}  // namespace services
