#include "scenario/fault_warnings.h"

// Each kind acts at a known set of places (docs/faults.md, "How a rule fires"); a place
// knows a service and maybe a group and a topic. A rule whose service, group and topic
// matchers no place of its kind satisfies never fires. The places are drawn from the
// binding tables (services/bindings.h) and the hooks in fault_rules.cc.
//
// Bindings that exist only with `cancellation: compensate` count as places: the
// profile, and so the option, can still change on the command line (--profile).

#include <optional>
#include <string_view>

#include "base/text.h"
#include "services/bindings.h"

namespace scenario {
namespace {

using base::Join;

enum Field { kService, kGroup, kTopic };
constexpr Field kFields[] = {kService, kGroup, kTopic};
constexpr const char* kFieldNames[] = {"service", "group", "topic"};

// A place where a fault can act. nullptr: the place does not know that field.
struct Place {
  const char* fields[3];  // service, group, topic
  bool sends;             // a send (its topic is the one sent to), not a consumer
};

std::vector<Place> ConsumerPlaces() {
  std::vector<Place> places;
  for (const services::ConsumerBindingDef& b : services::ConsumerBindings())
    places.push_back({{services::ServiceName(b.service), b.group, b.topic}, false});
  return places;
}

std::vector<Place> SendPlaces() {
  std::vector<Place> places;
  for (const services::ProducerBindingDef& b : services::ProducerBindings())
    places.push_back({{services::ServiceName(b.service), nullptr, b.topic}, true});
  return places;
}

// fault_rules.cc: Payment's gateway is called in its order-created handler.
constexpr const char* kDeclineGroup = "payment-consumer-group";
constexpr const char* kDeclineTopic = "order-created";

std::vector<Place> PlacesOf(const Fault& f) {
  switch (f.kind) {
    case FaultKind::kConsumerError:
    case FaultKind::kDuplicate:
    case FaultKind::kDelay:
    case FaultKind::kSlow: return ConsumerPlaces();
    case FaultKind::kSendFailure: return SendPlaces();
    case FaultKind::kPaymentDecline: return {{{"payment", kDeclineGroup, kDeclineTopic}, false}};
    case FaultKind::kCrash: {
      // Handlers; placements and the compensation job (order); restocks (stock); and,
      // after a send only, the outbox relay, which knows the topic it sent to.
      std::vector<Place> places = ConsumerPlaces();
      places.push_back({{"order", nullptr, nullptr}, false});
      places.push_back({{"stock", nullptr, nullptr}, false});
      if (f.point == CrashPoint::kAfterSend)
        for (const Place& p : SendPlaces()) places.push_back(p);
      return places;
    }
    case FaultKind::kBrokerRestart:
    case FaultKind::kPoison: return {};
  }
  return {};
}

const std::optional<std::string>& Matcher(const Fault& f, Field field) {
  switch (field) {
    case kService: return f.service;
    case kGroup: return f.group;
    case kTopic: return f.topic;
  }
  return f.service;
}

bool Matches(const Place& p, const Fault& f, std::initializer_list<Field> fields) {
  for (Field field : fields) {
    const std::optional<std::string>& m = Matcher(f, field);
    if (m && (p.fields[field] == nullptr || *m != p.fields[field])) return false;
  }
  return true;
}

void AddOnce(std::vector<std::string>* list, const char* value) {
  if (value == nullptr) return;
  for (const std::string& v : *list)
    if (v == value) return;
  list->push_back(value);
}

// What the places with `fixed` = the rule's value offer for `blamed`, as a clause:
// "order consumes payment-success, ..." or "order sends to order-created, ...".
std::string Offered(const std::vector<Place>& places, const Fault& f, Field fixed, Field blamed) {
  std::vector<std::string> consumed, sent;
  for (const Place& p : places)
    if (Matches(p, f, {fixed})) AddOnce(p.sends ? &sent : &consumed, p.fields[blamed]);
  std::string who = (fixed == kGroup ? "group " : "service ") + *Matcher(f, fixed);
  if (blamed == kGroup) return who + " consumes in " + Join(consumed, " and ") + " only";
  std::string out = who;
  if (!consumed.empty()) out += " consumes " + Join(consumed);
  if (!consumed.empty() && !sent.empty()) out += " and";
  if (!sent.empty()) out += " sends to " + Join(sent);
  return out;
}

// Why the rule's `field` alone matches no place of its kind.
std::string NoPlaceKnows(const Fault& f, Field field) {
  if (f.kind == FaultKind::kSendFailure && field == kGroup) return "a send has no consumer group";
  if (f.kind == FaultKind::kPaymentDecline)
    return std::string("payments are declined only in payment's order-created handler (") + kDeclineGroup + ")";
  return std::string("it never acts where the ") + kFieldNames[field] + " is " + *Matcher(f, field);
}

std::string WithValue(const Fault& f, Field field) {
  if (f.kind == FaultKind::kSendFailure && field == kGroup) return "a group";
  return std::string(kFieldNames[field]) + " " + *Matcher(f, field);
}

// The warning when no place of the rule's kind satisfies its matchers, if so.
std::optional<FaultWarning> NeverMatches(const Fault& f) {
  std::vector<Place> places = PlacesOf(f);
  auto any = [&](std::initializer_list<Field> fields) {
    for (const Place& p : places)
      if (Matches(p, f, fields)) return true;
    return false;
  };
  if (any({kService, kGroup, kTopic})) return std::nullopt;
  std::string kind = FaultKindName(f.kind);
  for (Field field : kFields) {
    if (Matcher(f, field) && !any({field}))
      return FaultWarning{kFieldNames[field], kind + " never fires with " + WithValue(f, field) + ": " +
                                                  NoPlaceKnows(f, field)};
  }
  for (auto [fixed, blamed] : {std::pair{kService, kGroup}, {kService, kTopic}, {kGroup, kTopic}}) {
    if (Matcher(f, fixed) && Matcher(f, blamed) && !any({fixed, blamed}))
      return FaultWarning{kFieldNames[blamed], kind + " never fires with " + WithValue(f, fixed) + " and " +
                                                   WithValue(f, blamed) + ": " + Offered(places, f, fixed, blamed)};
  }
  return FaultWarning{"", kind + " never fires: no place where it acts has its service, group and topic together"};
}

bool IsRetryOrDlq(const std::string& topic) { return topic.starts_with("%RETRY%") || topic.starts_with("%DLQ%"); }

// Whether order pattern `wide` matches every order that `narrow` does.
bool OrderCovers(const std::string& wide, const std::string& narrow) {
  if (!wide.ends_with('*')) return wide == narrow;
  return narrow.starts_with(std::string_view(wide).substr(0, wide.size() - 1));
}

// Whether `earlier` fires, every time, wherever `later` would: then `later` never does,
// since the first matching rule of a kind fires.
bool Shadows(const Fault& earlier, const Fault& later) {
  if (earlier.kind != later.kind || earlier.probability < 1.0 || earlier.times) return false;
  if (earlier.kind == FaultKind::kCrash && earlier.point != later.point) return false;
  for (Field field : kFields) {
    const std::optional<std::string>& e = Matcher(earlier, field);
    const std::optional<std::string>& l = Matcher(later, field);
    if (e && (!l || *e != *l)) return false;
  }
  return !earlier.order || (later.order && OrderCovers(*earlier.order, *later.order));
}

// broker-restart and poison fire once, at `at`; their matchers play no part (poison's
// topic is where it publishes).
std::optional<FaultWarning> IgnoredKeys(const Fault& f) {
  std::vector<std::string> keys;
  if (f.service) keys.push_back("service");
  if (f.group) keys.push_back("group");
  if (f.topic && f.kind != FaultKind::kPoison) keys.push_back("topic");
  if (f.order) keys.push_back("order");
  if (f.probability < 1.0) keys.push_back("probability");
  if (f.times != 1) keys.push_back("times");
  if (keys.empty()) return std::nullopt;
  return FaultWarning{keys.front(), std::string(FaultKindName(f.kind)) + " ignores " + Join(keys, ", ") +
                                        ": it fires once, at its \"at\""};
}

}  // namespace

std::optional<FaultWarning> WarnAboutFault(const std::vector<Fault>& faults, size_t index) {
  const Fault& f = faults[index];
  std::string kind = FaultKindName(f.kind);
  if (f.kind == FaultKind::kBrokerRestart || f.kind == FaultKind::kPoison) return IgnoredKeys(f);
  if (f.topic && IsRetryOrDlq(*f.topic))
    return FaultWarning{"topic", kind + " never fires with topic " + *f.topic +
                                     ": faults see a message's original topic, never its retry or DLQ topic"};
  if (f.probability == 0.0) return FaultWarning{"probability", kind + " never fires with probability 0"};
  if (auto w = NeverMatches(f)) return w;
  for (size_t i = 0; i < index; ++i) {
    if (Shadows(faults[i], f))
      return FaultWarning{"", kind + " never fires: rule " + std::to_string(i) + " (/faults/" + std::to_string(i) +
                                  ") comes first and fires every time on everything this rule matches"};
  }
  // A group reads several topics (services/bindings.cc); a rule for one handler that
  // forgets its topic fails them all.
  if (f.kind == FaultKind::kConsumerError && f.group && !f.topic) {
    std::vector<std::string> topics = services::TopicsOfGroup(*f.group);
    return FaultWarning{"group", kind + " with group " + *f.group + " and no topic matches all " +
                                     std::to_string(topics.size()) + " of the group's bindings (" + Join(topics) +
                                     "); add a topic to pick one"};
  }
  return std::nullopt;
}

}  // namespace scenario
