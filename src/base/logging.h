#pragma once

// The tool's own diagnostics (warnings about a scenario, `--log-level debug` notes on
// scheduler and database decisions) through spdlog, on stderr:
//
//   sagasim: warning: scenarios/x.json: $.faults[2]: this matcher can never fire
//   sagasim: debug: sim: t=1000ms: the clock jumps from 0ms to 1000ms (2 timers due)
//
// This is not the trace and not a report: what is logged never changes what a run
// does or prints on stdout, so the same seed gives the same trace at every level.
//
// Each module has one named logger (ModuleLog("sim"), ModuleLog("store")); Log() is
// the tool's own, for messages that belong to no module. Module lines name their
// module; a line about the simulation names its virtual time, never the wall time.
//
// Example:
//   SAGASIM_LOG(base::Log(), warn, "{}: {} is never used", file, name);
//   SAGASIM_LOG(SimLog(), debug, "t={}ms: picked lane {} of {}", now, i, n);
//
// Thread-safety: loggers may be used from any thread (their sinks lock); set the level
// before the run starts.

#include <iosfwd>
#include <optional>
#include <string_view>

#include <spdlog/spdlog.h>

namespace base {

// The level a run starts with, and what --log-level defaults to.
inline constexpr spdlog::level::level_enum kDefaultLogLevel = spdlog::level::warn;

// Sets the level of every logger, present and future.
void SetLogLevel(spdlog::level::level_enum level);
spdlog::level::level_enum LogLevel();

// "trace", "debug", "info", "warn", "error" or "off"; nullopt for anything else.
std::optional<spdlog::level::level_enum> ParseLogLevel(std::string_view name);
// The names ParseLogLevel takes, lowest level first.
inline constexpr const char* kLogLevelNames[] = {"trace", "debug", "info", "warn", "error", "off"};

// The tool's logger: "sagasim: LEVEL: message".
spdlog::logger& Log();
// A module's logger: "sagasim: LEVEL: MODULE: message". The reference stays valid for
// the process's life; cache it in a function-local static on hot paths.
spdlog::logger& ModuleLog(std::string_view module);

// Sends every logger's lines to `out` instead of stderr (nullptr: back to stderr).
// For tests; `out` must outlive its use.
void TEST_SetLogStream(std::ostream* out);

}  // namespace base

// Logs at spdlog::level::LEVEL (trace, debug, info, warn, err, critical) when that level is on. The arguments are evaluated only
// then, so a disabled call costs one atomic load on the hot path.
#define SAGASIM_LOG(LOGGER, LEVEL, ...)                                        \
  do {                                                                         \
    spdlog::logger& sagasim_log_ = (LOGGER);                                   \
    if (sagasim_log_.should_log(spdlog::level::LEVEL))                         \
      SPDLOG_LOGGER_CALL(&sagasim_log_, spdlog::level::LEVEL, __VA_ARGS__);    \
  } while (0)
