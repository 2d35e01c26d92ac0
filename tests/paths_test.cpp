// Which files a command may open or write (issue 14, round 2): outputs never
// replace the live database, its sidecars or the synced tracker; inputs are
// regular files of bounded size; every write, stdout included, is checked.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "recall/error.h"
#include "recall/files.h"
#include "recall/store.h"
#include "support.h"

namespace fs = std::filesystem;
using recall::test::read_bytes;
using recall::test::RecallProcess;
using recall::test::run_raw;
using recall::test::run_recall;
using recall::test::RunResult;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

const std::string kToday = "2026-03-01";

// A database with the fixture imported from a copy in `dir` (so `sync`
// remembers dir/tracker.md).
std::string imported(const TempDir& dir) {
  write_bytes(dir.file("tracker.md"), read_bytes(recall::test::fixture_path()));
  const std::string db = dir.file("r.db");
  REQUIRE(run_recall(db, {"--today", kToday, "import", dir.file("tracker.md")}).exit_code == 0);
  return db;
}

std::string integrity(const std::string& db) {
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  connection.setBusyTimeout(10000);
  return connection.execAndGet("PRAGMA integrity_check").getString();
}

long long review_count(const std::string& db) {
  SQLite::Database connection(db, SQLite::OPEN_READONLY);
  connection.setBusyTimeout(10000);
  return connection.execAndGet("SELECT COUNT(*) FROM reviews").getInt64();
}

void wait_for_reviews(const std::string& db, long long at_least) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (review_count(db) < at_least) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool one_line(const std::string& err) {
  return err.rfind("recall: ", 0) == 0 && err.find('\n') == err.size() - 1;
}

void expect_error(const RunResult& result, int code, const std::string& mentions) {
  INFO("stderr: " << result.err << "stdout: " << result.out.substr(0, 200));
  CHECK(result.exit_code == code);
  CHECK(one_line(result.err));
  CHECK(result.err.find(mentions) != std::string::npos);
}

// Runs a shell command line; $RECALL is the binary.
int shell(const std::string& line) {
  const std::string command = "RECALL='" + std::string(RECALL_BINARY) + "'; " + line;
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("import, sync and deck refuse a FIFO or a device at once, and cap the size", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string fifo = dir.file("pipe.md");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // `timeout`: before the fix the FIFO blocked forever and /dev/zero filled memory.
  const std::string env = "timeout 20";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--db", db, "import", fifo}, {"--db", db, "--today", kToday, "sync", fifo},
           {"--db", db, "deck", "generate", fifo}})
    expect_error(run_raw(args, "", env), 1, "FIFO");
  expect_error(run_raw({"--db", db, "import", "/dev/zero"}, "", env), 1, "character device");

  const std::string huge = dir.file("huge.md");
  write_bytes(huge, "");
  fs::resize_file(huge, recall::kMaxTextFileBytes + 1);  // sparse: nothing written to disk
  expect_error(run_recall(db, {"import", huge}), 1, "64 MiB");
  CHECK_THROWS_WITH(recall::read_file(huge), Catch::Contains(huge) && Catch::Contains("larger than"));
  CHECK(recall::read_file_head(huge, 4) == std::string(4, '\0'));
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("a --db path that is not a regular file is refused before SQLite opens it", "[paths]") {
  TempDir dir;
  fs::create_symlink("/dev/null", dir.file("null.db"));
  expect_error(run_recall(dir.file("null.db"), {"init"}), 1, "character device");
  const std::string fifo = dir.file("fifo.db");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  expect_error(run_raw({"--db", fifo, "due"}, "", "timeout 20"), 1, "FIFO");
  CHECK(!fs::exists(fifo + "-journal"));
  CHECK(!fs::exists(dir.file("null.db-journal")));
  CHECK_THROWS_WITH(recall::Store(fifo), Catch::Contains("FIFO"));
}
