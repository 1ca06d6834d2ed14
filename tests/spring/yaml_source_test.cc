// Spring's Environment, as sagasim reads it: flat keys with file:line:column,
// relaxed names, several documents and profiles, placeholders, .properties files.

#include "spring/yaml_source.h"

#include <map>

#include <doctest/doctest.h>

namespace spring {
namespace {

LoadOptions NoEnv(std::map<std::string, std::string> env = {}, std::vector<std::string> profiles = {}) {
  LoadOptions o;
  o.profiles = std::move(profiles);
  o.env = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  return o;
}

Source Load(const std::string& text, LoadOptions options = NoEnv(), bool properties = false) {
  auto r = LoadConfigText(text, "app.yml", properties, options);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  return r.value();
}

std::string Error(const std::string& text, LoadOptions options = NoEnv(), bool properties = false) {
  auto r = LoadConfigText(text, "app.yml", properties, options);
  REQUIRE(!r.ok());
  CHECK(r.status().IsInvalidInput());
  return r.status().message();
}

const Entry* Find(const Source& s, const std::string& key) {
  for (const Entry& e : s.entries)
    if (e.key == key) return &e;
  return nullptr;
}

TEST_CASE("yaml_source: nested maps flatten to dotted keys with the value's line and column") {
  Source s = Load("spring:\n  cloud:\n    stream:\n      bindings:\n        a-in-0:\n          destination: t1\n"
                  "          group: 'g1'\n");
  const Entry* d = Find(s, "spring.cloud.stream.bindings.a-in-0.destination");
  REQUIRE(d != nullptr);
  CHECK(d->value == "t1");
  CHECK(Where(d->at) == "app.yml:6:24");
  CHECK(Where(d->key_at) == "app.yml:6:11");
  const Entry* g = Find(s, "spring.cloud.stream.bindings.a-in-0.group");
  REQUIRE(g != nullptr);
  CHECK(g->quoted);
  CHECK(!d->quoted);
}

TEST_CASE("yaml_source: lists become [i] and empty values are marked") {
  Source s = Load("a:\n  - x\n  - y\nb:\n");
  REQUIRE(Find(s, "a[1]") != nullptr);
  CHECK(Find(s, "a[1]")->value == "y");
  REQUIRE(Find(s, "b") != nullptr);
  CHECK(Find(s, "b")->empty);
}

TEST_CASE("yaml_source: a duplicate key is an error naming both lines (yaml-cpp keeps both silently)") {
  std::string e = Error("a:\n  b: 1\n  b: 2\n");
  CHECK(e.find("app.yml:3:3: duplicate key \"b\" (first at line 2") != std::string::npos);
}

TEST_CASE("yaml_source: the same flat key through two spellings of the path is a duplicate") {
  std::string e = Error("a.b: 1\na:\n  b: 2\n");
  CHECK(e.find("app.yml:3:3: duplicate key a.b (also set at line 1)") != std::string::npos);
}

TEST_CASE("yaml_source: a tab in the indentation is named where it is") {
  std::string e = Error("a:\n\tb: 1\n");
  CHECK(e.find("app.yml:2:1: tab character in the indentation") != std::string::npos);
}

TEST_CASE("yaml_source: bad indentation is a syntax error with line and column") {
  std::string e = Error("a:\n  b: 1\n c: 2\n");
  CHECK(e.find("app.yml:3:2: YAML syntax error") != std::string::npos);
}

TEST_CASE("yaml_source: placeholders take the environment, then the file's keys, then the default") {
  const std::string text = "x: ${NAME_SERVER:127.0.0.1:9876}\ny: ${other.key}\nother:\n  key: v-${NAME_SERVER:d}\n";
  Source plain = Load(text);
  CHECK(Find(plain, "x")->value == "127.0.0.1:9876");
  CHECK(Find(plain, "y")->value == "v-d");
  Source env = Load(text, NoEnv({{"NAME_SERVER", "10.0.0.1:9876"}}));
  CHECK(Find(env, "x")->value == "10.0.0.1:9876");
  CHECK(Find(env, "x")->raw == "${NAME_SERVER:127.0.0.1:9876}");
  // Spring's system-environment source maps other.key to OTHER_KEY.
  Source relaxed = Load(text, NoEnv({{"OTHER_KEY", "from-env"}}));
  CHECK(Find(relaxed, "y")->value == "from-env");
}

TEST_CASE("yaml_source: a placeholder without value or default is an error") {
  std::string e = Error("a:\n  b: ${MISSING}\n");
  CHECK(e.find("app.yml:2:6: cannot resolve placeholder ${MISSING}") != std::string::npos);
}

TEST_CASE("yaml_source: later documents override, on-profile documents count only when active") {
  const std::string text =
      "a: 1\nb: 1\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\na: 2\n---\n"
      "spring.config.activate.on-profile: '!prod'\nb: 3\n";
  Source none = Load(text);
  CHECK(Find(none, "a")->value == "1");
  CHECK(Find(none, "b")->value == "3");
  CHECK(Find(none, "b")->document == 2);
  Source prod = Load(text, NoEnv({}, {"prod"}));
  CHECK(Find(prod, "a")->value == "2");
  CHECK(Find(prod, "b")->value == "1");
  Source env = Load(text, NoEnv({{"SPRING_PROFILES_ACTIVE", "dev,prod"}}));
  CHECK(Find(env, "a")->value == "2");
}

TEST_CASE("yaml_source: spring.profiles.active in the file activates a profile when none is given") {
  Source s = Load("spring.profiles.active: seed\n---\nspring.config.activate.on-profile: seed\na: 9\n");
  CHECK(Find(s, "a")->value == "9");
}

TEST_CASE("yaml_source: relaxed names share one uniform form") {
  CHECK(Uniform("max-attempts") == Uniform("maxAttempts"));
  CHECK(Uniform("max_attempts") == Uniform("MAX-ATTEMPTS"));
}

TEST_CASE("properties_source: keys, separators, continuations, escapes and #--- documents") {
  const std::string text =
      "# comment\n! also a comment\na.b=1\na.c : two\na.d three\nlong = x\\\n    y\nesc=tab\\there\n#---\n"
      "spring.config.activate.on-profile=p\na.b=2\n";
  Source s = Load(text, NoEnv(), true);
  CHECK(Find(s, "a.b")->value == "1");
  CHECK(Where(Find(s, "a.b")->at) == "app.yml:3:5");
  CHECK(Find(s, "a.c")->value == "two");
  CHECK(Find(s, "a.d")->value == "three");
  CHECK(Find(s, "long")->value == "xy");
  CHECK(Find(s, "esc")->value == "tab\there");
  Source p = Load(text, NoEnv({}, {"p"}), true);
  CHECK(Find(p, "a.b")->value == "2");
}

TEST_CASE("properties_source: a duplicate key within a document is an error") {
  std::string e = Error("a=1\nb=2\na=3\n", NoEnv(), true);
  CHECK(e.find("app.yml:3:1: duplicate key a (first at line 1") != std::string::npos);
}

}  // namespace
}  // namespace spring
