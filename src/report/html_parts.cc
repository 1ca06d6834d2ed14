#include "report/html_parts.h"

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/money.h"

namespace report {
namespace {

using sim::EventKind;

std::string Items(const scenario::OrderItems& items) {
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

nlohmann::ordered_json MessageJson(const StoredMessage& m) {
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
  return j;
}

// JSON inside <script>: "</" would end the element early.
std::string ScriptSafe(const nlohmann::ordered_json& j) {
  std::string json = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  for (size_t at = 0; (at = json.find("</", at)) != std::string::npos; at += 3) json.replace(at, 2, "<\\/");
  return json;
}

std::string Row(std::initializer_list<std::string> cells) {
  std::string out = "<tr>";
  for (const std::string& c : cells) out += "<td>" + HtmlText(c) + "</td>";
  return out + "</tr>\n";
}

std::string Table(const std::string& title, std::initializer_list<const char*> head, const std::string& rows) {
  std::string out = "<div class=\"card\"><h3>" + HtmlText(title) + "</h3><table><thead><tr>";
  for (const char* h : head) out += "<th>" + std::string(h) + "</th>";
  out += "</tr></thead><tbody>\n" + (rows.empty() ? "<tr><td class=\"none\" colspan=\"9\">none</td></tr>" : rows);
  return out + "</tbody></table></div>\n";
}

}  // namespace

std::string HtmlText(const std::string& s) {
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

std::string EventSummary(const sim::Event& e, const TraceLinks& links) {
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

std::string ChecksHtml(const scenario::RunResult& r, const std::string& id) {
  std::string exp, inv;
  for (const auto& x : r.expectations)
    exp += std::string("<tr class=\"") + (x.holds ? "ok" : "bad") + "\"><td>" + (x.holds ? "✔" : "✘") + "</td><td>" +
           HtmlText(x.what) + "</td><td>" + HtmlText(x.expected) + "</td><td>" + HtmlText(x.actual) + "</td></tr>\n";
  for (const auto& x : r.invariants)
    inv += std::string("<tr class=\"") + (x.holds ? "ok" : "bad") + "\"><td>" + (x.holds ? "✔" : "✘") + "</td><td>" +
           HtmlText(x.name) + "</td><td>" + HtmlText(x.holds ? "holds" : x.detail) + "</td></tr>\n";
  return "<section class=\"cards\" id=\"" + id + "\">" + Table("Expectations", {"", "what", "expected", "actual"}, exp) +
         Table("Invariants", {"", "invariant", "detail"}, inv) + "</section>\n";
}

std::string CheckSummaryHtml(const scenario::RunResult& r, const std::string& id) {
  int exp_ok = 0, inv_ok = 0;
  std::string broken;
  for (const auto& x : r.expectations) {
    exp_ok += x.holds;
    if (!x.holds) broken += " <span class=\"pill bad\">" + HtmlText(x.what) + "</span>";
  }
  for (const auto& x : r.invariants) {
    inv_ok += x.holds;
    if (!x.holds) broken += " <span class=\"pill warn\">" + HtmlText(x.name) + "</span>";
  }
  return "<p class=\"checks\"><a href=\"#" + id + "\">" + std::to_string(exp_ok) + "/" +
         std::to_string(r.expectations.size()) + " expectations, " + std::to_string(inv_ok) + "/" +
         std::to_string(r.invariants.size()) + " invariants hold</a>" + broken + "</p>";
}

std::string StateHtml(const scenario::FinalState& s, const std::string& id) {
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
  return "<section class=\"cards\" id=\"" + id + "\">" +
         Table("Orders", {"order", "id", "status", "items", "total", "reason"}, orders) +
         Table("Stock", {"product", "name", "stock", "available", "frozen", "sold"}, stock) +
         Table("Payments", {"id", "order", "status", "amount"}, payments) +
         Table("Reservations", {"order", "product", "qty", "status"}, reservations) +
         Table("Dead letters", {"group", "topic", "order", "msgId"}, dlq) + "</section>\n";
}

std::string TimelineLegend() {
  return "<span class=\"legend\"><span class=\"ev k-publish\">publish</span><span class=\"ev k-deliver\">deliver</span>"
         "<span class=\"ev k-deliver via-retry\">from %RETRY%</span><span class=\"ev k-retry\">retry hop</span>"
         "<span class=\"ev k-dlq\">dead letter</span><span class=\"ev k-fail\">failure</span>"
         "<span class=\"ev k-crash\">crash</span><span class=\"ev k-state\">state</span></span>";
}

std::string DetailPanel(const TimelineView& view) {
  return "<aside id=\"detail" + view.run + "\" class=\"detail\"><h2>Event</h2><p class=\"hint\">Click an event in the " +
         "timeline to see its message and the chain of events that caused it.</p></aside>\n";
}

std::string TimelineHtml(const std::vector<sim::Event>& events, const TraceLinks& links,
                         const std::vector<StoredMessage>& messages, const TimelineView& view) {
  const std::string& run = view.run;
  std::string out = "<section class=\"timeline" + std::string(view.compact ? " compact" : "") + "\" id=\"timeline" +
                    run + "\" data-run=\"" + run + "\" data-select=\"" + std::to_string(view.select) +
                    "\"><div class=\"toolbar\"><h2>" + HtmlText(view.title) +
                    "</h2><label>order <select class=\"order-filter\"><option value=\"\">all</option>";
  for (const std::string& o : links.orders()) out += "<option>" + HtmlText(o) + "</option>";
  out += "</select></label><label><input type=\"checkbox\" class=\"hide-calls\"> hide calls and acks</label>";
  if (view.legend) out += TimelineLegend();
  out += view.compact ? "</div>\n<div class=\"lanes-head\"><span>seq</span><span>time</span><span>order</span>"
                        "<span>O</span><span>S</span><span>P</span><span>broker</span></div>\n"
                      : "</div>\n<div class=\"lanes-head\"><span>seq</span><span>time</span><span>order</span>"
                        "<span>Order</span><span>Stock</span><span>Payment</span><span>broker</span></div>\n";
  out += "<div class=\"events\" id=\"events" + run + "\">\n";
  for (const sim::Event& e : events) {
    const std::string& order = links.OrderOf(e);
    auto mark = view.marks.find(e.seq);
    std::string summary = HtmlText(EventSummary(e, links));
    out += "<div class=\"row" + (mark == view.marks.end() ? "" : " " + mark->second) + "\" data-seq=\"" +
           std::to_string(e.seq) + "\" data-order=\"" + HtmlText(order) + "\" data-kind=\"" +
           sim::EventKindName(e.kind) + "\"" + (run.empty() ? "" : " data-run=\"" + run + "\"") +
           "><span class=\"seq\">" + std::to_string(e.seq) + "</span><span class=\"t\">" +
           HtmlText(base::FormatDuration(e.t)) + "</span><span class=\"o\">" + HtmlText(order) + "</span><span class=\"" +
           Classes(e, links) + "\" style=\"grid-column:" + std::to_string(Lane(e) + 3) + " / -1\" title=\"" + summary +
           "\"><b>" + sim::EventKindName(e.kind) + "</b> " + summary + "</span></div>\n";
  }
  out += "</div></section>\n";
  nlohmann::ordered_json evs = nlohmann::ordered_json::array();
  for (const sim::Event& e : events) evs.push_back(EventJson(e, links));
  nlohmann::ordered_json msgs = nlohmann::ordered_json::object();
  for (const StoredMessage& m : messages)
    msgs[m.topic + "|" + std::to_string(m.queue) + "|" + std::to_string(m.offset)] = MessageJson(m);
  out += "<script type=\"application/json\" id=\"trace-data" + run + "\">" + ScriptSafe(evs) +
         "</script>\n<script type=\"application/json\" id=\"message-data" + run + "\">" + ScriptSafe(msgs) +
         "</script>\n";
  return out;
}

}  // namespace report
