#pragma once

// Spring Boot configuration files, read as Spring's Environment sees them: a YAML
// (or .properties) file becomes a flat list of `a.b.c = value` entries, each with the
// file, line and column it came from. What Spring does on the way is done here too:
// several documents per file (`---`, or `#---` in .properties), a document kept only
// when `spring.config.activate.on-profile` matches the active profiles, later
// documents overriding earlier ones, and `${VAR:default}` placeholders (environment,
// then the file's own keys, then the default). What the keys mean is binder_model's job.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace spring {

// 1-based, as editors show them; line 0 means "the whole file".
struct Position {
  std::string file;
  int line = 0;
  int column = 0;
};
std::string Where(const Position& p);  // "file:line:column", "file:line" or "file"

struct Entry {
  std::string key;       // the key as written, parts joined with '.', list items as [i]
  std::string value;     // placeholders resolved
  std::string raw;       // as written
  bool quoted = false;   // a quoted YAML scalar: always a string, never a number or a boolean
  bool empty = false;    // `key:` with no value, or `~`
  Position at;           // of the value (of the key when the value is empty)
  Position key_at;
  int document = 0;      // 0-based index of the document within its file
};

struct Source {
  std::string file;
  std::vector<Entry> entries;          // effective ones, in file order; later documents win
  std::vector<std::string> profiles;   // the profiles the documents were selected with
};

struct LoadOptions {
  // Active profiles (`--spring-profile`); empty: SPRING_PROFILES_ACTIVE, else the
  // file's own `spring.profiles.active`.
  std::vector<std::string> profiles;
  // Environment lookup for placeholders and SPRING_PROFILES_ACTIVE; null: getenv.
  std::function<std::optional<std::string>(const std::string&)> env;
};

// Errors are Status::InvalidInput naming "file:line:column: ..." (bad YAML, a tab in
// the indentation, a duplicate key, an unresolvable placeholder).
base::Result<Source> LoadConfigText(std::string_view text, const std::string& file, bool properties,
                                    const LoadOptions& options);
// Chooses the syntax by extension: .properties, else YAML (.yml, .yaml).
base::Result<Source> LoadConfigFile(const std::string& path, const LoadOptions& options);

// Spring's relaxed binding compares property names in a "uniform" form: lower case,
// with '-' and '_' dropped, so max-attempts, maxAttempts and max_attempts are one key.
std::string Uniform(std::string_view name);

namespace internal {
// One document before profile selection and placeholders: what the two syntaxes share.
struct RawDocument {
  std::vector<Entry> entries;
};
base::Result<std::vector<RawDocument>> ParseYaml(std::string_view text, const std::string& file);
base::Result<std::vector<RawDocument>> ParseProperties(std::string_view text, const std::string& file);
}  // namespace internal

}  // namespace spring
