#include "services/consumer_groups.h"

namespace services {

std::string ConsumerGroupOf(const ConsumerBindingDef& def, const std::optional<std::string>& explicit_group,
                            ConsumerGroups mode) {
  if (explicit_group) return *explicit_group;
  if (mode == ConsumerGroups::kPerService) return def.group;
  return std::string(def.group) + "-" + def.name;
}

std::string NamedGroupOf(std::string_view group) {
  for (const ConsumerBindingDef& def : ConsumerBindings())
    if (ConsumerGroupOf(def, std::nullopt, ConsumerGroups::kPerBinding) == group) return def.group;
  return std::string(group);
}

bool GroupNamed(std::string_view named, std::string_view group) {
  return named == group || named == NamedGroupOf(group);
}

std::string ClientId(ServiceId service, const std::string& group, size_t created) {
  // A JVM's System.nanoTime() some minutes after boot, one microsecond per client.
  unsigned long long nano = 600000000000ULL + 1000ULL * created;
  std::string base36;
  for (; nano; nano /= 36) base36.insert(base36.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[nano % 36]);
  int pid = 4100 + static_cast<int>(service);
  return "127.0.0.1@" + group + "|" + std::to_string(pid) + "|" + base36;
}

}  // namespace services
