#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

namespace cli {

struct AdminOptions {
  std::string view;        // topic-list, topic-status, consumer-progress, query-msg, dlq
  std::string state_dir;
  std::string topic;       // -t
  std::string group;       // -g
  std::string msg_id;      // -i
};

// `sagasim admin VIEW --state DIR`: reads a run's broker.db the way mqadmin reads a
// cluster. Virtual times print as dates from 2026-01-01 00:00:00 UTC.
void RegisterAdminCommand(CLI::App& app, int* exit_code);
// Writes the view to `out`; errors go to stderr. Returns the exit code.
int RunAdmin(const AdminOptions& options, std::FILE* out);

}  // namespace cli
