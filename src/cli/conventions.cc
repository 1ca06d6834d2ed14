#include "cli/conventions.h"

#include <cctype>
#include <charconv>
#include <cstdio>

#include "base/escape.h"

namespace cli {
namespace {

std::string g_program_path;

// Parses leading decimal digits of text into *value; the rest (a unit) goes to *rest.
bool ParseDigits(const std::string& text, uint64_t* value, std::string* rest) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  if (ec != std::errc()) return false;
  *rest = std::string(end, text.data() + text.size());
  return true;
}

}  // namespace

CLI::Validator DecimalUint64() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        std::string rest;
        if (!ParseDigits(text, &value, &rest) || !rest.empty())
          return "expected a whole number from 0 to 18446744073709551615, got " + base::EscapeForTerminal(text);
        text = std::to_string(value);
        return "";
      },
      "");
}

CLI::Validator ByteSize() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        std::string unit;
        const std::string error = "expected a size in bytes (like 16777216, 64M or 1GiB), got " +
                                  base::EscapeForTerminal(text);
        if (!ParseDigits(text, &value, &unit)) return error;
        for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        int shift = unit.empty() ? 0 : unit == "K" || unit == "KIB" ? 10 : unit == "M" || unit == "MIB" ? 20
                                  : unit == "G" || unit == "GIB"   ? 30 : -1;
        if (shift < 0) return error;
        if (shift && value > (UINT64_MAX >> shift)) return error;
        text = std::to_string(value << shift);
        return "";
      },
      "");
}

const char* const kExitCodesFooter =
    "Exit codes: 0 all passed (or valid); 1 an expectation failed, a seed failed, or an output\n"
    "file (--trace, --junit, --json, stdout) could not be written; 2 invalid input or options,\n"
    "nothing was run; 130/143 interrupted by SIGINT/SIGTERM, temporary state removed.\n"
    "See docs/cli.md.\n";

void PrintError(const char* command, const std::string& message) {
  std::string text = base::EscapeForTerminalKeepingLines(message);
  if (command) std::fprintf(stderr, "sagasim %s: %s\n", command, text.c_str());
  else std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

void SetProgramPath(const std::string& argv0) { g_program_path = argv0; }

std::string QuotedProgramPath() { return g_program_path.empty() ? "sagasim" : base::ShellQuote(g_program_path); }

}  // namespace cli
