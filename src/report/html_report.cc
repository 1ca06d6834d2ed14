#include "report/html_report.h"

#include <cstdio>

#include "base/duration.h"
#include "report/html_parts.h"
#include "report/trace_links.h"

namespace report {

std::string HtmlReport(const scenario::RunResult& r, const std::vector<sim::Event>& events,
                       const std::vector<StoredMessage>& messages) {
  TraceLinks links(events);
  std::string verdict = r.passed ? "passed" : "FAILED";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + HtmlText(r.name) +
                    " — sagasim</title>\n<style>" + kHtmlReportCss + "</style></head>\n<body>\n<header><h1>" +
                    HtmlText(r.name) + " <span class=\"verdict " + (r.passed ? "ok" : "bad") + "\">" + verdict +
                    "</span></h1>\n<p class=\"meta\">profile " + scenario::ProfileName(r.profile) + " · seed " +
                    std::to_string(r.seed) + " · mode " + scenario::ModeName(r.mode) + " · virtual time " +
                    HtmlText(base::FormatDuration(r.state.end_ms)) + " · " + std::to_string(events.size()) +
                    " events · " + HtmlText(r.file) + "</p>\n<p class=\"desc\">" + HtmlText(r.description) + "</p>" +
                    CheckSummaryHtml(r) + "</header>\n";
  TimelineView view;
  out += "<main class=\"report\"><div class=\"left\">" + TimelineHtml(events, links, messages, view) + ChecksHtml(r) +
         StateHtml(r.state) + "</div>\n" + DetailPanel(view) + "</main>\n";
  out += "<script>" + std::string(kHtmlReportJs) + "</script>\n</body></html>\n";
  return out;
}

base::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return base::Status::Io(path + ": cannot write");
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? base::Status::Ok() : base::Status::Io(path + ": write failed");
}

}  // namespace report
