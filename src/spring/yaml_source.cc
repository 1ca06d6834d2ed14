#include "spring/yaml_source.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

namespace spring {
namespace {

using internal::RawDocument;

constexpr size_t kMaxFileBytes = 16 << 20;  // a configuration file, not a data set
constexpr int kMaxPlaceholderDepth = 16;

base::Status ErrorAt(const std::string& file, int line, int column, const std::string& what) {
  return base::Status::InvalidInput(Where({file, line, column}) + ": " + what);
}

// yaml-cpp reports a tab in the indentation as an "illegal map value" somewhere after
// it; say what is wrong where it is. Tabs inside a line's content are YAML's business.
base::Status CheckIndentationTabs(std::string_view text, const std::string& file) {
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    for (size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i)
      if (text[i] == '\t')
        return ErrorAt(file, line, static_cast<int>(i - start) + 1,
                       "tab character in the indentation (YAML indents with spaces only)");
    ++line;
    start = end + 1;
  }
  return base::Status::Ok();
}

Position At(const std::string& file, const YAML::Mark& mark) { return {file, mark.line + 1, mark.column + 1}; }

// Flattens one document as Spring's YAML loader does: nested maps join with '.',
// list items become [i]. Duplicate keys are errors (yaml-cpp keeps both silently).
class Flattener {
 public:
  Flattener(const std::string& file, RawDocument* doc, int index) : file_(file), doc_(doc), index_(index) {}

  base::Status Walk(const YAML::Node& node, const std::string& prefix, const YAML::Mark& key_mark) {
    switch (node.Type()) {
      case YAML::NodeType::Map: {
        std::map<std::string, YAML::Mark> seen;
        for (auto it = node.begin(); it != node.end(); ++it) {
          // Copies: the iterator yields a temporary pair; references to it dangle.
          const YAML::Node key = it->first;
          const YAML::Node value = it->second;
          if (!key.IsScalar())
            return ErrorAt(file_, key.Mark().line + 1, key.Mark().column + 1, "a key must be a plain name");
          const std::string& name = key.Scalar();
          if (auto [first, added] = seen.emplace(name, key.Mark()); !added)
            return ErrorAt(file_, key.Mark().line + 1, key.Mark().column + 1,
                           "duplicate key \"" + name + "\" (first at line " + std::to_string(first->second.line + 1) +
                               "; Spring would silently keep only one)");
          base::Status s = Walk(value, prefix.empty() ? name : prefix + "." + name, key.Mark());
          if (!s.ok()) return s;
        }
        return base::Status::Ok();
      }
      case YAML::NodeType::Sequence: {
        int i = 0;
        for (const YAML::Node item : node) {
          base::Status s = Walk(item, prefix + "[" + std::to_string(i++) + "]", item.Mark());
          if (!s.ok()) return s;
        }
        return base::Status::Ok();
      }
      case YAML::NodeType::Scalar:
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined: {
        Entry e;
        e.key = prefix;
        e.key_at = At(file_, key_mark);
        e.document = index_;
        if (node.IsScalar()) {
          e.raw = e.value = node.Scalar();
          e.quoted = node.Tag() == "!";
          e.at = At(file_, node.Mark());
        } else {
          e.empty = true;
          e.at = e.key_at;
        }
        if (auto [first, added] = flat_.emplace(e.key, e.key_at.line); !added)
          return ErrorAt(file_, e.key_at.line, e.key_at.column,
                         "duplicate key " + e.key + " (also set at line " + std::to_string(first->second) + ")");
        doc_->entries.push_back(std::move(e));
        return base::Status::Ok();
      }
    }
    return base::Status::Ok();
  }

