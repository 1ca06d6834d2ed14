#include "report/results_dir.h"

#include <stdlib.h>

#include <cctype>
#include <filesystem>

#include "report/html_report.h"
#include "report/mermaid.h"
#include "report/stored_messages.h"

namespace report {
namespace {

namespace fs = std::filesystem;

// An order id as a file name: anything but [A-Za-z0-9._-] becomes '_'.
std::string FileSafe(const std::string& s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
  return out.empty() || out[0] == '.' ? "_" + out : out;
}

std::string HtmlEsc(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

}  // namespace

std::string PerScenarioPath(const std::string& path, const std::string& stem, bool several) {
  if (!several) return path;
  fs::path p(path);
  std::string ext = p.extension().string();
  std::string base = p.stem().string();
  // Keep a double extension such as .mmd.md together.
  if (fs::path(base).extension() == ".mmd") {
    ext = ".mmd" + ext;
    base = fs::path(base).stem().string();
  }
  return (p.parent_path() / (base + "-" + stem + ext)).string();
}

bool RunArtifacts::CheckPaths(std::string* error) const {
  std::error_code ec;
  if (!options_.mermaid_order.empty() && options_.mermaid_path.empty()) {
    *error = "--order " + options_.mermaid_order + ": needs --mermaid FILE";
    return false;
  }
  for (const auto& [flag, path] : {std::pair{"--mermaid", options_.mermaid_path}, std::pair{"--html", options_.html_path}}) {
    if (path.empty()) continue;
    fs::path folder = fs::path(path).parent_path();
    if (fs::is_directory(path, ec)) {
      *error = std::string(flag) + " " + path + ": is a folder, not a file";
      return false;
    }
    if (!folder.empty() && !fs::is_directory(folder, ec)) {
      *error = std::string(flag) + " " + path + ": no such folder " + folder.string();
      return false;
    }
  }
  if (!options_.out_dir.empty()) {
    if (fs::exists(options_.out_dir, ec) && !fs::is_directory(options_.out_dir, ec)) {
      *error = "--out " + options_.out_dir + ": is a file, not a folder";
      return false;
    }
    fs::path parent = fs::path(options_.out_dir).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
      *error = "--out " + options_.out_dir + ": no such folder " + parent.string();
      return false;
    }
    // Created now, so the JUnit and JSON reports inside it pass their own checks.
    fs::create_directories(options_.out_dir, ec);
    if (ec) {
      *error = "--out " + options_.out_dir + ": cannot create: " + ec.message();
      return false;
    }
  }
  return true;
}

std::string RunArtifacts::JunitPath() const {
  return options_.out_dir.empty() ? "" : (fs::path(options_.out_dir) / "junit.xml").string();
}
std::string RunArtifacts::JsonPath() const {
  return options_.out_dir.empty() ? "" : (fs::path(options_.out_dir) / "report.json").string();
}

std::string RunArtifacts::ScenarioDir(const std::string& stem, bool several) const {
  return several ? (fs::path(options_.out_dir) / stem).string() : options_.out_dir;
}
std::string RunArtifacts::TracePath(const std::string& stem, bool several) const {
  if (options_.out_dir.empty()) return "";
  std::error_code ec;
  fs::create_directories(ScenarioDir(stem, several), ec);  // the trace is opened before the run
  return (fs::path(ScenarioDir(stem, several)) / "trace.jsonl").string();
}
std::string RunArtifacts::StateDir(const std::string& stem, bool several) const {
  return options_.out_dir.empty() ? "" : (fs::path(ScenarioDir(stem, several)) / "state").string();
}

sim::EventSink* RunArtifacts::Begin() {
  recorder_.Clear();
  bool draws = !options_.mermaid_path.empty() || !options_.html_path.empty() || !options_.out_dir.empty();
  return draws ? &recorder_ : nullptr;
}

base::Status RunArtifacts::WriteDiagrams(const scenario::RunResult& result, const std::string& dir) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return base::Status::Io(dir + ": cannot create: " + ec.message());
  const std::vector<sim::Event>& events = recorder_.events();
  TraceLinks links(events);
  std::string index = "# Diagrams of " + result.name + "\n\nOne Mermaid sequence diagram per order" +
                      std::string(" (open on GitHub, or paste into https://mermaid.live).\n\n");
  auto whole = MermaidMarkdown(events, "", result.name + ": the whole run");
  if (whole.ok()) {
    base::Status s = WriteTextFile((fs::path(dir) / "run.mmd.md").string(), *whole);
    if (!s.ok()) return s;
    index += "- [the whole run](run.mmd.md)\n";
  } else {
    index += "- the whole run: not drawn, " + whole.status().message() + "\n";
  }
  for (const std::string& order : links.orders()) {
    auto md = MermaidMarkdown(events, order, result.name + ": order " + order);
    std::string file = FileSafe(order) + ".mmd.md";
    if (!md.ok()) {
      index += "- " + order + ": not drawn, " + md.status().message() + "\n";
      continue;
    }
    base::Status s = WriteTextFile((fs::path(dir) / file).string(), *md);
    if (!s.ok()) return s;
    index += "- [" + order + "](" + file + ")\n";
  }
  return WriteTextFile((fs::path(dir) / "README.md").string(), index);
}

