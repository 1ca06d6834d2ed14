#include "scenario/json_dom.h"

#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

namespace scenario::loader {
namespace {

TEST_CASE("json_dom: PointerSegment escapes ~ and /") {
  CHECK(PointerSegment("plain") == "plain");
  CHECK(PointerSegment("a/b~c") == "a~1b~0c");
}

TEST_CASE("json_dom: LineAndColumn counts lines and UTF-8 characters") {
  CHECK(LineAndColumn("abc", 0) == std::pair<size_t, size_t>{1, 1});
  CHECK(LineAndColumn("abc", 2) == std::pair<size_t, size_t>{1, 3});
  CHECK(LineAndColumn("a\nbc", 3) == std::pair<size_t, size_t>{2, 2});
  CHECK(LineAndColumn("\xC3\xA9x", 2) == std::pair<size_t, size_t>{1, 2});  // é is one column
}

TEST_CASE("json_dom: ParseJson builds the document or says where it broke") {
  Json doc;
  REQUIRE(ParseJson(R"({"a": [1, {"b": null}]})", "f.json", &doc).ok());
  CHECK(doc["a"][1].contains("b"));
  Json untouched = 7;
  base::Status dup = ParseJson(R"({"a": [{"k/1": 1, "k/1": 2}]})", "f.json", &untouched);
  CHECK(dup.message() == "f.json: /a/0/k~11: duplicate key \"k/1\"");
  CHECK(untouched == 7);
  CHECK(ParseJson("{\n  \"a\": tru }", "f.json", &doc).message().find(": invalid JSON: ") != std::string::npos);
  CHECK(ParseJson("{\n  \"a\": tru }", "f.json", &doc).message().starts_with("f.json:2:"));
  std::string deep(kMaxNesting + 1, '[');
  CHECK(ParseJson(deep, "f.json", &doc).message() ==
        "f.json:1:65: nested too deeply: more than 64 levels of arrays and objects");
}

}  // namespace
}  // namespace scenario::loader
