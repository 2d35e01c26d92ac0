// Internal to the store layer: the connection and its prepared statements,
// shared by the store_*.cpp files that implement parts of recall::Store.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "recall/error.h"
#include "recall/memory.h"
#include "recall/rules.h"
#include "recall/store.h"
#include "recall/text.h"

namespace recall {

namespace store_detail {
inline constexpr int kBusyTimeoutMs = 10000;

// The no-op import record's last line: "digest " and Impl::import_digest()
// as it was when the record was written.
inline constexpr const char* kImportDigestPrefix = "digest ";
// The log's size as the reviews_tally triggers keep it (0 when its row is missing).
inline constexpr const char* kReviewTallySql =
    "COALESCE((SELECT value FROM tallies WHERE name = 'reviews'), 0)";

// Columns of a Card, in the order read_card() reads them.
inline constexpr const char* kCardColumns =
    "c.id, c.identity, c.kind, c.front, c.back, c.source, c.tags, c.topic_id, "
    "t.label, t.title, t.topic_key, d.letter, d.name, d.weight, c.repetitions, c.easiness, "
    "c.interval_days, c.due_day, c.lapses, c.suspended, c.retired, c.position, c.created_day, "
    "c.edited, c.quality, c.quality_reason, c.risk, c.reviewed_by, c.reviewed_as, c.reviewed_day, "
    "c.review_reason, c.stability, c.difficulty, c.memory_day";
// kCardColumns' order for a card's outline (Store::card_outlines): the
// texts no reader of outlines uses left empty, the front only of a card
// without a source (its subject is its question), the quality reason only
// of a flagged card.
inline constexpr const char* kOutlineColumns =
    "c.id, '', c.kind, CASE WHEN c.source = '' THEN c.front ELSE '' END, '', "
    "c.source, '', c.topic_id, t.label, t.title, t.topic_key, d.letter, '', d.weight, "
    "c.repetitions, c.easiness, c.interval_days, c.due_day, c.lapses, c.suspended, "
    "c.retired, c.position, c.created_day, c.edited, c.quality, "
    "CASE WHEN c.quality = 'ok' THEN '' ELSE c.quality_reason END, c.risk, c.reviewed_by, "
    "'', c.reviewed_day, '', c.stability, c.difficulty, c.memory_day";
// A card's topic and domain (its topic's, else its own), joined to `c`.
inline constexpr const char* kTopicJoins =
    " LEFT JOIN topics t ON t.id = c.topic_id "
    "LEFT JOIN domains d ON d.id = COALESCE(t.domain_id, c.domain_id) ";
inline const std::string kCardJoins = std::string(" FROM cards c") + kTopicJoins;

// A new card: never studied and in the queue (the partial indexes cards_new,
// cards_topic_new and the new_cards tally use the same condition).
inline constexpr const char* kNewCardSql =
    "c.due_day IS NULL AND c.suspended = 0 AND c.retired = 0";

// The drafts: never-studied cards flagged "review", what waits while the
// setting drafts is "wait" (Impl::drafts_wait).
inline const std::string kDraftSql = std::string(kNewCardSql) + " AND c.quality = 'review'";

// The counts the tallies table keeps (schema.sql): each by its name, its
// name in `recall check`'s messages and the condition on a card `c` it
// counts. What the store recounts after inserting cards and `recall check`
// verifies.
struct Tally {
  std::string name, label, where;
};
inline const std::vector<Tally>& tallies() {
  static const std::vector<Tally> kept = {
      {"new_cards", "new-card", kNewCardSql},
      {"drafts", "drafts", kDraftSql},
      {"flagged", "flagged", "c.quality = 'review' AND c.retired = 0"},
      {"unreviewed", "unreviewed", "c.reviewed_by = '' AND c.retired = 0"}};
  return kept;
}

// The context line a topic's cards open with (cardgen context_line, from
// the topic's row): "[A.8 Evaluation Metrics · A. ML Fundamentals]".
inline std::string topic_context_line(const std::string& label, const std::string& title,
                                      const std::string& domain_letter,
                                      const std::string& domain_name) {
  std::string line = "[" + label + " " + title;
  if (!domain_name.empty())
    line += " · " + (domain_letter.empty() ? std::string() : domain_letter + ". ") + domain_name;
  return line + "]";
}

// `text` with its context line (if any) replaced by `context` (a topic's
// line, without its newline), or taken away when `context` is empty.
inline std::string with_context_line_replaced(const std::string& text,
                                              const std::string& context) {
  const std::string rest = text.substr(context_line_size(text));
  return context.empty() ? rest : context + "\n" + rest;
}

// A card added by hand (add_cards, recall add): its identity is 'manual|…',
// which no rule makes, so an import never matches, changes or unlinks it.
inline constexpr const char* kByHandCardSql = "c.identity LIKE 'manual|%'";

// Linked to an open (high or medium) knowledge gap: what cards.gap_open keeps.
inline constexpr const char* kOpenGapLinkSql =
    "EXISTS (SELECT 1 FROM gap_cards gc JOIN gaps g ON g.id = gc.gap_id"
    " WHERE gc.card_id = c.id AND g.tier IN ('high', 'medium'))";

// A card of an open gap, for the new cards' order: linked to one (gap_open),
// or one's own gap or discrimination card (made from its text).
inline constexpr const char* kOpenGapCardSql =
    "(c.gap_open = 1 OR (c.kind IN ('gap', 'discrimination') AND EXISTS (SELECT 1 FROM gaps g "
    "WHERE g.text = c.source AND g.tier IN ('high', 'medium'))))";
// The cards of the gaps `gaps` names (a table or CTE with columns id and
// text): those linked to them (gap_cards) and their own gap and
// discrimination cards, made from their text (cards_gap_kind). Walked from
// the gaps, few beside the cards: what a query restricted to some gaps'
// cards selects from, instead of testing every card against every gap.
inline std::string gap_cards_sql(const std::string& gaps) {
  return "SELECT gc.card_id FROM gap_cards gc WHERE gc.gap_id IN (SELECT id FROM " + gaps +
         ") UNION SELECT id FROM cards WHERE kind IN ('gap', 'discrimination') AND source IN "
         "(SELECT text FROM " +
         gaps + ")";
}

// The gaps card `c` drills, by id: those it is linked to (the rules' links
// and the tutor's) and, for a gap or discrimination card, the gap whose text
// it was made from, as gap_cards_sql counts them the other way round. A list
// looked up by id: an OR of the two inside a WHERE on gaps made SQLite test
// every gap against every card, the list re-run per gap.
inline constexpr const char* kCardGapIdsSql =
    "SELECT gap_id FROM gap_cards WHERE card_id = c.id UNION ALL SELECT id FROM gaps "
    "WHERE c.kind IN ('gap', 'discrimination') AND text = c.source";

// Its rank (QueueEntry::gap_rank): 0 a recurring gap, 1 High, 2 Medium.
inline const std::string kGapRankSql =
    std::string("(SELECT MIN(CASE WHEN g.recurring <> 0 THEN 0 WHEN g.tier = 'high' THEN 1 "
                "ELSE 2 END) FROM gaps g WHERE g.tier IN ('high', 'medium') AND g.id IN (") +
    kCardGapIdsSql + "))";

inline constexpr const char* kEntryColumns =
    "c.id, COALESCE(c.topic_id, 0), COALESCE(t.position, 0), c.position, c.due_day, "
    "c.risk, c.lapses, COALESCE(d.weight, 0)";

// One card's answers in replay order: by day, then in the order they were
// logged (id). Read by card and id (the reviews_card index), they are in
// that order unless the log holds an answer dated before an earlier one
// (written before such answers were refused; `recall check` reports it and
// `recall check --repair` re-dates it); only then are they re-sorted, stably,
// so every replay (memory, stats, optimize, card) reads one order and never
// sees a day go back. `rows[i]`'s day is `day_of(i)`; returns the order.
template <class DayOf>
std::vector<std::size_t> replay_order(std::size_t count, DayOf day_of) {
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  bool sorted = true;
  for (std::size_t i = 1; i < count && sorted; ++i) sorted = day_of(i - 1) <= day_of(i);
  if (!sorted)
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return day_of(a) < day_of(b); });
  return order;
}
template <class T>
void apply_order(std::vector<T>& rows, const std::vector<std::size_t>& order) {
  std::vector<T> sorted;
  sorted.reserve(rows.size());
  for (std::size_t i : order) sorted.push_back(std::move(rows[i]));
  rows = std::move(sorted);
}

