#include "report/trace_links.h"

#include <set>

namespace report {
namespace {

using sim::EventKind;

constexpr size_t kNone = static_cast<size_t>(-1);

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TraceLinks::TraceLinks(const std::vector<sim::Event>& events) : events_(events) {
  for (size_t i = 0; i < events_.size(); ++i) {
    int64_t seq = events_[i].seq;
    if (seq < 0) continue;
    if (static_cast<size_t>(seq) >= index_of_seq_.size()) index_of_seq_.resize(seq + 1, kNone);
    index_of_seq_[seq] = i;
  }
  // Causes are earlier events, so one pass in order resolves everything.
  stored_.resize(events_.size());
  order_.resize(events_.size());
  std::set<std::string> seen;
  for (size_t i = 0; i < events_.size(); ++i) {
    const sim::Event& e = events_[i];
    stored_[i] = ComputeStored(e);
    if (!e.order.empty()) {
      order_[i] = e.order;
    } else if (const sim::Event* c = Find(e.cause)) {
      order_[i] = order_[Index(*c)];
    }
    if (!order_[i].empty() && seen.insert(order_[i]).second) orders_.push_back(order_[i]);
  }
}

size_t TraceLinks::Index(const sim::Event& e) const { return static_cast<size_t>(&e - events_.data()); }

const sim::Event* TraceLinks::Find(int64_t seq) const {
  if (seq <= 0 || static_cast<size_t>(seq) >= index_of_seq_.size() || index_of_seq_[seq] == kNone) return nullptr;
  return &events_[index_of_seq_[seq]];
}

std::string TraceLinks::ComputeStored(const sim::Event& e) const {
  const sim::Event* cause = Find(e.cause);
  auto stored_of_cause = [&] { return cause ? stored_[Index(*cause)] : e.topic; };
  switch (e.kind) {
    case EventKind::kPublish:
    case EventKind::kSendFailed:
      return e.topic;
    case EventKind::kDlq:
      return "%DLQ%" + e.group;
    case EventKind::kFault:
      // A duplicate or delay fault acts on a delivery or a publish: the copies it
      // makes come from where that message is stored.
      return cause ? stored_[Index(*cause)] : std::string();
    case EventKind::kRetry:
      // A redrive sends a dead letter back; any other retry describes the failed copy.
      if (StartsWith(e.detail, "redriven")) return "%DLQ%" + e.group;
      return stored_of_cause();
    case EventKind::kCall:
    case EventKind::kFail:
    case EventKind::kAck:
      return e.msg_id.empty() ? std::string() : stored_of_cause();
    case EventKind::kDeliver:
    case EventKind::kFiltered:
      if (cause && cause->kind == EventKind::kRetry)
        return cause->detail.find("%RETRY%") != std::string::npos ? "%RETRY%" + e.group : stored_of_cause();
      if (cause && (cause->kind == EventKind::kPublish || cause->kind == EventKind::kFault)) return stored_of_cause();
      // A redelivery after offsets rolled back: the copy this group last had there.
      for (size_t i = Index(e); i-- > 0;) {
        const sim::Event& p = events_[i];
        if (p.kind == EventKind::kDeliver && p.group == e.group && p.msg_id == e.msg_id && p.queue == e.queue &&
            p.offset == e.offset)
          return stored_[i];
      }
      return e.topic;
    default:
      return std::string();
  }
}

std::vector<int64_t> TraceLinks::CauseChain(const sim::Event& e) const {
  std::vector<int64_t> chain;
  for (const sim::Event* c = Find(e.cause); c != nullptr; c = Find(c->cause)) chain.push_back(c->seq);
  return chain;
}

std::string TraceLinks::DeliveryReason(const sim::Event& d) const {
  const sim::Event* cause = Find(d.cause);
  if (!cause) return "";
  switch (cause->kind) {
    case EventKind::kFault:
      if (StartsWith(cause->detail, "duplicate")) return "duplicate copy";
      if (StartsWith(cause->detail, "delay")) return "held back";
      return "after " + cause->detail.substr(0, cause->detail.find(' '));
    case EventKind::kCrash:
      return "redelivered after the " + cause->service + " crash";
    case EventKind::kStep:
      return "redelivered after " + cause->detail.substr(0, cause->detail.find(' '));
    case EventKind::kRetry:
      if (StartsWith(cause->detail, "orderly")) return "orderly local retry";
      if (StartsWith(cause->detail, "redriven")) return "redriven from the DLQ";
      return "from %RETRY%" + d.group;
    default:
      return "";
  }
}

}  // namespace report
