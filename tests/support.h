// Test helpers: temporary folders, fixture paths, and running the real
// `recall` binary end to end (arguments, stdin, stdout, stderr, exit code).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "recall/cards.h"

namespace recall::test {

// A fresh folder under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string source_path(const std::string& relative);  // under the repo root
// recall's backups of the file `path` (symlinks followed by the caller),
// oldest first. Tests keep backups in a temporary XDG_STATE_HOME of their own.
std::vector<std::string> backups_of(const std::string& path);
std::string newest_backup_of(const std::string& path);  // "" when there is none
std::string fixture_path();                             // tests/data/ml-study-tracker.md
// SQL taking a current database's schema back a version, for the tests of
// the upgrades (run the newer first): schema 11's topic evidence (with the
// indexes of 12, 13 and 14 and the column of 15), schema
// 10's kept memory, tallies, triggers and index, then schema 9's
// review-pass columns and indexes.
inline constexpr const char* kUndoSchema11 =
    // Schemas 12, 13 and 14's indexes (cards_source; cards_ready and
    // cards_topic_ready; cards_topic_counts) first: their columns go with the
    // older versions.
    "DROP INDEX IF EXISTS cards_source; DROP INDEX IF EXISTS cards_ready;"
    "DROP INDEX IF EXISTS cards_topic_ready;"
    "DROP INDEX cards_topic_counts;"
    "ALTER TABLE gap_cards DROP COLUMN tutor;"
    "DROP TRIGGER topic_answers_recount; DROP TRIGGER topics_answers_row;"
    "DROP TRIGGER reviews_topic_insert; DROP TRIGGER reviews_topic_delete;"
    "DROP TRIGGER cards_topic_moved; DROP TRIGGER cards_topic_deleted;"
    "DROP TRIGGER settings_baseline_insert; DROP TRIGGER settings_baseline_update;"
    "DROP TRIGGER settings_baseline_delete; DROP TABLE topic_answers;";
inline constexpr const char* kUndoSchema10 =
    "DROP TRIGGER cards_review_tallies_delete; DROP TRIGGER cards_review_tallies_update;"
    "DELETE FROM tallies WHERE name IN ('drafts', 'flagged', 'unreviewed');"
    "DROP INDEX cards_gap_kind;"
    "ALTER TABLE cards DROP COLUMN memory_day; ALTER TABLE cards DROP COLUMN difficulty;"
    "ALTER TABLE cards DROP COLUMN stability;";
inline constexpr const char* kUndoSchema9 =
    "DROP INDEX cards_drafts; DROP INDEX cards_unreviewed;"
    "ALTER TABLE cards DROP COLUMN review_reason; ALTER TABLE cards DROP COLUMN reviewed_day;"
    "ALTER TABLE cards DROP COLUMN reviewed_as; ALTER TABLE cards DROP COLUMN reviewed_by;";
std::string read_bytes(const std::string& path);
// `text` with its first `from` replaced by `to`; REQUIREs that `from` occurs.
std::string replace_once(std::string text, const std::string& from, const std::string& to);
// Every index and trigger with its SQL, and every table's columns in order:
// a database's schema, however it was reached. `autoincrement` adds whether
// each table is AUTOINCREMENT (the one thing a table's SQL text adds to its
// columns; the text itself differs once ALTER TABLE added columns).
std::vector<std::string> schema_of(const std::string& path, bool autoincrement = false);
void write_bytes(const std::string& path, const std::string& bytes);
// The lines of `text`, without their line ends (a last line without one counts).
std::vector<std::string> lines_of(const std::string& text);
// The whole line of `text` holding `needle`; "" when there is none.
std::string line_with(const std::string& text, const std::string& needle);
// A file's permission bits (07777): `mode_of` follows a symlink,
// `own_mode_of` does not (a link reads 0777). Both REQUIRE that it exists.
unsigned mode_of(const std::string& path);
unsigned own_mode_of(const std::string& path);
// Whether process `pid` waits for a lock (a "->" line of /proc/locks).
bool waits_for_lock(pid_t pid);
// The rows of the reviews table, read with a busy wait (another process may write).
long long review_count(const std::string& db);
// Waits (up to 30 s, then fails) until `db` holds at least `at_least` reviews.
void wait_for_reviews(const std::string& db, long long at_least);
// PRAGMA integrity_check of `db` ("ok"), read with a busy wait.
std::string integrity(const std::string& db);
// Whether `err` is one line starting "recall: " (the form of every error).
bool one_error_line(const std::string& err);

// Drafts as the stored cards match_cards compares against (ids 1, 2, ...).
std::vector<ExistingCard> as_existing(const std::vector<CardDraft>& cards);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `recall --db DB ARGS...` with `input` on stdin (not a terminal).
RunResult run_recall(const std::string& db, const std::vector<std::string>& args,
                     const std::string& input = "");
// Runs the binary with exactly `args` (no --db added).
RunResult run_raw(const std::vector<std::string>& args, const std::string& input = "",
                  const std::string& env = "");
// `recall --db DB --today TODAY import` of the fixture; REQUIREs success.
void import_fixture(const std::string& db, const std::string& today);
// DIR/r.db, the fixture imported into it on `today`.
std::string imported_fixture(const TempDir& dir, const std::string& today);
// `recall --db DB config set drafts drill`; REQUIREs success. For a test of the
// drill itself, not of the review pass: almost every card a tracker gives is
// flagged (only formula blanks are trusted, docs/cards.md), and a learner
// without a tutor drills them anyway with this setting.
void drill_drafts(const std::string& db);
// Flags every card of DB `review`, a trusted rule's too: for a test whose
// premise is that every card waits for the review pass.
void flag_every_card(const std::string& db);

// A card of `recall cards --topic LABEL --json`: its id and source.
struct CardRef {
  long long id;
  std::string source;
};
std::vector<CardRef> topic_cards(const std::string& db, const std::string& label);

// A `recall` process fed through a pipe (stdout and stderr discarded), for
// crash tests: write answer lines, then SIGKILL it mid-session.
class RecallProcess {
 public:
  explicit RecallProcess(const std::vector<std::string>& args);  // args after the binary
  ~RecallProcess();  // SIGKILL and reap when still running
  RecallProcess(const RecallProcess&) = delete;
  RecallProcess& operator=(const RecallProcess&) = delete;
  void write(const std::string& text);
  void kill_hard();  // SIGKILL, then wait for it
  int wait_exit();   // closes stdin, waits; the exit code

 private:
  int pid_ = -1;
  int stdin_fd_ = -1;
};

}  // namespace recall::test
