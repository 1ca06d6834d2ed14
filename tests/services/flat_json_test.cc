#include "services/flat_json.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "services/events.h"

namespace services {
namespace {

using nlohmann::json;

// Equal values of equal types, all the way down (json's == calls 1 and 1u equal).
bool SameDom(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !SameDom(ia.value(), ib.value())) return false;
    return true;
  }
  return a == b;
}

// What nlohmann makes of `text`, or nothing when it refuses it.
std::optional<json> Nlohmann(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

void CheckAgrees(const std::string& text) {
  CAPTURE(text);
  std::optional<json> flat = ParseFlatJson(text);
  if (!flat) return;  // the caller falls back to nlohmann
  std::optional<json> reference = Nlohmann(text);
  REQUIRE(reference.has_value());
  CHECK(SameDom(*flat, *reference));
}

std::vector<std::string> ServiceBodies() {
  OrderCreatedEvent oc;
  oc.order_id = 12;
  oc.order_no = "G-\xc3\xa9-12";
  oc.user_id = 7;
  oc.total_amount = 59998;
  oc.product_quantity_map = {{1, 2}, {3, 1}, {10, 4}};
  oc.remark = "gift";
  oc.timestamp = 1767225600000;
  oc.event_id = "oc-12";
  PaymentSuccessEvent ps;
  ps.payment_id = 5;
  ps.order_id = 12;
  ps.order_no = "G-12";
  ps.amount = 59998;
  ps.payment_method = "ALIPAY";
  ps.transaction_no = "TXN17672256000005";
  ps.event_id = "ps-5";
  OrderNoticeEvent n;
  n.order_id = 12;
  n.order_no = "G-12";
  n.reason = "product 3 has insufficient stock";
  n.payment_id = 5;
  n.event_id = "sff-1";
  return {ToJson(oc), ToJson(ps), ToJson(n)};
}

TEST_CASE("ParseFlatJson takes every body the services write, giving nlohmann's DOM") {
  for (const std::string& body : ServiceBodies()) {
    CAPTURE(body);
    std::optional<json> flat = ParseFlatJson(body);
    REQUIRE(flat.has_value());
    CHECK(SameDom(*flat, json::parse(body)));
  }
}

TEST_CASE("ParseFlatJson leaves to nlohmann what is outside its shape, and refuses what is malformed") {
  for (const char* text :
       {"", " ", "{", "}", "[]", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":true}", "{\"a\":null}", "{\"a\":[1]}",
        "{\"a\":\"x\\ny\"}", "{\"a\":{\"b\":{}}}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1234567890123456789}",
        "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":1} x", "\xef\xbb\xbf{}", "{\"a\":\"\x01\"}",
        "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"abc"})
    CHECK_MESSAGE(!ParseFlatJson(text).has_value(), text);
  for (const char* text : {"{}", " {\t\"a\" :\n-0 ,\r\"b\":\"\" } ", "{\"a\":1,\"a\":\"last\"}",
                           "{\"m\":{\"1\":2,\"10\":-3}}", "{\"a\":999999999999999999}", "{\"\":\"\x7f\"}"}) {
    CHECK_MESSAGE(ParseFlatJson(text).has_value(), text);
    CheckAgrees(text);
  }
}

TEST_CASE("ParseFlatJson agrees with nlohmann on mutated bodies (differential, seeded)") {
  std::mt19937_64 rng(20261201);
  const std::string specials = "{}[]:,\"\\ -.e+0123456789\t\n\r\x01\x7f\xc3\xa9\xed\xa0\xf0\x9f\xff";
  std::vector<std::string> bodies = ServiceBodies();
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = bodies[rng() % bodies.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[at] = specials[rng() % specials.size()]; break;
        case 1: text.insert(at, 1, specials[rng() % specials.size()]); break;
        case 2: text.erase(at, 1 + rng() % 3); break;
        default: text.resize(at); break;
      }
    }
    if (ParseFlatJson(text)) ++accepted;
    CheckAgrees(text);
  }
  // The mutations must reach the parser's accepting paths, not only its refusals.
  CHECK(accepted > 1000);
}

bool Same(const OrderCreatedEvent& a, const OrderCreatedEvent& b) {
  return a.order_id == b.order_id && a.order_no == b.order_no && a.user_id == b.user_id &&
         a.total_amount == b.total_amount && a.product_quantity_map == b.product_quantity_map &&
         a.remark == b.remark && a.timestamp == b.timestamp && a.event_id == b.event_id;
}
bool Same(const PaymentSuccessEvent& a, const PaymentSuccessEvent& b) {
  return a.payment_id == b.payment_id && a.order_id == b.order_id && a.order_no == b.order_no &&
         a.user_id == b.user_id && a.amount == b.amount && a.payment_method == b.payment_method &&
         a.transaction_no == b.transaction_no && a.timestamp == b.timestamp && a.event_id == b.event_id;
}
bool Same(const OrderNoticeEvent& a, const OrderNoticeEvent& b) {
  return a.order_id == b.order_id && a.order_no == b.order_no && a.reason == b.reason &&
         a.payment_id == b.payment_id && a.timestamp == b.timestamp && a.event_id == b.event_id;
}

// The parser with flat decoding against the parser with nlohmann's DOM alone: the
// same event, or the same error.
template <typename Parser>
void CheckParsersAgree(const std::string& text, Parser parse, int* decoded) {
  CAPTURE(text);
  SetFlatDecoding(false);
  auto dom = parse(text);
  SetFlatDecoding(true);
  auto flat = parse(text);
  REQUIRE(flat.ok() == dom.ok());
  if (!dom.ok()) {
    CHECK(flat.status().message() == dom.status().message());
    return;
  }
  ++*decoded;
  CHECK(Same(flat.value(), dom.value()));
}

TEST_CASE("the event parsers decode alike with and without the flat reader (differential, seeded)") {
  std::mt19937_64 rng(7);
  const std::string specials = "{}:,\"\\ -0123456789.e\t\xc3\xa9\xff";
  std::vector<std::string> bodies = ServiceBodies();
  // Shapes the flat reader must hand over: missing fields, wrong types, odd keys.
  bodies.push_back("{\"orderId\":1,\"orderNo\":\"a\",\"eventId\":\"e\",\"totalAmount\":5,"
                   "\"productQuantityMap\":{\"01\":1,\"1\":2,\"-0\":3,\" 2\":4,\"2x\":5}}");
  bodies.push_back("{\"orderId\":1,\"orderNo\":2,\"eventId\":\"e\",\"amount\":\"1.5\",\"paymentId\":-3,"
                   "\"remark\":7,\"transactionNo\":{\"a\":1},\"orderId\":4}");
  int decoded = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string text = bodies[rng() % bodies.size()];
    int edits = static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      if (rng() % 2) {
        text[at] = specials[rng() % specials.size()];
      } else {
        text.insert(at, 1, specials[rng() % specials.size()]);
      }
    }
    CheckParsersAgree(text, ParseOrderCreated, &decoded);
    CheckParsersAgree(text, ParsePaymentSuccess, &decoded);
    CheckParsersAgree(text, ParseOrderNotice, &decoded);
  }
  SetFlatDecoding(true);
  CHECK(decoded > 2000);
}

}  // namespace
}  // namespace services
