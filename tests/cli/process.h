#pragma once

// Running the sagasim binary with stdout and stderr apart, bounded in time, and in the
// background (to send it signals). For the CLI tests of hostile input and conventions.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

extern char** environ;

namespace testing {

struct SplitOutcome {
  int exit_code;      // -1 when killed by a signal; 124 when `timeout` stopped it
  std::string out;    // stdout
  std::string err;    // stderr
};

// Runs `sagasim ARGS` (ARGS as a shell would split them) with at most 120 s, so a
// regression that hangs (a FIFO read) fails instead of blocking the suite.
inline SplitOutcome SagasimSplit(const std::string& args, const std::string& env = "") {
  TempDir dir;
  std::string err_file = dir.path + "/stderr";
  std::string cmd = env + (env.empty() ? "" : " ") + "timeout -k 5 120 " + SAGASIM_BINARY + " " + args +
                    " 2>" + err_file + " </dev/null";
  SplitOutcome out{-1, "", ""};
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.out.append(buf, n);
  int status = pclose(p);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out.err = ReadFile(err_file);
  return out;
}

// `sagasim ARGS...` started in the background with extra environment entries
// ("TMPDIR=/x"), its stdout and stderr into files.
class Background {
 public:
  Background(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& out_file,
             const std::string& err_file) {
    std::vector<std::string> argv_text = {SAGASIM_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text(env);
    for (char** e = environ; *e; ++e) env_text.push_back(*e);
    std::vector<char*> envp;
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
  }
  ~Background() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  void Signal(int signal) const { REQUIRE(kill(pid_, signal) == 0); }
  // Waits for the exit; returns the exit code, or -1 when a signal ended it.
  int Wait() {
    int status = 0;
    REQUIRE(waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace testing
