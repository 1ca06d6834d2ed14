#include "services/events.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "base/escape.h"
#include "services/flat_json.h"

namespace services {
namespace {

using nlohmann::json;

// Writes a body exactly as nlohmann::json's dump() writes the same object (keys in
// byte order, no spaces, UTF-8 kept, control characters escaped) without building the
// DOM first: encoding was 8% of a run's instructions. The callers add the fields in
// key order; events_test.cc compares the bytes with dump() for every event type.
class BodyWriter {
 public:
  BodyWriter() {
    out_.reserve(256);
    out_ += '{';
  }
  void Field(const char* key, int64_t value) {
    Key(key);
    out_ += std::to_string(value);
  }
  void Field(const char* key, const std::string& value) {
    Key(key);
    String(value);
  }
  // An object of product ids to quantities: its keys are the ids as strings, in
  // string order, as a JSON object's are.
  void Items(const char* key, const services::Items& items) {
    Key(key);
    std::vector<std::pair<std::string, int64_t>> fields;
    fields.reserve(items.size());
    for (const auto& [product, quantity] : items) fields.emplace_back(std::to_string(product), quantity);
    std::sort(fields.begin(), fields.end());
    out_ += '{';
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out_ += ',';
      String(fields[i].first);
      out_ += ':';
      out_ += std::to_string(fields[i].second);
    }
    out_ += '}';
  }
  std::string Done() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void Key(const char* key) {
    if (out_.size() > 1) out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  void String(const std::string& value) {
    // Text that is not UTF-8 goes to nlohmann itself, which throws as it always did.
    for (size_t i = 0; i < value.size();) {
      uint32_t code_point = 0;
      size_t n = base::Utf8Sequence(value, i, &code_point);
      if (n == 0) {
        out_ += json(value).dump();
        return;
      }
      i += n;
    }
    out_ += '"';
    for (unsigned char c : value) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
          } else {
            out_ += static_cast<char>(c);
          }
      }
    }
    out_ += '"';
  }

  std::string out_;
};

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

// The fast path's reads of a FlatDoc. Each gives false wherever the DOM path's
// reading could do anything but succeed with the same value; the DOM path then runs
// and decides, and words any error.
class FlatReader {
 public:
  explicit FlatReader(const FlatDoc& doc) : doc_(doc) {}
  bool Int(const char* key, int64_t* out) const {
    const FlatValue* v = doc_.Find(key);
    if (!v || v->kind != FlatValue::Kind::kInteger) return false;
    *out = v->integer;
    return true;
  }
  bool IntOr(const char* key, int64_t fallback, int64_t* out) const {
    if (!doc_.Find(key)) {
      *out = fallback;
      return true;
    }
    return Int(key, out);
  }
  bool String(const char* key, std::string* out) const {
    const FlatValue* v = doc_.Find(key);
    if (!v || v->kind != FlatValue::Kind::kString) return false;
    out->assign(v->text);
    return true;
  }
  // As StringOr: anything but a string reads as empty.
  void StringOr(const char* key, std::string* out) const {
    const FlatValue* v = doc_.Find(key);
    if (v && v->kind == FlatValue::Kind::kString) {
      out->assign(v->text);
    } else {
      out->clear();
    }
  }
  bool Money(const char* key, base::Cents* out) const {
    const FlatValue* v = doc_.Find(key);
    if (!v) return false;
    if (v->kind == FlatValue::Kind::kString) return base::ParseMoney(v->text, out);
    return v->kind == FlatValue::Kind::kInteger && !__builtin_mul_overflow(v->integer, 100, out);
  }
  // Keys written as canonical integers only (what std::stoll reads the same way and
  // two different ones never share a value), integer quantities.
  bool ItemsField(const char* key, Items* out) const {
    const FlatValue* v = doc_.Find(key);
    if (!v || v->kind != FlatValue::Kind::kObject) return false;
    for (size_t i = v->first; i < v->first + v->count; ++i) {
      const FlatField& f = doc_.nested[i];
      int64_t product = 0;
      if (!CanonicalInt(f.key, &product) || f.value.kind != FlatValue::Kind::kInteger) return false;
      (*out)[product] = f.value.integer;  // a repeated key: the last, as in the DOM
    }
    return true;
  }

 private:
  static bool CanonicalInt(std::string_view text, int64_t* out) {
    bool negative = !text.empty() && text[0] == '-';
    std::string_view digits = text.substr(negative ? 1 : 0);
    if (digits.empty() || digits.size() > 18 || (digits.size() > 1 && digits[0] == '0')) return false;
    if (negative && digits == "0") return false;
    int64_t n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + (c - '0');
    }
    *out = negative ? -n : n;
    return true;
  }

  const FlatDoc& doc_;
};

