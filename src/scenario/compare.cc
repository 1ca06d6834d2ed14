#include "scenario/compare.h"

#include <initializer_list>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "services/consumer_groups.h"

namespace scenario {
namespace {

// Keeps every event of a run, for the alignment.
class Collect : public sim::EventSink {
 public:
  void Emit(const sim::Event& e) override { events.push_back(e); }
  std::vector<sim::Event> events;
};

// FNV-1a, 64 bits: deterministic across builds (std::hash need not be).
uint64_t Mix(uint64_t h, const std::string& s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= 0xff;  // a separator, so ("ab","c") and ("a","bc") differ
  h *= 1099511628211ull;
  return h;
}

// What an event is, without ids, offsets, queues or times: those differ between two
// runs of different designs even when the same thing happens. A state change and a
// handler failure also say what they did; the rest of the detail (e.g. "outbox relay"
// against "async send") describes the mechanism, not the saga.
// A group counts by the name the files give it: the hardened profile's per-binding
// group (stock-consumer-group-orderCreatedConsumer-in-0) is the seed profile's
// stock-consumer-group, or seed against hardened would part at the first delivery.
uint64_t EventKey(const sim::Event& e, uint64_t cause_key) {
  uint64_t h = Mix(cause_key, sim::EventKindName(e.kind));
  for (const std::string* s : {&e.order, &e.service, &e.topic, &e.event}) h = Mix(h, *s);
  h = Mix(h, services::NamedGroupOf(e.group));
  h = Mix(h, std::to_string(e.attempt));
  if (e.kind == sim::EventKind::kState || e.kind == sim::EventKind::kFail) h = Mix(h, e.detail);
  return h;
}

// Each event's identity: its key along its cause chain, and how many events of the same
// trace had that key before it (three duplicate copies are three identities).
std::vector<std::pair<uint64_t, int>> Identities(const std::vector<sim::Event>& trace) {
  std::map<int64_t, uint64_t> key_by_seq;
  std::map<uint64_t, int> seen;
  std::vector<std::pair<uint64_t, int>> out;
  out.reserve(trace.size());
  for (const sim::Event& e : trace) {
    auto cause = key_by_seq.find(e.cause);
    uint64_t key = EventKey(e, cause == key_by_seq.end() ? 14695981039346656037ull : cause->second);
    key_by_seq[e.seq] = key;
    out.emplace_back(key, seen[key]++);
  }
  return out;
}

template <typename V>
bool SetIf(const std::string& value, std::initializer_list<std::pair<const char*, V>> names, std::optional<V>* out) {
  for (const auto& [name, v] : names)
    if (value == name) {
      *out = v;
      return true;
    }
  return false;
}

}  // namespace

base::Result<CompareSide> ParseCompareSide(const std::string& spec) {
  CompareSide side;
  side.label = spec;
  if (spec.empty()) return base::Status::InvalidInput("--options: empty; give a profile or key=value pairs");
  size_t start = 0;
  bool first = true;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string part = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      if (first && (part == "seed" || part == "hardened")) {
        side.profile = part == "seed" ? Profile::kSeed : Profile::kHardened;
        first = false;
        continue;
      }
      return base::Status::InvalidInput("--options " + spec + ": \"" + part +
                                        "\" is neither a profile (seed, hardened; first only) nor key=value");
    }
    first = false;
    std::string key = part.substr(0, eq), value = part.substr(eq + 1);
    OptionOverrides& o = side.overrides;
    bool ok;
    if (key == "idempotency")
      ok = SetIf<Idempotency>(value, {{"none", Idempotency::kNone}, {"sample", Idempotency::kSample},
                                            {"transactional", Idempotency::kTransactional}},
                                    &o.idempotency);
    else if (key == "publish")
      ok = SetIf<Publish>(value, {{"async", Publish::kAsync}, {"sync", Publish::kSync}, {"outbox", Publish::kOutbox}},
                                &o.publish);
    else if (key == "stockDeduct")
      ok = SetIf<StockDeduct>(
          value, {{"unknown-items", StockDeduct::kUnknownItems}, {"reservation", StockDeduct::kReservation}},
          &o.stock_deduct);
    else if (key == "freeze")
      ok = SetIf<Freeze>(value, {{"per-item", Freeze::kPerItem}, {"atomic", Freeze::kAtomic}}, &o.freeze);
    else if (key == "cancellation")
      ok = SetIf<Cancellation>(value, {{"none", Cancellation::kNone}, {"compensate", Cancellation::kCompensate}},
                                     &o.cancellation);
    else if (key == "compensationJob")
      ok = SetIf<CompensationJob>(value, {{"off", CompensationJob::kOff}, {"resend", CompensationJob::kResend}},
                                        &o.compensation_job);
    else if (key == "consumerGroups")
      ok = SetIf<ConsumerGroups>(
          value, {{"per-service", ConsumerGroups::kPerService}, {"per-binding", ConsumerGroups::kPerBinding}},
          &o.consumer_groups);
    else
      return base::Status::InvalidInput("--options " + spec + ": unknown option \"" + key +
                                        "\" (idempotency, publish, stockDeduct, freeze, cancellation, "
                                        "compensationJob, consumerGroups)");
    if (!ok)
      return base::Status::InvalidInput("--options " + spec + ": \"" + value + "\" is not a value of " + key +
                                        " (see docs/scenario-format.md, options)");
  }
  return side;
}

