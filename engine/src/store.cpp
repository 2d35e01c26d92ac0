#include "recall/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>
#include <unordered_map>

#include "recall/error.h"
#include "recall/files.h"
#include "recall/text.h"
#include "store_impl.h"

namespace recall::detail {
extern const char* const kSchemaSql;
}

namespace recall {

std::string_view to_string(ReviewKind kind) {
  switch (kind) {
    case ReviewKind::kRedrill: return "redrill";
    case ReviewKind::kTutor: return "tutor";
    case ReviewKind::kReview: break;
  }
  return "review";
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
};
static_assert(std::size(kUpgrades) == Store::kSchemaVersion - 1);

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
    SQLite::Statement probe(db, "SELECT user_version, (SELECT COUNT(*) FROM sqlite_master) "
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
    impl_->end_reads();
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read inside the write lock: another process may have created it.
    const int locked_version = db.execAndGet("PRAGMA user_version").getInt();
    if (locked_version > 0)
      for (int v = locked_version; v < kSchemaVersion; ++v) db.exec(kUpgrades[v - 1]);
    db.exec(detail::kSchemaSql);
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    transaction.commit();
  });
}

Store::~Store() = default;

int Store::schema_version() {
  return store_detail::guarded(path_, [&] { return impl_->db.execAndGet("PRAGMA user_version").getInt(); });
}

