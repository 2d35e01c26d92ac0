// The store's open and upgrade path and its settings: one SQLite database
// per Store, made from schema.sql and taken up to kSchemaVersion one step at
// a time. The other concerns live beside it: store_cards.cpp (cards, topics,
// gaps as read and edited), store_reviews.cpp (answers and undo),
// store_queue.cpp (gathering the queue), store_import.cpp (applying an
// import), store_feedback.cpp, store_stats.cpp and store_check.cpp.
#include "recall/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "recall/error.h"
#include "recall/files.h"
#include "store_impl.h"

namespace recall::detail {
extern const char* const kSchemaSql;
}

namespace recall {

std::string_view to_string(ReviewKind kind) {
  switch (kind) {
    case ReviewKind::kRedrill:
      return "redrill";
    case ReviewKind::kTutor:
      return "tutor";
    case ReviewKind::kReview:
      break;
  }
  return "review";
}

std::string_view to_string(ReviewSource source) {
  switch (source) {
    case ReviewSource::kTutor:
      return "tutor";
    case ReviewSource::kPhone:
      return "phone";
    case ReviewSource::kDrill:
      break;
  }
  return "drill";
}

using namespace store_detail;

namespace {

// Upgrade steps: kUpgrades[v - 1] takes a database from version v to v + 1.
// A step changes what exists (columns, redefined indexes, backfills); then
// schema.sql, all IF NOT EXISTS, creates every object still missing. A new
// version appends its step here, bumps Store::kSchemaVersion and adds its
// objects to schema.sql (which creates a new database at once).
constexpr const char* kUpgrades[] = {
    // 1 -> 2: new cards are found topic by topic in domain-weight, tracker
    // order (index topics_domain_order, from schema.sql).
    "",
    // 2 -> 3: each card's last two failure days and whether it is linked to
    // an open gap, kept by triggers, backfilled here. Indexes redefined to
    // cover what the queue reads: cards_due (review order), cards_new and
    // cards_topic_new (new cards), reviews_day (today's answers, a window's
    // failures; reviews_failures is gone: one index less per answer). A
    // tally of new cards (schema.sql creates and fills it).
    "ALTER TABLE cards ADD COLUMN fail_last INTEGER;"
    "ALTER TABLE cards ADD COLUMN fail_prev INTEGER;"
    "ALTER TABLE cards ADD COLUMN gap_open INTEGER NOT NULL DEFAULT 0;"
    "UPDATE cards SET gap_open = 1 WHERE id IN (SELECT gc.card_id FROM gap_cards gc"
    "  JOIN gaps g ON g.id = gc.gap_id WHERE g.tier IN ('high', 'medium'));"
    "WITH failed AS (SELECT DISTINCT card_id, day FROM reviews WHERE grade < 3),"
    "     ranked AS (SELECT card_id, day,"
    "                  ROW_NUMBER() OVER (PARTITION BY card_id ORDER BY day DESC) AS n FROM failed)"
    "UPDATE cards SET fail_last = f.last, fail_prev = f.prev"
    "  FROM (SELECT card_id, MAX(CASE WHEN n = 1 THEN day END) AS last,"
    "               MAX(CASE WHEN n = 2 THEN day END) AS prev"
    "          FROM ranked WHERE n <= 2 GROUP BY card_id) AS f"
    "  WHERE cards.id = f.card_id;"
    "DROP INDEX IF EXISTS cards_due;"
    "DROP INDEX IF EXISTS reviews_day;"
    "DROP INDEX IF EXISTS reviews_failures;"
    "DROP INDEX IF EXISTS cards_new;"
    "DROP INDEX IF EXISTS cards_topic_new;",
    // 3 -> 4: review kind 'tutor' (an answer the tutor heard, recall mcp), and
    // review ids are never reused (AUTOINCREMENT), so an undo
    // followed by a new answer cannot hand the undone id out again. SQLite
    // adds AUTOINCREMENT only by rebuilding the table: the log is copied into
    // the new definition (the same columns as schema.sql's), the old table
    // goes with its indexes and triggers, and schema.sql recreates those. The
    // copy runs before the triggers exist again, so it moves no derived data.
    // The counter starts past the highest id sync has seen, in case an undo
    // before this upgrade removed it.
    "DROP TRIGGER IF EXISTS reviews_failed_insert;"
    "DROP TRIGGER IF EXISTS reviews_failed_delete;"
    "DROP TRIGGER IF EXISTS reviews_append_only;"
    "CREATE TABLE reviews_v4 ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  card_id INTEGER NOT NULL REFERENCES cards(id),"
    "  day INTEGER NOT NULL,"
    "  answered_at TEXT NOT NULL,"
    "  grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),"
    "  kind TEXT NOT NULL CHECK (kind IN ('review', 'redrill', 'tutor')),"
    "  note TEXT,"
    "  before_repetitions INTEGER NOT NULL, before_easiness INTEGER NOT NULL,"
    "  before_interval INTEGER NOT NULL, before_due INTEGER, before_lapses INTEGER NOT NULL,"
    "  after_repetitions INTEGER NOT NULL, after_easiness INTEGER NOT NULL,"
    "  after_interval INTEGER NOT NULL, after_due INTEGER, after_lapses INTEGER NOT NULL);"
    "INSERT INTO reviews_v4 SELECT id, card_id, day, answered_at, grade, kind, note,"
    "  before_repetitions, before_easiness, before_interval, before_due, before_lapses,"
    "  after_repetitions, after_easiness, after_interval, after_due, after_lapses"
    "  FROM reviews ORDER BY id;"
    "DROP TABLE reviews;"
    "ALTER TABLE reviews_v4 RENAME TO reviews;"
    "INSERT INTO sqlite_sequence(name, seq) SELECT 'reviews', 0"
    "  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'reviews');"
    "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT CAST(substr(value,"
    "  instr(value, ':') + 1) AS INTEGER) FROM settings WHERE key = 'sync-reviews'), 0))"
    "  WHERE name = 'reviews';",
    // 4 -> 5: each card's quality flag (issue 16). Every existing card starts
    // 'ok': the rules that made it did not judge it; the next import does.
    "ALTER TABLE cards ADD COLUMN quality TEXT NOT NULL DEFAULT 'ok'"
    "  CHECK (quality IN ('ok', 'review'));"
    "ALTER TABLE cards ADD COLUMN quality_reason TEXT NOT NULL DEFAULT '';",
    // 5 -> 6: the scheduler-neutral row (issue 15). The queue orders by the
    // risk the scheduler saved with each state, not by SM-2's EF: under SM-2
    // it is 10000 - EF, the same order as before. Each answer records its
    // risks and which scheduler set its due day. The append-only trigger
    // guards card, day and grade only, so the backfill may update the log.
    // The queue indexes name risk instead of easiness (schema.sql remakes
    // them).
    "ALTER TABLE cards ADD COLUMN risk INTEGER NOT NULL DEFAULT 7500;"
    "UPDATE cards SET risk = 10000 - easiness;"
    "ALTER TABLE reviews ADD COLUMN before_risk INTEGER NOT NULL DEFAULT 7500;"
    "ALTER TABLE reviews ADD COLUMN after_risk INTEGER NOT NULL DEFAULT 7500;"
    "ALTER TABLE reviews ADD COLUMN scheduler TEXT NOT NULL DEFAULT 'sm2'"
    "  CHECK (scheduler IN ('sm2', 'fsrs'));"
    "UPDATE reviews SET before_risk = 10000 - before_easiness, after_risk = 10000 - after_easiness;"
    "DROP INDEX IF EXISTS cards_due;"
    "DROP INDEX IF EXISTS cards_gap_due;"
    "DROP INDEX IF EXISTS cards_new;"
    "DROP INDEX IF EXISTS cards_topic_new;",
    // 6 -> 7: a card without topic can be filed under a domain (a checklist
    // item whose group names one, issue 23); the next import fills it, and
    // files checklist and gap cards under the topic they drill.
    "ALTER TABLE cards ADD COLUMN domain_id INTEGER REFERENCES domains(id);",
    // 7 -> 8: answers from Anki on the phone (issue 26). Each answer says
    // where it was given (a tutor's first answer of a day is kind 'tutor';
    // a tutor's re-drill cannot be told from the drill's and stays 'drill').
    // A phone answer keeps Anki's button and revlog id; reviews_phone
    // (schema.sql) makes a second import of one export add nothing.
    "ALTER TABLE reviews ADD COLUMN source TEXT NOT NULL DEFAULT 'drill'"
    "  CHECK (source IN ('drill', 'tutor', 'phone'));"
    "UPDATE reviews SET source = 'tutor' WHERE kind = 'tutor';"
    "ALTER TABLE reviews ADD COLUMN button INTEGER CHECK (button BETWEEN 1 AND 4);"
    "ALTER TABLE reviews ADD COLUMN phone_id INTEGER;",
    // 8 -> 9: the review pass (issue 24): who reviewed each card, what they
    // did, when, and a retirement's reason. Cards a person wrote already
    // count as reviewed by the learner: edited ones (recall did not record
    // who edited them) and those added by hand. The no-op import record is
    // dropped: its digest now covers the review columns.
    "ALTER TABLE cards ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT ''"
    "  CHECK (reviewed_by IN ('', 'tutor', 'learner'));"
    "ALTER TABLE cards ADD COLUMN reviewed_as TEXT NOT NULL DEFAULT ''"
    "  CHECK (reviewed_as IN ('', 'approved', 'edited', 'retired', 'added'));"
    "ALTER TABLE cards ADD COLUMN reviewed_day INTEGER;"
    "ALTER TABLE cards ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';"
    "UPDATE cards SET reviewed_by = 'learner', reviewed_as = 'edited' WHERE edited <> 0;"
    "UPDATE cards SET reviewed_by = 'learner', reviewed_as = 'added'"
    "  WHERE identity LIKE 'manual|%' AND edited = 0;"
    "DELETE FROM settings WHERE key = 'import-fingerprint';",
    // 9 -> 10: each card's FSRS-6 memory kept with it (issue 25), so no read
    // replays a log. The columns start empty; the constructor replays every
    // card's log into them in this upgrade's transaction (SQL cannot).
    "ALTER TABLE cards ADD COLUMN stability REAL;"
    "ALTER TABLE cards ADD COLUMN difficulty REAL;"
    "ALTER TABLE cards ADD COLUMN memory_day INTEGER;",
    // 10 -> 11: what each topic's confidence stands on, kept by triggers
    // (topic_answers); schema.sql creates the table and counts every topic.
    "",
    // 11 -> 12: live cards by their source (cards_source, from schema.sql),
    // where the feedback rules look up the cards a gap's words name.
    "",
    // 12 -> 13: the new cards the drill may introduce while drafts wait
    // (cards_ready, cards_topic_ready, from schema.sql).
    "",
    // 13 -> 14: what the per-topic and per-domain counts read, in one index
    // (cards_topic_counts, from schema.sql).
    "",
    // 14 -> 15: the tutor's own links of cards to gaps (edit_cards {gap}),
    // kept through imports.
    "ALTER TABLE gap_cards ADD COLUMN tutor INTEGER NOT NULL DEFAULT 0;",
    // 15 -> 16: a card's log index covers what the feedback rules read of
    // each answer (day, grade, kind); schema.sql makes it again, and counts
    // the log into its kept tally (tallies 'reviews').
    "DROP INDEX IF EXISTS reviews_card;",
    // 16 -> 17: the links the tutor took away (gap_unlinks, from schema.sql),
    // and cards a person filed under another topic (cards.moved, added by
    // add_moved_columns below).
    "",
};
static_assert(std::size(kUpgrades) == Store::kSchemaVersion - 1);
// The version that added the kept FSRS-6 memory (cards.stability ...).
constexpr int kKeptMemoryVersion = 10;
// The version that added cards.moved and cards.tracker_topic_id.
constexpr int kMovedCardsVersion = 17;

// Schema 17's columns, added to a cards table that lacks them (SQLite has
// no ADD COLUMN IF NOT EXISTS; a database may hold them already).
void add_moved_columns(SQLite::Database& db) {
  SQLite::Statement columns(db, "SELECT 1 FROM pragma_table_info('cards') WHERE name = 'moved'");
  if (columns.executeStep()) return;
  db.exec(
      "ALTER TABLE cards ADD COLUMN moved INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE cards ADD COLUMN tracker_topic_id INTEGER;");
}

// Debian's SQLite keeps memory statistics (sqlite3_memory_used), which takes
// a global mutex around every allocation; with lookaside compiled out, every
// row of an import allocates. recall reads none of them. SQLite accepts this
// only before its first use, so it is set once, before the first connection.
void configure_sqlite() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;  // SQLITE_MISUSE when SQLite was already in use: harmless
}

// WAL mode is persistent, set by whichever process creates the database.
// The switch needs the file to itself for a moment, and SQLite answers
// SQLITE_BUSY at once, without the busy handler, when another process is
// opening or creating it at the same time: retried within the busy timeout.
void enable_wal(SQLite::Database& db) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() != SQLITE_BUSY || std::chrono::steady_clock::now() >= give_up) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

