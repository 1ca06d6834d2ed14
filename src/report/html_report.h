#pragma once

// The HTML report of one run (--html, and report.html of --out): one self-contained
// file, CSS and JavaScript inline, nothing fetched at view time. It shows the
// scenario, its expectations and invariants, the final state tables and a swim-lane
// timeline of the trace: one element per event (data-seq="N"); clicking one shows
// its message (from broker.db: properties and body) and highlights its cause chain.

#include <string>
#include <vector>

#include "base/status.h"
#include "report/stored_messages.h"
#include "scenario/runner.h"
#include "sim/event.h"

namespace report {

std::string HtmlReport(const scenario::RunResult& result, const std::vector<sim::Event>& events,
                       const std::vector<StoredMessage>& messages);

// Writes `text` to `path`; the error names the path.
base::Status WriteTextFile(const std::string& path, const std::string& text);

// The page's stylesheet and script (html_assets.cc).
extern const char kHtmlReportCss[];
extern const char kHtmlReportJs[];

}  // namespace report
