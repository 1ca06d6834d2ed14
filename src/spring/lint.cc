#include "spring/lint.h"

#include <map>
#include <set>

#include "broker/tag_filter.h"

namespace spring {
namespace {

using Severity = Finding::Severity;
using services::ServiceId;

constexpr ServiceId kServices[] = {ServiceId::kOrder, ServiceId::kStock, ServiceId::kPayment};

std::string StripIndex(std::string function_binding) {  // "x-in-0" -> "x"
  size_t at = function_binding.rfind("-in-");
  if (at == std::string::npos) at = function_binding.rfind("-out-");
  return function_binding.substr(0, at);
}

bool Active(bool compensate_only, const std::optional<services::Options>& saga) {
  return !compensate_only || (saga && saga->cancellation == services::Cancellation::kCompensate);
}

std::string List(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

// What each topic's producer is, for the services with a file and for the others
// (which keep sagasim's built-in bindings).
struct Producers {
  std::map<std::string, std::string> by_topic;  // destination -> "service binding"
};

Producers CollectProducers(const std::vector<ServiceConfig>& configs, const std::optional<services::Options>& saga) {
  Producers p;
  for (const services::ProducerBindingDef& def : services::ProducerBindings()) {
    if (!Active(def.compensate_only, saga)) continue;
    std::string destination = def.topic;
    for (const ServiceConfig& c : configs)
      if (c.service == def.service) {
        const ProducerBinding* b = c.FindProducer(def.name);
        destination = b ? b->Destination() : def.name;
      }
    p.by_topic.emplace(destination, std::string(services::ServiceName(def.service)) + " " + def.name);
  }
  return p;
}

class Checker {
 public:
  Checker(const std::vector<ServiceConfig>& configs, const std::optional<services::Options>& saga,
          std::vector<Finding>* findings)
      : configs_(configs), saga_(saga), findings_(findings), producers_(CollectProducers(configs, saga)) {}

  void Run() {
    for (const ServiceConfig& c : configs_) {
      Functions(c);
      for (const ConsumerBinding& b : c.consumers) Consumer(c, b);
      for (const ProducerBinding& b : c.producers) Producer(c, b);
    }
    SharedGroups();
  }

 private:
  void Add(Severity s, const char* code, const Position& at, std::string message) {
    findings_->push_back({s, code, at, std::move(message)});
  }

  Position FileAt(const ServiceConfig& c, const Position& p) const { return p.line > 0 ? p : Position{c.file, 0, 0}; }

  void Functions(const ServiceConfig& c) {
    const char* service = services::ServiceName(c.service);
    std::vector<std::string> known;
    for (const services::ConsumerBindingDef& def : services::ConsumerBindings())
      if (def.service == c.service) known.push_back(StripIndex(def.name));
    if (c.definition_at.line == 0)
      Add(Severity::kError, "no-definition", {c.file, 0, 0},
          std::string("no spring.cloud.function.definition: with several functions Spring Cloud Stream binds none "
                      "of them, and the ") + service + " service consumes nothing");
    for (const std::string& f : c.functions) {
      bool found = false;
      for (const std::string& k : known) found = found || k == f;
      if (!found)
        Add(Severity::kError, "unknown-function", c.definition_at,
            "the definition names " + f + ", but the " + service + " service has no such function (it has: " +
                List(known) + ")");
    }
    for (const services::ConsumerBindingDef& def : services::ConsumerBindings()) {
      if (def.service != c.service || !Active(def.compensate_only, saga_)) continue;
      std::string function = StripIndex(def.name);
      if (c.definition_at.line > 0 && !c.Defines(function))
        Add(Severity::kError, "unbound-function", c.definition_at,
            "the saga's " + function + " (it reads " + def.topic + ") is not in the definition: Spring Cloud Stream " +
                "does not bind it, so the " + service + " service never receives " + def.topic +
                (def.compensate_only ? " (needed with cancellation: compensate)" : ""));
      else if (c.Defines(function) && !c.FindConsumer(def.name))
        Add(Severity::kError, "no-destination", c.definition_at,
            "the definition names " + function + " but nothing configures " + def.name +
                ": Spring Cloud Stream reads the topic named after the binding, which no producer sends to");
    }
    for (const services::ProducerBindingDef& def : services::ProducerBindings()) {
      if (def.service != c.service || !Active(def.compensate_only, saga_)) continue;
      if (!c.FindProducer(def.name))
        Add(Severity::kError, "no-destination", {c.file, 0, 0},
            std::string(def.name) + " is not configured: StreamBridge sends to a topic named " + def.name +
                ", which nobody reads (the saga's consumers read " + def.topic + ")");
    }
  }

  void Consumer(const ServiceConfig& c, const ConsumerBinding& b) {
    const char* service = services::ServiceName(c.service);
    const services::ConsumerBindingDef* def =
        services::FindConsumerBinding(services::BindingKey(c.service, b.name.c_str()));
    if (!def) {
      Add(Severity::kWarning, "unknown-binding", b.at,
          b.name + ": the " + service + " service has no such binding; Spring binds nothing for this configuration");
      return;
    }
    if (!c.Defines(b.function)) return;  // reported as unbound-function when the saga needs it
    const std::string destination = b.Destination();
    const Position dest_at = FileAt(c, b.destination.set() ? b.destination.at : b.at);
    if (destination != def->topic) {
      auto producer = producers_.by_topic.find(destination);
      if (producer == producers_.by_topic.end())
        Add(Severity::kError, "no-producer", dest_at,
            b.name + " reads " + destination + (b.destination.set() ? "" : " (the binding's name: no destination set)") +
                ", which no producer sends to; its handler expects " + def->topic);
      else
        Add(Severity::kError, "wrong-topic", dest_at,
            b.name + " reads " + destination + " (" + producer->second + "), but its handler expects the events of " +
                def->topic);
    }
    const services::TopicDef* topic = services::FindTopic(def->topic);
    const std::string expression = TagExpression(b, c.generation);
    if (b.sql.set() || expression.starts_with("sql:")) {
      Add(Severity::kError, "not-modelled", FileAt(c, b.sql.set() ? b.sql.at : b.subscription.at),
          b.name + ": SQL92 filters are not modelled (and need enablePropertyFilter=true on the broker)");
    } else if (!broker::TagFilter::Valid(expression)) {
      Add(Severity::kError, "bad-value", FileAt(c, b.subscription.at),
          b.name + ": bad tag expression \"" + expression + "\" (use *, TAG or 'TAG_A || TAG_B')");
    } else if (topic && !broker::TagFilter(expression).Matches(topic->tag)) {
      Add(Severity::kWarning, "tag-mismatch", FileAt(c, b.subscription.at),
          b.name + " subscribes to '" + expression + "', but the producer of " + def->topic + " tags every message " +
              topic->tag + ": the broker filters them all out and the " + service + " service never sees one");
    }
    if (!b.group.set() || b.group.value->empty())
      Add(Severity::kWarning, "anonymous-group", b.at,
          b.name + " has no group: the binder makes one up, " + b.Group() +
              " (RocketMQUtils.anonymousGroup), shared by every service that reads " + destination +
              " without a group; set spring.cloud.stream.bindings." + b.name + ".group");
    if (b.orderly.value.value_or(false) && b.concurrency.value.value_or(1) > 1)
      Add(Severity::kWarning, "orderly-concurrency", FileAt(c, b.concurrency.at),
          b.name + " is orderly with concurrency " + std::to_string(*b.concurrency.value) +
              ": an orderly listener holds a queue's lock while it consumes (ConsumeMessageOrderlyService), so the "
              "extra threads only take other queues; order still holds per queue only, never across the topic");
    std::string model = b.message_model.value.value_or("CLUSTERING");
    if (Upper(model) == "BROADCASTING" || b.broadcasting.value.value_or(false))
      Add(Severity::kError, "not-modelled", FileAt(c, b.message_model.set() ? b.message_model.at : b.broadcasting.at),
          b.name + ": BROADCASTING consumption is not modelled yet");
    else if (Upper(model) != "CLUSTERING")
      Add(Severity::kWarning, "bad-value", FileAt(c, b.message_model.at),
          b.name + ": messageModel " + model +
              " is neither CLUSTERING nor BROADCASTING; RocketMQConsumerFactory.getMessageModel falls back to CLUSTERING");
    if (b.delay_level.value.value_or(0) != 0)
      Add(Severity::kError, "not-modelled", FileAt(c, b.delay_level.at),
          b.name + ": delayLevelWhenNextConsume other than 0 is not modelled yet (the broker's schedule is)");
    if (b.error_handler.set())
      Add(Severity::kError, "not-modelled", FileAt(c, b.error_handler.at),
          b.name + ": an error-handler-definition (a failure acked instead of retried) is not modelled yet");
  }

  void Producer(const ServiceConfig& c, const ProducerBinding& b) {
    const char* service = services::ServiceName(c.service);
    const services::ProducerBindingDef* def =
        services::FindProducerBinding(services::BindingKey(c.service, b.name.c_str()));
    if (!def) {
      Add(Severity::kWarning, "unknown-binding", b.at,
          b.name + ": the " + service + " service has no such binding; nothing sends through it");
      return;
    }
    if (b.Destination() != def->topic)
      Add(Severity::kError, "no-consumer", FileAt(c, b.destination.set() ? b.destination.at : b.at),
          b.name + " sends to " + b.Destination() + (b.destination.set() ? "" : " (the binding's name)") +
              ", but the saga's consumers of its events read " + def->topic);
    if (b.send_type.set()) {
      std::string t = Upper(*b.send_type.value);
      if (t != "SYNC" && t != "ASYNC" && t != "ONEWAY")
        Add(Severity::kError, "bad-value", b.send_type.at,
            b.name + ": sendType " + *b.send_type.value +
                " is not Sync, Async or OneWay: RocketMQProducerMessageHandler fails every send");
    }
    if ((b.producer_type.set() && Upper(*b.producer_type.value) == "TRANS") || b.transactional.value.value_or(false))
      Add(Severity::kError, "not-modelled", b.producer_type.set() ? b.producer_type.at : b.transactional.at,
          b.name + ": transactional producers are not modelled yet");
  }

  struct Member {
    const ServiceConfig* config;
    const ConsumerBinding* binding;
    std::string destination, expression;
  };

  void SharedGroups() {
    std::map<std::string, std::vector<Member>> groups;
    for (const ServiceConfig& c : configs_)
      for (const ConsumerBinding& b : c.consumers)
        if (c.Defines(b.function) && services::FindConsumerBinding(services::BindingKey(c.service, b.name.c_str())))
          groups[b.Group()].push_back({&c, &b, b.Destination(), TagExpression(b, c.generation)});
    for (const auto& [group, members] : groups) {
      if (members.size() < 2) continue;
      std::set<std::pair<std::string, std::string>> subscriptions;
      std::set<std::string> topics;
      for (const Member& m : members) {
        subscriptions.emplace(m.destination, m.expression);
        topics.insert(m.destination);
      }
      const Member& first = members.front();
      Position at = first.binding->group.set() ? first.binding->group.at : first.binding->at;
      std::string list;
      for (const Member& m : members) {
        Position p = m.binding->group.set() ? m.binding->group.at : m.binding->at;
        list += std::string(list.empty() ? "" : ", ") + m.binding->name + " (" + m.destination + ", " +
                m.expression + ", " + (p.file == at.file ? "line " + std::to_string(p.line) : Where(p)) + ")";
      }
      if (topics.size() < members.size()) {
        // Two clients of one group on one topic: the rebalance splits the topic's
        // queues between them, so each message reaches only one of the bindings.
        Add(Severity::kError, "shared-group", at,
            "group " + group + " reads one topic through several bindings: " + list +
                ". RocketMQ spreads the topic's queues over the group's clients, so each message reaches only one of "
                "them; sagasim does not model that rebalance yet");
      } else if (subscriptions.size() > 1) {
        Add(Severity::kWarning, "shared-group", at,
            "group " + group + " is shared by bindings with different subscriptions: " + list +
                ". Each binding is a client of the group (RocketMQUtils.getInstanceName) and the rebalance "
                "(AllocateMessageQueueAveragely) spreads each topic's queues over all " +
                std::to_string(members.size()) + " clients: queues held by a client that does not subscribe the topic "
                "are never consumed (about " + std::to_string(100 - 100 / static_cast<int>(members.size())) +
                "% of each), and %RETRY%" + group + " goes to one client only; give each binding its own group");
      }
    }
  }

  static std::string Upper(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  }

  const std::vector<ServiceConfig>& configs_;
  const std::optional<services::Options>& saga_;
  std::vector<Finding>* findings_;
  Producers producers_;
};

std::string ClientText(const ConsumerBinding& b, int clients_in_group) {
  int threads = static_cast<int>(b.concurrency.value.value_or(1));
  std::string text = std::string("push consumer, ") + (b.orderly.value.value_or(false) ? "orderly" : "concurrently") +
                     ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
  if (clients_in_group > 1) text += ", 1 of " + std::to_string(clients_in_group) + " clients of its group";
  return text;
}

std::string SendText(const ProducerBinding& b, Generation g) {
  if (g == Generation::kLegacy) return b.legacy_sync.value.value_or(false) ? "sync" : "async";
  std::string t = b.send_type.value.value_or("");
  for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (t.empty()) return "sync (default sendType)";
  return t == "oneway" ? "one-way" : t;
}

}  // namespace

std::string TagExpression(const ConsumerBinding& b, Generation g) {
  // FilterAPI.buildSubscriptionData: a null or empty expression subscribes to every tag.
  std::string e = b.subscription.value.value_or("");
  size_t first = e.find_first_not_of(' ');
  if (first == std::string::npos) return "*";
  return e.substr(first, e.find_last_not_of(' ') - first + 1);
}

base::Result<ServiceFile> ParseServiceFile(const std::string& argument) {
  size_t eq = argument.find('=');
  std::string service = argument.substr(0, eq);
  if (eq == std::string::npos || eq + 1 == argument.size())
    return base::Status::InvalidInput("\"" + argument + "\": expected SERVICE=FILE, e.g. order=application-rocketmq.yml");
  for (ServiceId id : kServices)
    if (service == services::ServiceName(id)) return ServiceFile{id, argument.substr(eq + 1)};
  return base::Status::InvalidInput("\"" + argument + "\": unknown service \"" + service +
                                    "\" (expected order, stock or payment)");
}

int LintReport::errors() const {
  int n = 0;
  for (const Finding& f : findings) n += f.severity == Finding::Severity::kError;
  return n;
}

int LintReport::warnings() const { return static_cast<int>(findings.size()) - errors(); }

void CheckSaga(const std::vector<ServiceConfig>& configs, const std::optional<services::Options>& saga,
               std::vector<Finding>* findings) {
  Checker(configs, saga, findings).Run();
}

std::vector<BindingRow> BindingTable(const std::vector<ServiceConfig>& configs) {
  std::map<std::string, int> clients;  // group -> bound consumer bindings
  for (const ServiceConfig& c : configs)
    for (const ConsumerBinding& b : c.consumers)
      if (c.Defines(b.function)) ++clients[b.Group()];
  std::vector<BindingRow> rows;
  for (const ServiceConfig& c : configs) {
    const char* service = services::ServiceName(c.service);
    for (const ConsumerBinding& b : c.consumers) {
      BindingRow r;
      r.service = service;
      r.function = b.function;
      r.binding = b.name;
      r.topic = b.Destination();
      r.group = b.Group();
      r.tags = TagExpression(b, c.generation);
      r.orderly = b.orderly.value.value_or(false) ? "yes" : "no";
      r.attempts = std::to_string(b.max_attempts.value.value_or(3));
      r.client = c.Defines(b.function) ? ClientText(b, clients[r.group]) : "none: not in the function definition";
      r.at = b.at;
      rows.push_back(std::move(r));
    }
    for (const ProducerBinding& b : c.producers) {
      BindingRow r;
      r.service = service;
      r.function = b.function;
      r.binding = b.name;
      r.topic = b.Destination();
      r.group = b.Group();
      const services::TopicDef* topic = services::FindTopic(r.topic);
      r.tags = topic ? topic->tag : "-";
      r.orderly = "-";
      r.attempts = "-";
      r.client = "producer, " + SendText(b, c.generation) + " send";
      r.at = b.at;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

base::Result<LintReport> LintFiles(const std::vector<ServiceFile>& files, const LintOptions& options) {
  LintReport report;
  report.generation = options.generation;
  std::set<ServiceId> seen;
  std::vector<std::string> errors;
  for (const ServiceFile& f : files) {
    if (!seen.insert(f.service).second)
      return base::Status::InvalidInput(std::string(services::ServiceName(f.service)) + "=" + f.path + ": the " +
                                        services::ServiceName(f.service) + " service is given twice");
    auto source = LoadConfigFile(f.path, options.load);
    if (!source.ok()) {
      errors.push_back(source.status().message());
      continue;
    }
    auto config = BuildServiceConfig(source.value(), f.service, options.generation);
    if (!config.ok()) {
      errors.push_back(config.status().message());
      continue;
    }
    report.configs.push_back(std::move(config.value()));
  }
  if (!errors.empty()) {
    std::string message;
    for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + e;
    return base::Status::InvalidInput(message);
  }
  // Services in the saga's order, whatever the order of the arguments.
  std::vector<ServiceConfig> sorted;
  for (ServiceId id : kServices)
    for (ServiceConfig& c : report.configs)
      if (c.service == id) sorted.push_back(std::move(c));
  report.configs = std::move(sorted);
  for (const ServiceConfig& c : report.configs)
    report.findings.insert(report.findings.end(), c.findings.begin(), c.findings.end());
  CheckSaga(report.configs, options.saga, &report.findings);
  report.rows = BindingTable(report.configs);
  return report;
}

}  // namespace spring
