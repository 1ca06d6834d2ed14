#include "cli/merge_command.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"

namespace cli {
namespace {

using Json = nlohmann::ordered_json;

bool ReadText(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool WriteText(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

// One line of what failed, from a scenario entry's expectations.
std::string FailureLine(const Json& s) {
  if (s.contains("error")) return "error: " + s["error"].get<std::string>();
  std::string out;
  if (!s.contains("expectations") || !s["expectations"].is_array()) return "failed";
  for (const Json& e : s["expectations"]) {
    if (!e.is_object() || e.value("holds", true)) continue;
    if (!out.empty()) out += "; ";
    out += e.value("what", std::string("?"));
    if (e.contains("expected"))
      out += ": expected " + e.value("expected", std::string()) + ", got " + e.value("actual", std::string());
  }
  return out.empty() ? "failed" : out;
}

std::string Replay(const Json& s) {
  std::string cmd = "sagasim run " + s.value("file", std::string("?"));
  if (s.contains("mode")) cmd += " --mode " + s["mode"].get<std::string>();
  if (s.contains("profile")) cmd += " --profile " + s["profile"].get<std::string>();
  if (s.contains("seed")) cmd += " --seed " + s["seed"].dump();
  return cmd;
}

// The <testsuite> blocks of a JUnit report, by suite name, with their testcases.
struct Suites {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> cases;
};

bool ParseJUnit(const std::string& xml, Suites* suites) {
  size_t pos = 0;
  if (xml.find("<testsuites") == std::string::npos) return false;
  while ((pos = xml.find("<testsuite ", pos)) != std::string::npos) {
    size_t name_at = xml.find("name=\"", pos);
    size_t head_end = xml.find('>', pos);
    size_t end = xml.find("</testsuite>", pos);
    if (name_at == std::string::npos || head_end == std::string::npos || end == std::string::npos) return false;
    std::string name = xml.substr(name_at + 6, xml.find('"', name_at + 6) - name_at - 6);
    if (!suites->cases.count(name)) suites->order.push_back(name);
    std::vector<std::string>& cases = suites->cases[name];
    size_t c = head_end + 1;
    while ((c = xml.find("<testcase", c)) != std::string::npos && c < end) {
      size_t close = xml.find("</testcase>", c);
      if (close == std::string::npos || close > end) return false;
      cases.push_back(xml.substr(c, close + 11 - c));
      c = close + 11;
    }
    pos = end + 12;
  }
  return true;
}

double TimeOf(const std::string& testcase) {
  size_t at = testcase.find("time=\"");
  return at == std::string::npos ? 0 : std::atof(testcase.c_str() + at + 6);
}

std::string MergedJUnit(const Suites& suites) {
  auto attrs = [](size_t tests, size_t failures, size_t errors, double secs) {
    char t[32];
    std::snprintf(t, sizeof t, "%.3f", secs);
    return " tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
           std::to_string(errors) + "\" time=\"" + t + "\"";
  };
  size_t all_tests = 0, all_failures = 0, all_errors = 0;
  double all_secs = 0;
  std::string body;
  for (const std::string& name : suites.order) {
    size_t failures = 0, errors = 0;
    double secs = 0;
    std::string cases;
    for (const std::string& c : suites.cases.at(name)) {
      failures += c.find("<failure") != std::string::npos;
      errors += c.find("<error") != std::string::npos;
      secs += TimeOf(c);
      cases += "    " + c + "\n";
    }
    size_t tests = suites.cases.at(name).size();
    body += "  <testsuite name=\"" + name + "\"" + attrs(tests, failures, errors, secs) + ">\n" + cases +
            "  </testsuite>\n";
    all_tests += tests;
    all_failures += failures;
    all_errors += errors;
    all_secs += secs;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sagasim\"" +
         attrs(all_tests, all_failures, all_errors, all_secs) + ">\n" + body + "</testsuites>\n";
}

}  // namespace

int RunMerge(const MergeOptions& options) {
  std::vector<Json> scenarios;
  Suites suites;
  bool any_json = false, any_junit = false;
  for (const std::string& path : options.inputs) {
    std::string text;
    if (!ReadText(path, &text)) {
      std::fprintf(stderr, "sagasim merge: %s: cannot read\n", path.c_str());
      return kExitInvalid;
    }
    if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".xml") == 0) {
      if (!ParseJUnit(text, &suites)) {
        std::fprintf(stderr, "sagasim merge: %s: not a JUnit report of sagasim\n", path.c_str());
        return kExitInvalid;
      }
      any_junit = true;
      continue;
    }
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("scenarios") || !doc["scenarios"].is_array()) {
      std::fprintf(stderr, "sagasim merge: %s: not a JSON report of sagasim (no /scenarios array)\n", path.c_str());
      return kExitInvalid;
    }
    for (Json& s : doc["scenarios"]) scenarios.push_back(std::move(s));
    any_json = true;
  }
  // Shards finish in any order: the verdict lists seeds in order.
  std::stable_sort(scenarios.begin(), scenarios.end(), [](const Json& a, const Json& b) {
    auto key = [](const Json& s) {
      return std::make_pair(s.value("file", std::string()), s.contains("seed") ? s["seed"].get<uint64_t>() : 0);
    };
    return key(a) < key(b);
  });
  int64_t passed = 0, failed = 0, errors = 0;
  for (const Json& s : scenarios) {
    if (s.value("passed", false)) {
      ++passed;
      continue;
    }
    ++failed;
    errors += s.contains("error");
    std::string what = s.contains("seed") ? "seed " + s["seed"].dump() : s.value("name", std::string("?"));
    std::printf("%s (%s): FAILED %s\n", what.c_str(), s.value("file", std::string("?")).c_str(),
                FailureLine(s).c_str());
    if (s.contains("seed")) std::printf("  replay: %s\n", Replay(s).c_str());
  }
  if (!any_json && any_junit) {
    // Only JUnit: count its testcases for the verdict.
    for (const std::string& name : suites.order)
      for (const std::string& c : suites.cases.at(name)) {
        bool bad = c.find("<failure") != std::string::npos || c.find("<error") != std::string::npos;
        (bad ? failed : passed)++;
        if (bad) {
          size_t at = c.find("name=\"");
          std::printf("%s: %s: FAILED\n", name.c_str(),
                      at == std::string::npos ? "?" : c.substr(at + 6, c.find('"', at + 6) - at - 6).c_str());
        }
      }
  }
  bool written = true;
  if (!options.json_path.empty()) {
    Json out;
    out["format"] = 1;
    out["tool"] = "sagasim";
    out["scenarios"] = Json::array();
    for (const Json& s : scenarios) out["scenarios"].push_back(s);
    out["summary"] = Json{{"scenarios", passed + failed}, {"passed", passed}, {"failed", failed}, {"errors", errors}};
    if (!WriteText(options.json_path, out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n")) {
      std::fprintf(stderr, "sagasim merge: cannot write %s\n", options.json_path.c_str());
      written = false;
    }
  }
  if (!options.junit_path.empty() && !WriteText(options.junit_path, MergedJUnit(suites))) {
    std::fprintf(stderr, "sagasim merge: cannot write %s\n", options.junit_path.c_str());
    written = false;
  }
  std::printf("%lld seeds: %lld passed, %lld failed\n", static_cast<long long>(passed + failed),
              static_cast<long long>(passed), static_cast<long long>(failed));
  return failed == 0 && written ? kExitOk : kExitFailed;
}

void RegisterMergeCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<MergeOptions>();
  CLI::App* cmd = app.add_subcommand("merge", "Combine the JSON and JUnit reports of sharded explores into one verdict");
  cmd->add_option("reports", options->inputs, "JSON (*.json) and JUnit (*.xml) reports")->required();
  cmd->add_option("--json", options->json_path, "Write the merged JSON report to FILE");
  cmd->add_option("--junit", options->junit_path, "Write the merged JUnit report to FILE");
  cmd->callback([options, exit_code] { *exit_code = RunMerge(*options); });
}

}  // namespace cli
