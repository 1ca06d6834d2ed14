// The JUnit XML report: what CI reporters read from it, and that it always parses.

#include "report/junit_report.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "testing/scenario_fixtures.h"

namespace {

namespace fs = std::filesystem;

// A temporary folder for one test, removed afterwards.
struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sagasim-junit-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string File(const std::string& name) const { return (fs::path(path) / name).string(); }
  std::string path;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the binary as CI would; returns its exit code.
int Sagasim(const std::string& args) {
  std::string cmd = std::string(SAGASIM_BINARY) + " " + args + " >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Scenario(const std::string& name) { return std::string(SAGASIM_SOURCE_DIR) + "/scenarios/" + name; }

// A checker small enough to trust: every tag closes in order, attribute values are
// quoted, and '&' only starts an entity or character reference. Returns "" when the
// document is well-formed, else what is wrong.
std::string WellFormedProblem(const std::string& xml) {
  if (xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) != 0) return "no XML declaration";
  std::vector<std::string> open;
  for (size_t i = xml.find('\n') + 1; i < xml.size(); ++i) {
    if (xml[i] == '&') {
      size_t semi = xml.find(';', i);
      if (semi == std::string::npos || semi - i > 8) return "bare & at " + std::to_string(i);
      continue;
    }
    if (xml[i] == '>') return "bare > at " + std::to_string(i);
    if (xml[i] != '<') continue;
    bool in_quotes = false;
    size_t end = i + 1;
    for (; end < xml.size() && (in_quotes || xml[end] != '>'); ++end) {
      if (xml[end] == '"') in_quotes = !in_quotes;
      if (xml[end] == '<') return "< inside a tag at " + std::to_string(end);
    }
    if (end == xml.size()) return "unterminated tag";
    std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag.rfind('/', 0) == 0) {
      if (open.empty() || open.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
    i = end;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// The start tag of the first element named `name`, attributes included.
std::string StartTag(const std::string& xml, const std::string& name, size_t from = 0) {
  size_t at = xml.find("<" + name + " ", from);
  if (at == std::string::npos) return "";
  return xml.substr(at, xml.find('>', at) - at + 1);
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const char* kOneOrder = R"json({
  "name": "one-order",
  "catalog": [{"product": 1, "stock": 5, "price": "2.50"}],
  "orders": [{"id": "o1", "user": 1, "items": {"1": 2}}],
  "expect": {"orders": {"o1": "PAID"}}
})json";

const char* kOneOrderWrong = R"json({
  "name": "one-order-wrong",
  "catalog": [{"product": 1, "stock": 5, "price": "2.50"}],
  "orders": [{"id": "o1", "user": 1, "items": {"1": 2}}],
  "expect": {"orders": {"o1": "CANCELLED"}, "stock": {"1": {"sold": 5}}}
})json";

scenario::RunResult Run(const char* text) { return testing::RunOrDie(testing::ParseOrDie(text), {}); }

TEST_CASE("junit: a passing run is a testcase with no failure and its settings in system-out") {
  scenario::RunResult result = Run(kOneOrder);
  REQUIRE(result.passed);
  report::JUnitReport junit;
  junit.AddResult("run", result.name, result);
  std::string xml = junit.ToXml();
  CHECK(WellFormedProblem(xml) == "");
  CHECK(StartTag(xml, "testsuites").find("name=\"sagasim\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"") !=
        std::string::npos);
  CHECK(StartTag(xml, "testsuite").find("name=\"run\" tests=\"1\" failures=\"0\" errors=\"0\"") != std::string::npos);
  CHECK(StartTag(xml, "testcase").find("classname=\"sagasim.run\" name=\"one-order\" time=\"") != std::string::npos);
  CHECK(xml.find("<failure") == std::string::npos);
  CHECK(xml.find("<error") == std::string::npos);
  CHECK(xml.find("profile: hardened\n") != std::string::npos);
  CHECK(xml.find("seed: 1\n") != std::string::npos);
  CHECK(xml.find("mode: deterministic\n") != std::string::npos);
  CHECK(xml.find("virtual end time: ") != std::string::npos);
}

TEST_CASE("junit: a failing run names its first failed expectation and lists every one") {
  scenario::RunResult result = Run(kOneOrderWrong);
  REQUIRE_FALSE(result.passed);
  report::JUnitReport junit;
  junit.AddResult("run", result.name, result);
  std::string xml = junit.ToXml();
  CHECK(WellFormedProblem(xml) == "");
  CHECK(StartTag(xml, "testsuites").find("tests=\"1\" failures=\"1\" errors=\"0\"") != std::string::npos);
  CHECK(StartTag(xml, "testsuite").find("tests=\"1\" failures=\"1\" errors=\"0\"") != std::string::npos);
  CHECK(StartTag(xml, "failure") ==
        "<failure message=\"orders.o1: expected CANCELLED, got PAID\" type=\"expectation\">");
  CHECK(xml.find("expectation orders.o1: expected CANCELLED, got PAID\n") != std::string::npos);
  CHECK(xml.find("expectation stock.1.sold: expected 5, got 2\n") != std::string::npos);
}

TEST_CASE("junit: violated invariants appear in the failure text with their details") {
  scenario::RunResult result;
  result.name = "by-hand";
  result.expectations = {{"orders.o1", true, "PAID", "PAID"}, {"invariants", false, "all hold", "1 violated"}};
  result.invariants = {{"stock-conserved", false, "product 1: 3 + 0 + 0 != 5"}, {"orders-settled", true, ""}};
  report::JUnitReport junit;
  junit.AddResult("run", result.name, result);
  std::string xml = junit.ToXml();
  CHECK(StartTag(xml, "failure").find("message=\"invariants: expected all hold, got 1 violated\"") !=
        std::string::npos);
  CHECK(xml.find("invariant stock-conserved violated: product 1: 3 + 0 + 0 != 5\n") != std::string::npos);
  CHECK(xml.find("orders-settled") == std::string::npos);
}

TEST_CASE("junit: a case that could not run is an error, counted apart from failures") {
  report::JUnitReport junit;
  junit.AddResult("run", "fine", Run(kOneOrder));
  junit.AddError("run", "broken", "I/O error: cannot create state directory /x");
  std::string xml = junit.ToXml();
  CHECK(WellFormedProblem(xml) == "");
  CHECK(StartTag(xml, "testsuites").find("tests=\"2\" failures=\"0\" errors=\"1\"") != std::string::npos);
  CHECK(xml.find("<error message=\"I/O error: cannot create state directory /x\" type=\"error\">") !=
        std::string::npos);
}

TEST_CASE("junit: suites keep their order and count their own cases, as explore uses them") {
  scenario::RunResult pass = Run(kOneOrder), fail = Run(kOneOrderWrong);
  report::JUnitReport junit;
  junit.AddResult("race", "seed 1", pass);
  junit.AddResult("retry", "seed 1", pass);
  junit.AddResult("race", "seed 2", fail);
  std::string xml = junit.ToXml();
  CHECK(WellFormedProblem(xml) == "");
  CHECK(Count(xml, "<testsuite ") == 2);
  CHECK(StartTag(xml, "testsuites").find("tests=\"3\" failures=\"1\" errors=\"0\"") != std::string::npos);
  size_t race = xml.find("<testsuite name=\"race\""), retry = xml.find("<testsuite name=\"retry\"");
  REQUIRE(race < retry);
  CHECK(StartTag(xml, "testsuite", race).find("tests=\"2\" failures=\"1\"") != std::string::npos);
  CHECK(StartTag(xml, "testsuite", retry).find("tests=\"1\" failures=\"0\"") != std::string::npos);
  CHECK(xml.find("classname=\"sagasim.race\" name=\"seed 2\"") < retry);
}

TEST_CASE("junit: times are wall seconds with three decimals") {
  scenario::RunResult result;
  result.name = "timed";
  result.passed = true;
  result.wall_us = 1234567;
  report::JUnitReport junit;
  junit.AddResult("run", "a", result);
  result.wall_us = 1000;
  junit.AddResult("run", "b", result);
  std::string xml = junit.ToXml();
  CHECK(StartTag(xml, "testcase").find("time=\"1.235\"") != std::string::npos);
  CHECK(xml.find("name=\"b\" time=\"0.001\"") != std::string::npos);
  CHECK(StartTag(xml, "testsuites").find("time=\"1.236\"") != std::string::npos);
}

TEST_CASE("junit: XmlEscape keeps the document parseable whatever the text") {
  CHECK(report::XmlEscape("<&\">'") == "&lt;&amp;&quot;&gt;&apos;");
  CHECK(report::XmlEscape("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d");
  CHECK(report::XmlEscape("a\tb\nc", false) == "a\tb\nc");
  CHECK(report::XmlEscape(std::string("nul\0bell\x07", 9)) == "nul\\x00bell\\x07");
  CHECK(report::XmlEscape("caf\xC3\xA9 \xE2\x82\xAC") == "caf\xC3\xA9 \xE2\x82\xAC");      // kept as is
  CHECK(report::XmlEscape("bad \xC3 end") == "bad \xEF\xBF\xBD end");                      // truncated
  CHECK(report::XmlEscape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                      // overlong
  CHECK(report::XmlEscape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");      // surrogate
  CHECK(report::XmlEscape("\xEF\xBF\xBF") == "\xEF\xBF\xBD");                              // U+FFFF
}

TEST_CASE("junit: a message with markup in it is escaped in the attribute and the text") {
  scenario::RunResult result;
  result.name = "a<b> & \"c\"";
  result.expectations = {{"orders.<o&1>", false, "\"PAID\"", "<none>"}};
  report::JUnitReport junit;
  junit.AddResult("run", result.name, result);
  junit.AddError("run", "err", "line 1\n<bad> & 'worse'");
  std::string xml = junit.ToXml();
  CHECK(WellFormedProblem(xml) == "");
  CHECK(xml.find("name=\"a&lt;b&gt; &amp; &quot;c&quot;\"") != std::string::npos);
  CHECK(xml.find("message=\"orders.&lt;o&amp;1&gt;: expected &quot;PAID&quot;, got &lt;none&gt;\"") !=
        std::string::npos);
  CHECK(xml.find("<error message=\"line 1&#10;&lt;bad&gt; &amp; &apos;worse&apos;\"") != std::string::npos);
  CHECK(xml.find(">line 1\n&lt;bad&gt; &amp; &apos;worse&apos;</error>") != std::string::npos);
}

TEST_CASE("junit: Write puts the document in the file, and says when it cannot") {
  TempDir dir;
  report::JUnitReport junit;
  junit.AddResult("run", "one-order", Run(kOneOrder));
  REQUIRE(junit.Write(dir.File("report.xml")).ok());
  CHECK(ReadFile(dir.File("report.xml")) == junit.ToXml());
  base::Status bad = junit.Write(dir.File("missing/report.xml"));
  CHECK(bad.code() == base::Status::Code::kIo);
}

TEST_CASE("run --junit --json: both files are written, and parse") {
  TempDir dir;
  std::string junit = dir.File("junit.xml"), json = dir.File("report.json");
  REQUIRE(Sagasim("run -q --junit " + junit + " --json " + json + " " + Scenario("happy-path.json")) == 0);
  std::string xml = ReadFile(junit);
  CHECK(WellFormedProblem(xml) == "");
  CHECK(StartTag(xml, "testsuites").find("tests=\"1\" failures=\"0\" errors=\"0\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"sagasim.run\" name=\"happy-path\"") != std::string::npos);
  nlohmann::json report = nlohmann::json::parse(ReadFile(json));
  CHECK(report["summary"] == nlohmann::json{{"scenarios", 1}, {"passed", 1}, {"failed", 0}, {"errors", 0}});
  CHECK(report["scenarios"][0]["name"] == "happy-path");
  CHECK(report["scenarios"][0]["orders"][0]["status"] == "PAID");
}

TEST_CASE("run --junit --json: failures, errors and invalid input") {
  TempDir dir;
  std::string junit = dir.File("junit.xml"), json = dir.File("report.json");
  std::string flags = " --junit " + junit + " --json " + json + " ";

  SUBCASE("a failing scenario is a failure and exits 1") {
    std::ofstream(dir.File("wrong.json")) << kOneOrderWrong;
    CHECK(Sagasim("run -q" + flags + Scenario("happy-path.json") + " " + dir.File("wrong.json")) == 1);
    CHECK(StartTag(ReadFile(junit), "testsuites").find("tests=\"2\" failures=\"1\" errors=\"0\"") !=
          std::string::npos);
    CHECK(nlohmann::json::parse(ReadFile(json))["summary"]["failed"] == 1);
  }
  SUBCASE("a scenario that cannot start is an error case") {
    // The trace file cannot be opened, so the scenario never runs.
    CHECK(Sagasim("run -q --trace " + dir.File("missing/t.jsonl") + flags + Scenario("happy-path.json")) == 1);
    std::string xml = ReadFile(junit);
    CHECK(WellFormedProblem(xml) == "");
    CHECK(StartTag(xml, "testsuites").find("tests=\"1\" failures=\"0\" errors=\"1\"") != std::string::npos);
    nlohmann::json report = nlohmann::json::parse(ReadFile(json));
    CHECK(report["summary"]["errors"] == 1);
    CHECK(report["scenarios"][0]["error"].get<std::string>().find("missing/t.jsonl") != std::string::npos);
  }
  SUBCASE("invalid input writes nothing") {
    std::ofstream(dir.File("bad.json")) << "{\"name\": \"x\"}";
    CHECK(Sagasim("run -q" + flags + Scenario("happy-path.json") + " " + dir.File("bad.json")) == 2);
    CHECK_FALSE(fs::exists(junit));
    CHECK_FALSE(fs::exists(json));
  }
  SUBCASE("a report in a missing folder is invalid input, found before anything runs") {
    CHECK(Sagasim("run -q --junit " + dir.File("nope/junit.xml") + " " + Scenario("happy-path.json")) == 2);
    CHECK(Sagasim("run -q --json " + dir.path + " " + Scenario("happy-path.json")) == 2);
  }
}

}  // namespace
