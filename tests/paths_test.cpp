// Which files a command may open or write (issue 14, round 2): outputs never
// replace the live database, its sidecars or the synced tracker; inputs are
// regular files of bounded size; every write, stdout included, is checked.
#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "recall/error.h"
#include "recall/files.h"
#include "recall/paths.h"
#include "recall/stats.h"
#include "recall/store.h"
#include "support.h"

namespace fs = std::filesystem;
using recall::test::integrity;
using recall::test::one_error_line;
using recall::test::read_bytes;
using recall::test::RecallProcess;
using recall::test::review_count;
using recall::test::run_raw;
using recall::test::run_recall;
using recall::test::RunResult;
using recall::test::TempDir;
using recall::test::wait_for_reviews;
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

void expect_error(const RunResult& result, int code, const std::string& mentions) {
  INFO("stderr: " << result.err << "stdout: " << result.out.substr(0, 200));
  CHECK(result.exit_code == code);
  CHECK(one_error_line(result.err));
  CHECK(result.err.find(mentions) != std::string::npos);
}

// Runs a shell command line; $RECALL is the binary.
int shell(const std::string& line) {
  const std::string command = "RECALL='" + std::string(RECALL_BINARY) + "'; " + line;
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("an output path is refused when it is the database, a sidecar or the tracker",
          "[paths]") {
  TempDir dir;
  recall::ProtectedFiles files{dir.file("k.db"), {dir.file("tracker.md")}};
  write_bytes(files.database, "db");
  write_bytes(dir.file("tracker.md"), "tracker");
  fs::create_directories(dir.file("sub"));
  fs::create_symlink(files.database, dir.file("link.db"));
  fs::create_symlink(dir.file("k.db-wal"), dir.file("dangling"));  // the -wal does not exist yet
  for (const std::string& output :
       {files.database, dir.file("sub/../k.db"), dir.file("link.db"), dir.file("k.db-wal"),
        dir.file("k.db-shm"), dir.file("k.db-journal"), dir.file("dangling"),
        dir.file("tracker.md"), dir.file("sub")}) {
    INFO(output);
    CHECK_THROWS_AS(recall::refuse_protected_output("test", output, files), recall::Error);
  }
  // A symlinked database: SQLite names the sidecars after the target.
  const recall::ProtectedFiles linked{dir.file("link.db"), {}};
  CHECK_THROWS_AS(recall::refuse_protected_output("test", dir.file("k.db-wal"), linked),
                  recall::Error);
  CHECK_NOTHROW(recall::refuse_protected_output("test", dir.file("k.db.html"), files));
  CHECK_NOTHROW(recall::refuse_protected_output("test", dir.file("sub/k.db-wal"), files));
}

TEST_CASE("report -o never writes over the database, its sidecars or the tracker", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string tracker = read_bytes(dir.file("tracker.md"));
  fs::create_symlink(db, dir.file("alias.db"));
  for (const std::string& output : {db, db + "-wal", db + "-shm", db + "-journal",
                                    dir.file("alias.db"), dir.file("tracker.md")}) {
    expect_error(run_recall(db, {"--today", kToday, "report", "-o", output, "--force"}), 2, output);
    CHECK(integrity(db) == "ok");
  }
  CHECK(read_bytes(dir.file("tracker.md")) == tracker);
  CHECK(!fs::exists(dir.file("tracker.md.bak")));
  CHECK(!fs::exists(db + "-journal"));
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("report -o asks for --force before replacing a file that is not a report", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string notes = dir.file("notes.html");
  write_bytes(notes, "<p>my own notes</p>\n");
  expect_error(run_recall(db, {"--today", kToday, "report", "-o", notes}), 2, "--force");
  CHECK(read_bytes(notes) == "<p>my own notes</p>\n");

  auto forced = run_recall(db, {"--today", kToday, "report", "-o", notes, "--force"});
  CHECK(forced.exit_code == 0);
  CHECK(recall::is_report_html(read_bytes(notes)));
  // An earlier report is replaced without asking, also one from before the marker.
  CHECK(run_recall(db, {"--today", kToday, "report", "-o", notes}).exit_code == 0);
  write_bytes(
      notes,
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>recall report 2026-01-01</title>");
  CHECK(run_recall(db, {"--today", kToday, "report", "-o", notes}).exit_code == 0);
  CHECK(read_bytes(notes).find("<!-- generated by recall report -->") != std::string::npos);
  expect_error(run_recall(db, {"--today", kToday, "report", "-o", "/dev/full"}), 2,
               "character device");
}

TEST_CASE("backup refuses the -wal of a database in use and the tracker", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  recall::test::drill_drafts(db);
  RecallProcess drill({"--db", db, "--today", kToday, "review"});
  drill.write("5\n4\n");
  wait_for_reviews(db, 2);
  REQUIRE(fs::exists(db + "-wal"));
  for (const std::string& output : {db + "-wal", db + "-shm", dir.file("tracker.md")})
    expect_error(run_recall(db, {"backup", output}), 2, output);
  drill.write("3\n");
  wait_for_reviews(db, 3);
  CHECK(drill.wait_exit() == 0);
  CHECK(integrity(db) == "ok");
  CHECK(review_count(db) == 3);
  CHECK(read_bytes(dir.file("tracker.md")) == read_bytes(recall::test::fixture_path()));
}

TEST_CASE("a killed backup's temporary is removed by the next backup", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  REQUIRE(::waitpid(gone, nullptr, 0) == gone);  // reaped: no process has this pid now
  const std::string stale = dir.file(".copy.db.recall-backup-" + std::to_string(gone));
  const std::string live = dir.file(".copy.db.recall-backup-" + std::to_string(::getpid()));
  write_bytes(stale, "half a copy");
  write_bytes(stale + "-journal", "its journal");
  write_bytes(live, "a backup still running");
  const auto result = run_recall(db, {"backup", dir.file("copy.db")});
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(integrity(dir.file("copy.db")) == "ok");
  CHECK(!fs::exists(stale));
  CHECK(!fs::exists(stale + "-journal"));
  CHECK(read_bytes(live) == "a backup still running");  // its owner is alive
}

TEST_CASE("import, sync and deck refuse a FIFO or a device at once, and cap the size", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string fifo = dir.file("pipe.md");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // `timeout`: before the fix the FIFO blocked forever and /dev/zero filled memory.
  const std::string env = "timeout 20";
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--db", db, "import", fifo},
                                             {"--db", db, "--today", kToday, "sync", fifo},
                                             {"--db", db, "deck", "generate", fifo}})
    expect_error(run_raw(args, "", env), 1, "FIFO");
  expect_error(run_raw({"--db", db, "import", "/dev/zero"}, "", env), 1, "character device");

  const std::string huge = dir.file("huge.md");
  write_bytes(huge, "");
  fs::resize_file(huge, recall::kMaxTextFileBytes + 1);  // sparse: nothing written to disk
  expect_error(run_recall(db, {"import", huge}), 1, "64 MiB");
  CHECK_THROWS_WITH(recall::read_file(huge),
                    Catch::Contains(huge) && Catch::Contains("larger than"));
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

TEST_CASE("a failed write to stdout exits 1 with the reason", "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string err = dir.file("err");
  const std::string tracker = recall::test::fixture_path();
  for (const std::string& args : {"deck generate '" + tracker + "'", std::string("cards --json"),
                                  std::string("check --json")}) {
    INFO(args);
    CHECK(shell("$RECALL --db '" + db + "' " + args + " > /dev/full 2> '" + err + "'") == 1);
    CHECK(read_bytes(err) == "recall: stdout: No space left on device\n");
  }
}

TEST_CASE("deck generate -o past the file-size limit fails and leaves no short deck", "[paths]") {
  TempDir dir;
  const std::string deck = dir.file("out.deck.md");
  const std::string err = dir.file("err");
  const int code = shell("ulimit -f 40; $RECALL --db '" + dir.file("r.db") + "' deck generate '" +
                         recall::test::fixture_path() + "' -o '" + deck + "' 2> '" + err + "'");
  CHECK(code == 1);
  CHECK(read_bytes(err).find(deck) != std::string::npos);
  CHECK(!fs::exists(deck));
  CHECK(!fs::exists(dir.file("r.db")));  // generating a deck opens no database
}

TEST_CASE("deck generate -o refuses the database, its source and, without --force, other files",
          "[paths]") {
  TempDir dir;
  const std::string db = imported(dir);
  const std::string tracker = dir.file("tracker.md");
  const std::string before = read_bytes(tracker);
  expect_error(run_recall(db, {"deck", "generate", tracker, "-o", db, "--force"}), 2, db);
  expect_error(run_recall(db, {"deck", "generate", tracker, "-o", tracker, "--force"}), 2, tracker);
  write_bytes(dir.file("other.md"), "# not a deck\n");
  expect_error(run_recall(db, {"deck", "generate", tracker, "-o", dir.file("other.md")}), 1,
               "--force");
  CHECK(read_bytes(dir.file("other.md")) == "# not a deck\n");
  CHECK(run_recall(db, {"deck", "generate", tracker, "-o", dir.file("other.md"), "--force"})
            .exit_code == 0);
  CHECK(run_recall(db, {"deck", "generate", tracker, "-o", dir.file("other.md")}).exit_code == 0);
  CHECK(read_bytes(tracker) == before);
  CHECK(integrity(db) == "ok");
}