std::optional<std::string> Store::setting(const std::string& key) {
  return store_detail::guarded(path_, [&]() -> std::optional<std::string> {
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
  store_detail::guarded(path_, [&] {
    impl_->end_reads();
    impl_->erase_setting(key);
  });
}

std::vector<std::pair<std::string, std::string>> Store::settings() {
  return store_detail::guarded(path_, [&] {
    std::vector<std::pair<std::string, std::string>> result;
    auto& s = impl_->statement("SELECT key, value FROM settings ORDER BY key");
    while (s.executeStep()) result.emplace_back(s.getColumn(0).getString(), s.getColumn(1).getString());
    return result;
  });
}

long long Store::add_card(const std::string& front, const std::string& back,
                          const std::optional<std::string>& topic_label, Day today) {
  return store_detail::guarded(path_, [&] {
    auto& db = impl_->db;
    impl_->end_reads();
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    std::optional<long long> topic_id;
    if (topic_label) {
      auto& find = impl_->statement(
          "SELECT id FROM topics WHERE label = ? AND retired = 0 ORDER BY position LIMIT 1");
      find.bind(1, *topic_label);
      if (!find.executeStep())
        throw Error::data("no topic with label '" + *topic_label + "' (see `recall topics`)");
      topic_id = find.getColumn(0).getInt64();
    }
    auto& insert = impl_->statement(
        "INSERT INTO cards(identity, topic_id, kind, front, back, source, tags, position, "
        "created_day) VALUES ('manual|' || lower(hex(randomblob(8))), ?, 'complete', ?, ?, ?, "
        "'manual', (SELECT COALESCE(MAX(position), 0) + 1 FROM cards), ?)");
    if (topic_id)
      insert.bind(1, static_cast<int64_t>(*topic_id));
    else
      insert.bind(1);
    insert.bind(2, front);
    insert.bind(3, back);
    insert.bind(4, back);
    insert.bind(5, today);
    insert.exec();
    const long long id = db.getLastInsertRowid();
    impl_->recount_new_cards();
    // A card the next import must see: it may match or shadow a tracker card.
    impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
    return id;
  });
}

namespace {

// Why `text` cannot be a card's front or back, or nullopt. Line breaks and
// tabs are layout a card may hold; other control characters are refused, as
// they would reach a terminal.
std::optional<std::string> card_text_problem(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return "it is empty";
  std::size_t characters = 0;
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Step step = utf8_step(text, at);
    if (!step.valid) return "it is not valid UTF-8";
    if (is_control(step.code_point) && step.code_point != '\n' && step.code_point != '\t')
      return "it holds a control character";
    ++characters;
    at += step.length;
  }
  if (characters > Store::kMaxCardText)
    return "it has " + std::to_string(characters) + " characters, more than " +
           std::to_string(Store::kMaxCardText);
  return std::nullopt;
}

void require_card_text(const std::string& text, const char* argument) {
  if (auto problem = card_text_problem(text))
    throw Error::usage(std::string(argument) + ": not a card text (" + *problem + ")");
}

// `text` with the context line of `stored` ("[A.8 Title · A. Domain]\n")
// when it starts without one of its own.
std::string with_context_line(const std::string& text, const std::string& stored) {
  const std::size_t newline = stored.find('\n');
  if (text.rfind('[', 0) == 0 || stored.rfind('[', 0) != 0 || newline == std::string::npos ||
      stored[newline - 1] != ']')
    return text;
  return stored.substr(0, newline + 1) + text;
}

}  // namespace

Card Store::edit_card(long long id, const std::optional<std::string>& front,
                      const std::optional<std::string>& back) {
  if (!front && !back) throw Error::usage("edit: give --front TEXT, --back TEXT or both");
  if (front) require_card_text(*front, "--front");
  if (back) require_card_text(*back, "--back");
  return store_detail::guarded(path_, [&] {
    impl_->end_reads();
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    auto& read = impl_->statement("SELECT front, back FROM cards WHERE id = ?");
    read.bind(1, static_cast<int64_t>(id));
    if (!read.executeStep()) {
      read.reset();
      throw Error::data("no card with id " + std::to_string(id));
    }
    const std::string old_front = read.getColumn(0).getString(), old_back = read.getColumn(1).getString();
    read.reset();
    auto& s = impl_->statement(
        "UPDATE cards SET front = ?1, back = ?2, edited = 1, quality = 'ok', quality_reason = '' "
        "WHERE id = ?3");
    s.bind(1, front ? with_context_line(*front, old_front) : old_front);
    s.bind(2, back ? with_context_line(*back, old_back) : old_back);
    s.bind(3, static_cast<int64_t>(id));
    s.exec();
    // The next import must compare its drafts with this text.
    impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
    auto& again = impl_->statement(std::string("SELECT ") + kCardColumns + kCardJoins + "WHERE c.id = ?");
    again.bind(1, static_cast<int64_t>(id));
    again.executeStep();
    Card card = read_card(again);
    again.reset();
    return card;
  });
}

std::optional<Card> Store::card(long long id) {
  return store_detail::guarded(path_, [&]() -> std::optional<Card> {
    auto& s = impl_->statement(std::string("SELECT ") + kCardColumns + kCardJoins +
                               "WHERE c.id = ?");
    s.bind(1, static_cast<int64_t>(id));
    if (!s.executeStep()) return std::nullopt;
    return read_card(s);
  });
}

std::vector<ReviewLog> Store::reviews_for_card(long long card_id) {
  return store_detail::guarded(path_, [&] {
    std::vector<ReviewLog> logs;
    auto& s = impl_->statement(std::string("SELECT ") + kReviewColumns +
                               " FROM reviews WHERE card_id = ? ORDER BY id");
    s.bind(1, static_cast<int64_t>(card_id));
    for_each_row(s, [&](const Row& row) { logs.push_back(read_review(row)); });
    return logs;
  });
}

ReviewLog Store::record_answer(long long card_id, int grade, ReviewKind kind, Day day,
                               const std::string& answered_at,
                               const std::optional<std::string>& note,
                               std::optional<Day> interview_date) {
  if (note) require_valid_note(*note, "note");  // every way in (answer, drill) passes here
  return store_detail::guarded(path_, [&] {
    auto& db = impl_->db;
    impl_->end_reads();
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    auto& find = impl_->statement(
        "SELECT repetitions, easiness, interval_days, due_day, lapses FROM cards WHERE id = ?");
    find.bind(1, static_cast<int64_t>(card_id));
    if (!find.executeStep()) throw Error::data("no card with id " + std::to_string(card_id));
    ReviewLog log;
    log.card_id = card_id;
    log.day = day;
    log.answered_at = answered_at;
    log.grade = grade;
    log.kind = kind;
    log.note = note;
    log.before = {find.getColumn(0).getInt(), find.getColumn(1).getInt(),
                  find.getColumn(2).getInt(), optional_day(find.getColumn(3)),
                  find.getColumn(4).getInt()};
    find.reset();
    log.after = kind != ReviewKind::kRedrill ? next_state(log.before, grade, day) : log.before;
    if (interview_date && kind != ReviewKind::kRedrill)
      log.after = apply_interview_rule(log.after, day, *interview_date,
                                       final_week_load(*interview_date, card_id));

    auto& insert = impl_->statement(
        "INSERT INTO reviews(card_id, day, answered_at, grade, kind, note, before_repetitions, "
        "before_easiness, before_interval, before_due, before_lapses, after_repetitions, "
        "after_easiness, after_interval, after_due, after_lapses) "
        "VALUES (:card, :day, :at, :grade, :kind, :note, :br, :be, :bi, :bd, :bl, :ar, :ae, "
        ":ai, :ad, :al)");
    insert.bind(":card", static_cast<int64_t>(card_id));
    insert.bind(":day", day);
    insert.bind(":at", answered_at);
    insert.bind(":grade", grade);
    insert.bind(":kind", std::string(to_string(kind)));
    if (note)
      insert.bind(":note", *note);
    else
      insert.bind(":note");
    insert.bind(":br", log.before.repetitions);
    insert.bind(":be", log.before.easiness_milli);
    insert.bind(":bi", log.before.interval_days);
    bind_optional_day(insert, ":bd", log.before.due_day);
    insert.bind(":bl", log.before.lapses);
    insert.bind(":ar", log.after.repetitions);
    insert.bind(":ae", log.after.easiness_milli);
    insert.bind(":ai", log.after.interval_days);
    bind_optional_day(insert, ":ad", log.after.due_day);
    insert.bind(":al", log.after.lapses);
    insert.exec();
    log.id = db.getLastInsertRowid();
    if (kind != ReviewKind::kRedrill) impl_->write_card_state(card_id, log.after);
    transaction.commit();
    return log;
  });
}

std::optional<ReviewLog> Store::undo_last(std::optional<long long> only_id) {
  return store_detail::guarded(path_, [&]() -> std::optional<ReviewLog> {
    impl_->end_reads();
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    // The highest id is its card's latest row: ids only grow.
    auto& last = impl_->statement(std::string("SELECT ") + kReviewColumns +
                                  " FROM reviews ORDER BY id DESC LIMIT 1");
    if (!last.executeStep()) return std::nullopt;
    const ReviewLog log = read_review(last);
    last.reset();
    if (only_id && log.id != *only_id) return std::nullopt;
    impl_->remove_review(log);
    transaction.commit();
    return log;
  });
}

std::optional<ReviewLog> Store::undo_review(long long review_id) {
  return store_detail::guarded(path_, [&]() -> std::optional<ReviewLog> {
    impl_->end_reads();
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    auto& find = impl_->statement(std::string("SELECT ") + kReviewColumns + " FROM reviews WHERE id = ?");
    find.bind(1, static_cast<int64_t>(review_id));
    if (!find.executeStep()) return std::nullopt;
    const ReviewLog log = read_review(find);
    find.reset();
    // A card's rows chain its states (each before-state is the previous
    // after-state): removing one with a later row would break the chain.
    auto& later = impl_->statement(
        "SELECT id FROM reviews INDEXED BY reviews_card WHERE card_id = ? AND id > ? "
        "ORDER BY id DESC LIMIT 1");
    later.bind(1, static_cast<int64_t>(log.card_id));
    later.bind(2, static_cast<int64_t>(log.id));
    if (later.executeStep())
      throw Error::data("card " + std::to_string(log.card_id) + " was answered again after answer " +
                        std::to_string(log.id) + " (answer " + std::to_string(later.getColumn(0).getInt64()) +
                        "); only a card's latest answer can be undone");
    impl_->remove_review(log);
    transaction.commit();
    return log;
  });
}

DayCounts Store::day_counts(Day day) {
  return store_detail::guarded(path_, [&] {
    auto& s = impl_->statement(
        "SELECT COALESCE(SUM(kind <> 'redrill' AND before_due IS NOT NULL), 0), "
        "COALESCE(SUM(kind <> 'redrill' AND before_due IS NULL), 0), "
        "COALESCE(SUM(kind = 'redrill'), 0) FROM reviews WHERE day = ?");
    s.bind(1, day);
    s.executeStep();
    return DayCounts{s.getColumn(0).getInt(), s.getColumn(1).getInt(), s.getColumn(2).getInt()};
  });
}

bool Store::answered_on(long long card_id, Day day) {
  return store_detail::guarded(path_, [&] {
    // One seek in reviews_day (day, card_id, ...), whatever the size of the
    // day or of the card's history.
    auto& s = impl_->statement(
        "SELECT EXISTS (SELECT 1 FROM reviews WHERE card_id = ? AND day = ?)");
    s.bind(1, static_cast<int64_t>(card_id));
    s.bind(2, day);
    s.executeStep();
    const bool answered = s.getColumn(0).getInt() != 0;
    s.reset();
    return answered;
  });
}

namespace {

// Ids as a JSON array, for `IN (SELECT value FROM json_each(?))`.
template <typename Ids>
std::string json_ids(const Ids& ids) {
  std::string json = "[";
  for (long long id : ids) {
    if (json.size() > 1) json += ',';
    json += std::to_string(id);
  }
  return json + "]";
}

// Recurring on :day (failed on 2+ days of the last 30), read off the kept
// failure days (schema.sql) when they can answer (failure_days_current).
constexpr const char* kRecurringSql = "c.fail_prev >= :day - 29 ";
constexpr const char* kNotRecurringSql = "(c.fail_prev IS NULL OR c.fail_prev < :day - 29) ";
// The same rule off the log itself, for a :day before logged answers.
constexpr const char* kRecurringByLogSql =
    "c.id IN (SELECT card_id FROM reviews WHERE grade < 3 AND day BETWEEN :day - 29 AND :day "
    "GROUP BY card_id HAVING COUNT(DISTINCT day) >= 2) ";

}  // namespace

std::string Store::Impl::due_walk_sql(const CardFilter& filter, Day day, const std::string& conditions) {
  // SQLite walks the due index and sorts one due day at a time in drill
  // order within a risk tier (due day, heavier domain, lower EF, more
  // lapses, id), so it stops after :limit instead of handing over every due
  // card.
  return std::string("SELECT ") + kEntryColumns + kCardJoins +
         "WHERE c.due_day IS NOT NULL AND c.due_day <= :day AND c.suspended = 0 AND c.retired = 0 " +
         conditions + filter_sql(filter, day) +
         "ORDER BY c.due_day, COALESCE(d.weight, 0) DESC, c.easiness, c.lapses DESC, c.id LIMIT :limit";
}

std::vector<QueueEntry> Store::due_entries(Day day, const CardFilter& filter, int limit,
                                           const std::set<long long>& except) {
  return store_detail::guarded(path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kAll, except);
  });
}

