#include "cli/compare_command.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "base/money.h"
#include "cli/exit_code.h"
#include "report/compare_html.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/stored_messages.h"
#include "report/trace_writer.h"
#include "scenario/compare.h"
#include "scenario/scenario_json.h"

namespace cli {
namespace {

using scenario::Comparison;
using scenario::SideRun;

// One line for an event: time, order, service, then what happened.
std::string Describe(const sim::Event& e) {
  std::string s = base::FormatDuration(e.t) + " " + (e.order.empty() ? "-" : e.order) + " " +
                  (e.service.empty() ? "broker" : e.service) + " " + sim::EventKindName(e.kind);
  if (!e.event.empty()) s += " " + e.event;
  if (!e.group.empty()) s += " [" + e.group + "]";
  if (!e.topic.empty() && e.kind != sim::EventKind::kState && e.kind != sim::EventKind::kFault) s += " " + e.topic;
  if (e.attempt > 0) s += " delivery " + std::to_string(e.attempt);
  if (!e.detail.empty()) s += ": " + e.detail;
  return s;
}

std::string Join(const std::vector<std::string>& items, const char* none = "none") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? none : out;
}

std::string PaymentsText(const scenario::FinalState& s) {
  std::map<std::string, int> n;
  for (const auto& p : s.payments) ++n[p.status];
  std::vector<std::string> parts;
  for (const auto& [status, count] : n) parts.push_back(status + " " + std::to_string(count));
  return Join(parts);
}

std::string OrderText(const scenario::FinalState& s, const std::string& order_no) {
  std::string status = "-";
  int charged = 0;
  for (const auto& o : s.orders)
    if (o.order_no == order_no) status = o.status;
  for (const auto& p : s.payments)
    if (p.order_no == order_no && p.status == "SUCCESS") ++charged;
  return charged > 1 ? status + ", charged " + std::to_string(charged) + "x" : status;
}

std::string StockText(const scenario::ProductRecord& p) {
  return "avail " + std::to_string(p.available) + " frozen " + std::to_string(p.frozen) + " sold " +
         std::to_string(p.sold);
}

std::string DlqText(const scenario::FinalState& s) {
  std::map<std::string, int> n;
  for (const auto& d : s.dlq) ++n[d.group];
  std::vector<std::string> parts;
  for (const auto& [group, count] : n) parts.push_back(group + " " + std::to_string(count));
  return Join(parts);
}

// Rows of a three-column table whose columns fit their widest cell.
class Table {
 public:
  void Row(std::string label, std::string a, std::string b) { rows_.push_back({label, a, b}); }
  void Print(std::FILE* out) const {
    size_t w0 = 0, w1 = 0;
    for (const auto& r : rows_) {
      w0 = std::max(w0, r[0].size());
      w1 = std::max(w1, r[1].size());
    }
    for (const auto& r : rows_)
      std::fprintf(out, "  %-*s  %-*s  %s\n", static_cast<int>(w0), r[0].c_str(), static_cast<int>(w1), r[1].c_str(),
                   r[2].c_str());
  }

