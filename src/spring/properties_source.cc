// .properties files, read as java.util.Properties reads them, plus Spring Boot's
// multi-document separator (a line "#---" or "!---", Boot 2.4+). The result has the
// same shape as a YAML file's, so profiles and placeholders work alike.

#include <cctype>
#include <map>

#include "spring/yaml_source.h"

namespace spring::internal {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Properties' escapes: \t \n \r \f \uXXXX; any other escaped character stands for itself.
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        unsigned code = 0;
        int digits = 0;
        while (digits < 4 && i + 1 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1]))) {
          char h = s[++i];
          code = code * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
          ++digits;
        }
        // UTF-8 for the basic plane; configuration keys and values are ASCII in practice.
        if (code < 0x80) {
          out += static_cast<char>(code);
        } else if (code < 0x800) {
          out += static_cast<char>(0xC0 | (code >> 6));
          out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (code >> 12));
          out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (code & 0x3F));
        }
        break;
      }
      default: out += c;
    }
  }
  return out;
}

// A line ends in a continuation when it ends in an odd number of backslashes.
bool Continues(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[line.size() - 1 - n] == '\\') ++n;
  return n % 2 == 1;
}

}  // namespace

base::Result<std::vector<RawDocument>> ParseProperties(std::string_view text, const std::string& file) {
  std::vector<RawDocument> docs(1);
  std::map<std::string, int> seen;  // key -> line, within the current document
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i) + 1;
    std::string_view line = lines[i];
    size_t indent = 0;
    while (indent < line.size() && IsBlank(line[indent])) ++indent;
    std::string_view body = line.substr(indent);
    if (body == "#---" || body == "!---") {
      docs.emplace_back();
      seen.clear();
      continue;
    }
    if (body.empty() || body.front() == '#' || body.front() == '!') continue;
    // Join continuation lines; the next line's leading blanks are dropped.
    std::string logical(body);
    while (Continues(logical) && i + 1 < lines.size()) {
      logical.pop_back();
      std::string_view next = lines[++i];
      while (!next.empty() && IsBlank(next.front())) next.remove_prefix(1);
      logical += next;
    }
    // The key ends at the first unescaped '=', ':' or blank.
    size_t k = 0;
    while (k < logical.size() && logical[k] != '=' && logical[k] != ':' && !IsBlank(logical[k]))
      k += logical[k] == '\\' ? 2 : 1;
    k = std::min(k, logical.size());
    size_t v = k;
    while (v < logical.size() && IsBlank(logical[v])) ++v;
    if (v < logical.size() && (logical[v] == '=' || logical[v] == ':')) ++v;
    while (v < logical.size() && IsBlank(logical[v])) ++v;
    Entry e;
    e.key = Unescape(std::string_view(logical).substr(0, k));
    e.raw = e.value = Unescape(std::string_view(logical).substr(v));
    e.empty = e.value.empty();
    e.key_at = {file, line_no, static_cast<int>(indent) + 1};
    e.at = {file, line_no, static_cast<int>(indent + v) + 1};
    e.document = static_cast<int>(docs.size()) - 1;
    if (auto [first, added] = seen.emplace(e.key, line_no); !added)
      return base::Status::InvalidInput(Where(e.key_at) + ": duplicate key " + e.key + " (first at line " +
                                        std::to_string(first->second) + "; Spring would silently keep the last)");
    docs.back().entries.push_back(std::move(e));
  }
  return docs;
}

}  // namespace spring::internal
