#pragma once

// The order ids of a scenario file, for the loader's cross-checks: single ids and
// generated blocks (prefix + 1..count) must not collide, and matchers and expectations
// must name ids that exist. Blocks are never expanded (a block may hold ten million).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace scenario::loader {

// "g1..g1000" (or "g1" for a block of one).
std::string GeneratedRange(const std::string& prefix, int64_t count);

class OrderIds {
 public:
  // Adds an id first seen at JSON pointer `path`; on a collision, returns the message
  // (and adds nothing).
  std::optional<std::string> AddSingle(const std::string& id, const std::string& path);

  // Adds ids prefix+1 .. prefix+count; on a collision, returns the message.
  std::optional<std::string> AddGenerated(const std::string& prefix, int64_t count, const std::string& path);

  bool Contains(std::string_view id) const;

  // Whether some order id starts with `prefix` (for "g*" matchers).
  bool AnyWithPrefix(std::string_view prefix) const;

 private:
  struct Block {
    std::string prefix;
    int64_t count;
    std::string path;
  };

  static bool Overlaps(const Block& block, std::string_view longer);
  const Block* FindBlock(std::string_view id) const;

  std::map<std::string, std::string, std::less<>> singles_;  // id -> path
  std::map<std::string, Block, std::less<>> blocks_;         // idPrefix -> block
};

}  // namespace scenario::loader
