#include "cli/version.h"

// CMakeLists.txt defines both for this file alone, so a new revision recompiles one file.
#ifndef SAGASIM_VERSION
#define SAGASIM_VERSION "unknown"
#endif
#ifndef SAGASIM_GIT_REVISION
#define SAGASIM_GIT_REVISION "unknown"
#endif

namespace cli {

std::string VersionText() { return std::string("sagasim ") + SAGASIM_VERSION + " (git " + SAGASIM_GIT_REVISION + ")"; }

}  // namespace cli
