// `sagasim admin` on a broker.db that is not what a run leaves: empty, another
// program's database, damaged, not a database, still being written. Each is named
// and exits 2; none is ever written to, and a read-only state directory still works.

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "cli/process.h"
#include "testing/cli_fixtures.h"

namespace {

namespace fs = std::filesystem;

using testing::ReadFile;
using testing::SagasimSplit;
using testing::SplitOutcome;
using testing::TempDir;

// What must not change: the bytes, the mtime, and the files in the folder.
struct Snapshot {
  explicit Snapshot(const std::string& dir) {
    bytes = ReadFile(dir + "/broker.db");
    struct stat st {};
    REQUIRE(stat((dir + "/broker.db").c_str(), &st) == 0);
    mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    for (const auto& entry : fs::directory_iterator(dir)) files += entry.path().filename().string() + " ";
  }
  bool operator==(const Snapshot&) const = default;
  std::string bytes;
  long long mtime_ns = 0;
  std::string files;
};

// A kept state directory of a bundled scenario.
std::string KeptState(const TempDir& dir) {
  std::string state = dir.path + "/state";
  REQUIRE(SagasimSplit("run -q --state " + state + " " + testing::BundledScenario("retry-then-dlq.json")).exit_code == 0);
  return state;
}

SplitOutcome TopicList(const std::string& state) { return SagasimSplit("admin topic-list --state " + state); }

void Exec(const std::string& db_path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

void CheckRefusedUntouched(const std::string& state, const std::string& why) {
  Snapshot before(state);
  SplitOutcome out = TopicList(state);
  CHECK(out.exit_code == 2);
  CHECK(out.err.find(state + "/broker.db") != std::string::npos);
  CHECK(out.err.find(why) != std::string::npos);
  CHECK(out.out.empty());
  CHECK(Snapshot(state) == before);
}

TEST_CASE("admin: a 0-byte broker.db is named empty, exit 2, and stays 0 bytes") {
  TempDir dir;
  std::string state = dir.path;
  dir.Write("broker.db", "");
  CheckRefusedUntouched(state, "empty file (0 bytes)");
  CHECK(fs::file_size(state + "/broker.db") == 0);
}

TEST_CASE("admin: another program's database is named as such, exit 2, unchanged") {
  TempDir dir;
  Exec(dir.path + "/broker.db", "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES(1, 'a');");
  CheckRefusedUntouched(dir.path, "not a broker.db of sagasim: no table");
  CHECK(TopicList(dir.path).err.find("(it has users)") != std::string::npos);
}

TEST_CASE("admin: a broker.db whose table lost a column is named, exit 2") {
  TempDir dir;
  std::string state = KeptState(dir);
  Exec(state + "/broker.db", "ALTER TABLE topic DROP COLUMN perm;");
  CheckRefusedUntouched(state, "table topic has columns (name, queues), expected (name, queues, perm)");
}

TEST_CASE("admin: a file that is not a database is named, exit 2") {
  TempDir dir;
  dir.Write("broker.db", std::string(8192, 'x'));
  CheckRefusedUntouched(dir.path, "not an SQLite database");
}

TEST_CASE("admin: a damaged broker.db fails PRAGMA quick_check, exit 2, untouched") {
  TempDir dir;
  std::string state = KeptState(dir);
  std::string db = state + "/broker.db";
  REQUIRE(TopicList(state).exit_code == 0);
  // Scribble over the second half of every page but the first (the schema's), where
  // the b-tree cells of the tables live.
  std::string bytes = ReadFile(db);
  REQUIRE(bytes.size() >= 3 * 4096);
  for (size_t page = 4096; page + 4096 <= bytes.size(); page += 4096)
    for (size_t i = page + 8; i < page + 4096; ++i) bytes[i] = static_cast<char>(0xA5);
  std::ofstream(db, std::ios::binary | std::ios::trunc) << bytes;
  CheckRefusedUntouched(state, "damaged");
}

TEST_CASE("admin: a broker.db with a -wal beside it (a run still writing, or killed) is not read") {
  TempDir dir;
  std::string state = KeptState(dir);
  dir.Write("state/broker.db-wal", "");
  CheckRefusedUntouched(state, "has a -wal file beside it");
}

TEST_CASE("admin: a good broker.db in a read-only folder is shown, and nothing is written") {
  TempDir dir;
  std::string state = KeptState(dir);
  Snapshot before(state);
  REQUIRE(chmod(state.c_str(), 0555) == 0);
  REQUIRE(chmod((state + "/broker.db").c_str(), 0444) == 0);
  SplitOutcome out = TopicList(state);
  SplitOutcome dlq = SagasimSplit("admin dlq --state " + state + " -g stock-consumer-group-orderCreatedConsumer-in-0");
  REQUIRE(chmod(state.c_str(), 0755) == 0);
  CHECK(out.exit_code == 0);
  CHECK(out.out.find("%DLQ%stock-consumer-group-orderCreatedConsumer-in-0") != std::string::npos);
  CHECK(dlq.exit_code == 0);
  CHECK(dlq.out.find("7F000001000000000000000000000001") != std::string::npos);
  // The tests run as root, for whom chmod forbids nothing: what shows that admin
  // opened the file read-only is that no byte, no mtime and no -wal/-shm changed.
  CHECK(Snapshot(state) == before);
}

}  // namespace