std::atomic<bool> flat_decoding{true};

// `fast` reads a body of the services' own shape without a DOM; when it cannot (or
// flat decoding is off), `fill` reads nlohmann's DOM.
template <typename T, typename Fast, typename Fn>
base::Result<T> Parse(std::string_view body, const char* type, Fast fast, Fn fill) {
  if (flat_decoding.load(std::memory_order_relaxed)) {
    thread_local FlatDoc doc;  // its vectors keep their capacity from body to body
    T event;
    if (ParseFlat(body, &doc) && fast(FlatReader(doc), &event)) return event;
  }
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
  BodyWriter w;
  w.Field("eventId", e.event_id);
  w.Field("orderId", e.order_id);
  w.Field("orderNo", e.order_no);
  w.Items("productQuantityMap", e.product_quantity_map);
  w.Field("remark", e.remark);
  w.Field("timestamp", e.timestamp);
  w.Field("totalAmount", base::FormatMoney(e.total_amount));
  w.Field("userId", e.user_id);
  return w.Done();
}

std::string ToJson(const PaymentSuccessEvent& e) {
  BodyWriter w;
  w.Field("amount", base::FormatMoney(e.amount));
  w.Field("eventId", e.event_id);
  w.Field("orderId", e.order_id);
  w.Field("orderNo", e.order_no);
  w.Field("paymentId", e.payment_id);
  w.Field("paymentMethod", e.payment_method);
  w.Field("timestamp", e.timestamp);
  w.Field("transactionNo", e.transaction_no);
  w.Field("userId", e.user_id);
  return w.Done();
}

std::string ToJson(const OrderNoticeEvent& e) {
  BodyWriter w;
  w.Field("eventId", e.event_id);
  w.Field("orderId", e.order_id);
  w.Field("orderNo", e.order_no);
  if (e.payment_id) w.Field("paymentId", e.payment_id);
  if (!e.reason.empty()) w.Field("reason", e.reason);
  w.Field("timestamp", e.timestamp);
  return w.Done();
}

void SetFlatDecoding(bool on) { flat_decoding.store(on, std::memory_order_relaxed); }

base::Result<OrderCreatedEvent> ParseOrderCreated(std::string_view body) {
  auto fast = [](const FlatReader& r, OrderCreatedEvent* e) {
    return r.Int("orderId", &e->order_id) && r.String("orderNo", &e->order_no) &&
           r.IntOr("userId", 0, &e->user_id) && r.Money("totalAmount", &e->total_amount) &&
           r.ItemsField("productQuantityMap", &e->product_quantity_map) &&
           (r.StringOr("remark", &e->remark), true) && r.IntOr("timestamp", 0, &e->timestamp) &&
           r.String("eventId", &e->event_id);
  };
  return Parse<OrderCreatedEvent>(body, "OrderCreatedEvent", fast, [](const json& j, OrderCreatedEvent* e) {
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
  auto fast = [](const FlatReader& r, PaymentSuccessEvent* e) {
    return r.Int("paymentId", &e->payment_id) && r.Int("orderId", &e->order_id) &&
           r.String("orderNo", &e->order_no) && r.IntOr("userId", 0, &e->user_id) &&
           r.Money("amount", &e->amount) && (r.StringOr("paymentMethod", &e->payment_method), true) &&
           (r.StringOr("transactionNo", &e->transaction_no), true) && r.IntOr("timestamp", 0, &e->timestamp) &&
           r.String("eventId", &e->event_id);
  };
  return Parse<PaymentSuccessEvent>(body, "PaymentSuccessEvent", fast, [](const json& j, PaymentSuccessEvent* e) {
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
  auto fast = [](const FlatReader& r, OrderNoticeEvent* e) {
    return r.Int("orderId", &e->order_id) && r.String("orderNo", &e->order_no) &&
           (r.StringOr("reason", &e->reason), true) && r.IntOr("paymentId", 0, &e->payment_id) &&
           r.IntOr("timestamp", 0, &e->timestamp) && r.String("eventId", &e->event_id);
  };
  return Parse<OrderNoticeEvent>(body, "event", fast, [](const json& j, OrderNoticeEvent* e) {
    e->order_id = IntField(j, "orderId");
    e->order_no = j.at("orderNo").get<std::string>();
    e->reason = StringOr(j, "reason");
    e->payment_id = IntFieldOr(j, "paymentId", 0);
    e->timestamp = IntFieldOr(j, "timestamp", 0);
    e->event_id = j.at("eventId").get<std::string>();
  });
}

}  // namespace services
