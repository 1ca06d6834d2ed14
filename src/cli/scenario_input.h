#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "scenario/scenario.h"

namespace cli {

// What `--max-input-size` defaults to: far above any hand-written or bundled scenario
// (the largest is a few KiB), far below what would hurt a machine.
inline constexpr uint64_t kDefaultMaxInputBytes = uint64_t{16} << 20;

// Loads a scenario file as the loader does, but only a regular file of at most
// max_bytes: a FIFO would block the read forever, /dev/zero would fill memory. The
// file is never opened when it is not a regular file, and is opened non-blocking.
// Errors are InvalidInput and name the path.
base::Result<scenario::Scenario> LoadScenarioInput(const std::string& path, uint64_t max_bytes);

// "a FIFO", "a character device", ... for what is at path (following symlinks), or ""
// for a regular file (or nothing there).
std::string NotRegularFileKind(const std::string& path);

// "16 MiB", "20971520 bytes": a size for messages.
std::string SizeText(uint64_t bytes);

}  // namespace cli
