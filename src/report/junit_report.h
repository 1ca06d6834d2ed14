#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "scenario/runner.h"

namespace report {

// Escapes text for an attribute value (or, with in_attribute false, element content).
// Besides & < > " ', it writes carriage returns, and in attributes tabs and newlines, as
// character references so parsers do not normalize them away; shows the control
// characters XML 1.0 cannot carry at all as "\xNN"; and replaces invalid UTF-8 with
// U+FFFD: a report that does not parse is worse than a slightly altered message.
std::string XmlEscape(std::string_view text, bool in_attribute = true);

// Collects test cases and writes them as a JUnit XML file, the flavour Jenkins, GitLab
// and GitHub reporters read. Suites and cases keep the order they were added in.
// `sagasim run` uses suite "run" with one case per scenario; `sagasim explore` uses
// one suite per scenario with one case per seed.
// Thread-safety: none; use from one thread.
class JUnitReport {
 public:
  // A finished run: a failure when it did not pass, with every failed expectation and
  // violated invariant.
  void AddResult(const std::string& suite, const std::string& case_name, const scenario::RunResult& result);
  // A case that could not run (setup failed, the trace could not be opened, ...).
  void AddError(const std::string& suite, const std::string& case_name, const std::string& message);

  // The whole document. Only the time attributes differ between two runs.
  std::string ToXml() const;
  base::Status Write(const std::string& path) const;

 private:
  struct Case {
    std::string name;
    double seconds = 0;
    std::string failure_message;   // empty: no <failure>
    std::string failure_text;
    std::string error_message;     // empty: no <error>
    std::string system_out;
  };
  struct Suite {
    std::string name;
    std::vector<Case> cases;
  };

  Suite& SuiteNamed(const std::string& name);

  std::vector<Suite> suites_;
};

}  // namespace report
