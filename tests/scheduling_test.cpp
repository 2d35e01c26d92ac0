// The scheduler setting and schema 6 end to end (issues 15 and 18.7): FSRS-6
// due days through the real binary with SM-2's state kept beside them, the
// settings' bad values, the upgrade that adds the queue risk, `recall check`
// on a tampered risk, undo, and an answer's kind decided inside its
// transaction.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/fsrs.h"
#include "recall/importer.h"
#include "recall/scheduler.h"
#include "recall/sm2.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using namespace recall;
using Json = nlohmann::json;
using recall::test::run_recall;
using recall::test::TempDir;

namespace {

const Day kStart = *parse_day("2026-03-01");

std::string day_arg(Day day) { return format_day(day); }

// The fixture imported into `db` through the binary on kStart; the ids of
// its first cards.
std::vector<long long> import_fixture(const std::string& db) {
  REQUIRE(run_recall(db, {"--today", day_arg(kStart), "import", recall::test::fixture_path()})
              .exit_code == 0);
  recall::test::drill_drafts(db);  // the drill's schedules, not the review pass
  Store store(db);
  std::vector<long long> ids;
  for (const Card& card : store.cards(std::nullopt, false)) ids.push_back(card.id);
  return ids;
}

Card card_of(const std::string& db, long long id) {
  Store store(db);
  const auto card = store.card(id);
  REQUIRE(card);
  return *card;
}

void answer_cli(const std::string& db, long long id, int grade, Day day) {
  const auto run = run_recall(
      db, {"--today", day_arg(day), "answer", std::to_string(id), std::to_string(grade), "--json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(Json::parse(run.out)["kind"] == "review");
}

// n, EF, interval and lapses: the SM-2 fields kept under every scheduler.
void check_sm2_fields(const Sm2State& actual, const Sm2State& expected) {
  CHECK(actual.repetitions == expected.repetitions);
  CHECK(actual.easiness_milli == expected.easiness_milli);
  CHECK(actual.interval_days == expected.interval_days);
  CHECK(actual.lapses == expected.lapses);
}

// FSRS-6's due day for `log` (its last answer on `day`) at `retention`.
Day fsrs_due(const fsrs::ReviewLog& log, Day day, double retention) {
  return day + fsrs::next_interval_days(fsrs::replay(log)->stability, retention);
}

// `recall next --json` on `day` under fsrs: every grade's preview is FSRS-6's
// due day from the card's log. Returns whether the card shown was studied.
bool check_fsrs_preview(const std::string& db, Day day, double retention) {
  const auto run = run_recall(db, {"--today", day_arg(day), "next", "--json"});
  REQUIRE(run.exit_code == 0);
  const Json next = Json::parse(run.out);
  REQUIRE(next.is_object());
  const long long id = next["card"]["id"];
  fsrs::ReviewLog log;
  {
    Store store(db);
    log = store.memory_log(id);
  }
  for (int grade = 0; grade <= 5; ++grade) {
    fsrs::ReviewLog with = log;
    with.push_back({day, grade});
    const Day due = fsrs_due(with, day, retention);
    INFO("card " << id << " grade " << grade);
    CHECK(next["preview"][grade]["due"] == day_arg(due));
    CHECK(next["preview"][grade]["interval"] == due - day);
  }
  return next["phase"] == "review";
}

void set_config(const std::string& db, const std::string& key, const std::string& value) {
  const auto run = run_recall(db, {"config", "set", key, value});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
}

void raw_exec(const std::string& db, const std::string& sql) {
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  raw.exec(sql);
}

// The queues of `day`, a week on and a fortnight on, in order.
std::vector<long long> queue_ids(Store& store, Day day) {
  std::vector<long long> ids;
  for (const Day d : {day, day + 7, day + 14})
    for (const QueueItem& item : order_queue(gather_queue(store, d, {})).main)
      ids.push_back(item.card_id);
  return ids;
}

bool has_problem(const CheckReport& report, const std::string& area, long long card_id) {
  return std::any_of(report.problems.begin(), report.problems.end(),
                     [&](const CheckProblem& p) { return p.area == area && p.card_id == card_id; });
}

}  // namespace

TEST_CASE("scheduler fsrs: FSRS-6 due days, SM-2's fields kept, and back to sm2 losslessly",
          "[scheduling][cli]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto ids = import_fixture(db);
  REQUIRE(ids.size() >= 2);
  const long long a = ids[0], b = ids[1];  // a under fsrs, b under sm2 throughout
  constexpr double kRetention = 0.85;      // not the default: the setting is read
  set_config(db, "scheduler", "fsrs");
  set_config(db, "desired-retention", "0.85");

  const int grades[] = {4, 5, 2, 3, 4, 5};
  Sm2State sm2;         // pure SM-2 over the same answers
  fsrs::ReviewLog log;  // a's log as FSRS reads it
  Day day = kStart;
  bool studied_preview = false;
  for (const int grade : grades) {
    INFO("day " << day_arg(day) << " grade " << grade);
    studied_preview = check_fsrs_preview(db, day, kRetention) || studied_preview;
    answer_cli(db, a, grade, day);
    sm2 = next_state(sm2, grade, day);
    log.push_back({day, grade});
    const Card card = card_of(db, a);
    check_sm2_fields(card.state, sm2);
    const Day due = fsrs_due(log, day, kRetention);
    CHECK(card.state.due_day == due);
    CHECK(card.state.due_day != sm2.due_day);  // else this case would not tell them apart
    // b: the same answers on the same days, under sm2 (set for its answer only).
    set_config(db, "scheduler", "sm2");
    answer_cli(db, b, grade, day);
    set_config(db, "scheduler", "fsrs");
    CHECK(card_of(db, b).state == sm2);
    day = due;
  }
  CHECK(studied_preview);
  CHECK(run_recall(db, {"check"}).exit_code == 0);

  // Back to sm2: the next answer is SM-2's from a's kept state, nothing lost.
  set_config(db, "scheduler", "sm2");
  answer_cli(db, a, 4, day);
  sm2 = next_state(sm2, 4, day);
  CHECK(card_of(db, a).state == sm2);
  const auto next = run_recall(db, {"--today", day_arg(day + 1), "next", "--json"});
  REQUIRE(next.exit_code == 0);
  const Json shown = Json::parse(next.out);
  const Card card = card_of(db, shown["card"]["id"]);
  const auto expected = preview(card.state, day + 1);
  for (int grade = 0; grade <= 5; ++grade)
    CHECK(shown["preview"][grade]["due"] == day_arg(*expected[grade].due_day));
  const auto check = run_recall(db, {"check"});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
}

TEST_CASE("bad scheduler settings: exit 2 naming the key, nothing changed",
          "[scheduling][cli][settings]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  import_fixture(db);
  set_config(db, "scheduler", "fsrs");
  const std::string before = run_recall(db, {"config", "get"}).out;
  struct Case {
    const char* key;
    const char* value;
  };
  for (const Case& c :
       {Case{"scheduler", "foo"}, Case{"scheduler", "FSRS"}, Case{"desired-retention", "1.5"},
        Case{"desired-retention", "0.5"}, Case{"desired-retention", "0.9x"},
        Case{"interview-retention", "abc"}, Case{"interview-retention", "0.2"}}) {
    INFO(c.key << " " << c.value);
    const auto run = run_recall(db, {"config", "set", c.key, c.value});
    CHECK(run.exit_code == 2);
    CHECK(run.err.find(c.key) != std::string::npos);
    CHECK(run.err.find('\n') == run.err.size() - 1);  // one line
    CHECK(run_recall(db, {"config", "get"}).out == before);
  }
}

TEST_CASE("a hand-corrupted scheduler setting is named, exit 1", "[scheduling][cli][settings]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto ids = import_fixture(db);
  const std::string today = day_arg(kStart);
  set_config(db, "interview-date", day_arg(kStart + 30));
  struct Case {
    const char* key;
    const char* value;
    std::vector<std::string> args;
  };
  const std::vector<Case> cases = {
      {"scheduler", "fsrx", {"--today", today, "next", "--json"}},
      {"desired-retention", "1.5", {"--today", today, "answer", std::to_string(ids[0]), "4"}},
      {"interview-retention", "abc", {"--today", today, "answer", std::to_string(ids[0]), "4"}},
  };
  for (const Case& c : cases) {
    INFO(c.key << " = " << c.value);
    if (std::string(c.key) != "scheduler") set_config(db, "scheduler", "fsrs");
    raw_exec(db, std::string("INSERT OR REPLACE INTO settings(key, value) VALUES ('") + c.key +
                     "', '" + c.value + "')");
    const auto run = run_recall(db, c.args);
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("setting") != std::string::npos);
    CHECK(run.err.find(c.key) != std::string::npos);
    CHECK(run.err.find('\n') == run.err.size() - 1);
    CHECK(card_of(db, ids[0]).state.is_new());  // nothing was answered
    REQUIRE(run_recall(db, {"config", "unset", c.key}).exit_code == 0);
  }
}

namespace {

// A fresh database with the fixture and answers of several grades on the
// three days before `day`.
void build_answered(const std::string& db, Day day) {
  {
    Store store(db);
    const Tracker tracker = read_tracker(
        prepare_text(recall::test::read_bytes(recall::test::fixture_path())), "fixture");
    import_tracker(store, tracker, day - 3, std::nullopt);
    int k = 0;
    for (const Card& card : store.cards(std::nullopt, false)) {
      if (k == 40) break;
      // EFs spread over 2.36..2.6, some lapses and re-drills.
      const int grade = 3 + k % 3;
      answer_card(store, card.id, grade, ReviewKind::kReview, day - 3, "t", std::nullopt);
      if (k % 2 == 0) {
        answer_card(store, card.id, k % 4 == 0 ? 1 : grade, ReviewKind::kReview, day - 2, "t",
                    std::nullopt);
        if (k % 4 == 0)
          answer_card(store, card.id, 4, ReviewKind::kRedrill, day - 2, "t", std::nullopt);
      }
      ++k;
    }
  }
}

// `db` taken back to schema 5: schema 6's to 10's columns and the indexes on them dropped.
void downgrade_to_5(const std::string& db) {
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  raw.exec(recall::test::kUndoSchema11);
  raw.exec(recall::test::kUndoSchema10);
  raw.exec(recall::test::kUndoSchema9);
  raw.exec("DROP INDEX reviews_phone");  // schema 8's
  for (const char* column : {"source", "button", "phone_id"})
    raw.exec(std::string("ALTER TABLE reviews DROP COLUMN ") + column);
  for (const char* index : {"cards_due", "cards_gap_due", "cards_new", "cards_topic_new"})
    raw.exec(std::string("DROP INDEX ") + index);
  raw.exec("ALTER TABLE cards DROP COLUMN domain_id");  // schema 7's column
  raw.exec("ALTER TABLE cards DROP COLUMN risk");
  raw.exec("ALTER TABLE reviews DROP COLUMN before_risk");
  raw.exec("ALTER TABLE reviews DROP COLUMN after_risk");
  raw.exec("ALTER TABLE reviews DROP COLUMN scheduler");
  raw.exec("PRAGMA user_version = 5");
}

// Rows whose risk is not 10000 - EF, cards and reviews alike.
int risks_off_easiness(const std::string& db) {
  SQLite::Database raw(db);
  return raw
      .execAndGet(
          "SELECT (SELECT COUNT(*) FROM cards WHERE risk != 10000 - easiness) + "
          "(SELECT COUNT(*) FROM reviews WHERE before_risk != 10000 - before_easiness "
          "OR after_risk != 10000 - after_easiness)")
      .getInt();
}

}  // namespace

TEST_CASE("a schema 5 database is upgraded: risk from EF, the log backfilled, the queue unchanged",
          "[scheduling][store][migration]") {
  TempDir dir;
  const std::string db = dir.file("v5.db");
  const Day day = kStart;
  std::vector<long long> order_before;
  {
    build_answered(dir.file("v6.db"), day);  // the same answers, never downgraded
    Store store(dir.file("v6.db"));
    order_before = queue_ids(store, day);
  }
  build_answered(db, day);
  downgrade_to_5(db);
  {
    SQLite::Database raw(db);
    CHECK(raw.execAndGet("SELECT COUNT(DISTINCT easiness) FROM cards").getInt() >= 3);
    CHECK(raw.execAndGet("SELECT COUNT(*) FROM reviews").getInt() > 60);
  }
  Store store(db);
  CHECK(store.schema_version() == Store::kSchemaVersion);
  CHECK(risks_off_easiness(db) == 0);
  {
    SQLite::Database raw(db);
    CHECK(raw.execAndGet("SELECT COUNT(*) FROM reviews WHERE scheduler != 'sm2'").getInt() == 0);
  }
  const auto report = store.check();
  std::string problems;
  for (const auto& p : report.problems)
    problems += p.area + " " + std::to_string(p.card_id) + ": " + p.message + "\n";
  INFO(problems);
  CHECK(report.problems.empty());
  const auto order_after = queue_ids(store, day);
  CHECK(order_after.size() > 40);
  CHECK(order_after == order_before);
}

TEST_CASE("the release database upgrades to schema 6 and checks clean",
          "[scheduling][store][migration]") {
  TempDir dir;
  const std::string db = dir.file("release.db");
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec(recall::test::read_bytes(recall::test::source_path("tests/data/release-db.sql")));
  }
  {
    Store store(db);
    CHECK(store.schema_version() == Store::kSchemaVersion);
    const auto report = store.check();
    std::string problems;
    for (const auto& p : report.problems)
      problems += p.area + " " + std::to_string(p.card_id) + ": " + p.message + "\n";
    INFO(problems);
    CHECK(report.problems.empty());
    CHECK(report.reviews_checked > 0);
  }
  CHECK(risks_off_easiness(db) == 0);
  const auto check = run_recall(db, {"check"});
  CHECK(check.exit_code == 0);
}

