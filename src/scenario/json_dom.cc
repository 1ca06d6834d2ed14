#include "scenario/json_dom.h"

// A DOM builder on nlohmann's SAX interface, and a quick depth scan before it.

#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.h"

namespace scenario::loader {
namespace {

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1,
// column 9: syntax error while parsing value - invalid literal; last read: 'tru'"; the
// id and its own position are noise next to ours.
std::string ShortReason(std::string what) {
  if (what.starts_with("[json.exception.")) {
    if (size_t p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
  }
  if (what.starts_with("parse error")) {
    if (size_t p = what.find(": "); p != std::string::npos) what.erase(0, p + 2);
  }
  // The last-read token of an unterminated string is the rest of the file.
  const std::string kLastRead = "; last read: '";
  if (size_t start = what.find(kLastRead); start != std::string::npos) {
    size_t end = what.rfind("; expected ");
    if (end == std::string::npos || end < start) end = what.size();
    if (end - start > kLastRead.size() + 30) what.erase(start, end - start);
  }
  return what;
}

// Builds the same document as json::parse, and also: rejects duplicate keys (json::parse
// silently keeps the last, so a pasted copy would override the intended value), and
// receives the byte offset of every syntax error, including number overflow, for which
// json::parse's exception carries none.
class DomBuilder : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return Put(nullptr); }
  bool boolean(bool value) override { return Put(value); }
  bool number_integer(number_integer_t value) override { return Put(value); }
  bool number_unsigned(number_unsigned_t value) override { return Put(value); }
  bool number_float(number_float_t value, const string_t&) override { return Put(value); }
  bool string(string_t& value) override { return Put(std::move(value)); }
  bool binary(binary_t& value) override { return Put(Json::binary(std::move(value))); }
  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& key) override {
    Frame& top = stack_.back();
    if (top.node->contains(key)) {
      duplicate_path_ = PathOfOpenChild(stack_.size() - 1) + "/" + PointerSegment(key);
      duplicate_key_ = key;
      return false;
    }
    top.key = std::move(key);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    // `position` counts the characters read, the offending one included.
    error_offset_ = position == 0 ? 0 : position - 1;
    error_reason_ = ShortReason(ex.what());
    return false;
  }

  Json& root() { return root_; }
  const std::string& error_reason() const { return error_reason_; }
  size_t error_offset() const { return error_offset_; }
  const std::string& duplicate_path() const { return duplicate_path_; }
  const std::string& duplicate_key() const { return duplicate_key_; }

 private:
  struct Frame {
    Json* node;
    std::string key;  // for objects: the key whose value is being read
  };

  Json* Insert(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Frame& top = stack_.back();
    if (top.node->is_array()) {
      top.node->push_back(std::move(value));
      return &top.node->back();
    }
    return &((*top.node)[top.key] = std::move(value));
  }
  bool Put(Json value) {
    Insert(std::move(value));
    return true;
  }
  bool Open(Json container) {
    stack_.push_back({Insert(std::move(container)), {}});
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }
  // The pointer of the value currently being read inside the first `depth` frames.
  std::string PathOfOpenChild(size_t depth) const {
    std::string path;
    for (size_t i = 0; i < depth; ++i) {
      const Frame& frame = stack_[i];
      path += "/";
      path += frame.node->is_array() ? std::to_string(frame.node->size() - 1) : PointerSegment(frame.key);
    }
    return path;
  }

  Json root_;
  std::vector<Frame> stack_;
  std::string error_reason_;
  size_t error_offset_ = 0;
  std::string duplicate_path_, duplicate_key_;
};

// The offset of the first '[' or '{' that opens a level deeper than kMaxNesting, if
// any; brackets inside strings do not count. A quick scan before parsing.
std::optional<size_t> TooDeep(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string Position(const std::string& file, std::string_view text, size_t offset) {
  auto [line, column] = LineAndColumn(text, offset);
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

std::string PointerSegment(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

base::Status ParseJson(std::string_view text, const std::string& file, Json* out) {
  if (std::optional<size_t> offset = TooDeep(text)) {
    return base::Status::InvalidInput(Position(file, text, *offset) + ": nested too deeply: more than " +
                                      std::to_string(kMaxNesting) + " levels of arrays and objects");
  }
  DomBuilder builder;
  Json::sax_parse(text.begin(), text.end(), &builder);
  if (!builder.error_reason().empty()) {
    return base::Status::InvalidInput(Position(file, text, builder.error_offset()) +
                                      ": invalid JSON: " + builder.error_reason());
  }
  if (!builder.duplicate_path().empty()) {
    return base::Status::InvalidInput(file + ": " + builder.duplicate_path() + ": duplicate key " +
                                      base::Quote(builder.duplicate_key()));
  }
  *out = std::move(builder.root());
  return base::Status::Ok();
}

}  // namespace scenario::loader
