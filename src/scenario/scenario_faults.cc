// The "faults" section: each rule's kind, matchers and own keys, and the warnings
// about rules that load but cannot fire as written (fault_warnings.h).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "scenario/fault_warnings.h"
#include "scenario/scenario_loader.h"
#include "services/bindings.h"

namespace scenario::loader {
namespace {

using base::Quote;

constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::kConsumerError, FaultKind::kDuplicate,      FaultKind::kSendFailure,
    FaultKind::kCrash,         FaultKind::kDelay,          FaultKind::kSlow,
    FaultKind::kPaymentDecline, FaultKind::kBrokerRestart, FaultKind::kPoison,
};

// Matchers first, then the kind's own keys: a key of another kind is an unknown key.
std::vector<std::string_view> FaultKeys(FaultKind kind) {
  std::vector<std::string_view> keys = {"kind", "service", "group", "topic", "order", "probability", "times"};
  switch (kind) {
    case FaultKind::kConsumerError: keys.push_back("message"); break;
    case FaultKind::kDuplicate: keys.push_back("copies"); break;
    case FaultKind::kSendFailure: break;
    case FaultKind::kCrash: keys.insert(keys.end(), {"point", "restartAfter"}); break;
    case FaultKind::kDelay: keys.push_back("by"); break;
    case FaultKind::kSlow: keys.push_back("latency"); break;
    case FaultKind::kPaymentDecline: keys.push_back("reason"); break;
    case FaultKind::kBrokerRestart: keys.insert(keys.end(), {"at", "downFor"}); break;
    case FaultKind::kPoison: keys.insert(keys.end(), {"at", "body"}); break;
  }
  return keys;
}

}  // namespace

void Loader::ParseFaults(const Reader& r) {
  if (!r.present() || !r.ExpectArray(kMaxFaults)) return;
  r.ForEachElement([this](int i, const Reader& e) {
    Fault fault = ParseFault(e);
    fault.index = i;
    scenario_.faults.push_back(std::move(fault));
    if (!errors_.ok()) return;
    if (std::optional<FaultWarning> w = WarnAboutFault(scenario_.faults, scenario_.faults.size() - 1))
      Warn(e.path() + (w->key.empty() ? "" : "/" + w->key), w->message);
  });
}

Fault Loader::ParseFault(const Reader& r) {
  Fault f;
  if (!r.IsObject()) return f;
  Reader kind = r.Child("kind");
  if (!kind.Require()) return f;
  std::vector<std::string> kinds;
  for (FaultKind k : kAllFaultKinds) kinds.push_back(FaultKindName(k));
  std::string kind_name = kind.OneOf(kinds, "fault kind");
  for (FaultKind k : kAllFaultKinds)
    if (kind_name == FaultKindName(k)) f.kind = k;
  if (!r.ExpectObject(FaultKeys(f.kind))) return f;

  if (Reader c = r.Child("service"); c.present()) f.service = c.OneOf(services::ServiceNames(), "service");
  if (Reader c = r.Child("group"); c.present()) f.group = c.OneOf(services::ConsumerGroupNames(), "group");
  if (Reader c = r.Child("topic"); c.present()) f.topic = Topic(c);
  if (Reader c = r.Child("order"); c.present()) {
    std::string order = c.NonEmptyString();
    std::string_view prefix = order;
    bool glob = prefix.ends_with('*');
    if (glob) prefix.remove_suffix(1);
    if (errors_.ok() && prefix.find('*') != std::string_view::npos) {
      c.Fail("bad order pattern " + Quote(order) + " (use an order id, or a prefix ending in '*' like \"g*\")");
    } else if (errors_.ok() && (glob ? !order_ids_.AnyWithPrefix(prefix) : !order_ids_.Contains(order))) {
      c.Fail((glob ? "no order id matches " : "unknown order ") + Quote(order));
    }
    f.order = order;
  }
  f.probability = r.Child("probability").Number(1.0, 0.0, 1.0);
  if (Reader times = r.Child("times"); times.present() && times.json().is_string()) {
    if (times.json() == "always") f.times.reset();
    else times.Fail("expected an integer >= 1 or \"always\", got " + DescribeJson(times.json()));
  } else {
    f.times = times.Int(1, 1, kInt64Max);
  }

  switch (f.kind) {
    case FaultKind::kConsumerError: f.message = r.Child("message").String("injected consumer error"); break;
    case FaultKind::kDuplicate: f.copies = static_cast<int>(r.Child("copies").Int(1, 1, kMaxCopies)); break;
    case FaultKind::kSendFailure: break;
    case FaultKind::kCrash:
      f.point = r.Child("point").Enum(CrashPoint::kBeforeCommit, {{"before-commit", CrashPoint::kBeforeCommit},
                                                                  {"after-commit", CrashPoint::kAfterCommit},
                                                                  {"after-send", CrashPoint::kAfterSend}});
      f.restart_after_ms = r.Child("restartAfter").Duration(5000);
      break;
    case FaultKind::kDelay:
      if (Reader by = r.Child("by"); by.Require()) f.by_ms = by.Duration(0);
      break;
    case FaultKind::kSlow:
      if (Reader latency = r.Child("latency"); latency.Require()) f.latency_ms = latency.Duration(0);
      break;
    case FaultKind::kPaymentDecline: f.reason = r.Child("reason").String("payment declined"); break;
    case FaultKind::kBrokerRestart:
      if (Reader at = r.Child("at"); at.Require()) f.at_ms = at.Duration(0);
      f.down_for_ms = r.Child("downFor").Duration(0);
      break;
    case FaultKind::kPoison:
      if (Reader at = r.Child("at"); at.Require()) f.at_ms = at.Duration(0);
      if (Reader body = r.Child("body"); body.Require()) f.body = body.String();
      r.Child("topic").Require();  // the topic to publish to
      break;
  }
  return f;
}

}  // namespace scenario::loader