TEST_CASE("recall check finds a tampered queue risk", "[scheduling][check]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto ids = import_fixture(db);
  const long long a = ids[0], b = ids[1];
  answer_cli(db, a, 3, kStart);
  answer_cli(db, b, 5, kStart);
  answer_cli(db, b, 4, kStart + 1);
  REQUIRE(run_recall(db, {"check"}).exit_code == 0);

  SECTION("a card's risk") {
    raw_exec(db, "UPDATE cards SET risk = risk + 1 WHERE id = " + std::to_string(a));
    Store store(db);
    CHECK(has_problem(store.check(), "derived", a));
  }
  SECTION("a review row's after_risk") {
    // b's first answer: its after-risk is no longer SM-2's, nor the next row's before-risk.
    raw_exec(db,
             "UPDATE reviews SET after_risk = after_risk - 7 WHERE id = (SELECT MIN(id) FROM "
             "reviews WHERE card_id = " +
                 std::to_string(b) + ")");
    Store store(db);
    CHECK(has_problem(store.check(), "derived", b));
  }
  SECTION("an fsrs row's after_risk") {
    set_config(db, "scheduler", "fsrs");
    answer_cli(db, a, 4, kStart + 1);
    REQUIRE(run_recall(db, {"check"}).exit_code == 0);
    raw_exec(db,
             "UPDATE reviews SET after_risk = after_risk + 3 WHERE id = (SELECT MAX(id) FROM "
             "reviews WHERE card_id = " +
                 std::to_string(a) + ")");
    Store store(db);
    CHECK(has_problem(store.check(), "derived", a));
  }
  const auto check = run_recall(db, {"check", "--json"});
  CHECK(check.exit_code == 1);
  CHECK(Json::parse(check.out)["problems"][0]["area"] == "derived");
}

