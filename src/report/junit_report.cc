#include "report/junit_report.h"

#include <cstdint>
#include <cstdio>

#include "base/duration.h"
#include "base/escape.h"

namespace report {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

void AppendAscii(std::string* out, char c, bool in_attribute) {
  switch (c) {
    case '&': *out += "&amp;"; return;
    case '<': *out += "&lt;"; return;
    case '>': *out += "&gt;"; return;
    case '"': *out += "&quot;"; return;
    case '\'': *out += "&apos;"; return;
    case '\r': *out += "&#13;"; return;  // parsers would fold a literal one into \n
    case '\t':
    case '\n':
      if (in_attribute) *out += c == '\t' ? "&#9;" : "&#10;";
      else *out += c;
      return;
  }
  // XML 1.0 has no way to carry the other C0 controls, even as references; DEL is
  // legal but reaches a terminal as it is. Both are written as the console writes them.
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
    *out += base::EscapeForTerminal(std::string_view(&c, 1));
    return;
  }
  *out += c;
}

std::string Seconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  return buf;
}

std::string Attribute(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + XmlEscape(value) + "\"";
}

std::string FailureText(const scenario::RunResult& r) {
  std::string text;
  for (const auto& e : r.expectations)
    if (!e.holds) text += "expectation " + e.what + ": expected " + e.expected + ", got " + e.actual + "\n";
  for (const auto& inv : r.invariants)
    if (!inv.holds)
      text += "invariant " + inv.name + " violated" + (inv.detail.empty() ? "" : ": " + inv.detail) + "\n";
  return text;
}

std::string FailureMessage(const scenario::RunResult& r) {
  for (const auto& e : r.expectations)
    if (!e.holds) return e.what + ": expected " + e.expected + ", got " + e.actual;
  return "scenario failed";
}

std::string SystemOut(const scenario::RunResult& r) {
  const scenario::Options& o = r.options;
  std::string out = "file: " + r.file + "\n";
  out += std::string("profile: ") + scenario::ProfileName(r.profile) + "\n";
  out += std::string("options: idempotency=") + services::OptionValueName(o.idempotency) +
         " publish=" + services::OptionValueName(o.publish) +
         " stockDeduct=" + services::OptionValueName(o.stock_deduct) +
         " freeze=" + services::OptionValueName(o.freeze) +
         " cancellation=" + services::OptionValueName(o.cancellation) +
         " compensationJob=" + services::OptionValueName(o.compensation_job) +
         " consumerGroups=" + services::OptionValueName(o.consumer_groups) + "\n";
  out += "seed: " + std::to_string(r.seed) + "\n";
  out += std::string("mode: ") + scenario::ModeName(r.mode) + "\n";
  out += "virtual end time: " + base::FormatDuration(r.state.end_ms) + " (" + std::to_string(r.state.end_ms) +
         " ms)" + (r.state.hit_until ? ", stopped by until" : "") + "\n";
  out += "steps: " + std::to_string(r.steps) + "\n";
  // A passing case may still break invariants on purpose (the seed profile's scenarios).
  std::string violated;
  for (const auto& inv : r.invariants)
    if (!inv.holds) violated += (violated.empty() ? "" : ", ") + inv.name;
  if (!violated.empty()) out += "violated invariants: " + violated + "\n";
  return out;
}

}  // namespace

std::string XmlEscape(std::string_view text, bool in_attribute) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t length = base::Utf8Sequence(text, i, &cp);
    if (length == 0 || cp == 0xFFFE || cp == 0xFFFF) {  // the last two are not XML characters
      out += kReplacement;
      i += length == 0 ? 1 : length;
    } else if (length == 1) {
      AppendAscii(&out, text[i], in_attribute);
      ++i;
    } else if (cp <= 0x9F) {  // C1 controls: legal XML, but terminals act on them
      out += base::EscapeForTerminal(text.substr(i, length));
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

JUnitReport::Suite& JUnitReport::SuiteNamed(const std::string& name) {
  for (Suite& s : suites_)
    if (s.name == name) return s;
  suites_.push_back(Suite{name, {}});
  return suites_.back();
}

void JUnitReport::AddResult(const std::string& suite, const std::string& case_name, const scenario::RunResult& r) {
  Case c;
  c.name = case_name;
  c.seconds = static_cast<double>(r.wall_us) / 1e6;
  if (!r.passed) {
    c.failure_message = FailureMessage(r);
    c.failure_text = FailureText(r);
  }
  c.system_out = SystemOut(r);
  SuiteNamed(suite).cases.push_back(std::move(c));
}

void JUnitReport::AddError(const std::string& suite, const std::string& case_name, const std::string& message) {
  Case c;
  c.name = case_name;
  c.error_message = message.empty() ? "error" : message;
  SuiteNamed(suite).cases.push_back(std::move(c));
}

std::string JUnitReport::ToXml() const {
  struct Totals {
    size_t tests = 0, failures = 0, errors = 0;
    double seconds = 0;
    std::string Attributes() const {
      return Attribute("tests", std::to_string(tests)) + Attribute("failures", std::to_string(failures)) +
             Attribute("errors", std::to_string(errors)) + Attribute("time", Seconds(seconds));
    }
  };
  Totals all;
  std::string body;
  for (const Suite& suite : suites_) {
    Totals totals;
    std::string cases;
    for (const Case& c : suite.cases) {
      ++totals.tests;
      totals.seconds += c.seconds;
      cases += "    <testcase" + Attribute("classname", "sagasim." + suite.name) + Attribute("name", c.name) +
               Attribute("time", Seconds(c.seconds)) + ">\n";
      if (!c.failure_message.empty()) {
        ++totals.failures;
        cases += "      <failure" + Attribute("message", c.failure_message) + Attribute("type", "expectation") + ">" +
                 XmlEscape(c.failure_text, false) + "</failure>\n";
      }
      if (!c.error_message.empty()) {
        ++totals.errors;
        cases += "      <error" + Attribute("message", c.error_message) + Attribute("type", "error") + ">" +
                 XmlEscape(c.error_message, false) + "</error>\n";
      }
      if (!c.system_out.empty()) cases += "      <system-out>" + XmlEscape(c.system_out, false) + "</system-out>\n";
      cases += "    </testcase>\n";
    }
    body += "  <testsuite" + Attribute("name", suite.name) + totals.Attributes() + ">\n" + cases + "  </testsuite>\n";
    all.tests += totals.tests;
    all.failures += totals.failures;
    all.errors += totals.errors;
    all.seconds += totals.seconds;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + Attribute("name", "sagasim") + all.Attributes() +
         ">\n" + body + "</testsuites>\n";
}

base::Status JUnitReport::Write(const std::string& path) const {
  std::string xml = ToXml();
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return base::Status::Io("cannot write JUnit report " + path);
  bool ok = std::fwrite(xml.data(), 1, xml.size(), f) == xml.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? base::Status::Ok() : base::Status::Io("cannot finish JUnit report " + path);
}

}  // namespace report
