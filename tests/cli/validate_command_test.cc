// `sagasim validate`: loads scenario files and runs nothing.

#include "cli/validate_command.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "cli/exit_code.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

// A temporary folder for one test, removed afterwards.
struct ValidateTempDir {
  ValidateTempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sagasim-validate-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~ValidateTempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  ValidateTempDir(const ValidateTempDir&) = delete;
  ValidateTempDir& operator=(const ValidateTempDir&) = delete;

  std::string Write(const std::string& name, const std::string& text) const {
    std::string file = (fs::path(path) / name).string();
    fs::create_directories(fs::path(file).parent_path());
    std::ofstream(file) << text;
    return file;
  }
  std::string path;
};

struct Outcome {
  int exit_code;
  std::string output;
};

Outcome Validate(const std::vector<std::string>& paths) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  REQUIRE(out != nullptr);
  Outcome outcome{RunValidate(paths, out, out), ""};
  std::fclose(out);
  outcome.output.assign(buffer, size);
  free(buffer);
  return outcome;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

int CountLines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

constexpr const char* kGood = R"json({
  "name": "good-one",
  "catalog": [{"product": 1, "stock": 5, "price": "10.00"}],
  "orders": [{"id": "o1", "items": {"1": 1}},
             {"generate": {"count": 20, "idPrefix": "g", "items": {"1": [0, 1]}}}],
  "faults": [{"kind": "payment-decline", "order": "o1"}, {"kind": "duplicate", "order": "g*"}]
})json";

constexpr const char* kUnknownProduct = R"json({
  "name": "bad-product",
  "catalog": [{"product": 1, "stock": 5, "price": "10.00"}],
  "orders": [{"id": "o1", "items": {"2": 1}}]
})json";

constexpr const char* kBadDuration = R"json({
  "name": "bad-duration",
  "catalog": [{"product": 1, "stock": 5, "price": "10.00"}],
  "until": "1m30s"
})json";

TEST_CASE("validate: a valid file prints an ok line with name, orders and faults, and exits 0") {
  ValidateTempDir dir;
  std::string file = dir.Write("good.json", kGood);
  Outcome out = Validate({file});
  CHECK(out.exit_code == kExitOk);
  CHECK(out.output == "ok   " + file + "  (good-one, 21 orders, 2 faults)\n1 files: 1 valid, 0 invalid\n");
}

TEST_CASE("validate: the bundled scenarios are all valid") {
  Outcome out = Validate({std::string(SAGASIM_SOURCE_DIR) + "/scenarios"});
  INFO(out.output);
  CHECK(out.exit_code == kExitOk);
  CHECK(Contains(out.output, "ok   "));
  CHECK(Contains(out.output, "/happy-path.json  (happy-path, "));
  CHECK(Contains(out.output, " 0 invalid\n"));
}

TEST_CASE("validate: an invalid file prints the loader's message, naming the file and the JSON pointer, and exits 2") {
  ValidateTempDir dir;
  std::string bad = dir.Write("bad.json", kUnknownProduct);
  Outcome out = Validate({bad});
  CHECK(out.exit_code == kExitInvalid);
  CHECK(Contains(out.output, bad + ": /orders/0/items/2: unknown product 2 (catalog has 1)\n"));
  CHECK(Contains(out.output, "1 files: 0 valid, 1 invalid\n"));
  CHECK_FALSE(Contains(out.output, "ok   "));
}

TEST_CASE("validate: bad JSON is reported with line and column") {
  ValidateTempDir dir;
  std::string bad = dir.Write("syntax.json", "{\n  \"name\": \"x\",\n  \"catalog\": [}\n");
  Outcome out = Validate({bad});
  CHECK(out.exit_code == kExitInvalid);
  CHECK(Contains(out.output, bad + ":3:15: invalid JSON"));
}

TEST_CASE("validate: a folder is checked file by file, sorted, and one bad file makes the exit code 2") {
  ValidateTempDir dir;
  std::string good = dir.Write("a-good.json", kGood);
  std::string product = dir.Write("b-product.json", kUnknownProduct);
  std::string duration = dir.Write("c-duration.json", kBadDuration);
  dir.Write("notes.txt", "not a scenario");
  dir.Write("sub/nested.json", "{}");  // folders are not searched recursively
  Outcome out = Validate({dir.path});
  INFO(out.output);
  CHECK(out.exit_code == kExitInvalid);
  CHECK(CountLines(out.output) == 4);
  size_t a = out.output.find("ok   " + good + "  (good-one, 21 orders, 2 faults)\n");
  size_t b = out.output.find(product + ": /orders/0/items/2: unknown product 2");
  size_t c = out.output.find(duration + ": /until: bad duration \"1m30s\"");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  REQUIRE(c != std::string::npos);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(Contains(out.output, "3 files: 1 valid, 2 invalid\n"));
  CHECK_FALSE(Contains(out.output, "nested.json"));
}

TEST_CASE("validate: a missing path is reported and counted, and the other paths are still checked") {
  ValidateTempDir dir;
  std::string good = dir.Write("good.json", kGood);
  std::string missing = (fs::path(dir.path) / "missing.json").string();
  std::string empty = (fs::path(dir.path) / "empty").string();
  fs::create_directory(empty);
  Outcome out = Validate({missing, good, empty});
  INFO(out.output);
  CHECK(out.exit_code == kExitInvalid);
  CHECK(Contains(out.output, missing + ": no such file or folder\n"));
  CHECK(Contains(out.output, "ok   " + good));
  CHECK(Contains(out.output, empty + ": no *.json scenario files in this folder\n"));
  CHECK(Contains(out.output, "3 files: 1 valid, 2 invalid\n"));
}

TEST_CASE("validate: the subcommand parses its paths and stores the exit code") {
  ValidateTempDir dir;
  std::string bad = dir.Write("bad.json", kBadDuration);
  CLI::App app;
  int exit_code = -1;
  RegisterValidateCommand(app, &exit_code);
  std::vector<std::string> args = {"sagasim", "validate", bad};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  // The verdict goes to stdout; only the exit code matters here.
  app.parse(static_cast<int>(argv.size()), argv.data());
  CHECK(exit_code == kExitInvalid);
}

}  // namespace
}  // namespace cli
