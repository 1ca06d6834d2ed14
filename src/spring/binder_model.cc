#include "spring/binder_model.h"

#include <cerrno>
#include <cstdlib>

namespace spring {
namespace {

using Severity = Finding::Severity;

std::vector<std::string> Split(const std::string& key, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = key.find(separator, start);
    parts.push_back(key.substr(start, at == std::string::npos ? at : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// "required-groups[0]" -> "requiredgroups.0": list items look like nested keys.
std::string UniformPath(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (!out.empty()) out += '.';
    for (char c : Uniform(parts[i])) {
      if (c == '[') out += '.';
      else if (c != ']') out += c;
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < parts.size(); ++i) out += (out.empty() ? "" : ".") + parts[i];
  return out;
}

bool StartsWith(const std::vector<std::string>& uniform, std::initializer_list<const char*> prefix) {
  if (uniform.size() < prefix.size()) return false;
  size_t i = 0;
  for (const char* p : prefix)
    if (uniform[i++] != p) return false;
  return true;
}

// "orderCreatedConsumer-in-0" -> ("orderCreatedConsumer", true); "-out-N" -> false.
bool SplitBindingName(const std::string& name, std::string* function, bool* input) {
  for (const char* marker : {"-in-", "-out-"}) {
    size_t at = name.rfind(marker);
    if (at == std::string::npos || at == 0) continue;
    std::string index = name.substr(at + std::string(marker).size());
    if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos) continue;
    *function = name.substr(0, at);
    *input = marker[1] == 'i';
    return true;
  }
  return false;
}

class Builder {
 public:
  Builder(const Source& source, services::ServiceId service, Generation g) {
    config_.service = service;
    config_.file = source.file;
    config_.generation = g;
  }

  base::Result<ServiceConfig> Build(const Source& source) {
    for (const Entry& e : source.entries) {
      base::Status s = Take(e);
      if (!s.ok()) return s;
    }
    ApplyDefaults();
    return std::move(config_);
  }

 private:
  base::Status Take(const Entry& e) {
    std::vector<std::string> parts = Split(e.key, '.');
    std::vector<std::string> u;
    for (const std::string& p : parts) u.push_back(Uniform(p));
    if (StartsWith(u, {"spring", "cloud", "function", "definition"}) && u.size() == 4) return Definition(e);
    if (StartsWith(u, {"spring", "cloud", "stream", "function", "definition"}) && u.size() == 5) return Definition(e);
    if (!StartsWith(u, {"spring", "cloud", "stream"}) || u.size() < 4) return base::Status::Ok();  // not the binder's
    if (u[3] == "bindings" && u.size() >= 6) return Scoped(e, Scope::kBinding, parts[4], UniformPath(parts, 5), false);
    if (u[3] == "default" && u.size() >= 5) return Scoped(e, Scope::kBinding, "", UniformPath(parts, 4), true);
    if (u[3] == "rocketmq") {
      if (u.size() >= 5 && u[4] == "binder") return base::Status::Ok();
      bool defaults = u.size() >= 7 && u[4] == "default";
      bool binding = u.size() >= 8 && u[4] == "bindings";
      size_t kind = defaults ? 5 : 6;
      if ((defaults || binding) && (u[kind] == "consumer" || u[kind] == "producer")) {
        Scope scope = u[kind] == "consumer" ? Scope::kRocketConsumer : Scope::kRocketProducer;
        return Scoped(e, scope, defaults ? "" : parts[5], UniformPath(parts, kind + 1), defaults);
      }
      Unknown(e, "spring.cloud.stream.rocketmq.bindings.<b>.consumer.* / .producer.*, or .binder.*, expected");
      return base::Status::Ok();
    }
    if (u[3] == "function") return base::Status::Ok();  // function.bindings.* renames: accepted
    for (const std::string& known : StreamTopLevelKeys())
      if (Uniform(known) == u[3]) return base::Status::Ok();
    std::string hint;
    for (const std::string& known : StreamTopLevelKeys())
      if (EditDistance(Uniform(known), u[3]) <= 2) hint = "; did you mean spring.cloud.stream." + known + "?";
    Unknown(e, "Spring Cloud Stream has no spring.cloud.stream." + parts[3] + hint);
    return base::Status::Ok();
  }

  base::Status Definition(const Entry& e) {
    config_.definition_at = e.at;
    config_.functions.clear();
    for (std::string f : Split(e.value, ';')) {
      while (!f.empty() && f.front() == ' ') f.erase(0, 1);
      while (!f.empty() && f.back() == ' ') f.pop_back();
      if (f.empty()) continue;
      if (f.find_first_of("|,") != std::string::npos)
        return base::Status::InvalidInput(Where(e.at) + ": function composition (\"" + f +
                                          "\") is not modelled: list the saga's functions separated by ';'");
      config_.functions.push_back(f);
    }
    return base::Status::Ok();
  }

  void Add(Severity severity, const char* code, const Position& at, std::string message) {
    config_.findings.push_back({severity, code, at, std::move(message)});
  }

  void Unknown(const Entry& e, const std::string& why) {
    Add(Severity::kWarning, "unknown-key", e.key_at, e.key + ": unknown key, Spring binds nothing for it (" + why + ")");
  }

  base::Status Scoped(const Entry& e, Scope scope, const std::string& binding, const std::string& path, bool defaults) {
    const KeySpec* spec = FindKey(scope, path);
    const Generation g = config_.generation;
    if (!spec) {
      std::string hint;
      const std::string name = defaults ? "<b>" : binding;
      const KeySpec* scst = scope == Scope::kRocketConsumer ? FindKey(Scope::kBinding, "consumer." + path) : nullptr;
      const KeySpec* rocket = scope == Scope::kBinding && path.starts_with("consumer.")
                                  ? FindKey(Scope::kRocketConsumer, path.substr(9))
                                  : nullptr;
      if (scst)
        hint = std::string("it is a Spring Cloud Stream property: spring.cloud.stream.bindings.") + name + "." + scst->path;
      else if (rocket)
        hint = std::string("it is a RocketMQ binder property: spring.cloud.stream.rocketmq.bindings.") + name +
               ".consumer." + rocket->path;
      else if (const KeySpec* near = NearestKey(scope, path, g))
        hint = std::string("did you mean ") + near->path + "?";
      else
        hint = std::string("not a key of ") + ScopePrefix(scope) + " for the " + GenerationName(g) + " binder";
      Unknown(e, hint);
      return base::Status::Ok();
    }
    Treatment treatment = TreatmentIn(*spec, g);
    if (treatment == Treatment::kAbsent) {
      Generation other = g == Generation::kCurrent ? Generation::kLegacy : Generation::kCurrent;
      Add(Severity::kWarning, g == Generation::kCurrent ? "legacy-key" : "newer-key", e.key_at,
          e.key + ": " + (g == Generation::kCurrent ? "a legacy key" : "a key of newer binders") + " (" +
              GenerationVersions(other) + "), ignored by the " + GenerationName(g) + " binders: " + spec->note);
      return base::Status::Ok();
    }
    // The field exists, so Spring binds (and type-checks) the value even when unused.
    Value v;
    base::Status s = Parse(e, *spec, &v);
    if (!s.ok()) return s;
    if (treatment == Treatment::kIgnored) {
      Add(Severity::kWarning, "ignored-key", e.key_at, e.key + ": " + spec->note);
      return base::Status::Ok();
    }
    if (spec->field == Field::kNone || e.empty) return base::Status::Ok();
    std::string function;
    bool input = scope == Scope::kRocketConsumer;
    if (!defaults) {
      bool is_input = false;
      if (!SplitBindingName(binding, &function, &is_input)) {
        Add(Severity::kWarning, "binding-name", e.key_at,
            binding + ": not a functional binding name (<function>-in-<n> or <function>-out-<n>); sagasim skips it");
        return base::Status::Ok();
      }
      input = is_input;
      if (scope == Scope::kRocketConsumer && !input) {
        Add(Severity::kWarning, "unknown-key", e.key_at, e.key + ": consumer settings on an output binding are never read");
        return base::Status::Ok();
      }
      if (scope == Scope::kRocketProducer && input) {
        Add(Severity::kWarning, "unknown-key", e.key_at, e.key + ": producer settings on an input binding are never read");
        return base::Status::Ok();
      }
    }
    if (defaults) {
      // spring.cloud.stream.default.* and rocketmq.default.*: under every binding.
      if (scope != Scope::kRocketProducer) Store(&default_consumer_, *spec, v, e.at);
      if (scope != Scope::kRocketConsumer) Store(&default_producer_, *spec, v, e.at);
      return base::Status::Ok();
    }
    if (input) {
      Store(Consumer(binding, function, e.key_at), *spec, v, e.at);
    } else {
      if (path.starts_with("consumer.")) {
        Add(Severity::kWarning, "unknown-key", e.key_at, e.key + ": consumer settings on an output binding are never read");
        return base::Status::Ok();
      }
      Store(Producer(binding, function, e.key_at), *spec, v, e.at);
    }
    return base::Status::Ok();
  }

  struct Value {
    std::string text;
    int64_t integer = 0;
    double number = 0;
    bool boolean = false;
  };

  base::Status Parse(const Entry& e, const KeySpec& spec, Value* v) {
    v->text = e.value;
    if (e.empty) return base::Status::Ok();
    auto fail = [&](const char* expected) {
      return base::Status::InvalidInput(Where(e.at) + ": " + e.key + " must be " + expected + ", not \"" + e.value +
                                        "\" (Spring fails to bind it at startup)");
    };
    const std::string& t = e.value;
    switch (spec.type) {
      case ValueType::kInt: {
        errno = 0;
        char* end = nullptr;
        long long n = std::strtoll(t.c_str(), &end, 10);
        if (t.empty() || *end != '\0' || errno == ERANGE || t.find_first_of(" \t") != std::string::npos)
          return fail("an integer");
        v->integer = n;
        return base::Status::Ok();
      }
      case ValueType::kNumber: {
        errno = 0;
        char* end = nullptr;
        v->number = std::strtod(t.c_str(), &end);
        if (t.empty() || *end != '\0' || errno == ERANGE) return fail("a number");
        return base::Status::Ok();
      }
      case ValueType::kBool: {
        // Spring's StringToBooleanConverter.
        std::string lower = Uniform(t);
        if (lower == "true" || lower == "on" || lower == "yes" || lower == "1") v->boolean = true;
        else if (lower == "false" || lower == "off" || lower == "no" || lower == "0") v->boolean = false;
        else return fail("true or false");
        return base::Status::Ok();
      }
      case ValueType::kString:
      case ValueType::kAny: return base::Status::Ok();
    }
    return base::Status::Ok();
  }

  ConsumerBinding* Consumer(const std::string& name, const std::string& function, const Position& at) {
    for (ConsumerBinding& b : config_.consumers)
      if (b.name == name) return &b;
    ConsumerBinding b;
    b.name = name;
    b.function = function;
    b.at = at;
    config_.consumers.push_back(std::move(b));
    return &config_.consumers.back();
  }

  ProducerBinding* Producer(const std::string& name, const std::string& function, const Position& at) {
    for (ProducerBinding& b : config_.producers)
      if (b.name == name) return &b;
    ProducerBinding b;
    b.name = name;
    b.function = function;
    b.at = at;
    config_.producers.push_back(std::move(b));
    return &config_.producers.back();
  }

  template <typename T>
  static void Put(Setting<T>* s, T value, const Position& at) {
    s->value = std::move(value);
    s->at = at;
  }

  static void Store(ConsumerBinding* b, const KeySpec& spec, const Value& v, const Position& at) {
    switch (spec.field) {
      case Field::kDestination: Put(&b->destination, v.text, at); break;
      case Field::kGroup: Put(&b->group, v.text, at); break;
      case Field::kMaxAttempts: Put(&b->max_attempts, v.integer, at); break;
      case Field::kBackOffInitial: Put(&b->back_off_initial_ms, v.integer, at); break;
      case Field::kBackOffMultiplier: Put(&b->back_off_multiplier, v.number, at); break;
      case Field::kBackOffMax: Put(&b->back_off_max_ms, v.integer, at); break;
      case Field::kConcurrency: Put(&b->concurrency, v.integer, at); break;
      case Field::kSubscription: Put(&b->subscription, v.text, at); break;
      case Field::kSql: Put(&b->sql, v.text, at); break;
      case Field::kOrderly: Put(&b->orderly, v.boolean, at); break;
      case Field::kSuspendMs: Put(&b->suspend_ms, v.integer, at); break;
      case Field::kDelayLevel: Put(&b->delay_level, v.integer, at); break;
      case Field::kMessageModel: Put(&b->message_model, v.text, at); break;
      case Field::kBroadcasting: Put(&b->broadcasting, v.boolean, at); break;
      case Field::kErrorHandler: Put(&b->error_handler, v.text, at); break;
      default: break;
    }
  }

  static void Store(ProducerBinding* b, const KeySpec& spec, const Value& v, const Position& at) {
    switch (spec.field) {
      case Field::kDestination: Put(&b->destination, v.text, at); break;
      case Field::kProducerGroup: Put(&b->group, v.text, at); break;
      case Field::kSendType: Put(&b->send_type, v.text, at); break;
      case Field::kLegacySync: Put(&b->legacy_sync, v.boolean, at); break;
      case Field::kProducerType: Put(&b->producer_type, v.text, at); break;
      case Field::kTransactional: Put(&b->transactional, v.boolean, at); break;
      default: break;
    }
  }

  template <typename T>
  static void Inherit(Setting<T>* s, const Setting<T>& d) {
    if (!s->set()) *s = d;
  }

  void ApplyDefaults() {
    const ConsumerBinding& d = default_consumer_;
    for (ConsumerBinding& b : config_.consumers) {
      for (auto [field, from] : {std::pair{&b.destination, &d.destination}, {&b.group, &d.group},
                                 {&b.subscription, &d.subscription}, {&b.sql, &d.sql},
                                 {&b.message_model, &d.message_model}, {&b.error_handler, &d.error_handler}})
        Inherit(field, *from);
      for (auto [field, from] : {std::pair{&b.max_attempts, &d.max_attempts}, {&b.back_off_initial_ms, &d.back_off_initial_ms},
                                 {&b.back_off_max_ms, &d.back_off_max_ms}, {&b.concurrency, &d.concurrency},
                                 {&b.suspend_ms, &d.suspend_ms}, {&b.delay_level, &d.delay_level}})
        Inherit(field, *from);
      Inherit(&b.back_off_multiplier, d.back_off_multiplier);
      Inherit(&b.orderly, d.orderly);
      Inherit(&b.broadcasting, d.broadcasting);
    }
    const ProducerBinding& p = default_producer_;
    for (ProducerBinding& b : config_.producers) {
      for (auto [field, from] : {std::pair{&b.destination, &p.destination}, {&b.group, &p.group},
                                 {&b.send_type, &p.send_type}, {&b.producer_type, &p.producer_type}})
        Inherit(field, *from);
      Inherit(&b.legacy_sync, p.legacy_sync);
      Inherit(&b.transactional, p.transactional);
    }
  }

  ServiceConfig config_;
  ConsumerBinding default_consumer_;
  ProducerBinding default_producer_;
};

}  // namespace

const char* SeverityName(Finding::Severity s) { return s == Finding::Severity::kError ? "error" : "warning"; }

std::string ConsumerBinding::Group() const {
  if (group.set() && !group.value->empty()) return *group.value;
  return "anonymous_" + Destination();
}

const ConsumerBinding* ServiceConfig::FindConsumer(const std::string& name) const {
  for (const ConsumerBinding& b : consumers)
    if (b.name == name) return &b;
  return nullptr;
}

const ProducerBinding* ServiceConfig::FindProducer(const std::string& name) const {
  for (const ProducerBinding& b : producers)
    if (b.name == name) return &b;
  return nullptr;
}

bool ServiceConfig::Defines(const std::string& function) const {
  for (const std::string& f : functions)
    if (f == function) return true;
  return false;
}

base::Result<ServiceConfig> BuildServiceConfig(const Source& source, services::ServiceId service,
                                               Generation generation) {
  Builder builder(source, service, generation);
  return builder.Build(source);
}

}  // namespace spring
