#pragma once

// What every subcommand shares: how numbers are read, how errors are printed, the exit
// codes footer of --help, and the program's name as it was invoked (for replay hints).

#include <CLI/CLI.hpp>

#include <string>

namespace cli {

// A whole number from 0 to 2^64 - 1, in decimal. CLI11 reads unsigned options with
// strtoull(base 0), which takes "-1" as 2^64 - 1, saturates past it and reads "010" as
// octal; this transform refuses all three (exit 2) and hands CLI11 the plain digits.
CLI::Validator DecimalUint64();
// A size in bytes: a whole number, optionally followed by K, M or G (or KiB, MiB, GiB;
// powers of 1024, any case). Handed on as plain bytes.
CLI::Validator ByteSize();

// The --help footer listing the exit codes.
extern const char* const kExitCodesFooter;

// Prints `message` on stderr, escaped for the terminal (line breaks kept), after
// "sagasim COMMAND: " when command is not null.
void PrintError(const char* command, const std::string& message);

// argv[0], kept by main for the commands that print a command line to paste.
void SetProgramPath(const std::string& argv0);
// argv[0] shell-quoted, or "sagasim" before SetProgramPath.
std::string QuotedProgramPath();

}  // namespace cli