std::vector<QueueEntry> Store::due_entries_among(Day day, const CardFilter& filter,
                                                 const std::set<long long>& card_ids,
                                                 std::optional<int> limit) {
  return store_detail::guarded(path_, [&] {
    std::vector<QueueEntry> entries;
    if (card_ids.empty()) return entries;
    auto& s = impl_->statement(
        impl_->due_walk_sql(filter, day, "AND c.id IN (SELECT value FROM json_each(:ids)) "));
    impl_->bind_filter(s, filter, day);
    s.bind(":ids", json_ids(card_ids));
    s.bind(":limit", limit.value_or(-1));
    for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
    return entries;
  });
}

std::vector<QueueEntry> Store::new_entries(Day day, const CardFilter& filter, int take,
                                           const std::set<long long>& started) {
  return store_detail::guarded(path_, [&] {
    std::vector<QueueEntry> entries;
    if (take <= 0) return entries;
    const std::string new_card_sql =
        std::string("SELECT ") + kEntryColumns + kCardJoins + "WHERE " + kNewCardSql +
        impl_->filter_sql(filter, day);
    // A large room (limits raised for a marathon) needs most new cards
    // anyway: one walk over them beats a query per topic.
    constexpr int kBulkTake = 512;
    if (take >= kBulkTake) {
      auto& all = impl_->statement(new_card_sql + "ORDER BY c.position, c.id");
      impl_->bind_filter(all, filter, day);
      for_each_row(all, [&](const Row& row) { entries.push_back(read_entry(row)); });
      return entries;
    }
    // The first `take` cards of drill.cpp's round robin come from the first
    // `take` topics in its order that were not started today (round one
    // alone fills `take` places) and from the started ones, and at most
    // `take` cards of each. Topics are ordered by domain weight, then
    // tracker position: domains of one weight are walked together through
    // topics_domain_order, each stopping after `take` topics with new cards.
    struct Group {
      int weight = 0;
      std::vector<std::optional<long long>> domains;  // nullopt: topics without domain
    };
    std::vector<Group> groups;
    // Topics without a domain weigh 0, like the LEFT JOIN's COALESCE.
    auto& domains = impl_->statement(
        "SELECT id, weight FROM domains UNION ALL SELECT NULL, 0 ORDER BY 2 DESC, 1");
    while (domains.executeStep()) {
      const int weight = domains.getColumn(1).getInt();
      if (groups.empty() || groups.back().weight != weight) groups.push_back({weight, {}});
      groups.back().domains.push_back(domains.getColumn(0).isNull()
                                          ? std::nullopt
                                          : std::optional<long long>(domains.getColumn(0).getInt64()));
    }
    domains.reset();
    const std::string topics_sql =
        std::string("SELECT t.position, t.id FROM topics t LEFT JOIN domains d ON d.id = t.domain_id "
                    "WHERE t.domain_id IS :domain_id AND EXISTS (SELECT 1 FROM cards c "
                    "WHERE c.topic_id = t.id AND ") + kNewCardSql +
        impl_->filter_sql(filter, day) + ") AND t.id NOT IN (SELECT value FROM json_each(:started)) "
        "ORDER BY t.position, t.id LIMIT :take";
    const std::string topic_cards_sql =
        new_card_sql + " AND c.topic_id IS :topic_id ORDER BY c.position, c.id LIMIT :take";
    std::vector<long long> topic_ids;
    for (const Group& group : groups) {
      const int room = take - static_cast<int>(topic_ids.size());
      if (room <= 0) break;
      std::vector<std::pair<int, long long>> found;  // (position, id)
      for (const auto& domain : group.domains) {
        auto& topics = impl_->statement(topics_sql);
        impl_->bind_filter(topics, filter, day);
        if (domain)
          topics.bind(":domain_id", static_cast<int64_t>(*domain));
        else
          topics.bind(":domain_id");
        topics.bind(":take", room);
        topics.bind(":started", json_ids(started));
        while (topics.executeStep())
          found.emplace_back(topics.getColumn(0).getInt(), topics.getColumn(1).getInt64());
        topics.reset();
      }
      std::sort(found.begin(), found.end());
      if (static_cast<int>(found.size()) > room) found.resize(room);
      for (const auto& [position, id] : found) topic_ids.push_back(id);
    }
    for (long long topic_id : started)
      if (topic_id) topic_ids.push_back(topic_id);
    topic_ids.push_back(0);  // cards without topic form one more group
    for (long long topic_id : topic_ids) {
      auto& s = impl_->statement(topic_cards_sql);
      impl_->bind_filter(s, filter, day);
      if (topic_id)
        s.bind(":topic_id", static_cast<int64_t>(topic_id));
      else
        s.bind(":topic_id");
      s.bind(":take", take);
      for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
    }
    std::sort(entries.begin(), entries.end(), [](const QueueEntry& a, const QueueEntry& b) {
      return a.position != b.position ? a.position < b.position : a.id < b.id;
    });
    return entries;
  });
}

