#include "report/mermaid.h"

#include <cstring>
#include <map>

#include "base/duration.h"
#include "report/trace_links.h"
#include "services/consumer_groups.h"

namespace report {
namespace {

using sim::EventKind;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Appends Mermaid's entity code for `c`: '#' -> "#35;".
void AppendEntity(char c, std::string* out) {
  out->push_back('#');
  out->append(std::to_string(static_cast<unsigned char>(c)));
  out->push_back(';');
}

// Participant labels are read by a stricter rule than messages: no - : , either.
std::string EscapeName(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == ':' || c == ',') {
      AppendEntity(c, &out);
    } else {
      out += MermaidEscape(std::string_view(&c, 1));
    }
  }
  return out;
}

// Who is drawn, with a Mermaid id for each: the services first, then topics and
// the retry and dead-letter topics in the order they first appear.
class Participants {
 public:
  std::string Service(const std::string& service) {
    if (service == "order") return Use("Order", "Order");
    if (service == "stock") return Use("Stock", "Stock");
    if (service == "payment") return Use("Payment", "Payment");
    return Topic(service.empty() ? "broker" : service);
  }
  std::string Topic(const std::string& name) {
    auto it = topic_ids_.find(name);
    if (it != topic_ids_.end()) return it->second;
    std::string id(1, StartsWith(name, "%RETRY%") ? 'R' : StartsWith(name, "%DLQ%") ? 'D' : 'T');
    id += std::to_string(topic_ids_.size() + 1);
    topic_ids_[name] = id;
    return Use(id, name);
  }
  // Where a note about `named`'s dead letters goes: a step names the group as the file
  // does ("stock-consumer-group"), while with per-binding groups each binding has its
  // own %DLQ%: the ones drawn so far that belong to it (first to last), else the named one.
  std::string DeadLetters(const std::string& named) {
    std::vector<std::string> ids;
    for (const std::string& id : order_)
      if (id[0] == 'D' && services::GroupNamed(named, labels_.at(id).substr(5))) ids.push_back(id);
    if (ids.empty()) return Topic("%DLQ%" + named);
    return ids.size() == 1 ? ids[0] : ids.front() + "," + ids.back();
  }
  // Declarations: Order, Stock, Payment (those used), then the topics, plain topics
  // before %RETRY% and %DLQ%.
  std::string Declarations() const {
    std::string out;
    for (const char* s : {"Order", "Stock", "Payment"})
      if (labels_.count(s)) out += "  participant " + std::string(s) + "\n";
    for (char prefix : {'T', 'R', 'D'})
      for (const std::string& id : order_)
        if (id[0] == prefix && labels_.count(id) && id != "Order" && id != "Stock" && id != "Payment")
          out += "  participant " + id + " as " + EscapeName(labels_.at(id)) + "\n";
    return out;
  }
  // Stands for "from the first participant to the last" until the diagram is done:
  // a run-wide note spans participants that appear only later.
  static constexpr const char* kAll = "\x01all\x01";
  std::string Span() const {
    std::vector<std::string> ids;
    for (const char* s : {"Order", "Stock", "Payment"})
      if (labels_.count(s)) ids.push_back(s);
    for (char prefix : {'T', 'R', 'D'})
      for (const std::string& id : order_)
        if (id[0] == prefix && id != "Order" && id != "Stock" && id != "Payment") ids.push_back(id);
    return ids.size() == 1 ? ids[0] : ids.front() + "," + ids.back();
  }

 private:
  std::string Use(const std::string& id, const std::string& label) {
    if (labels_.emplace(id, label).second) order_.push_back(id);
    return id;
  }
  std::map<std::string, std::string> labels_, topic_ids_;
  std::vector<std::string> order_;
};

std::string Position(const sim::Event& e) {
  if (e.queue < 0) return "";
  return " q" + std::to_string(e.queue) + "@" + std::to_string(e.offset);
}

std::string EventName(const sim::Event& e) { return e.event.empty() ? std::string("message") : e.event; }

