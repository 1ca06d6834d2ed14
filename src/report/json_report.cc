#include "report/json_report.h"

#include <cstdio>
#include <set>

#include "base/money.h"

namespace report {
namespace {

using Json = nlohmann::ordered_json;

// Metric key -> the event kind it counts, in report order. Every key is written even
// when zero, so a CI script can read any of them without checking it exists.
struct Metric {
  const char* key;
  const char* kind;
};
constexpr Metric kMetrics[] = {
    {"deliveries", "deliver"},
    {"handlerCalls", "call"},
    {"failures", "fail"},
    {"retries", "retry"},
    {"dlq", "dlq"},
    {"acks", "ack"},
    {"placed", "place"},
    {"publishes", "publish"},
    {"sendFailures", "send-failed"},
    {"filtered", "filtered"},
    {"skippedDuplicates", "skip-duplicate"},
    {"faults", "fault"},
    {"crashes", "crash"},
    {"restarts", "restart"},
    {"stateChanges", "state"},
    {"operatorSteps", "step"},
};

Json MetricsJson(const EventCounts& counts) {
  Json out = Json::object();
  std::set<std::string> known;
  for (const Metric& m : kMetrics) {
    auto it = counts.find(m.kind);
    out[m.key] = it == counts.end() ? 0 : it->second;
    known.insert(m.kind);
  }
  // A kind added to the simulator later still shows up, under its own name.
  for (const auto& [kind, n] : counts)
    if (!known.count(kind)) out[kind] = n;
  return out;
}

Json OptionsJson(const scenario::Options& o) {
  return Json{{"idempotency", services::OptionValueName(o.idempotency)},
              {"publish", services::OptionValueName(o.publish)},
              {"stockDeduct", services::OptionValueName(o.stock_deduct)},
              {"freeze", services::OptionValueName(o.freeze)},
              {"cancellation", services::OptionValueName(o.cancellation)},
              {"compensationJob", services::OptionValueName(o.compensation_job)},
              {"consumerGroups", services::OptionValueName(o.consumer_groups)}};
}

Json OrdersJson(const scenario::FinalState& s) {
  Json out = Json::array();
  for (const auto& o : s.orders) {
    Json items = Json::object();
    for (const auto& [product, quantity] : o.items) items[std::to_string(product)] = quantity;
    out.push_back(Json{{"id", o.order_no},
                       {"orderId", o.order_id},
                       {"status", o.status},
                       {"total", base::FormatMoney(o.total)},
                       {"items", std::move(items)},
                       {"reason", o.reason}});
  }
  return out;
}

Json PaymentsJson(const scenario::FinalState& s) {
  Json out = Json::array();
  for (const auto& p : s.payments)
    out.push_back(Json{{"paymentId", p.payment_id},
                       {"order", p.order_no},
                       {"status", p.status},
                       {"amount", base::FormatMoney(p.amount)}});
  return out;
}

Json StockJson(const scenario::FinalState& s) {
  Json out = Json::array();
  for (const auto& p : s.products)
    out.push_back(Json{{"product", p.id},
                       {"name", p.name},
                       {"available", p.available},
                       {"frozen", p.frozen},
                       {"sold", p.sold},
                       {"initial", p.initial},
                       {"restocked", p.restocked}});
  return out;
}

Json DlqJson(const scenario::FinalState& s) {
  Json out = Json::array();
  for (const auto& d : s.dlq)
    out.push_back(Json{{"group", d.group}, {"topic", d.topic}, {"order", d.order_no}, {"msgId", d.msg_id}});
  return out;
}

Json ChecksJson(const scenario::RunResult& r, Json* expectations) {
  Json invariants = Json::array();
  for (const auto& inv : r.invariants)
    invariants.push_back(Json{{"name", inv.name}, {"holds", inv.holds}, {"detail", inv.detail}});
  *expectations = Json::array();
  for (const auto& e : r.expectations)
    expectations->push_back(Json{{"what", e.what}, {"holds", e.holds}, {"expected", e.expected}, {"actual", e.actual}});
  return invariants;
}

}  // namespace

Json RunResultToJson(const scenario::RunResult& r, const EventCounts* counts) {
  Json out;
  out["name"] = r.name;
  out["file"] = r.file;
  out["description"] = r.description;
  out["profile"] = scenario::ProfileName(r.profile);
  out["seed"] = r.seed;
  out["mode"] = scenario::ModeName(r.mode);
  out["options"] = OptionsJson(r.options);
  out["passed"] = r.passed;
  out["virtualTimeMs"] = r.state.end_ms;
  out["steps"] = r.steps;
  out["wallMs"] = static_cast<double>(r.wall_us) / 1000.0;
  out["hitUntil"] = r.state.hit_until;
  out["orders"] = OrdersJson(r.state);
  out["payments"] = PaymentsJson(r.state);
  out["stock"] = StockJson(r.state);
  out["dlq"] = DlqJson(r.state);
  out["stuck"] = r.stuck;
  Json expectations;
  out["invariants"] = ChecksJson(r, &expectations);
  out["expectations"] = std::move(expectations);
  if (counts) out["metrics"] = MetricsJson(*counts);
  return out;
}

void JsonReport::AddResult(const scenario::RunResult& result, const EventCounts* counts) {
  scenarios_.push_back(RunResultToJson(result, counts));
  (result.passed ? passed_ : failed_)++;
}

void JsonReport::AddError(const std::string& name, const std::string& file, const std::string& message) {
  scenarios_.push_back(Json{{"name", name}, {"file", file}, {"passed", false}, {"error", message}});
  ++failed_;
  ++errors_;
}

Json JsonReport::ToJson() const {
  Json out;
  out["format"] = 1;
  out["tool"] = "sagasim";
  out["scenarios"] = Json::array();
  for (const Json& s : scenarios_) out["scenarios"].push_back(s);
  out["summary"] =
      Json{{"scenarios", passed_ + failed_}, {"passed", passed_}, {"failed", failed_}, {"errors", errors_}};
  return out;
}

std::string JsonReport::ToText() const {
  // Scenario texts and handler messages may carry any bytes; dump() would throw on them.
  return ToJson().dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

base::Status JsonReport::Write(const std::string& path) const {
  std::string text = ToText();
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return base::Status::Io("cannot write JSON report " + path);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? base::Status::Ok() : base::Status::Io("cannot finish JSON report " + path);
}

}  // namespace report
