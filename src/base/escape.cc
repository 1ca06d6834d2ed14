#include "base/escape.h"

#include <cstdio>

namespace base {
namespace {

bool IsBidiControl(uint32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

void AppendHexByte(std::string* out, unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(byte));
  *out += buf;
}

std::string Escape(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {  // the common case: printable ASCII
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t length = Utf8Sequence(text, i, &cp);
    if (length == 0 || cp < 0x20 || cp == 0x7F) {
      switch (byte) {
        case '\n': out += keep_newlines ? "\n" : "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: AppendHexByte(&out, byte);
      }
      ++i;
      continue;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || IsBidiControl(cp)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace

size_t Utf8Sequence(std::string_view text, size_t i, uint32_t* code_point) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length;
  uint32_t cp, min;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return length;
}

std::string EscapeForTerminal(std::string_view text) { return Escape(text, false); }
std::string EscapeForTerminalKeepingLines(std::string_view text) { return Escape(text, true); }

std::string ShellQuote(std::string_view arg) {
  static constexpr std::string_view kSafe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=/.,:@%";
  if (!arg.empty() && arg.find_first_not_of(kSafe) == std::string_view::npos) return std::string(arg);
  bool control = false;
  for (char c : arg) control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  if (!control) {
    std::string out = "'";
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  std::string out = "$'";
  for (char c : arg) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) AppendHexByte(&out, byte);
    else if (c == '\'' || c == '\\') (out += '\\') += c;
    else out += c;
  }
  return out + "'";
}

}  // namespace base