namespace {

// Cards re-drilled today: the latest answer today below 4, with the id of
// that answer (the round's order: a card failed again goes to the end). Read off reviews_day alone
// (the latest answer's grade is the one of MAX(id * 8 + grade), grades
// being 0..5); retired cards are left out through cards_retired, so an
// unfiltered round is counted and cut before any card row is read.
constexpr const char* kFailingTodaySql =
    "SELECT card_id, last_id FROM (SELECT card_id, MAX(id) AS last_id FROM reviews "
    "  WHERE day = :day GROUP BY card_id HAVING MAX(id * 8 + grade) % 8 < 4) "
    " WHERE card_id NOT IN (SELECT id FROM cards WHERE retired = 1) ";

}  // namespace

std::vector<QueueEntry> Store::redrill_entries(Day day, const CardFilter& filter,
                                               std::optional<int> limit) {
  return store_detail::guarded(path_, [&] {
    std::vector<QueueEntry> entries;
    // A filter needs the card rows to choose, so it cuts after the join.
    const bool cut_early = filter.is_empty();
    auto& s = impl_->statement(
        std::string("WITH failing AS MATERIALIZED (") + kFailingTodaySql +
        (cut_early ? "ORDER BY last_id LIMIT :limit" : "") + ") SELECT " + kEntryColumns +
        " FROM failing CROSS JOIN cards c ON c.id = failing.card_id" + kTopicJoins +
        "WHERE 1" + impl_->filter_sql(filter, day) + "ORDER BY failing.last_id" +
        (cut_early ? "" : " LIMIT :limit"));
    impl_->bind_filter(s, filter, day);
    s.bind(":limit", limit.value_or(-1));
    for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
    return entries;
  });
}

std::map<long long, int> Store::new_cards_introduced(Day day) {
  return store_detail::guarded(path_, [&] {
    // A first answer has no due day before it (day_counts counts it new).
    std::map<long long, int> introduced;
    auto& s = impl_->statement(
        "SELECT COALESCE(c.topic_id, 0), COUNT(*) FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE r.day = ? AND r.kind <> 'redrill' AND r.before_due IS NULL GROUP BY 1");
    s.bind(1, day);
    while (s.executeStep()) introduced[s.getColumn(0).getInt64()] = s.getColumn(1).getInt();
    s.reset();
    return introduced;
  });
}

int Store::count_redrill(Day day, const CardFilter& filter) {
  return store_detail::guarded(path_, [&] {
    // Unfiltered, off the day index alone; a filter reads the card rows.
    auto& s = impl_->statement(
        std::string("SELECT COUNT(*) FROM (") + kFailingTodaySql + ") failing" +
        (filter.is_empty() ? ""
                           : " CROSS JOIN cards c ON c.id = failing.card_id" + std::string(kTopicJoins) +
                                 "WHERE 1" + impl_->filter_sql(filter, day)));
    impl_->bind_filter(s, filter, day);
    s.executeStep();
    const int count = s.getColumn(0).getInt();
    s.reset();
    return count;
  });
}

int Store::count_due(Day day, const CardFilter& filter) {
  return store_detail::guarded(path_, [&] {
    // Unfiltered, the count is read off the partial index alone.
    auto& s = filter.is_empty()
                  ? impl_->statement("SELECT COUNT(*) FROM cards c WHERE c.due_day IS NOT NULL AND "
                                     "c.due_day <= :day AND c.suspended = 0 AND c.retired = 0")
                  : impl_->statement(std::string("SELECT COUNT(*)") + kCardJoins +
                                     "WHERE c.due_day IS NOT NULL AND c.due_day <= :day "
                                     "AND c.suspended = 0 AND c.retired = 0" +
                                     impl_->filter_sql(filter, day));
    if (filter.is_empty())
      s.bind(":day", day);
    else
      impl_->bind_filter(s, filter, day);
    s.executeStep();
    const int count = s.getColumn(0).getInt();
    s.reset();  // a statement left on its row would pin this read snapshot
    return count;
  });
}

int Store::count_new(Day day, const CardFilter& filter) {
  return store_detail::guarded(path_, [&] {
    if (filter.is_empty()) {
      // Kept by the cards_new_* triggers (schema.sql); `recall check` recounts.
      auto& s = impl_->statement("SELECT value FROM tallies WHERE name = 'new_cards'");
      const int count = s.executeStep() ? s.getColumn(0).getInt() : 0;
      s.reset();
      return count;
    }
    auto& s = impl_->statement(std::string("SELECT COUNT(*)") + kCardJoins + "WHERE " + kNewCardSql +
                               impl_->filter_sql(filter, day));
    impl_->bind_filter(s, filter, day);
    s.executeStep();
    const int count = s.getColumn(0).getInt();
    s.reset();
    return count;
  });
}