RunArtifacts::~RunArtifacts() {
  std::error_code ec;
  if (!scratch_.empty()) fs::remove_all(scratch_, ec);
}

std::string RunArtifacts::StateDirFor(const std::string& stem, bool several, const std::string& chosen) {
  if (!chosen.empty()) return chosen;
  if (!options_.out_dir.empty()) return StateDir(stem, several);
  if (!NeedsState()) return "";
  std::error_code ec;
  if (scratch_.empty()) {
    std::string tmpl = (fs::temp_directory_path(ec) / "sagasim-report-XXXXXX").string();
    if (mkdtemp(tmpl.data())) scratch_ = tmpl;
  }
  return scratch_;
}

base::Status RunArtifacts::Finish(const scenario::RunResult& result, const std::string& stem, bool several,
                                  const std::string& state_dir) {
  base::Status s = WriteAll(result, stem, several, state_dir);
  if (!s.ok()) ok_ = false;
  return s;
}

base::Status RunArtifacts::WriteAll(const scenario::RunResult& result, const std::string& stem, bool several,
                                    const std::string& state_dir) {
  const std::vector<sim::Event>& events = recorder_.events();
  if (!options_.mermaid_path.empty()) {
    auto md = MermaidMarkdown(events, options_.mermaid_order,
                              result.name + (options_.mermaid_order.empty() ? "" : ": order " + options_.mermaid_order));
    if (!md.ok()) return base::Status::InvalidInput("--mermaid: " + md.status().message());
    base::Status s = WriteTextFile(PerScenarioPath(options_.mermaid_path, stem, several), *md);
    if (!s.ok()) return s;
  }
  std::vector<StoredMessage> messages;
  if (NeedsState()) {
    auto read = ReadStoredMessages((fs::path(state_dir) / "broker.db").string());
    if (!read.ok()) return read.status();
    messages = std::move(read.value());
  }
  if (!options_.html_path.empty()) {
    base::Status s = WriteTextFile(PerScenarioPath(options_.html_path, stem, several), HtmlReport(result, events, messages));
    if (!s.ok()) return s;
  }
  if (options_.out_dir.empty()) return base::Status::Ok();
  std::string dir = ScenarioDir(stem, several);
  base::Status s = WriteTextFile((fs::path(dir) / "report.html").string(), HtmlReport(result, events, messages));
  if (s.ok()) s = WriteDiagrams(result, (fs::path(dir) / "diagrams").string());
  if (s.ok() && metrics_writer_) s = metrics_writer_(result, (fs::path(dir) / "metrics.prom").string());
  suite_.push_back({result.name, several ? stem + "/" : "", result.passed});
  return s;
}

base::Status RunArtifacts::FinishSuite() {
  if (options_.out_dir.empty() || suite_.size() < 2 || suite_[0].folder.empty()) return base::Status::Ok();
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sagasim results</title>"
                     "<style>body{font:15px system-ui,sans-serif;margin:24px}li{margin:3px 0}.bad{color:#b91c1c}"
                     ".ok{color:#047857}</style></head><body><h1>sagasim results</h1><ul>\n";
  for (const Entry& e : suite_)
    html += "<li><span class=\"" + std::string(e.passed ? "ok\">passed" : "bad\">FAILED") + "</span> <a href=\"" +
            HtmlEsc(e.folder) + "report.html\">" + HtmlEsc(e.name) + "</a> · <a href=\"" + HtmlEsc(e.folder) +
            "diagrams/README.md\">diagrams</a></li>\n";
  html += "</ul><p><a href=\"report.json\">report.json</a> · <a href=\"junit.xml\">junit.xml</a></p></body></html>\n";
  base::Status s = WriteTextFile((fs::path(options_.out_dir) / "index.html").string(), html);
  if (!s.ok()) ok_ = false;
  return s;
}

}  // namespace report
