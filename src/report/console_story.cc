// The parts of the console story that explain: why a delivery happened (a duplicate
// copy, a held-back delivery, a redelivery after a crash or a broker restart, a retry),
// which binding and event a handler's line belongs to, column widths that fit the
// run's names, the headline, and the metrics summary. Kept apart from
// console_report.cc, which prints the story and the tables.

#include <algorithm>
#include <cstdio>

#include "base/duration.h"
#include "report/console_report.h"
#include "services/bindings.h"

namespace report {
namespace {

using K = sim::EventKind;

std::string PadTo(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The binding of `service` that consumes `topic` (the reference's names, bindings.h).
std::string BindingName(const std::string& service, const std::string& topic) {
  for (const auto& b : services::ConsumerBindings())
    if (service == services::ServiceName(b.service) && topic == b.topic) return b.name;
  return "";
}

// Why the deliveries an event causes happen, in words; "" for a first delivery.
std::string ReasonOf(const sim::Event& e) {
  switch (e.kind) {
    case K::kRetry:
      if (StartsWith(e.detail, "orderly")) return "orderly local retry";
      if (StartsWith(e.detail, "redriven")) return "redriven from the DLQ";
      return "retry from %RETRY%" + e.group;
    case K::kCrash: return "redelivered: " + e.service + " crashed before acking";
    case K::kFault:
      if (StartsWith(e.detail, "duplicate")) return "duplicate copy (at-least-once)";
      if (StartsWith(e.detail, "delay")) return "held back by a delay fault";
      if (StartsWith(e.detail, "broker-restart")) return "redelivered: the broker restart rolled offsets back";
      return "";
    case K::kStep: return "redelivered after " + e.detail;
    default: return "";
  }
}

}  // namespace

std::string ConsoleReport::HeadText(const std::string& name, scenario::Profile profile, uint64_t seed,
                                    scenario::Mode mode) {
  return name + " (profile " + scenario::ProfileName(profile) + ", seed " + std::to_string(seed) +
         (mode == scenario::Mode::kConcurrent ? ", concurrent" : "") + ")";
}

void ConsoleReport::Remember(const sim::Event& e) {
  switch (e.kind) {
    case K::kDeliver: {
      DeliveryNote note;
      note.binding = BindingName(e.service, e.topic);
      note.event = e.event;
      note.event_id = e.event_id;
      note.attempt = e.attempt;
      note.why = DeliveryWhy(e);
      deliveries_[e.seq] = std::move(note);
      break;
    }
    case K::kCall:
      if (deliveries_.count(e.cause)) call_delivery_[e.seq] = e.cause;
      break;
    case K::kRetry:
    case K::kCrash:
    case K::kFault:
    case K::kStep: {
      std::string why = ReasonOf(e);
      if (!why.empty()) reasons_[e.seq] = why;
      break;
    }
    default: break;
  }
}

std::string ConsoleReport::DeliveryWhy(const sim::Event& deliver) const {
  auto it = reasons_.find(deliver.cause);
  if (it != reasons_.end()) return it->second;
  if (deliver.detail.find("duplicate") != std::string::npos) return "duplicate copy (at-least-once)";
  if (deliver.detail.find("held back") != std::string::npos) return "held back by a delay fault";
  return deliver.attempt > 1 ? "redelivery" : "";
}

std::string ConsoleReport::HandlerContext(const sim::Event& e) const {
  const DeliveryNote* note = nullptr;
  if (e.kind == K::kDeliver) {
    auto d = deliveries_.find(e.seq);
    if (d == deliveries_.end() || d->second.why.empty()) return "";
    return "  [" + d->second.why + "]";
  }
  if (e.kind != K::kState && e.kind != K::kFail && e.kind != K::kSkipDuplicate) return "";
  auto call = call_delivery_.find(e.cause);
  if (call == call_delivery_.end()) return "";
  auto d = deliveries_.find(call->second);
  if (d == deliveries_.end()) return "";
  note = &d->second;
  std::string text = "  [" + (note->binding.empty() ? std::string("?") : note->binding) + " <- " + note->event;
  if (!note->event_id.empty() && e.kind != K::kSkipDuplicate) text += " " + note->event_id;
  if (note->attempt > 1) text += ", delivery " + std::to_string(note->attempt);
  if (!note->why.empty()) text += ": " + note->why;
  return text + "]";
}

void ConsoleReport::MeasureStory() {
  order_width_ = 6;
  for (const sim::Event& e : story_) order_width_ = std::max(order_width_, e.order.size() + 1);
}

std::string ConsoleReport::StoryColumns(const sim::Event& e) const {
  return "    " + PadTo(base::FormatDuration(e.t), 8) + " " + PadTo(e.order.empty() ? "-" : e.order, order_width_) +
         " " + PadTo(e.service.empty() ? "broker" : e.service, 8);
}

std::string ConsoleReport::Description(const scenario::RunResult& r) const {
  if (!written_for_ || *written_for_ == r.profile) return r.description;
  return "(written for profile " + std::string(scenario::ProfileName(*written_for_)) + ", run here under profile " +
         scenario::ProfileName(r.profile) + ") " + r.description;
}

void ConsoleReport::PrintMetrics() const {
  if (!metrics_) return;
  for (const std::string& line : MetricsSummaryLines(*metrics_)) std::fprintf(out_, "%s\n", line.c_str());
}

}  // namespace report