std::string Store::Impl::filter_sql(const CardFilter& filter, Day day) {
  std::string sql = " ";
  // A topic by its id, so SQLite can walk the topic's few cards
  // (cards_topic_new, cards_topic) instead of joining every candidate to its
  // topic. A domain holds a large share of the cards: the index walks stay.
  if (filter.topic_label) sql += "AND c.topic_id IN (SELECT id FROM topics WHERE label = :topic) ";
  if (filter.domain_letter) sql += "AND d.letter = :domain ";
  if (filter.gaps_only) {
    // Linked to an open gap or recurring: off the indexes' gap_open and
    // fail_prev, or (a day before logged answers) from the links and the log.
    if (failure_days_current(day))
      sql += std::string("AND (c.gap_open = 1 OR ") + kRecurringSql + ") ";
    else
      sql += std::string("AND (") + kOpenGapLinkSql + " OR " + kRecurringByLogSql + ") ";
  }
  return sql;
}

bool Store::Impl::failure_days_current(Day day) {
  // cards.fail_last / fail_prev are the last two failure days of the whole
  // log; they answer "failed on 2+ days within [day-29, day]" when no
  // failure is logged after `day`, which holds when nothing is (a --today
  // in the past is the exception).
  auto& s = statement("SELECT MAX(day) FROM reviews");
  s.executeStep();
  const bool current = s.getColumn(0).isNull() || s.getColumn(0).getInt() <= day;
  s.reset();
  return current;
}

std::vector<QueueEntry> Store::Impl::due_tier(Day day, const CardFilter& filter, int limit,
                                              DueTier tier, const std::set<long long>& except) {
  std::vector<QueueEntry> entries;
  // The recurring split reads the kept failure days on the index, or (a
  // day before logged answers) the log.
  const bool current = tier == Impl::DueTier::kAll || failure_days_current(day);
  const std::string recurring = current ? kRecurringSql : kRecurringByLogSql;
  const std::string not_recurring =
      current ? std::string(kNotRecurringSql) : std::string("NOT ") + kRecurringByLogSql;
  std::string conditions;
  switch (tier) {
    case Impl::DueTier::kAll: break;
    case Impl::DueTier::kRecurring: conditions = "AND " + recurring; break;
    case Impl::DueTier::kGapLinked: conditions = "AND c.gap_open = 1 AND " + not_recurring; break;
    case Impl::DueTier::kOther: conditions = "AND c.gap_open = 0 AND " + not_recurring; break;
  }
  if (!except.empty()) conditions += "AND c.id NOT IN (SELECT value FROM json_each(:except)) ";
  auto& s = statement(due_walk_sql(filter, day, conditions));
  bind_filter(s, filter, day);
  if (!except.empty()) s.bind(":except", json_ids(except));
  s.bind(":limit", limit);
  for_each_row(s, [&](const Row& row) { entries.push_back(read_entry(row)); });
  return entries;
}

std::vector<long long> Store::recurring_card_ids(Day day) {
  return store_detail::guarded(path_, [&] {
    std::vector<long long> ids;
    // Sorted here: ORDER BY c.id would walk the whole table in id order
    // instead of the few entries of cards_failed.
    auto& s = impl_->statement(std::string("SELECT c.id FROM cards c WHERE ") +
                               (impl_->failure_days_current(day) ? kRecurringSql : kRecurringByLogSql));
    s.bind(":day", day);
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    std::sort(ids.begin(), ids.end());
    return ids;
  });
}

std::vector<QueueEntry> Store::recurring_due_entries(Day day, const CardFilter& filter,
                                                     int limit) {
  return store_detail::guarded(path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kRecurring, {});
  });
}

std::vector<QueueEntry> Store::gap_due_entries(Day day, const CardFilter& filter, int limit,
                                               const std::set<long long>& except) {
  return store_detail::guarded(path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kGapLinked, except);
  });
}

std::vector<QueueEntry> Store::other_due_entries(Day day, const CardFilter& filter, int limit,
                                                 const std::set<long long>& except) {
  return store_detail::guarded(path_, [&] {
    return impl_->due_tier(day, filter, limit, Impl::DueTier::kOther, except);
  });
}

std::vector<long long> Store::gap_card_ids() {
  return store_detail::guarded(path_, [&] {
    std::vector<long long> ids;
    auto& s = impl_->statement(
        "SELECT DISTINCT gc.card_id FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id "
        "WHERE g.tier IN ('high', 'medium') ORDER BY gc.card_id");
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
  });
}

std::vector<Card> Store::cards(const std::optional<std::string>& topic_label,
                               bool include_retired, bool review_only) {
  return store_detail::guarded(path_, [&] {
    std::vector<Card> result;
    auto& s = impl_->statement(std::string("SELECT ") + kCardColumns + kCardJoins +
                               "WHERE (:topic IS NULL OR t.label = :topic) "
                               "AND (:retired = 1 OR c.retired = 0) "
                               "AND (:review = 0 OR c.quality = 'review') ORDER BY c.id");
    s.bind(":review", review_only ? 1 : 0);
    if (topic_label)
      s.bind(":topic", *topic_label);
    else
      s.bind(":topic");
    s.bind(":retired", include_retired ? 1 : 0);
    std::vector<Card> by_id;
    if (!topic_label) by_id.reserve(impl_->row_count("cards"));
    for_each_row(s, [&](const Row& row) { by_id.push_back(read_card(row)); });
    // In (position, id) order. Read in id order (the table's own order) and
    // ordered here by (position, index): SQLite sorted the whole rows, ~65 ms
    // of 215 for 100k cards.
    std::vector<std::pair<int, std::size_t>> order;
    order.reserve(by_id.size());
    for (std::size_t i = 0; i < by_id.size(); ++i) order.emplace_back(by_id[i].position, i);
    std::sort(order.begin(), order.end());
    result.reserve(by_id.size());
    for (const auto& [position, i] : order) result.push_back(std::move(by_id[i]));
    return result;
  });
}

