#include "report/html_report.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/money.h"
#include "report/trace_links.h"

namespace report {
namespace {

using sim::EventKind;

std::string Esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Items(const scenario::Items& items) {
  std::string out;
  for (const auto& [product, qty] : items) out += (out.empty() ? "" : ", ") + std::to_string(qty) + "x " + std::to_string(product);
  return out;
}

// Which swim lane an event is drawn in: the service that did it, else the broker.
int Lane(const sim::Event& e) {
  if (e.service == "order") return 1;
  if (e.service == "stock") return 2;
  if (e.service == "payment") return 3;
  return 4;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// One line saying what happened, for the timeline.
std::string Summary(const sim::Event& e, const TraceLinks& links) {
  std::string ev = e.event.empty() ? "message" : e.event;
  std::string pos = e.queue < 0 ? "" : " q" + std::to_string(e.queue) + "@" + std::to_string(e.offset);
  // The kind is printed before it, so the summary does not repeat it.
  switch (e.kind) {
    case EventKind::kPlace: return e.order + ": " + e.detail;
    case EventKind::kPublish: return ev + " → " + e.topic + pos + (e.detail.empty() ? "" : " (" + e.detail + ")");
    case EventKind::kSendFailed: return ev + " → " + e.topic + ": " + e.detail;
    case EventKind::kDeliver: {
      std::string reason = links.DeliveryReason(e);
      return ev + " from " + links.StoredTopic(e) + pos + " to " + e.group + ", attempt " + std::to_string(e.attempt) +
             (reason.empty() ? "" : " (" + reason + ")");
    }
    case EventKind::kCall: return std::to_string(e.call) + " of delivery " + std::to_string(e.attempt) + ": " + ev;
    case EventKind::kAck: return ev + " by " + e.group;
    case EventKind::kFiltered: return ev + ": " + e.detail;
    case EventKind::kSkipDuplicate: return e.event_id + ": " + e.detail;
    default: return e.detail;
  }
}

// Extra classes that make hops through the retry and dead-letter topics stand out.
std::string Classes(const sim::Event& e, const TraceLinks& links) {
  std::string c = std::string("ev k-") + sim::EventKindName(e.kind);
  const std::string& stored = links.StoredTopic(e);
  if (e.kind == EventKind::kDeliver && StartsWith(stored, "%RETRY%")) c += " via-retry";
  if (e.kind == EventKind::kDeliver && !links.DeliveryReason(e).empty()) c += " unusual";
  return c;
}

nlohmann::ordered_json EventJson(const sim::Event& e, const TraceLinks& links) {
  nlohmann::ordered_json j;
  j["seq"] = e.seq;
  if (e.cause) j["cause"] = e.cause;
  j["t"] = e.t;
  j["kind"] = sim::EventKindName(e.kind);
  auto put = [&](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  put("topic", e.topic);
  put("stored", links.StoredTopic(e));
  put("tags", e.tags);
  if (e.queue >= 0) j["queue"] = e.queue;
  if (e.offset >= 0) j["offset"] = e.offset;
  put("msgId", e.msg_id);
  put("eventId", e.event_id);
  put("event", e.event);
  put("order", links.OrderOf(e));
  put("group", e.group);
  put("service", e.service);
  if (e.attempt >= 0) j["attempt"] = e.attempt;
  if (e.call >= 0) j["call"] = e.call;
  put("detail", e.detail);
  if (e.kind == EventKind::kDeliver) put("reason", links.DeliveryReason(e));
  return j;
}

// JSON inside <script>: "</" would end the element early.
std::string ScriptSafe(std::string json) {
  for (size_t at = 0; (at = json.find("</", at)) != std::string::npos; at += 3) json.replace(at, 2, "<\\/");
  return json;
}

std::string Row(std::initializer_list<std::string> cells) {
  std::string out = "<tr>";
  for (const std::string& c : cells) out += "<td>" + Esc(c) + "</td>";
  return out + "</tr>\n";
}

std::string Table(const std::string& title, std::initializer_list<const char*> head, const std::string& rows) {
  std::string out = "<div class=\"card\"><h3>" + Esc(title) + "</h3><table><thead><tr>";
  for (const char* h : head) out += "<th>" + std::string(h) + "</th>";
  out += "</tr></thead><tbody>\n" + (rows.empty() ? "<tr><td class=\"none\" colspan=\"9\">none</td></tr>" : rows);
  return out + "</tbody></table></div>\n";
}

std::string Checks(const scenario::RunResult& r) {
  std::string exp, inv;
  for (const auto& x : r.expectations)
    exp += std::string("<tr class=\"") + (x.holds ? "ok" : "bad") + "\"><td>" + (x.holds ? "✔" : "✘") + "</td><td>" +
           Esc(x.what) + "</td><td>" + Esc(x.expected) + "</td><td>" + Esc(x.actual) + "</td></tr>\n";
  for (const auto& x : r.invariants)
    inv += std::string("<tr class=\"") + (x.holds ? "ok" : "bad") + "\"><td>" + (x.holds ? "✔" : "✘") + "</td><td>" +
           Esc(x.name) + "</td><td>" + Esc(x.holds ? "holds" : x.detail) + "</td></tr>\n";
  return "<section class=\"cards\" id=\"checks\">" +
         Table("Expectations", {"", "what", "expected", "actual"}, exp) +
         Table("Invariants", {"", "invariant", "detail"}, inv) + "</section>\n";
}

// One line under the description: how the checks went, the failed ones by name.
std::string CheckSummary(const scenario::RunResult& r) {
  int exp_ok = 0, inv_ok = 0;
  std::string broken;
  for (const auto& x : r.expectations) {
    exp_ok += x.holds;
    if (!x.holds) broken += " <span class=\"pill bad\">" + Esc(x.what) + "</span>";
  }
  for (const auto& x : r.invariants) {
    inv_ok += x.holds;
    if (!x.holds) broken += " <span class=\"pill warn\">" + Esc(x.name) + "</span>";
  }
  return "<p class=\"checks\"><a href=\"#checks\">" + std::to_string(exp_ok) + "/" + std::to_string(r.expectations.size()) +
         " expectations, " + std::to_string(inv_ok) + "/" + std::to_string(r.invariants.size()) +
         " invariants hold</a>" + broken + "</p>";
}

std::string State(const scenario::FinalState& s) {
  std::string orders, stock, payments, reservations, dlq;
  for (const auto& o : s.orders)
    orders += Row({o.order_no, std::to_string(o.order_id), o.status, Items(o.items), base::FormatMoney(o.total), o.reason});
  for (const auto& p : s.products)
    stock += Row({std::to_string(p.id), p.name, std::to_string(p.initial + p.restocked), std::to_string(p.available),
                  std::to_string(p.frozen), std::to_string(p.sold)});
  for (const auto& p : s.payments)
    payments += Row({std::to_string(p.payment_id), p.order_no, p.status, base::FormatMoney(p.amount)});
  for (const auto& r : s.reservations)
    reservations += Row({r.order_no, std::to_string(r.product), std::to_string(r.quantity), r.status});
  for (const auto& d : s.dlq) dlq += Row({d.group, d.topic, d.order_no, d.msg_id});
  return "<section class=\"cards\" id=\"state\">" +
         Table("Orders", {"order", "id", "status", "items", "total", "reason"}, orders) +
         Table("Stock", {"product", "name", "stock", "available", "frozen", "sold"}, stock) +
         Table("Payments", {"id", "order", "status", "amount"}, payments) +
         Table("Reservations", {"order", "product", "qty", "status"}, reservations) +
         Table("Dead letters", {"group", "topic", "order", "msgId"}, dlq) + "</section>\n";
}

std::string Timeline(const std::vector<sim::Event>& events, const TraceLinks& links) {
  std::string out =
      "<section id=\"timeline\"><div class=\"toolbar\"><h2>Timeline</h2><label>order <select id=\"order-filter\">"
      "<option value=\"\">all</option>";
  for (const std::string& o : links.orders()) out += "<option>" + Esc(o) + "</option>";
  out +=
      "</select></label><label><input type=\"checkbox\" id=\"hide-calls\"> hide calls and acks</label>"
      "<span class=\"legend\"><span class=\"ev k-publish\">publish</span><span class=\"ev k-deliver\">deliver</span>"
      "<span class=\"ev k-deliver via-retry\">from %RETRY%</span><span class=\"ev k-retry\">retry hop</span>"
      "<span class=\"ev k-dlq\">dead letter</span><span class=\"ev k-fail\">failure</span>"
      "<span class=\"ev k-crash\">crash</span><span class=\"ev k-state\">state</span></span></div>\n"
      "<div class=\"lanes-head\"><span>seq</span><span>time</span><span>order</span><span>Order</span>"
      "<span>Stock</span><span>Payment</span><span>broker</span></div>\n<div id=\"events\">\n";
  for (const sim::Event& e : events) {
    const std::string& order = links.OrderOf(e);
    out += "<div class=\"row\" data-seq=\"" + std::to_string(e.seq) + "\" data-order=\"" + Esc(order) +
           "\" data-kind=\"" + sim::EventKindName(e.kind) + "\"><span class=\"seq\">" + std::to_string(e.seq) +
           "</span><span class=\"t\">" + Esc(base::FormatDuration(e.t)) + "</span><span class=\"o\">" + Esc(order) +
           "</span><span class=\"" + Classes(e, links) + "\" style=\"grid-column:" + std::to_string(Lane(e) + 3) +
           " / -1\" title=\"" + Esc(Summary(e, links)) + "\"><b>" + sim::EventKindName(e.kind) + "</b> " +
           Esc(Summary(e, links)) + "</span></div>\n";
  }
  return out + "</div></section>\n";
}

}  // namespace

std::string HtmlReport(const scenario::RunResult& r, const std::vector<sim::Event>& events,
                       const std::vector<StoredMessage>& messages) {
  TraceLinks links(events);
  nlohmann::ordered_json evs = nlohmann::ordered_json::array();
  for (const sim::Event& e : events) evs.push_back(EventJson(e, links));
  nlohmann::ordered_json msgs = nlohmann::ordered_json::object();
  for (const StoredMessage& m : messages) {
    nlohmann::ordered_json j;
    j["topic"] = m.topic;
    j["queue"] = m.queue;
    j["offset"] = m.offset;
    j["msgId"] = m.msg_id;
    j["offsetMsgId"] = m.offset_msg_id;
    j["tags"] = m.tags;
    j["keys"] = m.keys;
    j["properties"] = nlohmann::ordered_json::parse(m.properties, nullptr, false);
    j["body"] = m.body;
    j["bornMs"] = m.born_ms;
    j["storeMs"] = m.store_ms;
    j["reconsumeTimes"] = m.reconsume_times;
    msgs[m.topic + "|" + std::to_string(m.queue) + "|" + std::to_string(m.offset)] = std::move(j);
  }
  constexpr auto kDumpMode = nlohmann::ordered_json::error_handler_t::replace;
  std::string verdict = r.passed ? "passed" : "FAILED";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Esc(r.name) +
                    " — sagasim</title>\n<style>" + kHtmlReportCss + "</style></head>\n<body>\n<header><h1>" +
                    Esc(r.name) + " <span class=\"verdict " + (r.passed ? "ok" : "bad") + "\">" + verdict +
                    "</span></h1>\n<p class=\"meta\">profile " + scenario::ProfileName(r.profile) + " · seed " +
                    std::to_string(r.seed) + " · mode " + scenario::ModeName(r.mode) + " · virtual time " +
                    Esc(base::FormatDuration(r.state.end_ms)) + " · " + std::to_string(events.size()) +
                    " events · " + Esc(r.file) + "</p>\n<p class=\"desc\">" + Esc(r.description) + "</p>" +
                    CheckSummary(r) + "</header>\n";
  out += "<main><div class=\"left\">" + Timeline(events, links) + Checks(r) + State(r.state) + "</div>\n";
  out += "<aside id=\"detail\"><h2>Event</h2><p class=\"hint\">Click an event in the timeline to see its message "
         "and the chain of events that caused it.</p></aside></main>\n";
  out += "<script type=\"application/json\" id=\"trace-data\">" + ScriptSafe(evs.dump(-1, ' ', false, kDumpMode)) +
         "</script>\n<script type=\"application/json\" id=\"message-data\">" +
         ScriptSafe(msgs.dump(-1, ' ', false, kDumpMode)) + "</script>\n<script>" + kHtmlReportJs +
         "</script>\n</body></html>\n";
  return out;
}

base::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return base::Status::Io(path + ": cannot write");
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? base::Status::Ok() : base::Status::Io(path + ": write failed");
}

}  // namespace report
