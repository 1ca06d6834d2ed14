#include "report/console_report.h"

#include <algorithm>
#include <set>

#include "base/duration.h"
#include "base/escape.h"
#include "base/money.h"

namespace report {
namespace {

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string TimeText(int64_t ms) { return base::FormatDuration(ms); }

// Names, ids and messages come from the scenario file and the handlers: a terminal must
// see their control characters as escapes, colors or not.
std::string E(const std::string& text) { return base::EscapeForTerminal(text); }

// The event with every text field escaped, as the story keeps it.
sim::Event Escaped(sim::Event e) {
  for (std::string* field : {&e.topic, &e.tags, &e.msg_id, &e.event_id, &e.event, &e.order, &e.group, &e.service,
                             &e.detail})
    *field = E(*field);
  return e;
}

std::string WallText(int64_t us) {
  char buf[32];
  if (us < 10000) std::snprintf(buf, sizeof buf, "%.1f ms", us / 1000.0);
  else std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(us / 1000));
  return buf;
}

}  // namespace

ConsoleReport::ConsoleReport(std::FILE* out, Verbosity verbosity, bool color)
    : out_(out), verbosity_(verbosity), color_(color) {}

std::string ConsoleReport::Paint(const char* code, const std::string& text) const {
  if (!color_) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void ConsoleReport::Begin() {
  story_.clear();
  story_dropped_ = 0;
  kind_counts_.clear();
  deliveries_.clear();
  call_delivery_.clear();
  reasons_.clear();
}

bool ConsoleReport::InStory(const sim::Event& e) const {
  using K = sim::EventKind;
  if (e.kind == K::kDeliver || e.kind == K::kCall || e.kind == K::kAck) return verbosity_ == Verbosity::kVerbose;
  return true;
}

void ConsoleReport::Emit(const sim::Event& e) {
  ++kind_counts_[sim::EventKindName(e.kind)];
  if (verbosity_ != Verbosity::kQuiet) Remember(e);
  if (verbosity_ == Verbosity::kQuiet || !InStory(e)) return;
  if (story_.size() >= kStoryMaxLines * 4) {
    ++story_dropped_;
    return;
  }
  story_.push_back(Escaped(e));
}

std::string ConsoleReport::StoryLine(const sim::Event& e) const {
  std::string text;
  std::string at = e.queue >= 0 ? " q" + std::to_string(e.queue) : "";
  using K = sim::EventKind;
  switch (e.kind) {
    case K::kPlace: text = "placed " + e.detail; break;
    case K::kPublish: text = "sent " + e.event + " " + e.event_id + " -> " + e.topic + at + " (" + e.detail + ")"; break;
    case K::kState: text = e.detail; break;
    case K::kDeliver:
      text = e.group + " <- " + e.event + " from " + e.topic + at + " (delivery " + std::to_string(e.attempt) + ")";
      break;
    case K::kCall: text = "handler call " + std::to_string(e.call) + " of delivery " + std::to_string(e.attempt); break;
    case K::kAck: text = e.group + " acked " + e.event; break;
    case K::kFail:
      text = Paint("31", "x") + " " + e.group + " handler failed (delivery " + std::to_string(e.attempt) + ", call " +
             std::to_string(e.call) + "): " + e.detail;
      break;
    case K::kRetry: text = "retry " + e.event + " " + e.detail; break;
    case K::kDlq: text = Paint("31", "dead-lettered ") + e.event + " " + e.detail; break;
    case K::kSkipDuplicate: text = "skipped duplicate " + e.event_id + " (" + e.detail + ")"; break;
    case K::kFiltered: text = e.group + " filtered " + e.event + ": " + e.detail; break;
    case K::kFault: text = Paint("33", "fault ") + e.detail; break;
    case K::kStep: text = "step: " + e.detail; break;
    case K::kSendFailed: text = Paint("31", "send failed ") + e.event + " -> " + e.topic + ": " + e.detail; break;
    case K::kCrash:
    case K::kRestart: text = std::string(sim::EventKindName(e.kind)) + " " + e.detail; break;
  }
  return StoryColumns(e) + text + HandlerContext(e);
}

void ConsoleReport::PrintStory(const scenario::RunResult& result) {
  MeasureStory();
  bool full = static_cast<int>(result.state.orders.size()) <= kStoryMaxOrders;
  if (full) {
    std::fprintf(out_, "  story:\n");
    size_t printed = 0;
    for (const sim::Event& e : story_) {
      if (printed++ >= kStoryMaxLines) break;
      std::fprintf(out_, "%s\n", StoryLine(e).c_str());
    }
    size_t hidden = story_.size() > kStoryMaxLines ? story_.size() - kStoryMaxLines : 0;
    hidden += story_dropped_;
    if (hidden) std::fprintf(out_, "    ... %zu more events (use --trace FILE for all)\n", hidden);
    return;
  }
  // A large run: what happened, counted, plus the unusual events.
  std::string counts;
  for (const auto& [kind, n] : kind_counts_) counts += (counts.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  std::fprintf(out_, "  events: %s\n", counts.c_str());
  auto unusual_kind = [](sim::EventKind k) {
    using K = sim::EventKind;
    return k == K::kFail || k == K::kRetry || k == K::kDlq || k == K::kFault || k == K::kSendFailed ||
           k == K::kStep || k == K::kCrash || k == K::kRestart;
  };
  size_t shown = 0, unusual = 0;
  for (const sim::Event& e : story_) {
    if (!unusual_kind(e.kind)) continue;
    ++unusual;
    if (shown < 20) {
      std::fprintf(out_, "%s\n", StoryLine(e).c_str());
      ++shown;
    }
  }
  if (unusual > shown) std::fprintf(out_, "    ... %zu more (use --trace FILE for all)\n", unusual - shown);
}

void ConsoleReport::PrintFinalState(const scenario::RunResult& result) {
  const scenario::FinalState& s = result.state;
  std::map<std::string, int64_t> by_status;
  for (const auto& o : s.orders) ++by_status[o.status];
  std::string counts;
  for (const auto& [status, n] : by_status) counts += (counts.empty() ? "" : ", ") + status + " " + std::to_string(n);
  std::fprintf(out_, "  orders:    %s\n", counts.empty() ? "none" : counts.c_str());
  if (static_cast<int>(s.orders.size()) <= kStoryMaxOrders) {
    for (const auto& o : s.orders) {
      std::string line = "    " + Pad(E(o.order_no), 8) + Pad(o.status, 10) + "total " + base::FormatMoney(o.total);
      if (!o.reason.empty()) line += "  (" + E(o.reason) + ")";
      std::fprintf(out_, "%s\n", line.c_str());
    }
  }
  std::fprintf(out_, "  stock:\n");
  for (const auto& p : s.products) {
    std::string name = E(p.name);
    if (!name.empty()) name.insert(0, 1, ' ');  // (not " " + E(...): GCC 12 warns falsely of -Wrestrict)
    std::fprintf(out_, "    product %lld%s: available %lld, frozen %lld, sold %lld\n", static_cast<long long>(p.id),
                 name.c_str(), static_cast<long long>(p.available), static_cast<long long>(p.frozen),
                 static_cast<long long>(p.sold));
  }
  std::map<std::string, int64_t> pay_status;
  for (const auto& p : s.payments) ++pay_status[p.status];
  std::string pays;
  for (const auto& [status, n] : pay_status) pays += (pays.empty() ? "" : ", ") + status + " " + std::to_string(n);
  std::fprintf(out_, "  payments:  %s\n", pays.empty() ? "none" : pays.c_str());
  if (static_cast<int>(s.orders.size()) <= kStoryMaxOrders) {
    for (const auto& p : s.payments)
      std::fprintf(out_, "    %s  payment %lld %s %s\n", Pad(E(p.order_no), 6).c_str(), static_cast<long long>(p.payment_id),
                   p.status.c_str(), base::FormatMoney(p.amount).c_str());
  }
  if (!s.dlq.empty()) {
    std::map<std::string, int64_t> per_group;
    for (const auto& d : s.dlq) ++per_group[d.group];
    for (const auto& [group, n] : per_group)
      std::fprintf(out_, "  dlq:       %%DLQ%%%s holds %lld\n", E(group).c_str(), static_cast<long long>(n));
  }
  if (!result.stuck.empty()) {
    std::string list;
    for (const auto& o : result.stuck) list += (list.empty() ? "" : ", ") + E(o);
    std::fprintf(out_, "  stuck:     %s\n", list.c_str());
  }
  if (result.stopped_at_horizon)
    std::fprintf(out_, "  stopped at %s: still busy 48h after the last scheduled event (set `until` to choose)\n",
                 TimeText(s.end_ms).c_str());
  else if (s.hit_until)
    std::fprintf(out_, "  stopped at until = %s\n", TimeText(s.end_ms).c_str());
}

void ConsoleReport::PrintChecks(const scenario::RunResult& result) {
  int holding = 0;
  for (const auto& inv : result.invariants) holding += inv.holds;
  std::fprintf(out_, "  invariants: %d/%zu hold\n", holding, result.invariants.size());
  for (const auto& inv : result.invariants) {
    if (inv.holds && verbosity_ != Verbosity::kVerbose) continue;
    std::string mark = inv.holds ? Paint("32", "ok") : Paint("33", "violated");
    std::fprintf(out_, "    %s %s%s\n", Pad(inv.name, 22).c_str(), mark.c_str(),
                 inv.detail.empty() ? "" : (": " + E(inv.detail)).c_str());
  }
  int met = 0;
  for (const auto& e : result.expectations) met += e.holds;
  std::fprintf(out_, "  expectations: %d/%zu hold\n", met, result.expectations.size());
  for (const auto& e : result.expectations) {
    if (e.holds && verbosity_ != Verbosity::kVerbose) continue;
    if (e.holds) {
      std::fprintf(out_, "    %s %s\n", Paint("32", "ok").c_str(), E(e.what).c_str());
    } else {
      std::fprintf(out_, "    %s %s: expected %s, got %s\n", Paint("31", "FAIL").c_str(), E(e.what).c_str(),
                   E(e.expected).c_str(), E(e.actual).c_str());
    }
  }
}

void ConsoleReport::Print(const scenario::RunResult& r) {
  int met = 0, holding = 0;
  for (const auto& e : r.expectations) met += e.holds;
  for (const auto& inv : r.invariants) holding += inv.holds;
  std::string head = HeadText(E(r.name), r.profile, r.seed, r.mode);
  std::string verdict = r.passed ? Paint("32", "ok") : Paint("31", "FAILED");
  std::string checks = std::to_string(met) + "/" + std::to_string(r.expectations.size()) + " expectations, ";
  std::string violated;
  for (const auto& inv : r.invariants)
    if (!inv.holds) violated += (violated.empty() ? "" : ", ") + inv.name;
  // A seed-profile scenario passes by breaking exactly the invariants it names.
  if (r.passed && !violated.empty())
    checks += "expected violations: " + violated;
  else
    checks += std::to_string(holding) + "/" + std::to_string(r.invariants.size()) + " invariants";
  std::string line = "> " + Pad(head, head_width_) + " " + verdict + " " + checks + "   " + WallText(r.wall_us);
  if (verbosity_ == Verbosity::kQuiet) {
    std::fprintf(out_, "%s\n", line.c_str());
    if (!r.passed) PrintChecks(r);
    std::fflush(out_);
    return;
  }
  std::fprintf(out_, "%s\n", line.c_str());
  if (!r.description.empty()) std::fprintf(out_, "  %s\n", E(Description(r)).c_str());
  std::fprintf(out_, "  mode %s, virtual time %s, %llu steps\n", scenario::ModeName(r.mode),
               TimeText(r.state.end_ms).c_str(), static_cast<unsigned long long>(r.steps));
  PrintStory(r);
  PrintFinalState(r);
  PrintMetrics();
  PrintChecks(r);
  std::fprintf(out_, "\n");
  std::fflush(out_);
}

void ConsoleReport::PrintError(const std::string& file, const std::string& message) {
  std::fprintf(out_, "> %s %s\n  %s\n", E(file).c_str(), Paint("31", "ERROR").c_str(),
               base::EscapeForTerminalKeepingLines(message).c_str());
  std::fflush(out_);
}

void ConsoleReport::PrintSummary(int passed, int failed) {
  std::fprintf(out_, "%d scenarios: %d passed, %d failed\n", passed + failed, passed, failed);
  std::fflush(out_);
}

}  // namespace report