 private:
  std::vector<std::array<std::string, 3>> rows_;
};

void PrintDivergence(std::FILE* out, const SideRun& run, std::optional<size_t> index, const SideRun& other) {
  if (!index) {
    std::fprintf(out, "  %s: every event has a counterpart in %s\n", run.side.label.c_str(), other.side.label.c_str());
    return;
  }
  std::fprintf(out, "  first in %s with no counterpart in %s (event %lld, with its causes):\n",
               run.side.label.c_str(), other.side.label.c_str(), static_cast<long long>(run.trace[*index].seq));
  for (const sim::Event& e : scenario::CauseChain(run.trace, *index))
    std::fprintf(out, "    %s %5lld  %s\n", e.seq == run.trace[*index].seq ? ">" : " ", static_cast<long long>(e.seq),
                 Describe(e).c_str());
}

void PrintComparison(std::FILE* out, const scenario::Scenario& sc, const Comparison& cmp) {
  const SideRun &a = cmp.a, &b = cmp.b;
  std::fprintf(out, "> compare %s (seed %llu, deterministic): %s against %s\n", sc.name.c_str(),
               static_cast<unsigned long long>(a.result.seed), a.side.label.c_str(), b.side.label.c_str());
  if (!sc.description.empty())
    std::fprintf(out, "  %s (written for profile %s)\n", sc.description.c_str(), scenario::ProfileName(sc.profile));
  std::fprintf(out, "\n");
  Table t;
  t.Row("", a.side.label, b.side.label);
  // Only the options that differ: they are what the comparison is about.
  const services::Options &oa = a.result.options, &ob = b.result.options;
  const std::array<std::array<std::string, 3>, 7> options = {{
      {"idempotency", services::OptionValueName(oa.idempotency), services::OptionValueName(ob.idempotency)},
      {"publish", services::OptionValueName(oa.publish), services::OptionValueName(ob.publish)},
      {"stockDeduct", services::OptionValueName(oa.stock_deduct), services::OptionValueName(ob.stock_deduct)},
      {"freeze", services::OptionValueName(oa.freeze), services::OptionValueName(ob.freeze)},
      {"cancellation", services::OptionValueName(oa.cancellation), services::OptionValueName(ob.cancellation)},
      {"compensationJob", services::OptionValueName(oa.compensation_job),
       services::OptionValueName(ob.compensation_job)},
      {"consumerGroups", services::OptionValueName(oa.consumer_groups), services::OptionValueName(ob.consumer_groups)},
  }};
  bool any = false;
  for (const auto& [name, va, vb] : options)
    if (va != vb) {
      t.Row(name, va, vb);
      any = true;
    }
  if (!any) t.Row("options", "the same", "the same");
  t.Row("events", std::to_string(a.trace.size()), std::to_string(b.trace.size()));
  t.Row("virtual time", base::FormatDuration(a.result.state.end_ms), base::FormatDuration(b.result.state.end_ms));
  std::set<std::string> orders;
  std::vector<std::string> order_list;
  for (const auto* run : {&a, &b})
    for (const auto& o : run->result.state.orders)
      if (orders.insert(o.order_no).second) order_list.push_back(o.order_no);
  if (order_list.size() <= 12) {
    for (const auto& o : order_list)
      t.Row("order " + o, OrderText(a.result.state, o), OrderText(b.result.state, o));
  } else {
    auto counts = [](const scenario::FinalState& s) {
      std::map<std::string, int> n;
      for (const auto& o : s.orders) ++n[o.status];
      std::vector<std::string> parts;
      for (const auto& [status, count] : n) parts.push_back(status + " " + std::to_string(count));
      return Join(parts);
    };
    t.Row("orders", counts(a.result.state), counts(b.result.state));
  }
  t.Row("payments", PaymentsText(a.result.state), PaymentsText(b.result.state));
  for (size_t i = 0; i < a.result.state.products.size() && i < b.result.state.products.size(); ++i)
    t.Row("product " + std::to_string(a.result.state.products[i].id), StockText(a.result.state.products[i]),
          StockText(b.result.state.products[i]));
  t.Row("dlq", DlqText(a.result.state), DlqText(b.result.state));
  t.Row("stuck", Join(a.result.stuck), Join(b.result.stuck));
  t.Row("invariants broken", Join(scenario::BrokenInvariants(a.result)), Join(scenario::BrokenInvariants(b.result)));
  t.Print(out);
  std::fprintf(out, "\n  where the runs part (%lld of %zu %s events have a counterpart):\n",
               static_cast<long long>(cmp.alignment.matched), a.trace.size(), a.side.label.c_str());
  PrintDivergence(out, a, cmp.alignment.first_unmatched_a, b);
  PrintDivergence(out, b, cmp.alignment.first_unmatched_b, a);
}

nlohmann::ordered_json ChainJson(const SideRun& run, std::optional<size_t> index) {
  if (!index) return nullptr;
  nlohmann::ordered_json chain = nlohmann::ordered_json::array();
  for (const sim::Event& e : scenario::CauseChain(run.trace, *index))
    chain.push_back(nlohmann::ordered_json::parse(report::EventToJsonLine(e)));
  return chain;
}

nlohmann::ordered_json ComparisonJson(const scenario::Scenario& sc, const Comparison& cmp) {
  nlohmann::ordered_json j;
  j["format"] = 1;
  j["tool"] = "sagasim compare";
  j["scenario"] = sc.name;
  j["file"] = sc.file;
  j["seed"] = cmp.a.result.seed;
  nlohmann::ordered_json sides = nlohmann::ordered_json::array();
  for (const SideRun* run : {&cmp.a, &cmp.b}) {
    nlohmann::ordered_json s;
    s["label"] = run->side.label;
    s["events"] = run->trace.size();
    s["brokenInvariants"] = scenario::BrokenInvariants(run->result);
    s["run"] = report::RunResultToJson(run->result, nullptr);
    sides.push_back(s);
  }
  j["sides"] = sides;
  nlohmann::ordered_json part;
  part["matched"] = cmp.alignment.matched;
  // Each list is the first unmatched event of that side, preceded by its causes.
  part["firstUnmatchedA"] = ChainJson(cmp.a, cmp.alignment.first_unmatched_a);
  part["firstUnmatchedB"] = ChainJson(cmp.b, cmp.alignment.first_unmatched_b);
  j["divergence"] = part;
  return j;
}

// A scratch folder for the two runs' databases, removed when it goes out of scope:
// the page shows the stored messages' properties and bodies, which only broker.db has.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    std::string tmpl = (std::filesystem::temp_directory_path(ec) / "sagasim-compare-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Each run's stored messages; none (the page says so) when a database cannot be read.
std::vector<report::StoredMessage> MessagesOf(const std::string& state_root, const char* side) {
  if (state_root.empty()) return {};
  auto read = report::ReadStoredMessages(state_root + "/" + side + "/broker.db");
  return read.ok() ? std::move(read.value()) : std::vector<report::StoredMessage>{};
}

bool CheckHtmlPath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::string error = std::filesystem::is_directory(path, ec) ? "is a folder, not a file"
                      : !folder.empty() && !std::filesystem::is_directory(folder, ec) ? "no such folder " + folder.string()
                                                                                       : "";
  if (!error.empty()) std::fprintf(stderr, "sagasim compare: --html %s: %s\n", path.c_str(), error.c_str());
  return error.empty();
}

}  // namespace