TraceAlignment AlignTraces(const std::vector<sim::Event>& a, const std::vector<sim::Event>& b) {
  auto ida = Identities(a), idb = Identities(b);
  std::set<std::pair<uint64_t, int>> in_a(ida.begin(), ida.end()), in_b(idb.begin(), idb.end());
  TraceAlignment out;
  out.a_matched.resize(ida.size());
  out.b_matched.resize(idb.size());
  for (size_t i = 0; i < ida.size(); ++i) {
    out.a_matched[i] = in_b.count(ida[i]) > 0;
    if (out.a_matched[i]) {
      ++out.matched;
    } else if (!out.first_unmatched_a) {
      out.first_unmatched_a = i;
    }
  }
  for (size_t i = 0; i < idb.size(); ++i) {
    out.b_matched[i] = in_a.count(idb[i]) > 0;
    if (!out.b_matched[i] && !out.first_unmatched_b) out.first_unmatched_b = i;
  }
  return out;
}

std::vector<sim::Event> CauseChain(const std::vector<sim::Event>& trace, size_t index) {
  std::map<int64_t, size_t> by_seq;
  for (size_t i = 0; i <= index && i < trace.size(); ++i) by_seq[trace[i].seq] = i;
  std::vector<sim::Event> chain;
  if (index >= trace.size()) return chain;
  for (int64_t at = trace[index].seq; at > 0;) {
    auto it = by_seq.find(at);
    if (it == by_seq.end()) break;
    chain.insert(chain.begin(), trace[it->second]);
    // A cause always comes earlier; guard against a malformed trace all the same.
    int64_t next = trace[it->second].cause;
    if (next >= at) break;
    at = next;
  }
  return chain;
}

std::vector<std::string> BrokenInvariants(const RunResult& result) {
  std::vector<std::string> out;
  for (const auto& inv : result.invariants)
    if (!inv.holds) out.push_back(inv.name);
  return out;
}

base::Result<Comparison> CompareScenario(const Scenario& scenario, const CompareSide& a, const CompareSide& b,
                                         std::optional<uint64_t> seed, const std::string& state_root) {
  Comparison cmp;
  for (auto [side, run, dir] : {std::tuple{&a, &cmp.a, "a"}, std::tuple{&b, &cmp.b, "b"}}) {
    Scenario sc = scenario;
    if (side->profile) {
      sc.profile = *side->profile;
      sc.options = sc.overrides.ApplyTo(Options::ForProfile(sc.profile));
    }
    sc.options = side->overrides.ApplyTo(sc.options);
    RunSettings settings;
    settings.seed = seed;
    settings.mode = Mode::kDeterministic;
    if (!state_root.empty()) settings.state_dir = state_root + "/" + dir;
    Collect sink;
    auto result = RunScenario(sc, settings, &sink);
    if (!result.ok()) return result.status();
    run->side = *side;
    run->result = std::move(result.value());
    run->trace = std::move(sink.events);
  }
  cmp.alignment = AlignTraces(cmp.a.trace, cmp.b.trace);
  return cmp;
}

}  // namespace scenario
