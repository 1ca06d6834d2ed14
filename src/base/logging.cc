#include "base/logging.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace base {
namespace {

constexpr const char* kToolName = "sagasim";

// The loggers live in a table of our own rather than spdlog's registry, so that
// nothing else in the process (a library registering its own) can change them.
class Loggers {
 public:
  static Loggers& Get() {
    static Loggers* loggers = new Loggers();  // never destroyed: loggers outlive static destructors
    return *loggers;
  }

  spdlog::logger& Find(std::string_view module) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_module_.find(module);
    if (it == by_module_.end()) {
      auto logger = std::make_shared<spdlog::logger>(module.empty() ? kToolName : std::string(module), MakeSink(module));
      logger->set_level(level_);
      // Warnings and errors reach the terminal at once, even when stderr is a file.
      logger->flush_on(spdlog::level::warn);
      it = by_module_.emplace(std::string(module), std::move(logger)).first;
    }
    return *it->second;
  }

  void SetLevel(spdlog::level::level_enum level) {
    std::lock_guard<std::mutex> lock(mu_);
    level_ = level;
    for (auto& [module, logger] : by_module_) logger->set_level(level);
  }
  spdlog::level::level_enum level() {
    std::lock_guard<std::mutex> lock(mu_);
    return level_;
  }

  void SetStream(std::ostream* out) {
    std::lock_guard<std::mutex> lock(mu_);
    out_ = out;
    for (auto& [module, logger] : by_module_) logger->sinks() = {MakeSink(module)};
  }

 private:
  // REQUIRES: mu_. Each logger has a sink of its own, so each can have its pattern;
  // stderr sinks share spdlog's console mutex, so lines never interleave.
  std::shared_ptr<spdlog::sinks::sink> MakeSink(std::string_view module) {
    std::shared_ptr<spdlog::sinks::sink> sink;
    if (out_)
      sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*out_, /*force_flush=*/true);
    else
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    std::string pattern = std::string(kToolName) + ": %l: ";
    if (!module.empty()) pattern += "%n: ";
    sink->set_pattern(pattern + "%v");
    return sink;
  }

  std::mutex mu_;
  spdlog::level::level_enum level_ = kDefaultLogLevel;
  std::ostream* out_ = nullptr;
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> by_module_;
};

}  // namespace

void SetLogLevel(spdlog::level::level_enum level) { Loggers::Get().SetLevel(level); }

spdlog::level::level_enum LogLevel() { return Loggers::Get().level(); }

std::optional<spdlog::level::level_enum> ParseLogLevel(std::string_view name) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::trace, spdlog::level::debug,
                                                          spdlog::level::info,  spdlog::level::warn,
                                                          spdlog::level::err,   spdlog::level::off};
  static_assert(std::size(kLevels) == std::size(kLogLevelNames));
  for (size_t i = 0; i < std::size(kLevels); ++i)
    if (name == kLogLevelNames[i]) return kLevels[i];
  return std::nullopt;
}

spdlog::logger& Log() {
  static spdlog::logger& log = Loggers::Get().Find("");
  return log;
}

spdlog::logger& ModuleLog(std::string_view module) { return Loggers::Get().Find(module); }

void TEST_SetLogStream(std::ostream* out) { Loggers::Get().SetStream(out); }

}  // namespace base
