#pragma once

namespace cli {

enum ExitCode : int {
  kExitOk = 0,        // every scenario's expectations hold
  kExitFailed = 1,    // at least one does not
  kExitInvalid = 2,   // invalid input: nothing was run
};

}  // namespace cli
