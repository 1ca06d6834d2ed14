#include "scenario/scenario_json.h"

// Three layers, bottom up: json_dom turns text into a document (syntax errors with
// line:column); json_reader gives typed access to it, each error naming its JSON
// pointer; the Loader (scenario_loader.h) has one short function per section of the
// format, spread over one file per section, and the cross-checks (products in the
// catalog, order ids, groups and topics). This file holds the entry points, the top
// level and the checks the sections share.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "scenario/json_dom.h"
#include "scenario/scenario_loader.h"
#include "services/bindings.h"

namespace scenario {
namespace loader {
namespace {

using base::Join;
using base::Quote;

template <typename T>
void SetOverride(const Reader& options, const char* key, std::optional<T>* field,
                 std::initializer_list<std::pair<const char*, T>> names) {
  if (Reader r = options.Child(key); r.present()) *field = r.Enum(T{}, names);
}

}  // namespace

Loader::Loader(const Json& root, const std::string& file) : errors_(file), root_(&root, "", &errors_) {
  scenario_.file = file;
}

base::Result<Scenario> Loader::Load() {
  ParseTopLevel();
  if (!errors_.ok()) return errors_.status();
  return std::move(scenario_);
}

void Loader::ParseTopLevel() {
  if (!root_.IsObject()) return;
  // Before the key check: a newer format's new keys should not hide the real problem.
  if (Reader format = root_.Child("format"); format.present()) {
    int64_t version = format.Int(1, std::numeric_limits<int64_t>::min(), kInt64Max);
    if (errors_.ok() && version != 1)
      format.Fail("unsupported format " + std::to_string(version) + " (this version reads format 1)");
  }
  // "$schema" is the one key outside the format: editors use it to find the JSON
  // Schema (docs/scenario.schema.json). It must be a string and is otherwise ignored.
  if (!root_.ExpectObject({"format", "name", "description", "seed", "mode", "profile", "options", "broker",
                           "bindings", "spring", "catalog", "orders", "steps", "faults", "until", "expect", "$schema"}))
    return;
  (void)root_.Child("$schema").String();
  Scenario& s = scenario_;
  if (Reader name = root_.Child("name"); name.Require()) s.name = name.NonEmptyString();
  s.description = root_.Child("description").String();
  s.seed = root_.Child("seed").Uint64(1);
  s.mode = root_.Child("mode").Enum(Mode::kDeterministic,
                                    {{"deterministic", Mode::kDeterministic}, {"concurrent", Mode::kConcurrent}});
  s.profile =
      root_.Child("profile").Enum(Profile::kHardened, {{"seed", Profile::kSeed}, {"hardened", Profile::kHardened}});
  ParseOptions(root_.Child("options"));
  ParseBroker(root_.Child("broker"));
  ParseBindings(root_.Child("bindings"));
  // Spring configuration files, one per service, relative to the scenario's folder;
  // read by src/spring when the scenario is run (their bindings replace "bindings").
  if (Reader spring = root_.Child("spring"); spring.present() && spring.ExpectObject({"order", "stock", "payment"}))
    spring.ForEachMember([&](const std::string& service, const Reader& file) {
      std::filesystem::path path = file.NonEmptyString();
      if (path.is_relative()) path = std::filesystem::path(s.file).parent_path() / path;
      s.spring[service] = path.lexically_normal().string();
    });
  ParseCatalog(root_.Child("catalog"));
  ParseOrders(root_.Child("orders"));
  ParseSteps(root_.Child("steps"));
  ParseFaults(root_.Child("faults"));
  if (Reader until = root_.Child("until"); until.present()) s.until_ms = until.Duration(0);
  ParseExpect(root_.Child("expect"));
}

void Loader::ParseOptions(const Reader& r) {
  OptionOverrides& o = scenario_.overrides;
  if (r.present() && r.ExpectObject({"idempotency", "publish", "stockDeduct", "freeze", "cancellation",
                                     "compensationJob", "consumerGroups"})) {
    using I = Idempotency;
    using P = Publish;
    using D = StockDeduct;
    using F = Freeze;
    using C = Cancellation;
    using J = CompensationJob;
    SetOverride<I>(r, "idempotency", &o.idempotency,
                   {{"none", I::kNone}, {"sample", I::kSample}, {"transactional", I::kTransactional}});
    SetOverride<P>(r, "publish", &o.publish, {{"async", P::kAsync}, {"sync", P::kSync}, {"outbox", P::kOutbox}});
    SetOverride<D>(r, "stockDeduct", &o.stock_deduct,
                   {{"unknown-items", D::kUnknownItems}, {"reservation", D::kReservation}});
    SetOverride<F>(r, "freeze", &o.freeze, {{"per-item", F::kPerItem}, {"atomic", F::kAtomic}});
    SetOverride<C>(r, "cancellation", &o.cancellation, {{"none", C::kNone}, {"compensate", C::kCompensate}});
    SetOverride<J>(r, "compensationJob", &o.compensation_job, {{"off", J::kOff}, {"resend", J::kResend}});
    using G = services::ConsumerGroups;
    SetOverride<G>(r, "consumerGroups", &o.consumer_groups,
                   {{"per-service", G::kPerService}, {"per-binding", G::kPerBinding}});
  }
  scenario_.options = o.ApplyTo(Options::ForProfile(scenario_.profile));
}

// A business topic or a retry/DLQ topic of a consumer group.
std::string Loader::Topic(const Reader& r) {
  std::string topic = r.String();
  if (!errors_.ok()) return topic;
  if (services::FindTopic(topic)) return topic;
  for (const std::string& group : services::ConsumerGroupNames())
    if (topic == "%RETRY%" + group || topic == "%DLQ%" + group) return topic;
  r.Fail("unknown topic " + Quote(topic) + " (expected one of: " + Join(services::TopicNames()) +
         ", or %RETRY%<group> or %DLQ%<group> of a consumer group: " + Join(services::ConsumerGroupNames()) + ")");
  return topic;
}

// A group is read from its business topics and its own retry topic only.
void Loader::CheckGroupConsumes(const Reader& r, const std::string& group, const std::string& topic) {
  if (!errors_.ok() || services::GroupConsumes(group, topic) || topic == "%RETRY%" + group) return;
  r.Fail("group " + group + " does not consume topic " + topic +
         " (it consumes: " + Join(services::TopicsOfGroup(group)) + ", %RETRY%" + group + ")");
}

// The id of an order of this file.
std::string Loader::OrderId(const Reader& r) {
  std::string id = r.String();
  if (errors_.ok() && !order_ids_.Contains(id)) r.Fail("unknown order " + Quote(id));
  return id;
}

void Loader::Warn(const std::string& pointer, const std::string& message) {
  scenario_.warnings.push_back(errors_.file() + ": " + pointer + ": " + message);
}

}  // namespace loader

base::Result<Scenario> ParseScenario(std::string_view text, const std::string& file_label) {
  try {
    loader::Json root;
    if (base::Status status = loader::ParseJson(text, file_label, &root); !status.ok()) return status;
    loader::Loader loader(root, file_label);
    return loader.Load();
  } catch (const std::exception& e) {
    // The loader checks every type before reading a value, so only resource exhaustion
    // (bad_alloc) can land here; it must still not escape as an exception.
    return base::Status::InvalidInput(file_label + ": cannot load: " + e.what());
  }
}

base::Result<Scenario> LoadScenarioFile(const std::string& path) {
  auto cannot_read = [&path](int error) {
    return base::Status::InvalidInput(path + ": cannot read file (" + std::strerror(error) + ")");
  };
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return cannot_read(errno);
  std::string text;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  int error = std::ferror(file) ? errno : 0;  // before fclose can change errno
  std::fclose(file);
  if (error != 0) return cannot_read(error);
  return ParseScenario(text, path);
}

}  // namespace scenario
