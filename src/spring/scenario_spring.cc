#include "spring/scenario_spring.h"

#include <algorithm>

namespace spring {
namespace {

using services::ServiceId;

// Spring's values as the simulation takes them, with the scenario format's ranges.
base::Status ToConsumerSettings(const ConsumerBinding& b, const services::ConsumerBindingDef& def,
                                services::ConsumerSettings* out) {
  services::ConsumerSettings c;
  auto range = [](const Setting<int64_t>& s, const char* key, int64_t lo, int64_t hi, int64_t fallback,
                  int64_t* value) {
    *value = s.value.value_or(fallback);
    if (*value < lo || *value > hi)
      return base::Status::InvalidInput(Where(s.at) + ": " + key + " must be between " + std::to_string(lo) +
                                        " and " + std::to_string(hi) + ", not " + std::to_string(*value));
    return base::Status::Ok();
  };
  int64_t v = 0;
  constexpr int64_t kMax = INT64_MAX / 4;
  if (auto s = range(b.max_attempts, "consumer.max-attempts", 1, 1000, 3, &v); !s.ok()) return s;
  c.max_attempts = static_cast<int>(v);
  if (auto s = range(b.back_off_initial_ms, "consumer.back-off-initial-interval", 0, kMax, 1000, &v); !s.ok()) return s;
  c.back_off_initial_ms = v;
  if (auto s = range(b.back_off_max_ms, "consumer.back-off-max-interval", 0, kMax, 10000, &v); !s.ok()) return s;
  c.back_off_max_ms = v;
  if (auto s = range(b.concurrency, "consumer.concurrency", 1, 64, 1, &v); !s.ok()) return s;
  c.concurrency = static_cast<int>(v);
  c.back_off_multiplier = b.back_off_multiplier.value.value_or(2.0);
  if (c.back_off_multiplier < 1.0)
    return base::Status::InvalidInput(Where(b.back_off_multiplier.at) + ": consumer.back-off-multiplier must be at least 1");
  c.orderly = b.orderly.value.value_or(false);
  // ConsumeMessageOrderlyService clamps it; so does the scenario loader.
  c.suspend_current_queue_time_ms = std::clamp<int64_t>(b.suspend_ms.value.value_or(1000), 10, 30000);
  // push.maxReconsumeTimes and the batch size are never applied by the binder: the
  // client's defaults stay (unset max_reconsume_times, batch 1).
  c.subscription = b.subscription.value.value_or("");
  if (c.subscription->find_first_not_of(' ') == std::string::npos) c.subscription = "*";
  c.group = b.Group();
  (void)def;
  *out = std::move(c);
  return base::Status::Ok();
}

services::ProducerSettings ToProducerSettings(const ProducerBinding& b, Generation g) {
  services::ProducerSettings p;
  p.group = b.Group();
  if (g == Generation::kLegacy) {
    // RocketMQMessageHandler (legacy): sync defaults to false, an async send.
    if (b.legacy_sync.set()) p.sync = *b.legacy_sync.value;
  } else if (b.send_type.set()) {
    std::string t = *b.send_type.value;
    for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    p.sync = t == "sync";
  }
  // Unset: the saga's `publish` option decides, as for a scenario's own bindings.
  return p;
}

std::optional<ServiceId> ServiceByName(const std::string& name) {
  for (ServiceId id : {ServiceId::kOrder, ServiceId::kStock, ServiceId::kPayment})
    if (name == services::ServiceName(id)) return id;
  return std::nullopt;
}

// Groups named by the scenario must still exist once the files renamed them.
base::Status CheckNamedGroups(const scenario::Scenario& sc, const services::Options& options) {
  std::vector<std::string> groups;
  for (const services::ConsumerBindingDef& def : services::ConsumerBindings()) {
    if (def.compensate_only && options.cancellation != services::Cancellation::kCompensate) continue;
    auto it = sc.bindings.consumers.find(services::BindingKey(def.service, def.name));
    groups.push_back(it != sc.bindings.consumers.end() && it->second.group ? *it->second.group : def.group);
  }
  auto known = [&](const std::string& g) { return std::find(groups.begin(), groups.end(), g) != groups.end(); };
  std::vector<std::pair<std::string, std::string>> named;  // JSON path, group
  for (const scenario::Fault& f : sc.faults)
    if (f.group) named.emplace_back("/faults/" + std::to_string(f.index) + "/group", *f.group);
  for (const scenario::Step& st : sc.steps) {
    if (st.redrive_dlq) named.emplace_back("/steps/" + std::to_string(st.index) + "/redriveDlq", *st.redrive_dlq);
    if (st.reset_offset) named.emplace_back("/steps/" + std::to_string(st.index) + "/resetOffset/group", st.reset_offset->group);
  }
  for (const auto& [group, unused] : sc.expect.dlq) named.emplace_back("/expect/dlq/" + group, group);
  for (size_t i = 0; i < sc.expect.deliveries.size(); ++i)
    named.emplace_back("/expect/deliveries/" + std::to_string(i) + "/group", sc.expect.deliveries[i].group);
  for (const auto& [path, group] : named)
    if (!known(group))
      return base::Status::InvalidInput(sc.file + ": " + path + ": no consumer is in group " + group +
                                        " once the Spring files' groups replace the built-in ones");
  return base::Status::Ok();
}

}  // namespace

std::string FormatFinding(const Finding& f) {
  return Where(f.at) + ": " + SeverityName(f.severity) + ": " + f.message + " [" + f.code + "]";
}

base::Status ApplySpring(scenario::Scenario* sc, const SpringRequest& request, std::vector<std::string>* warnings) {
  std::vector<ServiceFile> files;
  for (const auto& [service, path] : sc->spring)
    if (auto id = ServiceByName(service)) files.push_back({*id, path});
  for (const ServiceFile& f : request.files) {
    files.erase(std::remove_if(files.begin(), files.end(), [&](const ServiceFile& g) { return g.service == f.service; }),
                files.end());
    files.push_back(f);
  }
  if (files.empty()) return base::Status::Ok();
  services::Options options =
      request.profile ? sc->overrides.ApplyTo(services::Options::ForProfile(*request.profile)) : sc->options;
  LintOptions lint;
  lint.generation = request.generation;
  lint.saga = options;
  lint.load = request.load;
  auto report = LintFiles(files, lint);
  if (!report.ok()) return report.status();
  std::string errors;
  for (const Finding& f : report->findings) {
    if (f.severity == Finding::Severity::kError) errors += (errors.empty() ? "" : "\n") + FormatFinding(f);
    else warnings->push_back(FormatFinding(f));
  }
  if (!errors.empty()) return base::Status::InvalidInput(errors);

  for (const ServiceConfig& config : report->configs) {
    const std::string prefix = std::string(services::ServiceName(config.service)) + ".";
    std::erase_if(sc->bindings.consumers, [&](const auto& kv) { return kv.first.starts_with(prefix); });
    std::erase_if(sc->bindings.producers, [&](const auto& kv) { return kv.first.starts_with(prefix); });
    for (const ConsumerBinding& b : config.consumers) {
      const services::ConsumerBindingDef* def =
          services::FindConsumerBinding(services::BindingKey(config.service, b.name.c_str()));
      if (!def || !config.Defines(b.function)) continue;
      services::ConsumerSettings settings;
      if (base::Status s = ToConsumerSettings(b, *def, &settings); !s.ok()) return s;
      sc->bindings.consumers[services::BindingKey(config.service, b.name.c_str())] = std::move(settings);
    }
    for (const ProducerBinding& b : config.producers) {
      if (!services::FindProducerBinding(services::BindingKey(config.service, b.name.c_str()))) continue;
      sc->bindings.producers[services::BindingKey(config.service, b.name.c_str())] =
          ToProducerSettings(b, config.generation);
    }
  }
  return CheckNamedGroups(*sc, options);
}

}  // namespace spring