TEST_CASE("undo restores the queue risk under both schedulers", "[scheduling][undo]") {
  for (const char* scheduler : {"sm2", "fsrs"}) {
    INFO(scheduler);
    TempDir dir;
    Store store(dir.file("r.db"));
    const long long id = store.add_card("front", "back", std::nullopt, kStart);
    store.set_setting("scheduler", scheduler);
    answer_card(store, {id, 3, kStart, "t", std::nullopt, AnswerSource::kLearner});
    const Card before = *store.card(id);
    CHECK(before.risk != kInitialRisk);
    const ReviewLog log =
        answer_card(store, {id, 5, kStart + 1, "t", std::nullopt, AnswerSource::kLearner});
    CHECK(log.before_risk == before.risk);
    CHECK(store.card(id)->risk == log.after_risk);
    CHECK(log.after_risk != before.risk);
    REQUIRE(undo_answer(store, log.id));
    const Card after = *store.card(id);
    CHECK(after.risk == before.risk);
    CHECK(after.state == before.state);
    CHECK(store.check().problems.empty());
    // The first answer undone too: a new card's risk again.
    REQUIRE(undo_last_answer(store));
    CHECK(store.card(id)->risk == kInitialRisk);
  }
}

TEST_CASE(
    "an answer's kind is decided inside its transaction: a second Store's answer is a re-drill",
    "[scheduling][concurrency]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  Store first(path);
  Store second(path);
  const long long id = first.add_card("front", "back", std::nullopt, kStart);
  // The second Store has read the card as new before the first answers it.
  REQUIRE(second.card(id)->state.is_new());
  const ReviewLog review =
      answer_card(first, {id, 4, kStart, "t", std::nullopt, AnswerSource::kLearner});
  CHECK(review.kind == ReviewKind::kReview);
  const Card scheduled = *second.card(id);
  const ReviewLog again =
      answer_card(second, {id, 1, kStart, "t", std::nullopt, AnswerSource::kLearner});
  CHECK(again.kind == ReviewKind::kRedrill);
  CHECK(again.after == again.before);
  CHECK(again.before == review.after);
  const Card after = *first.card(id);
  CHECK(after.state == scheduled.state);
  CHECK(after.risk == scheduled.risk);
  // The tutor's record the same day is practice too.
  CHECK(record_observed_answer(second, id, 5, kStart, "t", std::nullopt).kind ==
        ReviewKind::kRedrill);
  CHECK(first.card(id)->state == scheduled.state);
  CHECK(first.check().problems.empty());
}

TEST_CASE("an answer dated before the card's last one is refused under either scheduler",
          "[scheduling]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const auto ids = import_fixture(db);
  const long long id = ids.at(0);
  for (const char* scheduler : {"sm2", "fsrs"}) {
    INFO("scheduler " << scheduler);
    Store store(db);
    store.set_setting("scheduler", scheduler);
    // An interview date makes the answer path replay the card's log too.
    store.set_setting("interview-date", day_arg(kStart + 60));
    const ReviewLog later = answer_card(store, {id, 4, kStart + 10, "t", std::nullopt});
    // A --today in the past: refused, nothing written (issue 22).
    CHECK_THROWS_AS(answer_card(store, {id, 4, kStart + 5, "t", std::nullopt}), Error);
    CHECK(store.reviews_for_card(id).size() == 1);
    CHECK(store.card(id)->state == later.after);
    CHECK(store.check().problems.empty());
    REQUIRE(undo_last_answer(store));
  }
}
