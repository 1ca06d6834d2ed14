#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace services {

// A body in the shape the services write, read without building a DOM: one object
// whose values are strings without escapes, integers of at most 18 digits, or objects
// of those (productQuantityMap), with whitespace anywhere JSON allows it. Anything
// else (escapes, floats, literals, arrays, deeper nesting, malformed text) is not
// read here, and the caller falls back to nlohmann, which says what is wrong.
// nlohmann's lexer and DOM were 10% of a run's instructions.
struct FlatValue {
  enum class Kind { kString, kInteger, kObject };
  Kind kind = Kind::kInteger;
  std::string_view text;  // kString: the bytes between the quotes (no escapes)
  int64_t integer = 0;    // kInteger
  bool negative = false;  // kInteger: written with a '-' (nlohmann: signed, else unsigned)
  size_t first = 0;       // kObject: its fields are FlatDoc::nested[first, first + count)
  size_t count = 0;
};

struct FlatField {
  std::string_view key;
  FlatValue value;
};

// Views into the text it was read from, which must outlive it.
struct FlatDoc {
  std::vector<FlatField> top;
  std::vector<FlatField> nested;
  // The top-level field named `key`; the last one when a key repeats (as in nlohmann).
  const FlatValue* Find(std::string_view key) const;
};

// False when `text` is not of the shape above (not necessarily malformed).
bool ParseFlat(std::string_view text, FlatDoc* out);

// The same as nlohmann's DOM, value types included (a non-negative integer is
// unsigned): equal to nlohmann::json::parse(text) whenever ParseFlat accepts `text`.
std::optional<nlohmann::json> ParseFlatJson(std::string_view text);

}  // namespace services