std::vector<TopicSummary> Store::topics(Day day) {
  return store_detail::guarded(path_, [&] {
    std::vector<TopicSummary> result;
    auto& s = impl_->statement(
        "SELECT t.id, t.label, t.title, t.topic_key, d.letter, d.name, t.confidence, "
        "t.in_progress, t.retired, "
        "(SELECT COUNT(*) FROM cards c WHERE c.topic_id = t.id AND c.retired = 0), "
        "(SELECT COUNT(*) FROM cards c WHERE c.topic_id = t.id AND c.retired = 0 "
        "   AND c.due_day IS NULL), "
        "(SELECT COUNT(*) FROM cards c WHERE c.topic_id = t.id AND c.retired = 0 "
        "   AND c.suspended = 0 AND c.due_day <= ?) "
        "FROM topics t LEFT JOIN domains d ON d.id = t.domain_id "
        "ORDER BY t.retired, t.position, t.id");
    s.bind(1, day);
    while (s.executeStep()) {
      TopicSummary topic;
      topic.id = s.getColumn(0).getInt64();
      topic.label = s.getColumn(1).getString();
      topic.title = s.getColumn(2).getString();
      topic.topic_key = s.getColumn(3).getString();
      topic.domain_letter = letter_of(s.getColumn(4));
      topic.domain_name = s.getColumn(5).getString();
      topic.confidence = s.getColumn(6).getString();
      topic.in_progress = s.getColumn(7).getInt() != 0;
      topic.retired = s.getColumn(8).getInt() != 0;
      topic.cards = s.getColumn(9).getInt();
      topic.new_cards = s.getColumn(10).getInt();
      topic.due_cards = s.getColumn(11).getInt();
      result.push_back(std::move(topic));
    }
    return result;
  });
}

std::vector<DomainRow> Store::domains() {
  return store_detail::guarded(path_, [&] {
    std::vector<DomainRow> result;
    auto& s = impl_->statement("SELECT letter, name, weight, total_topics FROM domains ORDER BY letter");
    while (s.executeStep()) {
      const char letter = letter_of(s.getColumn(0));
      result.push_back({letter ? letter : '?', s.getColumn(1).getString(),
                        s.getColumn(2).getInt(), s.getColumn(3).getInt()});
    }
    return result;
  });
}

std::vector<GapRow> Store::gaps() {
  return store_detail::guarded(path_, [&] {
    std::vector<GapRow> result;
    std::map<long long, std::size_t> index;
    auto& s = impl_->statement(
        "SELECT id, gap_key, text, tier, recurring, origin, opened_day, resolved_day, note, "
        "in_tracker FROM gaps ORDER BY id");
    while (s.executeStep()) {
      GapRow gap;
      gap.id = s.getColumn(0).getInt64();
      gap.gap_key = s.getColumn(1).getString();
      gap.text = s.getColumn(2).getString();
      gap.tier = s.getColumn(3).getString();
      gap.recurring = s.getColumn(4).getInt() != 0;
      gap.origin = s.getColumn(5).getString();
      gap.opened_day = optional_day(s.getColumn(6));
      gap.resolved_day = optional_day(s.getColumn(7));
      gap.note = s.getColumn(8).getString();
      gap.in_tracker = s.getColumn(9).getInt() != 0;
      index[gap.id] = result.size();
      result.push_back(std::move(gap));
    }
    auto& links = impl_->statement("SELECT gap_id, card_id FROM gap_cards ORDER BY gap_id, card_id");
    while (links.executeStep()) {
      const auto found = index.find(links.getColumn(0).getInt64());
      if (found != index.end()) result[found->second].card_ids.push_back(links.getColumn(1).getInt64());
    }
    return result;
  });
}

std::vector<StoredCardContent> Store::card_contents() {
  return store_detail::guarded(path_, [&] {
    std::vector<StoredCardContent> result;
    // Sized once: a 60,000-card vector grown by doubling moves every record
    // several times and holds two copies at its peak.
    result.reserve(impl_->row_count("cards"));
    auto& s = impl_->statement(
        "SELECT c.id, c.identity, c.kind, c.source, COALESCE(t.topic_key, ''), c.front, c.back, "
        "c.tags, c.position, c.retired, c.edited, c.quality, c.quality_reason "
        "FROM cards c LEFT JOIN topics t ON t.id = c.topic_id "
        "ORDER BY c.id");
    while (s.executeStep()) {
      StoredCardContent content;
      content.match.id = s.getColumn(0).getInt64();
      content.match.identity = s.getColumn(1).getString();
      content.match.kind = card_kind_from_string(s.getColumn(2).getText());
      content.match.source = s.getColumn(3).getString();
      content.match.topic_key = s.getColumn(4).getString();
      content.topic_key = content.match.topic_key;
      content.front = s.getColumn(5).getString();
      content.back = s.getColumn(6).getString();
      content.tags = s.getColumn(7).getString();
      content.position = s.getColumn(8).getInt();
      content.retired = s.getColumn(9).getInt() != 0;
      content.edited = s.getColumn(10).getInt() != 0;
      content.quality = s.getColumn(11).getString();
      content.quality_reason = s.getColumn(12).getString();
      result.push_back(std::move(content));
    }
    return result;
  });
}

std::string join_tags(const std::vector<std::string>& tags) {
  std::string joined;
  for (const auto& tag : tags) {
    if (!joined.empty()) joined += ' ';
    joined += tag;
  }
  return joined;
}

namespace {

// A 64-bit digest of a sequence of values, word by word (a multiply-rotate
// mix as in xxHash/MurmurHash, read little-endian whatever the machine): the
// same in every build, unlike std::hash. Each value is its length (or a
// NULL mark) and its bytes, so no two sequences of values run together.
// It tells a change apart, nothing more: it is no defence against forgery.
class Digest {
 public:
  void add(std::string_view bytes) {
    mix(bytes.size());
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t left = bytes.size();
    for (; left >= 8; p += 8, left -= 8) mix(load(p, 8));
    if (left > 0) mix(load(p, left));
  }
  void add(long long number) { add(std::string_view(std::to_string(number))); }
  void add_null() { mix(~std::uint64_t{0}); }
  // A column of any type (its text, as SQLite gives it), or NULL.
  void add_column(const Row& row, int i) {
    if (row.null(i))
      add_null();
    else
      add(row.view(i));
  }
  std::string hex() const {
    std::uint64_t h = hash_;  // final avalanche (MurmurHash3's fmix64)
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    static const char digits[] = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 0; i < 16; ++i) text[15 - i] = digits[(h >> (4 * i)) & 0xf];
    return text;
  }