// A card's answers as read by id, put in replay order (replay_order).
inline void order_for_replay(fsrs::ReviewLog& log) {
  apply_order(log, replay_order(log.size(), [&](std::size_t i) { return log[i].day; }));
}

// The memory kept with a card whose log, as read by id, is `log`.
inline std::optional<KeptMemory> replayed_memory(fsrs::ReviewLog log, const fsrs::Parameters& w) {
  order_for_replay(log);
  return replay_kept_memory(log, w);
}

// The highest review id when a phone import last wrote a card's answers
// again under new ids (store_phone.cpp): `recall undo` (Store::undo_last)
// takes back only answers logged after it, the ones given here since.
inline constexpr const char* kUndoFloorSetting = "undo-floor";

// cards.edited for an edit made now: the Unix time in seconds (schema.sql).
inline constexpr const char* kEditTimeSql = "MAX(CAST(strftime('%s', 'now') AS INTEGER), 2)";

// A domain letter column: 0 when NULL or empty (a card without topic).
inline char letter_of(const SQLite::Column& column) {
  return column.getBytes() > 0 ? column.getText()[0] : 0;  // getText is "" for NULL
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

// A row id that may be NULL (a card's topic, the tracker's topic for it).
inline std::optional<long long> optional_id(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

template <typename Key>
inline void bind_optional_id(SQLite::Statement& statement, Key key, std::optional<long long> id) {
  if (id)
    statement.bind(key, static_cast<int64_t>(*id));
  else
    statement.bind(key);
}

// The columns of a stepped statement, made once and read for every row:
// SQLite::Statement::getColumn builds a Column (holding a shared_ptr to the
// statement) per call, which was a third of reading a 1M-row log. A Row
// needs a current row to be made, and stays valid across steps and resets.
class Row {
 public:
  explicit Row(SQLite::Statement& s) {
    columns_.reserve(static_cast<std::size_t>(s.getColumnCount()));
    for (int i = 0; i < s.getColumnCount(); ++i) columns_.push_back(s.getColumn(i));
  }
  bool null(int i) const { return column(i).isNull(); }
  int integer(int i) const { return column(i).getInt(); }
  long long int64(int i) const { return column(i).getInt64(); }
  double real(int i) const { return column(i).getDouble(); }
  // The column as text; empty when NULL.
  std::string_view view(int i) const {
    const SQLite::Column& c = column(i);
    const char* text = c.getText();
    return std::string_view(text, static_cast<std::size_t>(c.getBytes()));
  }
  std::string text(int i) const { return std::string(view(i)); }
  std::optional<Day> day(int i) const { return optional_day(column(i)); }
  char letter(int i) const { return letter_of(column(i)); }

 private:
  // Checked, as getColumn was: a reader out of step with its SELECT throws.
  const SQLite::Column& column(int i) const { return columns_.at(static_cast<std::size_t>(i)); }
  std::vector<SQLite::Column> columns_;
};

// The kept memory in columns `first`.. (stability, difficulty, memory_day);
// nullopt when the card was never answered (all three NULL).
inline std::optional<KeptMemory> read_kept_memory(const Row& row, int first) {
  if (row.null(first + 2)) return std::nullopt;
  return KeptMemory{{row.real(first), row.real(first + 1)}, row.integer(first + 2)};
}

inline Card read_card(const Row& row) {
  Card card;
  card.id = row.int64(0);
  card.identity = row.text(1);
  card.kind = card_kind_from_string(row.view(2));
  card.front = row.text(3);
  card.back = row.text(4);
  card.source = row.text(5);
  card.tags = row.text(6);
  card.topic_id = row.null(7) ? 0 : row.int64(7);
  card.topic_label = row.text(8);
  card.topic_title = row.text(9);
  card.topic_key = row.text(10);
  card.domain_letter = row.letter(11);
  card.domain_name = row.text(12);
  card.domain_weight = row.integer(13);
  card.state.repetitions = row.integer(14);
  card.state.easiness_milli = row.integer(15);
  card.state.interval_days = row.integer(16);
  card.state.due_day = row.day(17);
  card.state.lapses = row.integer(18);
  card.suspended = row.integer(19) != 0;
  card.retired = row.integer(20) != 0;
  card.position = row.integer(21);
  card.created_day = row.integer(22);
  card.edited = row.integer(23) != 0;
  card.quality = row.text(24);
  card.quality_reason = row.text(25);
  card.risk = row.integer(26);
  card.reviewed_by = row.text(27);
  card.reviewed_as = row.text(28);
  card.reviewed_day = row.day(29);
  card.review_reason = row.text(30);
  card.memory = read_kept_memory(row, 31);
  return card;
}

inline QueueEntry read_entry(const Row& row) {
  QueueEntry entry;
  entry.id = row.int64(0);
  entry.topic_id = row.int64(1);
  entry.topic_position = row.integer(2);
  entry.position = row.integer(3);
  entry.due_day = row.day(4);
  entry.risk = row.integer(5);
  entry.lapses = row.integer(6);
  entry.domain_weight = row.integer(7);
  return entry;
}

inline constexpr const char* kReviewColumns =
    "id, card_id, day, answered_at, grade, kind, note, before_repetitions, before_easiness, "
    "before_interval, before_due, before_lapses, after_repetitions, after_easiness, "
    "after_interval, after_due, after_lapses, before_risk, after_risk, scheduler, source, "
    "COALESCE(button, 0), COALESCE(phone_id, 0)";

// A logged answer's kind, from its `kind` column (to_string's inverse).
inline ReviewKind review_kind(std::string_view text) {
  if (text == "redrill") return ReviewKind::kRedrill;
  return text == "tutor" ? ReviewKind::kTutor : ReviewKind::kReview;
}

// A logged answer's source, from its `source` column.
inline ReviewSource review_source(std::string_view text) {
  if (text == "phone") return ReviewSource::kPhone;
  return text == "tutor" ? ReviewSource::kTutor : ReviewSource::kDrill;
}

inline ReviewLog read_review(const Row& row) {
  ReviewLog log;
  log.id = row.int64(0);
  log.card_id = row.int64(1);
  log.day = row.integer(2);
  log.answered_at = row.text(3);
  log.grade = row.integer(4);
  log.kind = review_kind(row.view(5));
  if (!row.null(6)) log.note = row.text(6);
  log.before = {row.integer(7), row.integer(8), row.integer(9), row.day(10), row.integer(11)};
  log.after = {row.integer(12), row.integer(13), row.integer(14), row.day(15), row.integer(16)};
  log.before_risk = row.integer(17);
  log.after_risk = row.integer(18);
  log.scheduler = parse_scheduler(row.view(19)).value_or(SchedulerKind::kSm2);
  log.source = review_source(row.view(20));
  log.button = row.integer(21);
  log.phone_id = row.int64(22);
  return log;
}

// What the feedback rules read of a logged answer, in read_outcome's order.
inline constexpr const char* kOutcomeColumns = "id, card_id, day, grade, kind, note";

inline ReviewOutcome read_outcome(const Row& row) {
  ReviewOutcome outcome;
  outcome.id = row.int64(0);
  outcome.card_id = row.int64(1);
  outcome.day = row.integer(2);
  outcome.grade = row.integer(3);
  outcome.kind = review_kind(row.view(4));
  if (!row.null(5)) outcome.note = row.text(5);
  return outcome;
}

// One row each: the statement's current row.
inline Card read_card(SQLite::Statement& s) { return read_card(Row(s)); }
inline ReviewLog read_review(SQLite::Statement& s) { return read_review(Row(s)); }

// Every row of `s` read by `read` (a function of a Row), in order.
template <typename Read>
inline void for_each_row(SQLite::Statement& s, Read&& read) {
  std::optional<Row> row;
  while (s.executeStep()) {
    if (!row) row.emplace(s);
    read(*row);
  }
}

// Card text rules (store_cards.cpp): throws Error(kUsage) naming
// `argument` when `text` cannot be a card's front or back; `text` with the
// context line of `stored` when it has none of its own.
void require_card_text(const std::string& text, const char* argument);
std::string with_context_line(const std::string& text, const std::string& stored);

}  // namespace store_detail

struct Store::Impl {
  explicit Impl(const std::string& path)
      // NOMUTEX: a Store is used by one thread at a time (store.h); SQLite's
      // serialized mode locked a mutex around every call (~10% of reading
      // a 1M-row log).
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
           store_detail::kBusyTimeoutMs) {}

  // After inserting cards (schema.sql: no insert trigger keeps the tally).
  void recount_tallies() {
    for (const auto& tally : store_detail::tallies())
      statement("UPDATE tallies SET value = (SELECT COUNT(*) FROM cards c WHERE " + tally.where +
                ") WHERE name = '" + tally.name + "'")
          .exec();
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
  // A due-card query in drill order: `conditions` ("AND ..." on c) and the
  // filter; binds :day, :limit and the filter's names.
  std::string due_walk_sql(const CardFilter& filter, Day day, const std::string& conditions);
  // The due cards of one risk tier (recurring by the log rule; linked to an
  // open gap and not recurring; neither), or all of them, not in `except`,
  // in drill order, at most `limit`.
  enum class DueTier { kAll, kRecurring, kGapLinked, kOther };
  std::vector<QueueEntry> due_tier(Day day, const CardFilter& filter, int limit, DueTier tier,
                                   const std::set<long long>& except);

  // What a no-op import record vouches for, as 16 hex digits: every row an
  // import reads or writes (`cards`, the cards' content as card_contents()
  // reads it; topics, domains, gaps and their links, the tracker's path and
  // interview date), not the schedule. The same in every build (store.cpp).
  std::string import_digest(const std::vector<StoredCardContent>& cards);
  // The digest the no-op import record was written with (store_check.cpp);
  // nullopt without a record, or for one written before schema 4.
  std::optional<std::string> recorded_import_digest();

  // Prepared once, reset and reused: the drill asks the same few questions.
  SQLite::Statement& statement(const std::string& sql) {
    auto found = statements.find(sql);
    if (found == statements.end()) {
      found = statements.emplace(sql, Cached{std::make_unique<SQLite::Statement>(db, sql)}).first;
    } else {
      found->second.statement->reset();
      found->second.statement->clearBindings();
    }
    Cached& cached = found->second;
    if (!cached.in_use) {
      cached.in_use = true;
      in_use.push_back(&cached);
    }
    return *cached.statement;
  }

  // A cached statement left mid-result keeps a read transaction open, and
  // BEGIN IMMEDIATE on that stale snapshot fails at once with "database is
  // locked" (SQLITE_BUSY_SNAPSHOT: the busy timeout does not apply) when
  // another process wrote meanwhile. Every write transaction calls this first.
  // Also called when a Store method returns (guarded below), so no read
  // snapshot outlives the call: a long-lived process (recall mcp, a drill)
  // sees what another process committed since at its next read.
  void end_reads() {
    for (Cached* cached : in_use) {
      cached->statement->tryReset();
      cached->in_use = false;
    }
    in_use.clear();
  }

  // The read snapshot a Store::ReadScope holds (BEGIN DEFERRED .. COMMIT).
  bool snapshot = false;
  // A Store::Rehearsal's transaction (BEGIN IMMEDIATE .. ROLLBACK): every
  // write transaction inside it is a savepoint, undone with it.
  bool rehearsal = false;
  void end_snapshot() {
    if (!snapshot) return;
    end_reads();
    snapshot = false;
    db.exec("COMMIT");
  }
  // What every transaction of the store does first (WriteTransaction,
  // Rehearsal, check's snapshot): no statement left mid-result and no read
  // snapshot of a ReadScope pins an older state.
  void before_transaction() {
    end_reads();
    end_snapshot();
  }

  // Binds what filter_sql() and the query around it name.
  void bind_filter(SQLite::Statement& s, const CardFilter& filter, Day day) {
    if (filter.topic_label) s.bind(":topic", *filter.topic_label);
    if (filter.domain_letter) s.bind(":domain", std::string(1, *filter.domain_letter));
    if (const int index = s.getIndex(":day")) s.bind(index, day);
    bind_rules(s, day);
  }

  // Binds the rules (rules.h) a statement names: :since (the first day of
  // the window ending on `day`), :fail_days and :passing.
  static void bind_rules(SQLite::Statement& s, Day day) {
    if (const int index = s.getIndex(":since")) s.bind(index, window_start(day));
    if (const int index = s.getIndex(":fail_days")) s.bind(index, kRules.recurring_fail_days);
    if (const int index = s.getIndex(":passing")) s.bind(index, kPassingGrade);
  }

  void write_card_state(long long card_id, const Sm2State& state, int risk) {
    auto& s = statement(
        "UPDATE cards SET repetitions = ?, easiness = ?, interval_days = ?, due_day = ?, "
        "lapses = ?, risk = ? WHERE id = ?");
    bind_card_state(s, card_id, state, risk);
    s.exec();
  }
  // The state an answer leaves, its kept memory with it, in one write.
  void write_card_state(long long card_id, const Sm2State& state, int risk,
                        const KeptMemory& memory) {
    auto& s = statement(
        "UPDATE cards SET repetitions = ?, easiness = ?, interval_days = ?, due_day = ?, "
        "lapses = ?, risk = ?, stability = ?8, difficulty = ?9, memory_day = ?10 WHERE id = ?7");
    bind_card_state(s, card_id, state, risk);
    s.bind(8, memory.state.stability);
    s.bind(9, memory.state.difficulty);
    s.bind(10, memory.day);
    s.exec();
  }
  static void bind_card_state(SQLite::Statement& s, long long card_id, const Sm2State& state,
                              int risk) {
    s.bind(1, state.repetitions);
    s.bind(2, state.easiness_milli);
    s.bind(3, state.interval_days);
    if (state.due_day)
      s.bind(4, *state.due_day);
    else
      s.bind(4);
    s.bind(5, state.lapses);
    s.bind(6, risk);
    s.bind(7, static_cast<int64_t>(card_id));
  }

  // Writes `log` as a row of the review log, inside the caller's
  // transaction: under its own id when it has one (check --repair writes a
  // repaired row again), else under the next one. Returns the row's id.
  long long insert_review(const ReviewLog& log) {
    auto& insert = statement(
        "INSERT INTO reviews(id, card_id, day, answered_at, grade, kind, note, "
        "before_repetitions, before_easiness, before_interval, before_due, before_lapses, "
        "after_repetitions, after_easiness, after_interval, after_due, after_lapses, "
        "before_risk, after_risk, scheduler, source, button, phone_id) "
        "VALUES (:id, :card, :day, :at, :grade, :kind, :note, :br, :be, :bi, :bd, :bl, :ar, :ae, "
        ":ai, :ad, :al, :brisk, :arisk, :scheduler, :source, :button, :phone)");
    if (log.id)
      insert.bind(":id", static_cast<int64_t>(log.id));
    else
      insert.bind(":id");  // NULL: AUTOINCREMENT's next id
    insert.bind(":card", static_cast<int64_t>(log.card_id));
    insert.bind(":day", log.day);
    insert.bind(":at", log.answered_at);
    insert.bind(":grade", log.grade);
    insert.bind(":kind", std::string(to_string(log.kind)));
    if (log.note)
      insert.bind(":note", *log.note);
    else
      insert.bind(":note");
    insert.bind(":br", log.before.repetitions);
    insert.bind(":be", log.before.easiness_milli);
    insert.bind(":bi", log.before.interval_days);
    store_detail::bind_optional_day(insert, ":bd", log.before.due_day);
    insert.bind(":bl", log.before.lapses);
    insert.bind(":ar", log.after.repetitions);
    insert.bind(":ae", log.after.easiness_milli);
    insert.bind(":ai", log.after.interval_days);
    store_detail::bind_optional_day(insert, ":ad", log.after.due_day);
    insert.bind(":al", log.after.lapses);
    insert.bind(":brisk", log.before_risk);
    insert.bind(":arisk", log.after_risk);
    insert.bind(":scheduler", std::string(to_string(log.scheduler)));
    insert.bind(":source", std::string(to_string(log.source)));
    if (log.button)
      insert.bind(":button", log.button);
    else
      insert.bind(":button");
    if (log.phone_id)
      insert.bind(":phone", static_cast<int64_t>(log.phone_id));
    else
      insert.bind(":phone");
    insert.exec();
    return db.getLastInsertRowid();
  }

  // Removes review row `id` inside the caller's transaction (triggers
  // recount what derives from it); the card's state is the caller's.
  void delete_review(long long id) {
    auto& remove = statement("DELETE FROM reviews WHERE id = ?");
    remove.bind(1, static_cast<int64_t>(id));
    remove.exec();
  }

  // A card's rows chain its states (each before-state is the previous
  // after-state): removing one with a later row would break the chain.
  // Throws Error(kData) naming the later row.
  void refuse_undo_before_later(const ReviewLog& log) {
    auto& later = statement(
        "SELECT id FROM reviews INDEXED BY reviews_card WHERE card_id = ? AND id > ? "
        "ORDER BY id DESC LIMIT 1");
    later.bind(1, static_cast<int64_t>(log.card_id));
    later.bind(2, static_cast<int64_t>(log.id));
    if (later.executeStep()) {
      const long long other = later.getColumn(0).getInt64();
      later.reset();
      throw Error::data("card " + std::to_string(log.card_id) +
                        " was answered again after answer " + std::to_string(log.id) + " (answer " +
                        std::to_string(other) + "); only a card's latest answer can be undone");
    }
    later.reset();
  }

  // Undoes `log`, its card's latest row, inside the caller's transaction:
  // the card goes back to the row's before-state (a redrill row never moved
  // it) and the row leaves the log (triggers recount what derives from it).
  void remove_review(const ReviewLog& log) {
    if (log.kind != ReviewKind::kRedrill)
      write_card_state(log.card_id, log.before, log.before_risk);
    delete_review(log.id);
    refresh_memory(log.card_id);
  }

  // Whether card `id` is retired and how it was reviewed (reviewed_as).
  // Throws Error(kData) when there is no such card.
  std::pair<bool, std::string> review_state(long long id) {
    auto& s = statement("SELECT retired, reviewed_as FROM cards WHERE id = ?");
    s.bind(1, static_cast<int64_t>(id));
    if (!s.executeStep()) throw Error::data("no card with id " + std::to_string(id));
    std::pair<bool, std::string> state{s.getColumn(0).getInt() != 0, s.getColumn(1).getString()};
    s.reset();
    return state;
  }

  // Setting "drafts" (settings.h): "wait" (the default) keeps cards flagged
  // "review" out of the new cards the drill introduces; "drill" lets them in.
  bool drafts_wait() {
    auto& s = statement("SELECT value FROM settings WHERE key = 'drafts'");
    const bool drill = s.executeStep() && s.getColumn(0).getString() == "drill";
    s.reset();
    return !drill;
  }
  // The never-studied cards the drill may introduce (kNewCardSql, less the
  // drafts that wait).
  std::string introducible_sql() { return introducible_sql(drafts_wait()); }
  // The same for a `drafts_wait()` already read (one read of the setting per
  // query: the index a query forces must match the condition it carries).
  static std::string introducible_sql(bool drafts_wait) {
    return std::string(store_detail::kNewCardSql) + (drafts_wait ? " AND c.quality = 'ok'" : "");
  }
  // The new cards the drill may introduce, unfiltered, from the kept
  // tallies (schema.sql 'new_cards', less 'drafts' while they wait); `recall
  // check` recounts both.
  int introducible_count(bool drafts_wait) {
    auto& s = statement(std::string("SELECT value") +
                        (drafts_wait ? " - (SELECT value FROM tallies WHERE name = 'drafts')" : "") +
                        " FROM tallies WHERE name = 'new_cards'");
    const int count = s.executeStep() ? s.getColumn(0).getInt() : 0;
    s.reset();
    return count;
  }

  // Inside the caller's transaction; writes only when the value differs.
  // New FSRS-6 parameters recompute every card's kept memory in the same
  // transaction.
  void write_setting(const std::string& key, const std::string& value) {
    auto& s = statement(
        "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) "
        "DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value");
    s.bind(1, key);
    s.bind(2, value);
    s.exec();
    if (key == kFsrsParametersSetting && db.getChanges() > 0) refresh_all_memory();
  }
  void erase_setting(const std::string& key) {
    auto& s = statement("DELETE FROM settings WHERE key = ?");
    s.bind(1, key);
    s.exec();
    if (key == kFsrsParametersSetting && db.getChanges() > 0) refresh_all_memory();
  }

  // The parameters the kept memory is computed with (memory.h
  // kept_memory_parameters).
  fsrs::Parameters memory_parameters() {
    auto& s = statement("SELECT value FROM settings WHERE key = ?");
    s.bind(1, std::string(kFsrsParametersSetting));
    std::optional<std::string> stored;
    if (s.executeStep()) stored = s.getColumn(0).getString();
    s.reset();
    return kept_memory_parameters(stored);
  }

  // Writes a card's kept memory (nullopt: never answered).
  void write_memory(long long card_id, const std::optional<KeptMemory>& memory) {
    auto& s =
        statement("UPDATE cards SET stability = ?, difficulty = ?, memory_day = ? WHERE id = ?");
    if (memory) {
      s.bind(1, memory->state.stability);
      s.bind(2, memory->state.difficulty);
      s.bind(3, memory->day);
    } else {
      s.bind(1);
      s.bind(2);
      s.bind(3);
    }
    s.bind(4, static_cast<int64_t>(card_id));
    s.exec();
  }

  // One card's answers as (day, grade), in replay order (Store::memory_log).
  fsrs::ReviewLog memory_log(long long card_id) {
    auto& s = statement("SELECT day, grade FROM reviews WHERE card_id = ? ORDER BY id");
    s.bind(1, static_cast<int64_t>(card_id));
    fsrs::ReviewLog log;
    while (s.executeStep()) log.push_back({s.getColumn(0).getInt(), s.getColumn(1).getInt()});
    s.reset();
    store_detail::order_for_replay(log);
    return log;
  }

  // The card's memory replayed from its log (after an undo, a merge of phone
  // answers or a repair rewrote it) and kept.
  void refresh_memory(long long card_id) {
    write_memory(card_id, replay_kept_memory(memory_log(card_id), memory_parameters()));
  }

  // Every card's memory replayed and kept, in one scan of the log: the
  // schema upgrade that adds it, and new parameters.
  void refresh_all_memory() {
    const fsrs::Parameters w = memory_parameters();
    db.exec(
        "UPDATE cards SET stability = NULL, difficulty = NULL, memory_day = NULL "
        "WHERE memory_day IS NOT NULL");
    auto& s = statement("SELECT card_id, day, grade FROM reviews ORDER BY card_id, id");
    long long card_id = 0;
    fsrs::ReviewLog log;
    auto flush = [&] {
      if (!log.empty()) write_memory(card_id, store_detail::replayed_memory(log, w));
      log.clear();
    };
    while (s.executeStep()) {
      const long long id = s.getColumn(0).getInt64();
      if (id != card_id) {
        flush();
        card_id = id;
      }
      log.push_back({s.getColumn(1).getInt(), s.getColumn(2).getInt()});
    }
    s.reset();
    flush();
  }

  SQLite::Database db;
  struct Cached {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;  // handed out since the last end_reads
  };
  std::unordered_map<std::string, Cached> statements;
  std::vector<Cached*> in_use;  // pointers stay valid: the map holds its values by node
  int calls = 0;  // Store methods running (guarded below): nested ones do not end reads
};

namespace store_detail {

// One write transaction of the store: BEGIN IMMEDIATE .. COMMIT, rolled
// back when it is left without commit(); inside a Store::Rehearsal a
// savepoint, released into the rehearsal (which rolls everything back).
// It ends what would pin an older state first (Impl::before_transaction).
// (A template, as guarded below: Store::Impl is private to Store.)
template <typename Impl>
class WriteTransaction {
 public:
  explicit WriteTransaction(Impl& impl) : impl_(impl), nested_(impl.rehearsal) {
    impl_.before_transaction();
    // A rehearsal SQLite rolled back itself (a full disk, an I/O error): a
    // savepoint now would open a transaction of its own, and commit.
    if (nested_ && sqlite3_get_autocommit(impl_.db.getHandle()) != 0)
      throw Error::io("the dry run's transaction ended early; nothing was written");
    impl_.db.exec(nested_ ? "SAVEPOINT recall_write" : "BEGIN IMMEDIATE");
  }
  ~WriteTransaction() {
    if (done_) return;
    try {
      impl_.db.exec(nested_ ? "ROLLBACK TO recall_write; RELEASE recall_write" : "ROLLBACK");
    } catch (const std::exception&) {
      // SQLite rolls back a failed transaction itself; nothing is left to undo.
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    impl_.db.exec(nested_ ? "RELEASE recall_write" : "COMMIT");
    done_ = true;
  }

 private:
  Impl& impl_;
  bool nested_;
  bool done_ = false;
};

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

// A Store method's body, guarded as above; when the outermost method
// returns (or throws), the statements it left mid-result are reset
// (Impl::end_reads), ending its read snapshot.
template <typename Impl, typename Body>
auto guarded(Impl& impl, const std::string& path, Body&& body) -> decltype(body()) {
  struct Call {
    Impl& impl;
    explicit Call(Impl& i) : impl(i) { ++impl.calls; }
    ~Call() {
      if (--impl.calls == 0) impl.end_reads();
    }
  } call(impl);
  return guarded(path, std::forward<Body>(body));
}

// A live topic named as `topics` lists it, with the context line its cards
// open with: by its label ("a.8" finds A.8 when no topic is labelled
// "a.8"), or, where several topics share the label ("E.34" in three
// domains), by label and title ("E.34 Listing Recommendation System
// Design"); a shared label alone names none.
struct FiledTopic {
  long long id = 0;
  std::string context;  // "[A.8 Evaluation Metrics · A. ML Fundamentals]"
};
template <class Impl>
FiledTopic find_topic(Impl& impl, const std::string& label) {
  auto& find = impl.statement(
      "SELECT t.id, t.label, t.title, d.letter, d.name, "
      "(t.label || ' ' || t.title) = ?1 COLLATE NOCASE AS whole, t.label = ?1 AS exact "
      "FROM topics t LEFT JOIN domains d ON d.id = t.domain_id WHERE t.retired = 0 AND "
      "(t.label = ?1 COLLATE NOCASE OR (t.label || ' ' || t.title) = ?1 COLLATE NOCASE) "
      "ORDER BY whole DESC, exact DESC, t.position");
  find.bind(1, label);
  struct Row {
    long long id;
    std::string label, title, letter, domain;
    bool whole, exact;
  };
  std::vector<Row> rows;
  while (find.executeStep())
    rows.push_back({find.getColumn(0).getInt64(), find.getColumn(1).getString(),
                    find.getColumn(2).getString(), find.getColumn(3).getString(),
                    find.getColumn(4).getString(), find.getColumn(5).getInt() != 0,
                    find.getColumn(6).getInt() != 0});
  find.reset();
  if (rows.empty()) throw Error::data("no topic with label '" + label + "' (see topics)");
  // The first row (ordered so): the label and title, or the one topic with
  // that label (as written before any case: "a.8" finds A.8 when no topic
  // is labelled "a.8").
  const auto alike = std::count_if(rows.begin(), rows.end(),
                                   [&](const Row& row) { return row.exact == rows[0].exact; });
  if (!rows[0].whole && alike > 1) {
    std::string choices;
    for (const Row& row : rows)
      if (row.exact == rows[0].exact)
        choices += (choices.empty() ? "" : "; ") + row.label + " " + row.title;
    throw Error::data("label '" + label + "' names several topics: give its title too (" + choices +
                      ")");
  }
  const Row& row = rows[0];
  return {row.id, topic_context_line(row.label, row.title, row.letter, row.domain)};
}

}  // namespace store_detail
}  // namespace recall
