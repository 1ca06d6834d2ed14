#pragma once

// Making untrusted text (names and ids from scenario files, rows of a run's databases,
// paths) safe to show on a terminal, and quoting arguments for a shell.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace base {

// The length of the well-formed UTF-8 sequence at text[i] (storing its code point in
// *code_point), or 0 when there is none: overlong forms, surrogates, code points past
// U+10FFFF and truncated sequences included. REQUIRES: i < text.size().
size_t Utf8Sequence(std::string_view text, size_t i, uint32_t* code_point);

// `text` with everything a terminal would act on written as an escape, so that a name
// holding ESC [ 2 J or a newline prints as itself instead of clearing the screen or
// faking a line: \n, \r and \t; \xHH for any other C0 control byte (NUL is \x00), DEL
// and every byte that is not part of well-formed UTF-8; \uHHHH for the C1 controls
// (U+0080..U+009F) and the bidirectional overrides and isolates (U+202A..U+202E,
// U+2066..U+2069), which reorder what follows them. Everything else, UTF-8 included, is
// unchanged; backslashes are not doubled (this is for reading, not for parsing back).
std::string EscapeForTerminal(std::string_view text);
// The same, but '\n' stays a line break: for messages that have several lines.
std::string EscapeForTerminalKeepingLines(std::string_view text);

// One argument as a POSIX shell reads it back: unchanged when it is made only of
// characters no shell treats specially, else in single quotes ('it'\''s'). An argument
// holding a control character is written as bash's $'...' with \xHH escapes, so that a
// printed command line is both safe on a terminal and pastable into bash or zsh.
std::string ShellQuote(std::string_view arg);

}  // namespace base