 private:
  static std::uint64_t load(const unsigned char* p, std::size_t n) {
    std::uint64_t word = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&word, p, n);  // one load for a whole word
    } else {
      for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t{p[i]} << (8 * i);
    }
    return word;
  }
  void mix(std::uint64_t word) {
    hash_ ^= word * 0x9e3779b97f4a7c15ULL;
    hash_ = ((hash_ << 31) | (hash_ >> 33)) * 0x87c37b91114253d5ULL;
  }
  std::uint64_t hash_ = 0x27d4eb2f165667c5ULL;
};

// What an import writes besides the cards, each query in a fixed order.
constexpr const char* kImportDigestQueries[] = {
    "SELECT id, topic_key, label, title, domain_id, confidence, in_progress, retired, position "
    "FROM topics ORDER BY id",
    "SELECT id, letter, name, weight, total_topics FROM domains ORDER BY id",
    "SELECT id, gap_key, text, tier, recurring, origin, resolved_day, note, in_tracker "
    "FROM gaps ORDER BY id",
    "SELECT gap_id, card_id FROM gap_cards ORDER BY gap_id, card_id",
    "SELECT key, value FROM settings WHERE key IN ('tracker-interview-date', 'tracker-path') "
    "ORDER BY key",
};

}  // namespace

std::string Store::Impl::import_digest(const std::vector<StoredCardContent>& cards) {
  Digest digest;
  // The cards as the import read them (card_contents()): every field a plan
  // compares, by id. Hashed from memory, so recording a no-op import costs
  // no second read of 60,000 cards.
  for (const StoredCardContent& card : cards) {
    digest.add(card.match.id);
    digest.add(card.match.identity);
    digest.add(to_string(card.match.kind));
    digest.add(card.match.source);
    digest.add(card.topic_key);
    digest.add(card.front);
    digest.add(card.back);
    digest.add(card.tags);
    digest.add(static_cast<long long>(card.position));
    digest.add(static_cast<long long>(card.retired));
    digest.add(static_cast<long long>(card.edited));
  }
  for (const char* sql : kImportDigestQueries) {
    digest.add_null();  // between tables
    auto& s = statement(sql);
    for_each_row(s, [&](const Row& row) {
      for (int i = 0; i < s.getColumnCount(); ++i) digest.add_column(row, i);
    });
  }
  return digest.hex();
}

void Store::import_cards(const ImportPlanner& plan_for, Day today) {
  store_detail::guarded(path_, [&] {
    impl_->end_reads();
    // The write lock first, then the read the plan rests on: a plan made
    // from cards read before the lock could meet cards another import wrote
    // meanwhile (inserting an identity that now exists, or recording "this
    // text changes nothing" over another text's cards).
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::vector<StoredCardContent> stored = card_contents();
    const ImportPlan plan = plan_for(stored);
    apply_import(plan, today);
    // The no-op import record (importer.h) holds only while nothing but a
    // tracker import that changed nothing has written cards since. It
    // carries a digest of the rows it vouches for, as they are now, for
    // `recall check` (store_check.cpp): a plan that writes no card leaves
    // them as `stored` holds them.
    const bool writes_cards = !plan.card_writes.empty() || !plan.retire_ids.empty();
    if (plan.fingerprint && !writes_cards)
      impl_->write_setting(kImportRecordSetting,
                           *plan.fingerprint + "\n" + kImportDigestPrefix + impl_->import_digest(stored));
    else
      impl_->erase_setting(kImportRecordSetting);
    transaction.commit();
  });
}