 private:
  const std::string& file_;
  RawDocument* doc_;
  int index_;
  std::map<std::string, int> flat_;  // flattened key -> line, across the document's maps
};

// Spring's profile expressions: "a", "!a", "a & b", "a | b", and a comma-separated list
// of them (any matches).
bool ProfileTermMatches(std::string_view term, const std::vector<std::string>& active) {
  while (!term.empty() && term.front() == ' ') term.remove_prefix(1);
  while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
  bool negate = !term.empty() && term.front() == '!';
  if (negate) term.remove_prefix(1);
  bool found = false;
  for (const std::string& p : active) found = found || p == term;
  return found != negate;
}

bool ProfilesMatch(std::string_view expression, const std::vector<std::string>& active) {
  size_t start = 0;
  while (start <= expression.size()) {
    size_t comma = expression.find_first_of(",|", start);
    std::string_view alternative = expression.substr(start, comma == std::string_view::npos ? comma : comma - start);
    bool all = true;
    size_t s = 0;
    while (s <= alternative.size()) {
      size_t amp = alternative.find('&', s);
      all = all && ProfileTermMatches(alternative.substr(s, amp == std::string_view::npos ? amp : amp - s), active);
      if (amp == std::string_view::npos) break;
      s = amp + 1;
    }
    if (all) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

const Entry* FindKey(const std::vector<Entry>& entries, std::string_view uniform_key) {
  const Entry* found = nullptr;
  for (const Entry& e : entries)
    if (Uniform(e.key) == uniform_key) found = &e;
  return found;
}

class Resolver {
 public:
  Resolver(const std::vector<Entry>& entries, const LoadOptions& options) : entries_(entries), options_(options) {}

  // Expands every ${name:default} in `text`; on failure, *error says which.
  bool Expand(const std::string& text, std::string* out, std::string* error, int depth = 0) {
    if (depth > kMaxPlaceholderDepth) {
      *error = "placeholders nest too deep (a circular reference?)";
      return false;
    }
    out->clear();
    size_t i = 0;
    while (i < text.size()) {
      size_t open = text.find("${", i);
      if (open == std::string::npos) break;
      out->append(text, i, open - i);
      size_t close = open + 2;
      int level = 1;
      for (; close < text.size(); ++close) {
        if (text.compare(close, 2, "${") == 0) {
          ++level;
          ++close;
        } else if (text[close] == '}' && --level == 0) {
          break;
        }
      }
      if (level != 0) {
        *error = "unterminated placeholder " + text.substr(open);
        return false;
      }
      std::string inner = text.substr(open + 2, close - open - 2);
      size_t colon = inner.find(':');
      std::string name = inner.substr(0, colon);
      std::string value;
      if (!Lookup(name, &value, error, depth)) {
        if (!error->empty()) return false;
        if (colon == std::string::npos) {
          *error = "cannot resolve placeholder ${" + name + "} (set " + name + " or give a default: ${" + name +
                   ":value})";
          return false;
        }
        if (!Expand(inner.substr(colon + 1), &value, error, depth + 1)) return false;
      }
      out->append(value);
      i = close + 1;
    }
    out->append(text, std::min(i, text.size()), std::string::npos);
    return true;
  }

 private:
  // The environment first (as Spring's system-environment source, which ranks above
  // application files: NAME, then A_B for a.b), then the file's own keys.
  bool Lookup(const std::string& name, std::string* value, std::string* error, int depth) {
    std::string env_name;
    for (char c : name) env_name += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(c));
    for (const std::string& candidate : {name, env_name}) {
      std::optional<std::string> v = Env(candidate);
      if (v) {
        *value = *v;
        return true;
      }
    }
    if (const Entry* e = FindKey(entries_, Uniform(name))) return Expand(e->raw, value, error, depth + 1);
    return false;
  }

  std::optional<std::string> Env(const std::string& name) {
    if (options_.env) return options_.env(name);
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  }

  const std::vector<Entry>& entries_;
  const LoadOptions& options_;
};

std::vector<std::string> ActiveProfiles(const std::vector<RawDocument>& docs, const LoadOptions& options) {
  if (!options.profiles.empty()) return options.profiles;
  std::optional<std::string> env = options.env ? options.env("SPRING_PROFILES_ACTIVE")
                                   : std::getenv("SPRING_PROFILES_ACTIVE")
                                       ? std::optional<std::string>(std::getenv("SPRING_PROFILES_ACTIVE"))
                                       : std::nullopt;
  if (env) return SplitList(*env);
  std::vector<std::string> from_file;
  for (const RawDocument& doc : docs) {
    bool conditional = FindKey(doc.entries, "spring.config.activate.onprofile") || FindKey(doc.entries, "spring.profiles");
    if (conditional) continue;
    if (const Entry* e = FindKey(doc.entries, "spring.profiles.active")) from_file = SplitList(e->value);
  }
  return from_file;
}

}  // namespace

std::string Where(const Position& p) {
  if (p.line <= 0) return p.file;
  if (p.column <= 0) return p.file + ":" + std::to_string(p.line);
  return p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

std::string Uniform(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace internal {

base::Result<std::vector<RawDocument>> ParseYaml(std::string_view text, const std::string& file) {
  if (base::Status s = CheckIndentationTabs(text, file); !s.ok()) return s;
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    return ErrorAt(file, e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + e.msg);
  }
  std::vector<RawDocument> docs(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const YAML::Node& root = nodes[i];
    if (root.IsNull()) continue;  // an empty document
    if (!root.IsMap())
      return ErrorAt(file, root.Mark().line + 1, root.Mark().column + 1,
                     "a Spring configuration document must be a mapping of keys");
    Flattener flattener(file, &docs[i], static_cast<int>(i));
    base::Status s = flattener.Walk(root, "", root.Mark());
    if (!s.ok()) return s;
  }
  return docs;
}

}  // namespace internal

base::Result<Source> LoadConfigText(std::string_view text, const std::string& file, bool properties,
                                    const LoadOptions& options) {
  auto parsed = properties ? internal::ParseProperties(text, file) : internal::ParseYaml(text, file);
  if (!parsed.ok()) return parsed.status();
  const std::vector<RawDocument>& docs = parsed.value();
  Source source;
  source.file = file;
  source.profiles = ActiveProfiles(docs, options);
  for (const RawDocument& doc : docs) {
    const Entry* condition = FindKey(doc.entries, "spring.config.activate.onprofile");
    if (!condition) condition = FindKey(doc.entries, "spring.profiles");
    if (condition && !ProfilesMatch(condition->value, source.profiles)) continue;
    for (const Entry& e : doc.entries) {
      // A later document overrides an earlier one's value for the same property.
      std::string key = Uniform(e.key);
      bool replaced = false;
      for (Entry& kept : source.entries)
        if (Uniform(kept.key) == key) {
          kept = e;
          replaced = true;
        }
      if (!replaced) source.entries.push_back(e);
    }
  }
  Resolver resolver(source.entries, options);
  std::vector<Entry> resolved = source.entries;
  for (Entry& e : resolved) {
    std::string error;
    if (!resolver.Expand(e.raw, &e.value, &error)) return base::Status::InvalidInput(Where(e.at) + ": " + error);
  }
  source.entries = std::move(resolved);
  return source;
}

base::Result<Source> LoadConfigFile(const std::string& path, const LoadOptions& options) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return base::Status::InvalidInput(path + ": cannot read file (" + std::strerror(errno) + ")");
  std::string text;
  char buffer[8192];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    text.append(buffer, n);
    if (text.size() > kMaxFileBytes) {
      std::fclose(f);
      return base::Status::InvalidInput(path + ": larger than 16 MiB; not a configuration file");
    }
  }
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) return base::Status::InvalidInput(path + ": cannot read file");
  bool properties = path.size() >= 11 && path.compare(path.size() - 11, 11, ".properties") == 0;
  return LoadConfigText(text, path, properties, options);
}

}  // namespace spring
