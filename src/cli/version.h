#pragma once

#include <string>

namespace cli {

// "sagasim 0.3.0 (git 1a2b3c4d5e6f)": the project's version and the git revision it was
// configured from (CMakeLists.txt embeds both; "unknown" outside a git checkout).
std::string VersionText();

}  // namespace cli