int RunCompare(const CompareOptions& options) {
  if (!options.sides.empty() && options.sides.size() != 2) {
    std::fprintf(stderr, "sagasim compare: give --options twice (one per side), or not at all\n");
    return kExitInvalid;
  }
  std::vector<std::string> specs = options.sides.empty() ? std::vector<std::string>{"seed", "hardened"} : options.sides;
  std::vector<scenario::CompareSide> sides;
  for (const auto& spec : specs) {
    auto side = scenario::ParseCompareSide(spec);
    if (!side.ok()) {
      std::fprintf(stderr, "sagasim compare: %s\n", side.status().message().c_str());
      return kExitInvalid;
    }
    sides.push_back(side.value());
  }
  auto loaded = scenario::LoadScenarioFile(options.file);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
    return kExitInvalid;
  }
  const scenario::Scenario& sc = loaded.value();
  if (!options.html_path.empty() && !CheckHtmlPath(options.html_path)) return kExitInvalid;
  std::unique_ptr<ScratchDir> scratch;
  if (!options.html_path.empty()) scratch = std::make_unique<ScratchDir>();
  std::string state_root = scratch ? scratch->path() : "";
  auto cmp = scenario::CompareScenario(sc, sides[0], sides[1], options.seed, state_root);
  if (!cmp.ok()) {
    std::fprintf(stderr, "%s: %s\n", options.file.c_str(), cmp.status().ToString().c_str());
    return kExitFailed;
  }
  if (!options.html_path.empty()) {
    std::string page =
        report::CompareHtml(sc, cmp.value(), MessagesOf(state_root, "a"), MessagesOf(state_root, "b"));
    if (base::Status s = report::WriteTextFile(options.html_path, page); !s.ok()) {
      std::fprintf(stderr, "sagasim compare: %s\n", s.message().c_str());
      return kExitFailed;
    }
  }
  if (options.json_path == "-") {
    std::printf("%s\n",
                ComparisonJson(sc, cmp.value()).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  PrintComparison(stdout, sc, cmp.value());
  if (!options.json_path.empty()) {
    std::FILE* f = std::fopen(options.json_path.c_str(), "w");
    std::string text = ComparisonJson(sc, cmp.value()).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f) ok = std::fclose(f) == 0 && ok;
    if (!ok) {
      std::fprintf(stderr, "sagasim compare: cannot write %s\n", options.json_path.c_str());
      return kExitFailed;
    }
  }
  std::fflush(stdout);
  return kExitOk;
}

void RegisterCompareCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run one scenario under both profiles (or two --options sets) and show where the runs part");
  cmd->add_option("file", options->file, "Scenario file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--options", options->sides,
                  "One side, twice: a profile (seed, hardened), key=value options, or both, e.g. "
                  "seed,idempotency=transactional")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--seed", options->seed, "Seed for both runs (overrides the file's)");
  cmd->add_option("--json", options->json_path, "Also write the comparison as JSON to FILE (- : only JSON, to stdout)");
  cmd->add_option("--html", options->html_path,
                  "Also write the comparison as one self-contained HTML page (both timelines) to FILE")
      ->type_name("FILE");
  cmd->callback([options, exit_code] { *exit_code = RunCompare(*options); });
}

}  // namespace cli