Store::Store(const std::string& path) : path_(path) {
  store_detail::guarded(path_, [&] {
    const std::filesystem::path file(path_);
    if (file.has_parent_path()) {
      std::error_code ignored;
      std::filesystem::create_directories(file.parent_path(), ignored);
    }
    // Before SQLite touches it: /dev/null would gain a -journal beside it,
    // and a FIFO or a device fail later as a puzzling "disk I/O error".
    if (const auto kind = non_regular_kind(path_))
      throw Error::io(path_ + ": is " + *kind + ", not a database file");
    configure_sqlite();
    impl_ = std::make_unique<Impl>(path_);
    auto& db = impl_->db;
    db.exec("PRAGMA foreign_keys = ON");
    // A 16 MB page cache: the drill answers thousands of cards without
    // re-reading the same index pages from the file.
    db.exec("PRAGMA cache_size = -16000");
    // Statements that fire triggers (schema.sql) keep a statement journal;
    // in a temporary file it costs a 4 KB write per page per statement once
    // it has grown past 64 KB, which an import or a drill session reaches.
    db.exec("PRAGMA temp_store = MEMORY");
    // The version and whether anything exists, read in one statement (one
    // snapshot): another process creating this database commits both at
    // once, and two reads could see its tables without its version.
    SQLite::Statement probe(db,
                            "SELECT user_version, (SELECT COUNT(*) FROM sqlite_master) "
                            "FROM pragma_user_version");
    probe.executeStep();
    const int version = probe.getColumn(0).getInt();
    const bool has_objects = probe.getColumn(1).getInt() > 0;
    probe.reset();
    if (version > kSchemaVersion)
      throw Error::data(path_ + ": made by a newer recall (schema version " +
                        std::to_string(version) + ", this build reads up to " +
                        std::to_string(kSchemaVersion) + "); upgrade recall");
    if (version == kSchemaVersion) {
      // Already current: WAL is persistent, synchronous is per connection.
      db.exec("PRAGMA synchronous = NORMAL");
      return;
    }
    if (version == 0 && has_objects)
      throw Error::io(path_ + ": an SQLite database, but not one of recall's");
    enable_wal(db);
    db.exec("PRAGMA synchronous = NORMAL");
    store_detail::WriteTransaction transaction(*impl_);
    // Re-read inside the write lock: another process may have created it.
    const int locked_version = db.execAndGet("PRAGMA user_version").getInt();
    if (locked_version > 0)
      for (int v = locked_version; v < kSchemaVersion; ++v) {
        db.exec(kUpgrades[v - 1]);
        if (v + 1 == kMovedCardsVersion) add_moved_columns(db);
      }
    db.exec(detail::kSchemaSql);
    // SQL cannot replay a log: the memory schema 10 keeps is filled here.
    if (locked_version > 0 && locked_version < kKeptMemoryVersion) impl_->refresh_all_memory();
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    transaction.commit();
  });
}

