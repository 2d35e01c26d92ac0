// Internal to the store layer: the connection and its prepared statements,
// shared by the store_*.cpp files that implement parts of recall::Store.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "recall/error.h"
#include "recall/store.h"

namespace recall {

namespace store_detail {
inline constexpr int kBusyTimeoutMs = 10000;

// Columns of a Card, in the order read_card() reads them.
inline constexpr const char* kCardColumns =
    "c.id, c.identity, c.kind, c.front, c.back, c.source, c.tags, c.topic_id, "
    "t.label, t.title, t.topic_key, d.letter, d.name, d.weight, c.repetitions, c.easiness, "
    "c.interval_days, c.due_day, c.lapses, c.suspended, c.retired, c.position, c.created_day";
// A card's topic and domain, joined to `c`.
inline constexpr const char* kTopicJoins =
    " LEFT JOIN topics t ON t.id = c.topic_id LEFT JOIN domains d ON d.id = t.domain_id ";
inline const std::string kCardJoins = std::string(" FROM cards c") + kTopicJoins;

// A new card: never studied and in the queue (the partial indexes cards_new,
// cards_topic_new and the new_cards tally use the same condition).
inline constexpr const char* kNewCardSql = "c.due_day IS NULL AND c.suspended = 0 AND c.retired = 0";

// Linked to an open (high or medium) knowledge gap: what cards.gap_open keeps.
inline constexpr const char* kOpenGapLinkSql =
    "EXISTS (SELECT 1 FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id"
    " WHERE gc.card_id = c.id AND g.tier IN ('high', 'medium'))";

inline constexpr const char* kEntryColumns =
    "c.id, COALESCE(c.topic_id, 0), COALESCE(t.position, 0), c.position, c.due_day, "
    "c.easiness, c.lapses, COALESCE(d.weight, 0)";

// A domain letter column: 0 when NULL or empty (a card without topic).
inline char letter_of(const SQLite::Column& column) {
  if (column.isNull()) return 0;
  const std::string text = column.getString();
  return text.empty() ? 0 : text[0];
}

inline std::optional<Day> optional_day(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return static_cast<Day>(column.getInt());
}

template <typename Key>
inline void bind_optional_day(SQLite::Statement& statement, Key key, std::optional<Day> day) {
  if (day)
    statement.bind(key, *day);
  else
    statement.bind(key);
}

inline Card read_card(SQLite::Statement& s) {
  Card card;
  card.id = s.getColumn(0).getInt64();
  card.identity = s.getColumn(1).getString();
  card.kind = card_kind_from_string(s.getColumn(2).getString());
  card.front = s.getColumn(3).getString();
  card.back = s.getColumn(4).getString();
  card.source = s.getColumn(5).getString();
  card.tags = s.getColumn(6).getString();
  card.topic_id = s.getColumn(7).isNull() ? 0 : s.getColumn(7).getInt64();
  card.topic_label = s.getColumn(8).getString();
  card.topic_title = s.getColumn(9).getString();
  card.topic_key = s.getColumn(10).getString();
  card.domain_letter = letter_of(s.getColumn(11));
  card.domain_name = s.getColumn(12).getString();
  card.domain_weight = s.getColumn(13).getInt();
  card.state.repetitions = s.getColumn(14).getInt();
  card.state.easiness_milli = s.getColumn(15).getInt();
  card.state.interval_days = s.getColumn(16).getInt();
  card.state.due_day = optional_day(s.getColumn(17));
  card.state.lapses = s.getColumn(18).getInt();
  card.suspended = s.getColumn(19).getInt() != 0;
  card.retired = s.getColumn(20).getInt() != 0;
  card.position = s.getColumn(21).getInt();
  card.created_day = s.getColumn(22).getInt();
  return card;
}

inline QueueEntry read_entry(SQLite::Statement& s) {
  QueueEntry entry;
  entry.id = s.getColumn(0).getInt64();
  entry.topic_id = s.getColumn(1).getInt64();
  entry.topic_position = s.getColumn(2).getInt();
  entry.position = s.getColumn(3).getInt();
  entry.due_day = optional_day(s.getColumn(4));
  entry.easiness_milli = s.getColumn(5).getInt();
  entry.lapses = s.getColumn(6).getInt();
  entry.domain_weight = s.getColumn(7).getInt();
  return entry;
}

inline constexpr const char* kReviewColumns =
    "id, card_id, day, answered_at, grade, kind, note, before_repetitions, before_easiness, "
    "before_interval, before_due, before_lapses, after_repetitions, after_easiness, "
    "after_interval, after_due, after_lapses";

inline ReviewLog read_review(SQLite::Statement& s) {
  ReviewLog log;
  log.id = s.getColumn(0).getInt64();
  log.card_id = s.getColumn(1).getInt64();
  log.day = s.getColumn(2).getInt();
  log.answered_at = s.getColumn(3).getString();
  log.grade = s.getColumn(4).getInt();
  log.kind = s.getColumn(5).getString() == "redrill" ? ReviewKind::kRedrill : ReviewKind::kReview;
  if (!s.getColumn(6).isNull()) log.note = s.getColumn(6).getString();
  log.before = {s.getColumn(7).getInt(), s.getColumn(8).getInt(), s.getColumn(9).getInt(),
                optional_day(s.getColumn(10)), s.getColumn(11).getInt()};
  log.after = {s.getColumn(12).getInt(), s.getColumn(13).getInt(), s.getColumn(14).getInt(),
               optional_day(s.getColumn(15)), s.getColumn(16).getInt()};
  return log;
}


}  // namespace store_detail

struct Store::Impl {
  explicit Impl(const std::string& path)
      // NOMUTEX: a Store is used by one thread at a time (store.h); SQLite's
      // serialized mode locked a mutex around every call (~10% of reading
      // a 1M-row log).
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
           store_detail::kBusyTimeoutMs) {}

