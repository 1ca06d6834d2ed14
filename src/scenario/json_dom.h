#pragma once

// Scenario text to a JSON document, for the loader (scenario_json.h). Stricter than
// nlohmann::json::parse: duplicate keys and nesting past kMaxNesting are errors, and
// every syntax error names its line and column.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"

namespace scenario::loader {

using Json = nlohmann::json;

// Arrays and objects inside one another; the format itself nests at most 6 deep.
// nlohmann's parser and destructor are iterative, so depth cannot overflow the stack,
// but each level costs a container and a builder frame: 10 MB of "[" took 1.2 GB.
constexpr size_t kMaxNesting = 64;

// Parses `text` into *out. Errors are Status::InvalidInput naming `file`:
//   "x.json:3:17: invalid JSON: syntax error while parsing ..."   (line:column, 1-based)
//   "x.json:1:65: nested too deeply: more than 64 levels of arrays and objects"
//   "x.json: /orders/0/id: duplicate key \"id\""                  (JSON pointer)
// *out is left alone on error.
base::Status ParseJson(std::string_view text, const std::string& file, Json* out);

// One segment of a JSON pointer (RFC 6901): "~" becomes "~0" and "/" becomes "~1".
std::string PointerSegment(std::string_view key);

// 1-based line and column of the byte at `offset`. The column counts UTF-8
// characters, not bytes, so it matches what an editor shows.
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset);

}  // namespace scenario::loader
