#pragma once

// Running the sagasim binary as a user would, and temporary folders, for CLI tests.

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

namespace testing {

struct Outcome {
  int exit_code;
  std::string output;  // stdout and stderr
};

// Runs `sagasim ARGS` and returns its exit code and output.
inline Outcome Sagasim(const std::string& args) {
  std::string cmd = std::string(SAGASIM_BINARY) + " " + args + " 2>&1";
  Outcome out{-1, ""};
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.output.append(buf, n);
  int status = pclose(p);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

inline std::string BundledScenario(const std::string& name) {
  return std::string(SAGASIM_SOURCE_DIR) + "/scenarios/" + name;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A temporary folder for one test, removed afterwards.
struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sagasim-test-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string Write(const std::string& name, const std::string& text) const {
    std::string file = (std::filesystem::path(path) / name).string();
    std::ofstream(file) << text;
    return file;
  }
  std::string path;
};

}  // namespace testing
