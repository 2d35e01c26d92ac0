// How `recall sync` replaces the user's tracker (issue 14, findings 6-9):
// symlinks, mode, owner and hard links kept or reported; unique temporary
// files and one sync at a time per folder; a sync killed at any step is
// finished or redone, never applied twice; an edit made during a sync is
// never lost.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "recall/day.h"
#include "recall/error.h"
#include "recall/feedback.h"
#include "recall/store.h"
#include "support.h"

using recall::SyncStep;
using recall::test::backups_of;
using recall::test::mode_of;
using recall::test::newest_backup_of;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::waits_for_lock;
using recall::test::write_bytes;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToday = "2026-11-21";
constexpr const char* kStepped =
    "| **A.3 Gradient Descent & Optimization - Logistic Regression** | 2026-02-02 | Medium-High |";

std::vector<long long> card_ids(const std::string& db, const std::string& label) {
  const std::string out = run_recall(db, {"cards", "--topic", label, "--json"}).out;
  std::vector<long long> ids;
  const std::string marker = "{\"id\":";
  for (auto at = out.find(marker); at != std::string::npos; at = out.find(marker, at + 1))
    ids.push_back(std::stoll(out.substr(at + marker.size())));
  return ids;
}

// Imports the fixture through `tracker` and fails every A.3 card on two
// days: enough evidence for one sync to step both A.3 topics down a level
// (High -> Medium-High), and for a second application to step them again.
void prepare(const std::string& db, const std::string& tracker) {
  REQUIRE(run_recall(db, {"--today", "2026-11-19", "import", tracker}).exit_code == 0);
  const auto ids = card_ids(db, "A.3");
  REQUIRE(ids.size() >= 3);
  for (const char* day : {"2026-11-20", "2026-11-21"})
    for (long long id : ids)
      REQUIRE(run_recall(db, {"--today", day, "answer", std::to_string(id), "1"}).exit_code == 0);
}

std::string fixture() { return read_bytes(recall::test::fixture_path()); }

// What one uninterrupted sync of the prepared fixture writes.
const std::string& reference_text() {
  static const std::string text = [] {
    TempDir dir;
    write_bytes(dir.file("t.md"), fixture());
    prepare(dir.file("r.db"), dir.file("t.md"));
    REQUIRE(run_recall(dir.file("r.db"), {"--today", kToday, "sync", dir.file("t.md")}).exit_code ==
            0);
    return read_bytes(dir.file("t.md"));
  }();
  return text;
}

// A database prepared once, copied into each scenario (replaying the
// answers through the binary for every scenario would be slow).
const std::string& prepared_database() {
  static TempDir dir;
  static const std::string db = [] {
    write_bytes(dir.file("t.md"), fixture());
    prepare(dir.file("r.db"), dir.file("t.md"));
    return dir.file("r.db");
  }();
  return db;
}

// A prepared tracker `t.md` in a fresh folder.
struct Scenario {
  TempDir dir;
  std::string db = dir.file("r.db"), tracker = dir.file("t.md");
  Scenario() {
    write_bytes(tracker, fixture());
    fs::copy_file(prepared_database(), db);
  }
};

recall::test::RunResult run_sync(const std::string& db, const std::string& tracker) {
  return run_recall(db, {"--today", kToday, "sync", tracker});
}

std::set<std::string> names_in(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
}