// Inside import_cards' transaction.
void Store::apply_import(const ImportPlan& plan, Day today) {
  auto& db = impl_->db;
  // Each upsert writes only when something differs, so re-importing an
  // unchanged tracker leaves every row as it was.
  for (const auto& domain : plan.domains) {
    auto& s = impl_->statement(
        "INSERT INTO domains(letter, name, weight, total_topics) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(letter) DO UPDATE SET name = excluded.name, weight = excluded.weight, "
        "total_topics = excluded.total_topics WHERE name IS NOT excluded.name OR "
        "weight IS NOT excluded.weight OR total_topics IS NOT excluded.total_topics");
    s.bind(1, std::string(1, domain.letter));
    s.bind(2, domain.name);
    s.bind(3, domain.weight);
    s.bind(4, domain.total_topics);
    s.exec();
  }
  db.exec("CREATE TEMP TABLE IF NOT EXISTS seen_topics(topic_key TEXT PRIMARY KEY)");
  db.exec("DELETE FROM temp.seen_topics");
  // Looked up once, reset per row (a lookup hashes the whole SQL text).
  auto& upsert_topic = impl_->statement(
      "INSERT INTO topics(topic_key, label, title, domain_id, confidence, in_progress, "
      "retired, position) VALUES (?1, ?2, ?3, (SELECT id FROM domains WHERE letter = ?4), "
      "?5, ?6, 0, ?7) ON CONFLICT(topic_key) DO UPDATE SET label = excluded.label, "
      "title = excluded.title, domain_id = excluded.domain_id, "
      "confidence = excluded.confidence, in_progress = excluded.in_progress, retired = 0, "
      "position = excluded.position WHERE label IS NOT excluded.label OR "
      "title IS NOT excluded.title OR domain_id IS NOT excluded.domain_id OR "
      "confidence IS NOT excluded.confidence OR in_progress IS NOT excluded.in_progress OR "
      "retired != 0 OR position IS NOT excluded.position");
  auto& seen_topic = impl_->statement("INSERT OR IGNORE INTO temp.seen_topics VALUES (?)");
  for (const auto& topic : plan.topics) {
    auto& s = upsert_topic;
    s.reset();
    s.bind(1, topic.topic_key);
    s.bind(2, topic.label);
    s.bind(3, topic.title);
    s.bind(4, std::string(1, topic.domain_letter));
    s.bind(5, topic.confidence);
    s.bind(6, topic.in_progress ? 1 : 0);
    s.bind(7, topic.position);
    s.exec();
    seen_topic.reset();
    seen_topic.bind(1, topic.topic_key);
    seen_topic.exec();
  }
  if (!plan.from_deck)
    db.exec(
        "UPDATE topics SET retired = 1 WHERE retired = 0 AND topic_key NOT IN "
        "(SELECT topic_key FROM temp.seen_topics)");
  // Every card's topic id from one read of the topics (a few thousand rows)
  // rather than a lookup per card row; a key no topic has stays NULL.
  std::unordered_map<std::string, long long> topic_ids;
  if (!plan.card_writes.empty()) {
    auto& ids = impl_->statement("SELECT topic_key, id FROM topics");
    while (ids.executeStep()) topic_ids.emplace(ids.getColumn(0).getString(), ids.getColumn(1).getInt64());
  }
  const auto bind_topic_id = [&](SQLite::Statement& s, int index, const std::string& key) {
    const auto found = topic_ids.find(key);
    if (found == topic_ids.end())
      s.bind(index);
    else
      s.bind(index, static_cast<int64_t>(found->second));
  };
  // Both statements looked up once, reset per row. Texts are bound without
  // a copy: the plan outlives each row's step.
  auto& insert = impl_->statement(
      "INSERT INTO cards(identity, topic_id, kind, front, back, source, tags, position, "
      "created_day, edited, quality, quality_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, ?10, CASE WHEN ?10 THEN 'ok' ELSE ?11 END, CASE WHEN ?10 THEN '' ELSE ?12 END)");
  // A card a person edited (before, or by this deck) is 'ok' whatever the
  // rules say (SET expressions read the row as it was).
  auto& update = impl_->statement(
      "UPDATE cards SET identity = ?1, topic_id = ?2, kind = ?3, front = ?4, back = ?5, "
      "source = ?6, tags = ?7, position = ?8, retired = 0, edited = MAX(edited, ?10), "
      "quality = CASE WHEN edited OR ?10 THEN 'ok' ELSE ?11 END, "
      "quality_reason = CASE WHEN edited OR ?10 THEN '' ELSE ?12 END WHERE id = ?9");
  std::string tags;
  for (const auto& write : plan.card_writes) {
    const CardDraft& d = write.draft;
    auto& s = write.id == 0 ? insert : update;
    s.reset();
    tags = join_tags(d.tags);
    s.bindNoCopy(1, d.identity);
    bind_topic_id(s, 2, d.topic_key);
    s.bindNoCopy(3, to_string(d.kind).data());  // a literal: NUL-terminated
    s.bindNoCopy(4, d.front);
    s.bindNoCopy(5, d.back);
    s.bindNoCopy(6, d.source);
    s.bindNoCopy(7, tags);
    s.bind(8, d.order);
    if (write.id == 0)
      s.bind(9, today);
    else
      s.bind(9, static_cast<int64_t>(write.id));
    s.bind(10, write.from_deck ? 1 : 0);
    s.bindNoCopy(11, d.quality);
    s.bindNoCopy(12, d.quality_reason);
    s.exec();
  }
  insert.clearBindings();
  update.clearBindings();
  if (!plan.card_writes.empty()) impl_->recount_new_cards();
  for (long long id : plan.retire_ids) {
    auto& s = impl_->statement("UPDATE cards SET retired = 1 WHERE id = ? AND retired = 0");
    s.bind(1, static_cast<int64_t>(id));
    s.exec();
  }
  if (plan.from_deck) return;
  db.exec("CREATE TEMP TABLE IF NOT EXISTS seen_gaps(gap_key TEXT PRIMARY KEY)");
  db.exec("DELETE FROM temp.seen_gaps");
  for (const auto& gap : plan.gaps) {
    auto& s = impl_->statement(
        "INSERT INTO gaps(gap_key, text, tier, recurring, origin, resolved_day, note, "
        "in_tracker) VALUES (?1, ?2, ?3, ?4, 'tracker', ?5, ?6, 1) "
        "ON CONFLICT(gap_key) DO UPDATE SET text = excluded.text, tier = excluded.tier, "
        "recurring = excluded.recurring, resolved_day = excluded.resolved_day, "
        "note = excluded.note, in_tracker = 1 WHERE text IS NOT excluded.text OR "
        "tier IS NOT excluded.tier OR recurring IS NOT excluded.recurring OR "
        "resolved_day IS NOT excluded.resolved_day OR note IS NOT excluded.note OR "
        "in_tracker != 1");
    s.bind(1, gap.gap_key);
    s.bind(2, gap.text);
    s.bind(3, gap.tier);
    s.bind(4, gap.recurring ? 1 : 0);
    bind_optional_day(s, 5, parse_day(gap.resolution_date));
    s.bind(6, gap.note);
    s.exec();
    auto& seen = impl_->statement("INSERT OR IGNORE INTO temp.seen_gaps VALUES (?)");
    seen.bind(1, gap.gap_key);
    seen.exec();
    // Links are few per gap: replace them only when they differ.
    auto& current = impl_->statement(
        "SELECT group_concat(c.identity, char(10)) FROM (SELECT c.identity FROM gap_cards gc "
        "JOIN cards c ON c.id = gc.card_id JOIN gaps g ON g.id = gc.gap_id "
        "WHERE g.gap_key = ? ORDER BY c.identity) c");
    current.bind(1, gap.gap_key);
    current.executeStep();
    const std::string have = current.getColumn(0).getString();
    current.reset();
    std::vector<std::string> wanted = gap.card_identities;
    std::sort(wanted.begin(), wanted.end());
    std::string want;
    for (const auto& identity : wanted) want += (want.empty() ? "" : "\n") + identity;
    if (have == want) continue;
    auto& clear = impl_->statement(
        "DELETE FROM gap_cards WHERE gap_id = (SELECT id FROM gaps WHERE gap_key = ?)");
    clear.bind(1, gap.gap_key);
    clear.exec();
    for (const auto& identity : wanted) {
      auto& link = impl_->statement(
          "INSERT OR IGNORE INTO gap_cards(gap_id, card_id) SELECT g.id, c.id FROM gaps g, "
          "cards c WHERE g.gap_key = ? AND c.identity = ?");
      link.bind(1, gap.gap_key);
      link.bind(2, identity);
      link.exec();
    }
  }
  db.exec(
      "UPDATE gaps SET in_tracker = 0 WHERE in_tracker = 1 AND origin = 'tracker' AND "
      "gap_key NOT IN (SELECT gap_key FROM temp.seen_gaps)");
  // The tracker's interview date (tracker_interview_date(), store_stats.cpp).
  if (plan.interview_date)
    impl_->write_setting("tracker-interview-date", format_day(*plan.interview_date));
  else
    impl_->erase_setting("tracker-interview-date");
  if (plan.source_path) impl_->write_setting("tracker-path", *plan.source_path);
}

}  // namespace recall