Store::~Store() = default;

Store::ReadScope::ReadScope(Store& store) : store_(store) {
  store_detail::guarded(*store_.impl_, store_.path_, [&] {
    Impl& impl = *store_.impl_;
    // Already in a snapshot or a transaction: that one holds.
    if (impl.snapshot || sqlite3_get_autocommit(impl.db.getHandle()) == 0) return;
    impl.end_reads();
    impl.db.exec("BEGIN DEFERRED");
    impl.snapshot = true;
    opened_ = true;
  });
}

Store::Rehearsal::Rehearsal(Store& store) : store_(store) {
  store_detail::guarded(*store_.impl_, store_.path_, [&] {
    Impl& impl = *store_.impl_;
    if (impl.rehearsal) throw Error::data(store_.path_ + ": a rehearsal is already running");
    impl.before_transaction();
    impl.db.exec("BEGIN IMMEDIATE");
    impl.rehearsal = true;
  });
}

Store::Rehearsal::~Rehearsal() {
  Impl& impl = *store_.impl_;
  impl.rehearsal = false;
  try {
    impl.end_reads();
    impl.db.exec("ROLLBACK");
  } catch (const std::exception&) {
    // A failed statement may have rolled it back already: nothing was kept either way.
  }
}

Store::ReadScope::~ReadScope() {
  if (!opened_) return;
  try {
    store_.impl_->end_snapshot();  // a read-only transaction: its COMMIT writes nothing
  } catch (const std::exception&) {
    // Ending a read transaction cannot lose data; the connection closes with the Store.
  }
}

int Store::schema_version() {
  return store_detail::guarded(
      *impl_, path_, [&] { return impl_->db.execAndGet("PRAGMA user_version").getInt(); });
}

std::optional<std::string> Store::setting(const std::string& key) {
  return store_detail::guarded(*impl_, path_, [&]() -> std::optional<std::string> {
    auto& s = impl_->statement("SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (!s.executeStep()) return std::nullopt;
    return s.getColumn(0).getString();
  });
}

void Store::set_setting(const std::string& key, const std::string& value) {
  set_settings({{key, value}});
}

void Store::unset_setting(const std::string& key) {
  store_detail::guarded(*impl_, path_, [&] {
    // One transaction: unsetting fsrs-parameters recomputes the kept memory.
    store_detail::WriteTransaction transaction(*impl_);
    impl_->erase_setting(key);
    transaction.commit();
  });
}

std::vector<std::pair<std::string, std::string>> Store::settings() {
  return store_detail::guarded(*impl_, path_, [&] {
    std::vector<std::pair<std::string, std::string>> result;
    auto& s = impl_->statement("SELECT key, value FROM settings ORDER BY key");
    while (s.executeStep())
      result.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString());
    return result;
  });
}

}  // namespace recall
