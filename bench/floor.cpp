// recall_bench_floor: what SQLite alone costs for the writes recall makes,
// on the same files, for the side-by-side with the peer (bench/run.sh).
//
//   recall_bench_floor answers --db FILE --today YYYY-MM-DD --count N
//       N committed answers and nothing else, on the cards a session takes
//       first (not suspended or retired; cards due by --today by due day,
//       then new cards by position; then cards due later, should those run
//       out), each answered once, graded in the peer's cycle (4 3 5 0 4 2 4 3 1 5). Each
//       answer is one IMMEDIATE transaction that reads the card's state,
//       appends its review row and writes the new state (recall::next_state),
//       on a connection set up as recall's store sets it up (WAL, synchronous
//       NORMAL, foreign keys, 16 MB cache, temp_store MEMORY). No queue, no
//       same-day check, no output: the floor under `recall review` of a
//       committed answer on this schema (its indexes and triggers).
//
//   recall_bench_floor cards --db FILE --today YYYY-MM-DD --count N
//       Prints the ids of those cards, one per line (the `recall answer`
//       loop of bench/run.sh answers them).
//
//   recall_bench_floor copy --from FILE --db FILE
//       The floor under an import into an empty database: the domains,
//       topics, cards, gaps and gap links of --from (a database recall
//       imported) copied into --db (an empty recall database) with
//       INSERT ... SELECT in one transaction. No parsing, no card
//       generation, no per-row binding; the new-card tally is recounted
//       in the transaction, as an import does.
//
// A bench tool, not part of the product: it writes with SQL directly.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "recall/day.h"
#include "recall/scheduler.h"
#include "recall/sm2.h"

namespace {

constexpr int kGradeCycle[10] = {4, 3, 5, 0, 4, 2, 4, 3, 1, 5};

void configure(SQLite::Database& db) {
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA cache_size = -16000");
  db.exec("PRAGMA temp_store = MEMORY");
  db.exec("PRAGMA synchronous = NORMAL");
  if (db.execAndGet("PRAGMA journal_mode").getString() != "wal")
    throw std::runtime_error("not a WAL database (open it with recall first)");
}

std::optional<recall::Day> optional_day(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt();
}

// A state's five columns (repetitions, easiness, interval, due day, lapses)
// bound from parameter `at` on.
void bind_state(SQLite::Statement& s, int at, const recall::Sm2State& state) {
  s.bind(at, state.repetitions);
  s.bind(at + 1, state.easiness_milli);
  s.bind(at + 2, state.interval_days);
  if (state.due_day)
    s.bind(at + 3, *state.due_day);
  else
    s.bind(at + 3);
  s.bind(at + 4, state.lapses);
}

// The first `count` cards a session takes: not suspended or retired; due by
// `today` by due day, then new by position, then due later.
std::vector<std::int64_t> session_cards(SQLite::Database& db, recall::Day today, int count) {
  std::vector<std::int64_t> ids;
  SQLite::Statement q(
      db,
      "SELECT id FROM cards WHERE suspended = 0 AND retired = 0 "
      "ORDER BY COALESCE(due_day > ?1, 0), due_day IS NULL, due_day, position LIMIT ?2");
  q.bind(1, today);
  q.bind(2, count);
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  return ids;
}

int cards(const std::string& path, recall::Day today, int count) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  for (std::int64_t id : session_cards(db, today, count)) std::cout << id << "\n";
  return 0;
}

int answers(const std::string& path, recall::Day today, int count) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  configure(db);
  const std::vector<std::int64_t> ids = session_cards(db, today, count);
  SQLite::Statement find(
      db,
      "SELECT repetitions, easiness, interval_days, due_day, lapses, risk FROM cards WHERE id = ?");
  SQLite::Statement insert(
      db,
      "INSERT INTO reviews(card_id, day, answered_at, grade, kind, note, before_repetitions, "
      "before_easiness, before_interval, before_due, before_lapses, after_repetitions, "
      "after_easiness, after_interval, after_due, after_lapses, before_risk, after_risk, "
      "scheduler) "
      "VALUES (?1, ?2, ?3, ?4, 'review', NULL, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16, 'sm2')");
  SQLite::Statement update(db,
                           "UPDATE cards SET repetitions = ?2, easiness = ?3, interval_days = ?4, "
                           "due_day = ?5, lapses = ?6, risk = ?7 WHERE id = ?1");
  const std::string at = recall::format_day(today) + "T09:00:00";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const int grade = kGradeCycle[i % 10];
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    find.bind(1, ids[i]);
    if (!find.executeStep()) throw std::runtime_error("card vanished");
    const recall::Sm2State before{find.getColumn(0).getInt(), find.getColumn(1).getInt(),
                                  find.getColumn(2).getInt(), optional_day(find.getColumn(3)),
                                  find.getColumn(4).getInt()};
    const int before_risk = find.getColumn(5).getInt();
    find.reset();
    const recall::Sm2State after = recall::next_state(before, grade, today);
    const int after_risk = recall::queue_risk(recall::SchedulerKind::kSm2, after);
    insert.bind(1, ids[i]);
    insert.bind(2, today);
    insert.bind(3, at);
    insert.bind(4, grade);
    bind_state(insert, 5, before);
    bind_state(insert, 10, after);
    insert.bind(15, before_risk);
    insert.bind(16, after_risk);
    insert.exec();
    insert.reset();
    update.bind(1, ids[i]);
    bind_state(update, 2, after);
    update.bind(7, after_risk);
    update.exec();
    update.reset();
    transaction.commit();
  }
  std::cout << "answered " << ids.size() << "\n";
  return 0;
}

int copy(const std::string& from, const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  configure(db);
  if (db.execAndGet("SELECT COUNT(*) FROM cards").getInt() != 0)
    throw std::runtime_error(path + ": not an empty recall database");
  SQLite::Statement attach(db, "ATTACH DATABASE ? AS source");
  attach.bind(1, from);
  attach.exec();
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  int cards = 0;
  for (const char* table : {"domains", "topics", "cards", "gaps", "gap_cards"}) {
    const int rows =
        db.exec(std::string("INSERT INTO main.") + table + " SELECT * FROM source." + table);
    if (std::string(table) == "cards") cards = rows;
  }
  db.exec(
      "UPDATE tallies SET value = (SELECT COUNT(*) FROM cards WHERE due_day IS NULL "
      "AND suspended = 0 AND retired = 0) WHERE name = 'new_cards'");
  transaction.commit();
  std::cout << "copied " << cards << " cards\n";
  return 0;
}

int usage() {
  std::cerr << "usage: recall_bench_floor answers --db FILE --today YYYY-MM-DD --count N\n"
               "       recall_bench_floor cards --db FILE --today YYYY-MM-DD --count N\n"
               "       recall_bench_floor copy --from FILE --db FILE\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || (argc - 2) % 2 != 0) return usage();
  const std::string mode = argv[1];
  std::map<std::string, std::string> opt;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0) return usage();
    opt[key.substr(2)] = argv[i + 1];
  }
  try {
    if ((mode == "answers" || mode == "cards") && opt.count("db") && opt.count("today") &&
        opt.count("count")) {
      const auto today = recall::parse_day(opt["today"]);
      if (!today) return usage();
      const int count = std::stoi(opt["count"]);
      return mode == "answers" ? answers(opt["db"], *today, count)
                               : cards(opt["db"], *today, count);
    }
    if (mode == "copy" && opt.count("from") && opt.count("db")) return copy(opt["from"], opt["db"]);
  } catch (const std::exception& e) {
    std::cerr << "recall_bench_floor: " << e.what() << "\n";
    return 1;
  }
  return usage();
}
