#include "services/events.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace services {
namespace {

using nlohmann::json;

// The bodies as nlohmann's DOM writes them: what ToJson wrote before it stopped
// building the DOM, and what it must still write byte for byte (broker.db, traces and
// the goldens hold these bytes).
json ItemsDom(const Items& items) {
  json out = json::object();
  for (const auto& [product, quantity] : items) out[std::to_string(product)] = quantity;
  return out;
}

std::string Dom(const OrderCreatedEvent& e) {
  return json{{"orderId", e.order_id},     {"orderNo", e.order_no},
              {"userId", e.user_id},       {"totalAmount", base::FormatMoney(e.total_amount)},
              {"productQuantityMap", ItemsDom(e.product_quantity_map)},
              {"remark", e.remark},        {"timestamp", e.timestamp},
              {"eventId", e.event_id}}
      .dump();
}

std::string Dom(const PaymentSuccessEvent& e) {
  return json{{"paymentId", e.payment_id},
              {"orderId", e.order_id},
              {"orderNo", e.order_no},
              {"userId", e.user_id},
              {"amount", base::FormatMoney(e.amount)},
              {"paymentMethod", e.payment_method},
              {"transactionNo", e.transaction_no},
              {"timestamp", e.timestamp},
              {"eventId", e.event_id}}
      .dump();
}

std::string Dom(const OrderNoticeEvent& e) {
  json j = {{"orderId", e.order_id}, {"orderNo", e.order_no}};
  if (!e.reason.empty()) j["reason"] = e.reason;
  if (e.payment_id) j["paymentId"] = e.payment_id;
  j["timestamp"] = e.timestamp;
  j["eventId"] = e.event_id;
  return j.dump();
}

// Text a scenario file can put into an order number or a remark.
const std::vector<std::string> kTexts = {
    "",
    "G-1",
    "quote \" backslash \\ slash /",
    "controls \x01\x08\x09\x0a\x0c\x0d\x1f del \x7f",
    std::string("nul \0 inside", 12),
    "unicode \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xae",
};

TEST_CASE("ToJson writes every event byte for byte as nlohmann's dump of the same object") {
  for (const std::string& text : kTexts) {
    CAPTURE(text);
    OrderCreatedEvent oc;
    oc.order_id = 9223372036854775807LL;
    oc.order_no = text;
    oc.user_id = -5;
    oc.total_amount = 123456;
    oc.product_quantity_map = {{1, 2}, {2, 1}, {10, 3}, {-4, 7}, {100, 0}};
    oc.remark = text;
    oc.timestamp = 1767225600000;
    oc.event_id = "oc-" + text;
    CHECK(ToJson(oc) == Dom(oc));
    oc.product_quantity_map.clear();
    CHECK(ToJson(oc) == Dom(oc));

    PaymentSuccessEvent ps;
    ps.payment_id = 3;
    ps.order_id = 1;
    ps.order_no = text;
    ps.user_id = 77;
    ps.amount = -250;
    ps.payment_method = text;
    ps.transaction_no = "TXN" + text;
    ps.timestamp = 0;
    ps.event_id = text;
    CHECK(ToJson(ps) == Dom(ps));

    OrderNoticeEvent n;
    n.order_id = -1;
    n.order_no = text;
    n.event_id = "sff-1";
    CHECK(ToJson(n) == Dom(n));
    n.reason = text.empty() ? "why" : text;
    CHECK(ToJson(n) == Dom(n));
    n.payment_id = 12;
    CHECK(ToJson(n) == Dom(n));
  }
}

TEST_CASE("ToJson of text that is not UTF-8 throws, as nlohmann's dump does") {
  OrderNoticeEvent n;
  n.order_no = "bad \xff byte";
  CHECK_THROWS(ToJson(n));
}

TEST_CASE("what ToJson writes parses back into the same event") {
  OrderCreatedEvent oc;
  oc.order_id = 42;
  oc.order_no = kTexts[3];
  oc.total_amount = 1999;
  oc.product_quantity_map = {{1, 2}, {10, 1}};
  oc.remark = kTexts[5];
  oc.event_id = "oc-42";
  auto back = ParseOrderCreated(ToJson(oc));
  REQUIRE(back.ok());
  CHECK(back->order_no == oc.order_no);
  CHECK(back->remark == oc.remark);
  CHECK(back->total_amount == 1999);
  CHECK(back->product_quantity_map == oc.product_quantity_map);
}

}  // namespace
}  // namespace services
