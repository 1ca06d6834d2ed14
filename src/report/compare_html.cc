#include "report/compare_html.h"

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "report/html_parts.h"
#include "report/html_report.h"
#include "report/trace_links.h"

namespace report {
namespace {

using scenario::SideRun;

// What the comparison adds to the report's stylesheet: the two-column sections and
// the marks of the events only one run has.
const char kCompareCss[] = R"css(
.pair { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1fr); gap:14px; padding:0 22px 4px; align-items:start; }
.pair > div { min-width:0; }
h2.section { margin:14px 22px 6px; font-size:17px; } h2.section small { font-weight:400; color:var(--mute); font-size:13px; }
.pill.ok { background:#065f46; color:#fff; }
.run-card h2 { margin:2px 0 6px; font-size:16px; }
.run-card .checks a { color:#1d4ed8; }
.run-card td.differs { font-weight:600; background:#fef9c3; }
.parting ol { margin:4px 0 0; padding-left:22px; font-size:12.5px; } .parting li { margin:1px 0; }
.parting a { color:inherit; text-decoration:none; cursor:pointer; } .parting a:hover { text-decoration:underline; }
.parting li.parts { font-weight:600; color:#991b1b; }
.parting .same { color:var(--mute); }
.row.only .seq { color:#b45309; font-weight:700; }
.row.parts .seq::before { content:"▶"; color:#dc2626; margin-right:2px; }
.row.parts .ev { outline:2px dashed #dc2626; }
.row.parts.selected .ev { outline:2px solid #dc2626; }
.pair .detail { margin-top:10px; max-height:520px; }
.pair .timeline { margin-bottom:0; }
.pair .events { max-height:560px; }
.legend-only { display:flex; flex-wrap:wrap; gap:10px; align-items:center; font-size:12.5px; color:var(--mute); margin:0 22px 8px; }
.legend-only b { color:#b45309; }
)css";

const char* OptionName(size_t i) {
  static const char* const kNames[] = {"idempotency",  "publish",         "stockDeduct",   "freeze",
                                       "cancellation", "compensationJob", "consumerGroups"};
  return kNames[i];
}

std::array<std::string, 7> OptionValues(const services::Options& o) {
  return {services::OptionValueName(o.idempotency),      services::OptionValueName(o.publish),
          services::OptionValueName(o.stock_deduct),     services::OptionValueName(o.freeze),
          services::OptionValueName(o.cancellation),     services::OptionValueName(o.compensation_job),
          services::OptionValueName(o.consumer_groups)};
}

// The run's card: its label, profile, options (those the other run does not share
// marked), size, and the checks it fails.
std::string RunCard(const SideRun& run, const SideRun& other, const std::string& id) {
  const scenario::RunResult& r = run.result;
  std::array<std::string, 7> mine = OptionValues(r.options), theirs = OptionValues(other.result.options);
  std::string rows = "<tr><td>profile</td><td>" + std::string(scenario::ProfileName(r.profile)) + "</td></tr>\n";
  for (size_t i = 0; i < mine.size(); ++i)
    rows += std::string("<tr><td>") + OptionName(i) + "</td><td" + (mine[i] != theirs[i] ? " class=\"differs\"" : "") +
            ">" + HtmlText(mine[i]) + "</td></tr>\n";
  rows += "<tr><td>events</td><td>" + std::to_string(run.trace.size()) + "</td></tr>\n<tr><td>virtual time</td><td>" +
          HtmlText(base::FormatDuration(r.state.end_ms)) + "</td></tr>\n<tr><td>stuck</td><td>";
  std::string stuck;
  for (const std::string& s : r.stuck) stuck += (stuck.empty() ? "" : ", ") + s;
  rows += HtmlText(stuck.empty() ? "none" : stuck) + "</td></tr>\n";
  // The verdict is the invariants': the expectations were written for one profile.
  std::vector<std::string> broken = scenario::BrokenInvariants(r);
  std::string verdict = broken.empty() ? "<span class=\"pill ok\">every invariant holds</span>"
                                       : "<span class=\"pill bad\">breaks " + std::to_string(broken.size()) +
                                             (broken.size() == 1 ? " invariant" : " invariants") + "</span>";
  return "<div class=\"card run-card\" id=\"run-" + id + "\"><h2>" + HtmlText(run.side.label) + " " + verdict +
         "</h2>" + CheckSummaryHtml(r, "checks-" + id) + "<table><tbody>\n" + rows + "</tbody></table></div>\n";
}

// The first event of `run` the other run has no counterpart for, after its causes.
std::string Parting(const SideRun& run, const SideRun& other, std::optional<size_t> index, const std::string& id) {
  std::string out = "<div class=\"card parting\" id=\"parting-" + id + "\"><h3>" + HtmlText(run.side.label) + "</h3>";
  if (!index)
    return out + "<p class=\"same\">Every event has a counterpart in " + HtmlText(other.side.label) + ".</p></div>\n";
  TraceLinks links(run.trace);
  const sim::Event& first = run.trace[*index];
  out += "<p>First event with no counterpart in " + HtmlText(other.side.label) + ": <b>#" + std::to_string(first.seq) +
         " " + sim::EventKindName(first.kind) + "</b>, after its causes:</p><ol>";
  // CauseChain copies the events; the links know the trace's own (by address).
  for (const sim::Event& e : scenario::CauseChain(run.trace, *index))
    out += std::string("<li") + (e.seq == first.seq ? " class=\"parts\"" : "") + "><a href=\"#\" data-goto=\"" +
           std::to_string(e.seq) + "\" data-goto-run=\"" + id + "\">#" + std::to_string(e.seq) + " " +
           HtmlText(base::FormatDuration(e.t)) + " " + sim::EventKindName(e.kind) +
           (e.service.empty() ? "" : " " + HtmlText(e.service)) + ": " + HtmlText(EventSummary(*links.Find(e.seq), links)) +
           "</a></li>";
  return out + "</ol></div>\n";
}

std::string TimelineColumn(const SideRun& run, const std::vector<bool>& matched, std::optional<size_t> first,
                           const std::vector<StoredMessage>& messages, const std::string& id) {
  TimelineView view;
  view.run = id;
  view.title = run.side.label;
  view.compact = true;
  view.legend = false;  // once, above both
  for (size_t i = 0; i < run.trace.size() && i < matched.size(); ++i)
    if (!matched[i]) view.marks[run.trace[i].seq] = "only";
  if (first) {
    view.select = run.trace[*first].seq;
    view.marks[view.select] = "only parts";
  }
  TraceLinks links(run.trace);
  return "<div>" + TimelineHtml(run.trace, links, messages, view) + DetailPanel(view) + "</div>\n";
}

}  // namespace

std::string CompareHtml(const scenario::Scenario& sc, const scenario::Comparison& cmp,
                        const std::vector<StoredMessage>& messages_a, const std::vector<StoredMessage>& messages_b) {
  const SideRun &a = cmp.a, &b = cmp.b;
  const scenario::TraceAlignment& al = cmp.alignment;
  std::string la = HtmlText(a.side.label), lb = HtmlText(b.side.label);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>compare " +
                    HtmlText(sc.name) + " — sagasim</title>\n<style>" + kHtmlReportCss + kCompareCss +
                    "</style></head>\n<body>\n<header><h1>" + HtmlText(sc.name) + ": " + la + " against " + lb +
                    "</h1>\n<p class=\"meta\">sagasim compare · seed " + std::to_string(a.result.seed) +
                    " · deterministic · " + HtmlText(sc.file) + "</p>\n";
  if (!sc.description.empty())
    out += "<p class=\"desc\">" + HtmlText(sc.description) + " <i>(written for profile " +
           scenario::ProfileName(sc.profile) + ")</i></p>\n";
  out += "<p class=\"checks\">" + std::to_string(al.matched) + " of " + std::to_string(a.trace.size()) + " events of " +
         la + " have a counterpart in " + lb + "; <a href=\"#parting\">where they part</a> · <a href=\"#state-a\">final "
         "states</a> · <a href=\"#timelines\">timelines</a></p></header>\n";
  out += "<h2 class=\"section\">The two runs</h2>\n<div class=\"pair\">" + RunCard(a, b, "a") + RunCard(b, a, "b") +
         "</div>\n";
  out += "<h2 class=\"section\" id=\"parting\">Where they part</h2>\n<div class=\"pair\">" +
         Parting(a, b, al.first_unmatched_a, "a") + Parting(b, a, al.first_unmatched_b, "b") + "</div>\n";
  out += "<h2 class=\"section\">Invariants and expectations <small class=\"hint\">(the file's expectations, "
         "written for profile " + std::string(scenario::ProfileName(sc.profile)) + ")</small></h2>\n<div class=\"pair\"><div>" +
         ChecksHtml(a.result, "checks-a") + "</div><div>" + ChecksHtml(b.result, "checks-b") + "</div></div>\n";
  out += "<h2 class=\"section\">Final state</h2>\n<div class=\"pair\"><div>" + StateHtml(a.result.state, "state-a") +
         "</div><div>" + StateHtml(b.result.state, "state-b") + "</div></div>\n";
  out += "<h2 class=\"section\" id=\"timelines\">Timelines</h2>\n<p class=\"legend-only\">" + TimelineLegend() +
         "<span><b>seq</b> in amber: no counterpart in the other run; ▶ where the runs part (selected when the page "
         "opens)</span></p>\n"
         "<div class=\"pair\">" + TimelineColumn(a, al.a_matched, al.first_unmatched_a, messages_a, "a") +
         TimelineColumn(b, al.b_matched, al.first_unmatched_b, messages_b, "b") + "</div>\n";
  out += "<script>" + std::string(kHtmlReportJs) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace report
