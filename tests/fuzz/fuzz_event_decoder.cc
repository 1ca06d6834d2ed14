// libFuzzer target: arbitrary bytes into the event decoder (services/events.h), the
// code that reads every message body a consumer receives, poison messages included.
//
// Each body goes to the flat parser, compared with nlohmann's, and to all three event
// parsers. A refusal is fine; a crash, a hang, an escaping
// exception or undefined behaviour is not. When a body decodes, the event is encoded
// again with ToJson, and that must decode to the same event (the producers' side of
// the contract): a body the services wrote must always be readable.
//
// Built only by cmake/fuzz.cmake (SAGASIM_FUZZ=ON, clang). tests/*.cc is also globbed
// into sagasim_tests, hence the guard: there this file compiles to nothing.

#if defined(SAGASIM_FUZZ_TARGET)

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "services/events.h"
#include "services/flat_json.h"

namespace {

void Require(bool promise) {
  if (!promise) __builtin_trap();
}

bool Same(const services::OrderCreatedEvent& a, const services::OrderCreatedEvent& b) {
  return a.order_id == b.order_id && a.order_no == b.order_no && a.user_id == b.user_id &&
         a.total_amount == b.total_amount && a.product_quantity_map == b.product_quantity_map &&
         a.remark == b.remark && a.timestamp == b.timestamp && a.event_id == b.event_id;
}

bool Same(const services::PaymentSuccessEvent& a, const services::PaymentSuccessEvent& b) {
  return a.payment_id == b.payment_id && a.order_id == b.order_id && a.order_no == b.order_no &&
         a.user_id == b.user_id && a.amount == b.amount && a.payment_method == b.payment_method &&
         a.transaction_no == b.transaction_no && a.timestamp == b.timestamp && a.event_id == b.event_id;
}

bool Same(const services::OrderNoticeEvent& a, const services::OrderNoticeEvent& b) {
  return a.order_id == b.order_id && a.order_no == b.order_no && a.reason == b.reason &&
         a.payment_id == b.payment_id && a.timestamp == b.timestamp && a.event_id == b.event_id;
}

// Amounts are written as unsigned decimal strings, so only non-negative ones can come
// back; the services never produce negative amounts.
template <typename Event, typename Parser>
void CheckRoundTrip(const Event& event, Parser parse, bool amount_ok) {
  if (!amount_ok) return;
  auto again = parse(services::ToJson(event));
  Require(again.ok());
  Require(Same(event, again.value()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);

  // The decoders' fast path must read what it accepts exactly as nlohmann does.
  if (std::optional<nlohmann::json> flat = services::ParseFlatJson(body)) {
    nlohmann::json reference = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    Require(!reference.is_discarded());
    Require(flat->dump() == reference.dump());
  }

  if (auto created = services::ParseOrderCreated(body); created.ok())
    CheckRoundTrip(created.value(), services::ParseOrderCreated, created.value().total_amount >= 0);
  if (auto paid = services::ParsePaymentSuccess(body); paid.ok())
    CheckRoundTrip(paid.value(), services::ParsePaymentSuccess, paid.value().amount >= 0);
  if (auto notice = services::ParseOrderNotice(body); notice.ok())
    CheckRoundTrip(notice.value(), services::ParseOrderNotice, true);
  return 0;
}

#endif  // SAGASIM_FUZZ_TARGET