// Runs sync_tracker in a child process that ends with _exit at `step`, as a
// kill would: no destructor, no rollback. Returns the child's exit code.
int sync_killed_at(const std::string& db, const std::string& tracker, SyncStep step) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    try {
      recall::Store store(db);
      recall::SyncOptions options;
      options.at_step = [&](SyncStep at) {
        if (at == step) ::_exit(9);
      };
      recall::sync_tracker(store, tracker, *recall::parse_day(kToday), options);
      ::_exit(0);
    } catch (...) {
      ::_exit(3);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// `recall ARGS` started in the background, its output in files.
struct Background {
  TempDir io;
  pid_t pid = -1;
  explicit Background(const std::vector<std::string>& args) {
    pid = ::fork();
    if (pid == 0) {
      const int out = ::open(io.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(io.file("err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(err, 2);
      std::vector<std::string> storage = {RECALL_BINARY};
      storage.insert(storage.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& arg : storage) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  bool exited(int& code) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) != pid) return false;
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    pid = -1;
    return true;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ~Background() {
    if (pid > 0) wait();
  }
};

void expect_changed_on_disk(const std::function<void()>& run) {
  try {
    run();
    FAIL("sync replaced a tracker edited meanwhile");
  } catch (const recall::Error& e) {
    CHECK(e.kind() == recall::ErrorKind::kIo);
    CHECK_THAT(e.what(), Catch::Contains("changed on disk since sync read it"));
  }
}

}  // namespace

TEST_CASE("the reference sync steps the A.3 confidences once", "[sync-safety]") {
  CHECK_THAT(reference_text(), Catch::Contains(kStepped));
}

TEST_CASE("sync writes through a symlinked tracker to its target", "[sync-safety]") {
  TempDir dir;
  fs::create_directory(dir.path() / "real");
  const std::string link = dir.file("link.md"), target = dir.file("real/t.md");
  write_bytes(target, fixture());
  fs::create_symlink("real/t.md", link);  // relative, as `ln -s` makes it
  prepare(dir.file("r.db"), link);
  const auto result = run_sync(dir.file("r.db"), link);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == "real/t.md");
  CHECK(read_bytes(target) == reference_text());
  // The previous text is in recall's backups, never beside the tracker.
  const auto backups = backups_of(target);
  REQUIRE(backups.size() == 1);
  CHECK(read_bytes(backups[0]) == fixture());
  CHECK_THAT(result.out, Catch::Contains("previous version kept in " + backups[0]));
  CHECK(names_in(dir.path()) == std::set<std::string>{"link.md", "real", "r.db"});
  CHECK(names_in(dir.path() / "real") == std::set<std::string>{"t.md"});
}

TEST_CASE("sync keeps the tracker's mode on the new file, its backup is private", "[sync-safety]") {
  for (const mode_t mode : {mode_t{0600}, mode_t{0664}, mode_t{0640}}) {
    Scenario s;
    write_bytes(s.tracker + ".bak", "the user's own file\n");
    ::chmod((s.tracker + ".bak").c_str(), 0644);
    ::chmod(s.tracker.c_str(), mode);
    INFO("mode " << std::oct << mode);
    REQUIRE(run_sync(s.db, s.tracker).exit_code == 0);
    CHECK(read_bytes(s.tracker) == reference_text());
    CHECK(mode_of(s.tracker) == mode);
    CHECK(read_bytes(s.tracker + ".bak") == "the user's own file\n");  // not recall's
    CHECK(mode_of(s.tracker + ".bak") == 0644);
    REQUIRE(backups_of(s.tracker).size() == 1);
    CHECK(mode_of(backups_of(s.tracker)[0]) == 0600);
  }
}

TEST_CASE("sync never writes through a planted TRACKER.bak symlink", "[sync-safety]") {
  Scenario s;
  const std::string victim = s.dir.file("victim.txt");
  write_bytes(victim, "export PATH=/usr/bin\n");
  ::chmod(victim.c_str(), 0755);
  fs::create_symlink(victim, s.tracker + ".bak");
  const auto result = run_sync(s.db, s.tracker);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(read_bytes(s.tracker) == reference_text());
  CHECK(read_bytes(victim) == "export PATH=/usr/bin\n");
  CHECK(mode_of(victim) == 0755);
  CHECK(fs::read_symlink(s.tracker + ".bak") == victim);
  REQUIRE(backups_of(s.tracker).size() == 1);
  CHECK(read_bytes(backups_of(s.tracker)[0]) == fixture());
}

TEST_CASE("sync keeps the tracker's owner and group on the new file", "[sync-safety]") {
  if (::geteuid() != 0) {
    WARN("not running as root: cannot give the tracker another owner");
    return;
  }
  Scenario s;
  REQUIRE(::chown(s.tracker.c_str(), 4321, 4322) == 0);
  REQUIRE(run_sync(s.db, s.tracker).exit_code == 0);
  CHECK(read_bytes(s.tracker) == reference_text());
  for (const std::string& path : {s.tracker}) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK(info.st_uid == 4321);
    CHECK(info.st_gid == 4322);
  }
}

TEST_CASE("sync says that other hard links keep the previous text", "[sync-safety]") {
  Scenario s;
  const std::string other = s.dir.file("other-name.md");
  fs::create_hard_link(s.tracker, other);
  const auto result = run_sync(s.db, s.tracker);
  REQUIRE(result.exit_code == 0);
  CHECK(result.err == "recall: " + s.tracker +
                          ": had 1 other hard link; it still holds the previous "
                          "text (sync replaces the file, giving it a new inode)\n");
  CHECK(read_bytes(s.tracker) == reference_text());
  CHECK(read_bytes(other) == fixture());
}

TEST_CASE("a symlink planted at a temporary name is not followed", "[sync-safety]") {
  Scenario s;
  const std::string victim = s.dir.file("victim.txt");
  write_bytes(victim, "not recall's file\n");
  fs::create_symlink(victim, s.tracker + ".recall-tmp");
  REQUIRE(run_sync(s.db, s.tracker).exit_code == 0);
  CHECK(read_bytes(victim) == "not recall's file\n");
  CHECK_FALSE(fs::is_symlink(s.tracker));
  CHECK(read_bytes(s.tracker) == reference_text());
  CHECK(fs::read_symlink(s.tracker + ".recall-tmp") == victim);
  CHECK(names_in(s.dir.path()) ==
        std::set<std::string>{"r.db", "t.md", "t.md.recall-tmp", "victim.txt"});
}

TEST_CASE("a second sync of the same tracker waits for the first", "[sync-safety]") {
  Scenario s;
  std::unique_ptr<Background> second;
  int second_code = -1;
  bool second_done = false;
  {
    recall::Store store(s.db);
    recall::SyncOptions options;
    options.at_step = [&](SyncStep at) {
      if (at != SyncStep::kBeforeReplace) return;
      // The first sync holds the tracker: start another and let it run until
      // it either finishes or is seen waiting for the lock.
      second = std::make_unique<Background>(
          std::vector<std::string>{"--db", s.db, "--today", kToday, "sync", s.tracker});
      for (int i = 0; i < 1000 && !second_done && !waits_for_lock(second->pid); ++i) {
        second_done = second->exited(second_code);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    };
    const auto result = recall::sync_tracker(store, s.tracker, *recall::parse_day(kToday), options);
    CHECK(result.written);
  }
  CHECK_FALSE(second_done);  // it did not run while the first held the tracker
  if (!second_done) second_code = second->wait();
  CHECK(second_code == 0);
  CHECK(read_bytes(second->io.file("err")) ==
        "recall: " + s.tracker + ": another recall is writing in its folder; waiting for it\n");
  // It ran after the first had recorded its evidence: nothing left to apply.
  CHECK_THAT(read_bytes(second->io.file("out")),
             Catch::StartsWith("no review evidence since the last sync"));
  CHECK(read_bytes(s.tracker) == reference_text());
  CHECK(read_bytes(newest_backup_of(s.tracker)) == fixture());
  CHECK(names_in(s.dir.path()) == std::set<std::string>{"r.db", "t.md"});
}

TEST_CASE("a sync killed after the rename is finished, not applied again", "[sync-safety]") {
  Scenario s;
  REQUIRE(sync_killed_at(s.db, s.tracker, SyncStep::kReplaced) == 9);
  REQUIRE(read_bytes(s.tracker) == reference_text());
  const auto next = run_sync(s.db, s.tracker);
  INFO(next.err);
  REQUIRE(next.exit_code == 0);
  CHECK_THAT(next.err, Catch::Contains("the last sync was interrupted after writing"));
  CHECK_THAT(next.out, Catch::StartsWith("no review evidence since the last sync"));
  CHECK(read_bytes(s.tracker) == reference_text());
  CHECK(read_bytes(newest_backup_of(s.tracker)) == fixture());
}

TEST_CASE("a sync killed after the rename, then an edit: the next sync says it cannot tell",
          "[sync-safety]") {
  Scenario s;
  REQUIRE(sync_killed_at(s.db, s.tracker, SyncStep::kReplaced) == 9);
  write_bytes(s.tracker, reference_text() + "\nA note the tutor added.\n");
  const auto next = run_sync(s.db, s.tracker);
  REQUIRE(next.exit_code == 0);
  CHECK_THAT(next.err, Catch::Contains("the last sync was interrupted and the file changed since"));
  // The pending record is gone: the sync after it is an ordinary one.
  CHECK(run_sync(s.db, s.tracker).err.empty());
}

TEST_CASE("a sync killed before the rename is done again once", "[sync-safety]") {
  for (const SyncStep step : {SyncStep::kPendingRecorded, SyncStep::kBackupWritten,
                              SyncStep::kBeforeReplace, SyncStep::kAfterCheck}) {
    Scenario s;
    INFO("killed at step " << static_cast<int>(step));
    REQUIRE(sync_killed_at(s.db, s.tracker, step) == 9);
    REQUIRE(read_bytes(s.tracker) == fixture());
    const auto next = run_sync(s.db, s.tracker);
    INFO(next.err);
    REQUIRE(next.exit_code == 0);
    CHECK(next.err.empty());
    CHECK_THAT(next.out, Catch::StartsWith("synced "));
    CHECK(read_bytes(s.tracker) == reference_text());
    CHECK(read_bytes(newest_backup_of(s.tracker)) == fixture());
  }
}

TEST_CASE("an edit made while sync writes is kept, whenever it lands", "[sync-safety]") {
  const std::string edited = fixture() + "\nA note the tutor added.\n";
  const auto in_place = [&](const std::string& tracker) { write_bytes(tracker, edited); };
  const auto by_rename = [&](const std::string& tracker) {  // as editors save
    write_bytes(tracker + ".editor-tmp", edited);
    fs::rename(tracker + ".editor-tmp", tracker);
  };
  for (const SyncStep step : {SyncStep::kBeforeReplace, SyncStep::kAfterCheck}) {
    for (const bool rename : {false, true}) {
      Scenario s;
      INFO("edit at step " << static_cast<int>(step) << (rename ? " by rename" : " in place"));
      {
        recall::Store store(s.db);
        recall::SyncOptions options;
        options.at_step = [&](SyncStep at) {
          if (at == step) rename ? by_rename(s.tracker) : in_place(s.tracker);
        };
        expect_changed_on_disk(
            [&] { recall::sync_tracker(store, s.tracker, *recall::parse_day(kToday), options); });
      }
      CHECK(read_bytes(s.tracker) == edited);
      CHECK(names_in(s.dir.path()) == std::set<std::string>{"r.db", "t.md"});
      // Nothing was recorded: the next sync applies the evidence to the edit.
      REQUIRE(run_sync(s.db, s.tracker).exit_code == 0);
      CHECK(read_bytes(s.tracker) == reference_text() + "\nA note the tutor added.\n");
    }
  }
}