// One event as diagram lines (none for events that add nothing a reader needs: a
// handler call is implied by what it did, a consumer-error fault by its failure).
std::string Lines(const sim::Event& e, const TraceLinks& links, Participants* p) {
  std::string at(1, '[');  // (appended, not "[" + ...: GCC 12 warns falsely on that)
  at += base::FormatDuration(e.t);
  at += "] ";
  auto msg = [&](const std::string& from, const std::string& arrow, const std::string& to, const std::string& text) {
    return "  " + from + arrow + to + ": " + MermaidEscape(at + text) + "\n";
  };
  auto note = [&](const std::string& over, const std::string& text) {
    return "  Note over " + over + ": " + MermaidEscape(at + text) + "\n";
  };
  // Only when drawn: an event over another participant must not declare its service's
  // (a step or a broker-side fault would add a "broker" nobody sends to).
  // Taken before a topic in the same line (`who`), so the participants are numbered in
  // one order whatever order the compiler evaluates arguments in.
  auto svc = [&] { return p->Service(e.service); };
  std::string who;
  switch (e.kind) {
    case EventKind::kPlace:
      return note(svc(), "place " + e.order + ": " + e.detail);
    case EventKind::kPublish:
      if (e.service.empty()) return note(p->Topic(e.topic), "stored " + EventName(e) + Position(e) + " (" + e.detail + ")");
      who = svc();
      return msg(who, "->>", p->Topic(e.topic),
                 "publish " + EventName(e) + " " + e.event_id + Position(e) + (e.detail.empty() ? "" : " (" + e.detail + ")"));
    case EventKind::kSendFailed:
      who = svc();
      return msg(who, "-x", p->Topic(e.topic), "send failed: " + EventName(e) + " " + e.detail);
    case EventKind::kDeliver: {
      std::string reason = links.DeliveryReason(e);
      who = svc();
      return msg(p->Topic(links.StoredTopic(e)), "->>", who,
                 "deliver " + EventName(e) + Position(e) + " to " + e.group + ", attempt " + std::to_string(e.attempt) +
                     (reason.empty() ? "" : " (" + reason + ")"));
    }
    case EventKind::kCall:
      return "";
    case EventKind::kFail:
      if (e.msg_id.empty()) return note(svc(), "FAILED: " + e.detail);
      return note(svc(), "handler FAILED (delivery " + std::to_string(e.attempt) + ", call " + std::to_string(e.call) +
                           "): " + e.detail);
    case EventKind::kAck:
      who = svc();
      return msg(who, "-->>", p->Topic(links.StoredTopic(e)), "ack " + EventName(e) + " by " + e.group);
    case EventKind::kRetry:
      if (StartsWith(e.detail, "orderly")) return note(svc(), "retry " + e.detail);
      if (StartsWith(e.detail, "redriven")) {
        who = p->Topic("%DLQ%" + e.group);
        return msg(who, "->>", p->Topic("%RETRY%" + e.group), "redrive " + EventName(e));
      }
      who = svc();
      return msg(who, "->>", p->Topic("%RETRY%" + e.group), "retry hop " + e.detail);
    case EventKind::kDlq:
      who = svc();
      return msg(who, "-x", p->Topic("%DLQ%" + e.group), "dead-letter " + e.detail);
    case EventKind::kFiltered:
      return note(svc(), "filtered " + EventName(e) + " for " + e.group + ": " + e.detail);
    case EventKind::kSkipDuplicate:
      return note(svc(), "skip duplicate " + e.event_id + ": " + e.detail);
    case EventKind::kCrash:
      return note(svc(), "CRASH: " + e.detail);
    case EventKind::kRestart:
      return note(svc(), "restart: " + e.detail);
    case EventKind::kFault:
      if (StartsWith(e.detail, "consumer-error")) return "";
      if (e.service.empty()) return note(e.topic.empty() ? Participants::kAll : p->Topic(e.topic), "fault " + e.detail);
      return note(svc(), "fault " + e.detail);
    case EventKind::kState:
      return note(svc(), "state: " + e.detail);
    case EventKind::kStep:
      return note(e.group.empty() ? Participants::kAll : p->DeadLetters(e.group), "step " + e.detail);
  }
  return "";
}

}  // namespace

std::string MermaidEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    bool arrow_dash = c == '-' && (next == '-' || next == '>' || next == 'x' || next == ')');
    if (c == '#' || c == ';' || c == '%' || c == '"' || c == '<' || c == '>' || c == '\'' || c == '`' || arrow_dash) {
      AppendEntity(c, &out);
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

base::Result<std::string> MermaidDiagram(const std::vector<sim::Event>& events, const std::string& order) {
  TraceLinks links(events);
  Participants participants;
  participants.Service("order");  // Order always leads, so every diagram reads left to right
  std::string body;
  size_t drawn = 0;
  bool has_order = false;
  for (const sim::Event& e : events) {
    const std::string& of = links.OrderOf(e);
    if (!order.empty() && of == order) has_order = true;
    // An order's diagram keeps the run-wide events (broker restarts, steps) too.
    if (!order.empty() && !of.empty() && of != order) continue;
    std::string lines = Lines(e, links, &participants);
    if (lines.empty()) continue;
    body += lines;
    ++drawn;
  }
  if (!order.empty() && !has_order) return base::Status::NotFound("no order " + order + " in this run");
  std::string span = participants.Span();
  for (size_t at = 0; (at = body.find(Participants::kAll, at)) != std::string::npos; at += span.size())
    body.replace(at, std::strlen(Participants::kAll), span);
  std::string text = "sequenceDiagram\n" + participants.Declarations() + body;
  if (text.size() > kMermaidMaxChars) {
    std::string names;
    for (size_t i = 0; i < links.orders().size() && i < 5; ++i) names += (i ? ", " : "") + links.orders()[i];
    if (links.orders().size() > 5) names += ", ...";
    return base::Status::InvalidInput(
        std::string(order.empty() ? "the whole run" : "order " + order) + " is too large for one diagram (" +
        std::to_string(drawn) + " events, " + std::to_string(text.size()) + " characters; the limit is " +
        std::to_string(kMermaidMaxChars) + ")" +
        (order.empty() ? "; pass --order ID to draw one order (orders: " + names + ")" : ""));
  }
  return text;
}

base::Result<std::string> MermaidMarkdown(const std::vector<sim::Event>& events, const std::string& order,
                                          const std::string& title) {
  auto diagram = MermaidDiagram(events, order);
  if (!diagram.ok()) return diagram.status();
  return "# " + title + "\n\n" + (order.empty() ? "The whole run" : "Order " + order) +
         ", as sagasim traced it; times are virtual (since the run began).\n\n```mermaid\n" + *diagram + "```\n";
}

}  // namespace report