  // After inserting cards (schema.sql: no insert trigger keeps the tally).
  void recount_new_cards() {
    statement(std::string("UPDATE tallies SET value = (SELECT COUNT(*) FROM cards c WHERE ") +
              store_detail::kNewCardSql + ") WHERE name = 'new_cards'").exec();
  }

  // The row count of `table`, to size a vector before reading it whole.
  std::size_t row_count(const std::string& table) {
    auto& s = statement("SELECT COUNT(*) FROM " + table);
    s.executeStep();
    const auto count = static_cast<std::size_t>(s.getColumn(0).getInt64());
    s.reset();
    return count;
  }

  // The WHERE fragment of a queue query for `filter` on `day` (store.cpp):
  // only the conditions the filter sets, so an unfiltered query stays simple
  // to prepare and plan. Binds :topic, :domain and :day (bind_filter).
  std::string filter_sql(const CardFilter& filter, Day day);

  // Whether cards.fail_last / fail_prev can answer for `day` (store.cpp).
  bool failure_days_current(Day day);
  // Store::recurring_card_ids.
  std::vector<long long> recurring_ids(Day day);
  // A due-card query in drill order: `conditions` ("AND ..." on c) and the
  // filter; binds :day, :limit and the filter's names.
  std::string due_walk_sql(const CardFilter& filter, Day day, const std::string& conditions);
  // The due cards of one risk tier (recurring by the log rule; linked to an
  // open gap and not recurring; neither), or all of them, not in `except`,
  // in drill order, at most `limit`.
  enum class DueTier { kAll, kRecurring, kGapLinked, kOther };
  std::vector<QueueEntry> due_tier(Day day, const CardFilter& filter, int limit, DueTier tier,
                                   const std::set<long long>& except);

  // Prepared once, reset and reused: the drill asks the same few questions.
  SQLite::Statement& statement(const std::string& sql) {
    auto found = statements.find(sql);
    if (found == statements.end()) {
      found = statements.emplace(sql, std::make_unique<SQLite::Statement>(db, sql)).first;
    } else {
      found->second->reset();
      found->second->clearBindings();
    }
    return *found->second;
  }

  // A cached statement left mid-result keeps a read transaction open, and
  // BEGIN IMMEDIATE on that stale snapshot fails at once with "database is
  // locked" (SQLITE_BUSY_SNAPSHOT: the busy timeout does not apply) when
  // another process wrote meanwhile. Every write transaction calls this first.
  void end_reads() {
    for (auto& entry : statements) entry.second->tryReset();
  }

  // Binds what filter_sql() and the query around it name.
  void bind_filter(SQLite::Statement& s, const CardFilter& filter, Day day) {
    if (filter.topic_label) s.bind(":topic", *filter.topic_label);
    if (filter.domain_letter) s.bind(":domain", std::string(1, *filter.domain_letter));
    if (const int index = s.getIndex(":day")) s.bind(index, day);
  }

  void write_card_state(long long card_id, const Sm2State& state) {
    auto& s = statement(
        "UPDATE cards SET repetitions = ?, easiness = ?, interval_days = ?, due_day = ?, "
        "lapses = ? WHERE id = ?");
    s.bind(1, state.repetitions);
    s.bind(2, state.easiness_milli);
    s.bind(3, state.interval_days);
    if (state.due_day)
      s.bind(4, *state.due_day);
    else
      s.bind(4);
    s.bind(5, state.lapses);
    s.bind(6, static_cast<int64_t>(card_id));
    s.exec();
  }

  // Inside the caller's transaction; writes only when the value differs.
  void write_setting(const std::string& key, const std::string& value) {
    auto& s = statement(
        "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) "
        "DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value");
    s.bind(1, key);
    s.bind(2, value);
    s.exec();
  }
  void erase_setting(const std::string& key) {
    auto& s = statement("DELETE FROM settings WHERE key = ?");
    s.bind(1, key);
    s.exec();
  }

  SQLite::Database db;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
};

namespace store_detail {

// Runs `body`, turning SQLite failures into recall errors that name the path.
template <typename Body>
auto guarded(const std::string& path, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode();
    std::string what = e.what();
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
      throw Error::io(path + ": not a recall database or damaged (" + what + ")");
    if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
      throw Error::io(path + ": cannot write the database (" + what + ")");
    if (code == SQLITE_FULL || code == SQLITE_IOERR)
      throw Error::io(path + ": " + what + " (disk full or I/O error; nothing was changed)");
    throw Error::io(path + ": " + what);
  }
}

}  // namespace store_detail
}  // namespace recall
