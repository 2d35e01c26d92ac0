// The store through its public API: schema versions, one transaction per
// answer, undo, re-drill answers, and replaying the log.
#include <catch2/catch.hpp>

#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/error.h"
#include "recall/importer.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using recall::ReviewKind;
using recall::Store;
using recall::test::TempDir;

namespace {

recall::Sm2State replay(const std::vector<recall::ReviewLog>& logs) {
  recall::Sm2State state;
  for (const auto& log : logs)
    if (log.kind == ReviewKind::kReview) state = recall::next_state(state, log.grade, log.day);
  return state;
}

}  // namespace

TEST_CASE("a new database gets the current schema version, and reopening keeps it", "[store]") {
  TempDir dir;
  const std::string path = dir.file("sub/folder/recall.db");  // folders are created
  {
    Store store(path);
    CHECK(store.schema_version() == Store::kSchemaVersion);
  }
  Store again(path);
  CHECK(again.schema_version() == Store::kSchemaVersion);
  SQLite::Database raw(path);
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("a database from a newer recall is refused and left alone", "[store]") {
  TempDir dir;
  const std::string path = dir.file("future.db");
  { Store store(path); }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = 99");
  }
  try {
    Store store(path);
    FAIL("opened a newer database");
  } catch (const recall::Error& e) {
    CHECK(e.kind() == recall::ErrorKind::kData);
    CHECK_THAT(e.what(), Catch::Contains("newer recall") && Catch::Contains(path));
  }
  SQLite::Database raw(path);
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 99);
}

TEST_CASE("a file that is not a recall database is refused with its path", "[store]") {
  TempDir dir;
  const std::string text = dir.file("notes.txt");
  recall::test::write_bytes(text, std::string(5000, 'x'));
  CHECK_THROWS_WITH(Store(text), Catch::Contains(text));
  CHECK(recall::test::read_bytes(text) == std::string(5000, 'x'));

  const std::string other = dir.file("other.db");
  {
    SQLite::Database raw(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE foo(x)");
  }
  CHECK_THROWS_WITH(Store(other), Catch::Contains("not one of recall's"));
}

TEST_CASE("an answer updates the card and appends one log row together", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const long long id = store.add_card("What is on the ROC x axis?", "FPR", std::nullopt, 100);
  const auto log = recall::answer_card(store, id, 4, ReviewKind::kReview, 100,
                                       "2026-11-25T09:00:00", std::nullopt);
  CHECK(log.before.is_new());
  CHECK(log.after.repetitions == 1);
  CHECK(*log.after.due_day == 101);
  const auto card = store.card(id);
  REQUIRE(card);
  CHECK(card->state == log.after);
  REQUIRE(store.reviews_for_card(id).size() == 1);
  CHECK(store.day_counts(100).new_answered == 1);
}

TEST_CASE("answering a card that does not exist writes nothing", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  CHECK_THROWS_AS(recall::answer_card(store, 42, 3, ReviewKind::kReview, 1, "t", std::nullopt),
                  recall::Error);
  CHECK(store.day_counts(1).reviews_answered + store.day_counts(1).new_answered == 0);
}

TEST_CASE("a re-drill answer is logged but leaves the schedule alone", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const long long id = store.add_card("q", "a", std::nullopt, 10);
  recall::answer_card(store, id, 2, ReviewKind::kReview, 10, "t1", std::string("swapped the axes"));
  const auto scheduled = store.card(id)->state;
  const auto redrill =
      recall::answer_card(store, id, 5, ReviewKind::kRedrill, 10, "t2", std::nullopt);
  CHECK(redrill.kind == ReviewKind::kRedrill);
  CHECK(store.card(id)->state == scheduled);
  const auto logs = store.reviews_for_card(id);
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].note == std::optional<std::string>("swapped the axes"));
  CHECK(store.day_counts(10).redrill_answered == 1);
}

TEST_CASE("undo restores the card state and the log exactly", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const long long id = store.add_card("q", "a", std::nullopt, 10);
  recall::answer_card(store, id, 5, ReviewKind::kReview, 10, "t1", std::nullopt);
  recall::answer_card(store, id, 5, ReviewKind::kReview, 11, "t2", std::nullopt);
  const auto before = store.card(id)->state;
  const auto logs_before = store.reviews_for_card(id);
  recall::answer_card(store, id, 1, ReviewKind::kReview, 17, "t3", std::nullopt);
  const auto undone = store.undo_last();
  REQUIRE(undone);
  CHECK(undone->grade == 1);
  CHECK(store.card(id)->state == before);
  CHECK(store.reviews_for_card(id).size() == logs_before.size());
  store.undo_last();
  store.undo_last();
  CHECK(store.card(id)->state == recall::Sm2State{});
  CHECK_FALSE(store.undo_last());
}

TEST_CASE("replaying the review log rebuilds every card's state", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  std::vector<long long> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(store.add_card("q" + std::to_string(i), "a", std::nullopt, 0));
  const int grades[] = {5, 4, 3, 2, 1, 0, 5, 5, 3, 4, 2, 5};
  int g = 0;
  for (recall::Day day = 0; day < 60; ++day) {
    for (long long id : ids) {
      const auto card = store.card(id);
      if (card->state.due_day && *card->state.due_day > day) continue;
      recall::answer_card(store, id, grades[g++ % 12], ReviewKind::kReview, day, "t", std::nullopt);
      if (g % 5 == 0)
        recall::answer_card(store, id, 4, ReviewKind::kRedrill, day, "t", std::nullopt);
    }
  }
  for (long long id : ids) CHECK(replay(store.reviews_for_card(id)) == store.card(id)->state);
}

TEST_CASE("settings are stored, replaced and removed", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  CHECK_FALSE(store.setting("new-per-day"));
  store.set_setting("new-per-day", "10");
  store.set_setting("new-per-day", "12");
  CHECK(store.setting("new-per-day") == std::optional<std::string>("12"));
  store.unset_setting("new-per-day");
  CHECK_FALSE(store.setting("new-per-day"));
}

namespace {

// A database as an older recall left it: tests/data/schema-v2.sql or
// schema-v3.sql (schema.sql of schema 2 or 3, frozen; schema 1 lacked
// topics_domain_order), with three cards and a log: card 1 failed on days
// 100 (twice), 105 and 110, card 2 on day 100, card 3 new, card 4 new but
// suspended.
void write_old_database(const std::string& path, int version) {
  SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  raw.exec(recall::test::read_bytes(recall::test::source_path(
      version == 3 ? "tests/data/schema-v3.sql" : "tests/data/schema-v2.sql")));
  if (version == 1) raw.exec("DROP INDEX topics_domain_order");
  raw.exec(
      "INSERT INTO cards(id, identity, kind, front, back, created_day, due_day, suspended) VALUES "
      "(1, 'i1', 'complete', 'f1', 'b1', 90, 111, 0), (2, 'i2', 'complete', 'f2', 'b2', 90, 101, "
      "0),"
      "(3, 'i3', 'complete', 'f3', 'b3', 90, NULL, 0), (4, 'i4', 'complete', 'f4', 'b4', 90, NULL, "
      "1)");
  const char* rows[][3] = {{"1", "100", "1"}, {"1", "100", "2"}, {"2", "100", "0"},
                           {"1", "103", "4"}, {"1", "105", "2"}, {"1", "110", "0"},
                           {"1", "110", "5"}};
  for (const auto& row : rows)
    raw.exec(
        std::string("INSERT INTO reviews(card_id, day, answered_at, grade, kind, "
                    "before_repetitions, before_easiness, before_interval, before_lapses, "
                    "after_repetitions, after_easiness, after_interval, after_lapses) VALUES (") +
        row[0] + ", " + row[1] + ", 't', " + row[2] + ", 'review', 0, 2500, 0, 0, 0, 2500, 0, 0)");
  // Schema 3 keeps a tally of new cards that inserts do not move (the store
  // recounts it after inserting, as here).
  if (version == 3)
    raw.exec(
        "UPDATE tallies SET value = (SELECT COUNT(*) FROM cards WHERE due_day IS NULL "
        "AND suspended = 0 AND retired = 0) WHERE name = 'new_cards'");
  raw.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace

TEST_CASE("a version 1, 2 or 3 database is upgraded in place to the current schema, its data kept",
          "[store]") {
  TempDir dir;
  { Store fresh(dir.file("fresh.db")); }
  const std::vector<std::string> current = recall::test::schema_of(dir.file("fresh.db"), true);
  for (int version : {1, 2, 3}) {
    INFO("from schema " << version);
    const std::string path = dir.file("old" + std::to_string(version) + ".db");
    write_old_database(path, version);
    {
      Store store(path);
      CHECK(store.schema_version() == Store::kSchemaVersion);
      CHECK(store.reviews_for_card(1).size() == 6);
      CHECK(store.card(1)->state.due_day == 111);
      // The derived data is backfilled from the log: card 1 failed on 2
      // days of the 30 up to day 112 (105, 110), card 2 on one.
      CHECK(store.recurring_card_ids(112) == std::vector<long long>{1});
      CHECK(store.recurring_card_ids(140) == std::vector<long long>{});  // 105 is out of the window
      CHECK(store.recurring_card_ids(104) ==
            std::vector<long long>{});       // the log rule for a past day
      CHECK(store.count_new(112, {}) == 1);  // card 3; card 4 is suspended
      // (The hand-written log does not replay; only the derived data is asked.)
      for (const auto& problem : store.check().problems) CHECK(problem.area != "derived");
    }
    CHECK(recall::test::schema_of(path, true) == current);
    SQLite::Database raw(path);
    CHECK(raw.execAndGet("SELECT fail_last || ',' || fail_prev FROM cards WHERE id = 1")
              .getString() == "110,105");
    CHECK(raw.execAndGet("SELECT fail_last FROM cards WHERE id = 2").getInt() == 100);
    CHECK(raw.execAndGet("SELECT fail_prev IS NULL FROM cards WHERE id = 2").getInt() == 1);
  }
}

TEST_CASE("after the upgrade to schema 4 review ids are never reused and the log's triggers work",
          "[store]") {
  TempDir dir;
  for (int version : {2, 3}) {
    INFO("from schema " << version);
    const std::string path = dir.file("old" + std::to_string(version) + ".db");
    write_old_database(path, version);
    {
      // An undo before the upgrade removed answer 8; sync had seen it.
      SQLite::Database raw(path, SQLite::OPEN_READWRITE);
      raw.exec("INSERT INTO settings(key, value) VALUES ('sync-reviews', '8:8')");
    }
    Store store(path);
    const auto answer =
        recall::answer_card(store, 2, 0, ReviewKind::kReview, 120, "t", std::nullopt);
    CHECK(answer.id == 9);  // past the highest id sync saw, not 8
    REQUIRE(store.undo_last());
    const auto again =
        recall::answer_card(store, 2, 1, ReviewKind::kReview, 121, "t", std::nullopt);
    CHECK(again.id == 10);
    // reviews_failed_insert moved card 2's failure days; the append-only
    // trigger still refuses an edit of an answer's grade.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    CHECK(raw.execAndGet("SELECT fail_last || ',' || fail_prev FROM cards WHERE id = 2")
              .getString() == "121,100");
    CHECK_THROWS(raw.exec("UPDATE reviews SET grade = 5 WHERE id = 10"));
    REQUIRE(store.undo_review(again.id));  // reviews_failed_delete recounts
    CHECK(raw.execAndGet(
                 "SELECT fail_last || ',' || COALESCE(fail_prev, '-') FROM cards WHERE id = 2")
              .getString() == "100,-");
  }
}

TEST_CASE("failure days and the new-card tally follow every write, and check recounts them",
          "[store]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  Store store(path);
  const long long a = store.add_card("a", "1", std::nullopt, 200);
  const long long b = store.add_card("b", "2", std::nullopt, 200);
  CHECK(store.count_new(200, {}) == 2);
  recall::answer_card(store, a, 1, ReviewKind::kReview, 200, "t", std::string("swapped the axes"));
  CHECK(store.count_new(200, {}) == 1);
  recall::answer_card(store, a, 2, ReviewKind::kRedrill, 200, "t",
                      std::nullopt);  // same day: one day
  CHECK(store.recurring_card_ids(200).empty());
  recall::answer_card(store, a, 0, ReviewKind::kReview, 203, "t", std::nullopt);
  CHECK(store.recurring_card_ids(203) == std::vector<long long>{a});
  CHECK(store.recurring_card_ids(229) == std::vector<long long>{a});
  CHECK(store.recurring_card_ids(230).empty());  // day 200 left the 30-day window
  // Back-dated (--today in the past): the log decides, not the kept days.
  CHECK(store.recurring_card_ids(202).empty());
  store.undo_last();  // removes the day-203 failure
  CHECK(store.recurring_card_ids(203).empty());
  recall::answer_card(store, b, 5, ReviewKind::kReview, 200, "t", std::nullopt);
  CHECK(store.count_new(200, {}) == 0);
  store.undo_last();  // b is new again
  CHECK(store.count_new(200, {}) == 1);
  CHECK(store.check().ok());

  // Tampered derived data is reported, naming the card. The log itself
  // refuses edits of what an answer was.
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    CHECK_THROWS_WITH(raw.exec("UPDATE reviews SET grade = 5"), Catch::Contains("append-only"));
    CHECK_THROWS_WITH(raw.exec("UPDATE reviews SET day = day + 1"), Catch::Contains("append-only"));
    raw.exec("UPDATE reviews SET note = 'a note kept later' WHERE note IS NULL");  // allowed
    raw.exec("UPDATE cards SET fail_prev = 150 WHERE id = " + std::to_string(a));
    raw.exec("UPDATE tallies SET value = 7 WHERE name = 'new_cards'");
    raw.exec("UPDATE tallies SET value = value + 2 WHERE name = 'flagged'");
  }
  const auto report = store.check();
  REQUIRE(report.problems.size() == 3);
  CHECK(report.problems[0].area == "derived");
  CHECK(report.problems[0].message == "the new-card tally says 7, the cards say 1");
  CHECK(report.problems[1].area == "derived");
  CHECK(report.problems[1].message == "the flagged tally says 2, the cards say 0");
  CHECK(report.problems[2].card_id == a);
  CHECK(report.problems[2].message == "last failure days kept as 200, 150; the log says 200, none");
}

TEST_CASE("a card's open-gap mark follows its links and the gaps' tiers", "[store]") {
  TempDir dir;
  const std::string path = dir.file("g.db");
  Store store(path);
  const std::string bytes = recall::test::read_bytes(recall::test::fixture_path());
  auto import = [&](const std::string& tracker, recall::Day day) {
    recall::import_tracker(store, recall::read_tracker(recall::prepare_text(tracker), "tracker.md"),
                           day, std::nullopt);
  };
  import(bytes, 20600);
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  raw.exec("PRAGMA foreign_keys = ON");
  auto marked = [&] {
    std::vector<long long> ids;
    SQLite::Statement s(raw, "SELECT id FROM cards WHERE gap_open = 1 ORDER BY id");
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
    return ids;
  };
  auto derived_problems = [&] {
    int n = 0;
    for (const auto& problem : store.check().problems) n += problem.area == "derived";
    return n;
  };
  REQUIRE(store.gap_card_ids().size() >= 5);
  CHECK(marked() == store.gap_card_ids());
  // A gap resolved, one deleted (its links cascade), a link removed, one added.
  const long long first_gap = raw.execAndGet("SELECT MIN(gap_id) FROM gap_cards").getInt64();
  raw.exec("UPDATE gaps SET tier = 'resolved' WHERE id = " + std::to_string(first_gap));
  CHECK(marked() == store.gap_card_ids());
  raw.exec("DELETE FROM gaps WHERE id = (SELECT MAX(gap_id) FROM gap_cards)");
  CHECK(marked() == store.gap_card_ids());
  raw.exec(
      "DELETE FROM gap_cards WHERE (gap_id, card_id) = (SELECT gap_id, card_id FROM gap_cards "
      "JOIN gaps g ON g.id = gap_id WHERE g.tier <> 'resolved' ORDER BY card_id LIMIT 1)");
  CHECK(marked() == store.gap_card_ids());
  const auto before = marked();
  raw.exec(
      "INSERT INTO gap_cards(gap_id, card_id) SELECT (SELECT MAX(id) FROM gaps WHERE tier <> "
      "'resolved'), (SELECT MIN(id) FROM cards WHERE gap_open = 0)");
  CHECK(marked().size() == before.size() + 1);
  CHECK(marked() == store.gap_card_ids());
  raw.exec("UPDATE gaps SET tier = 'medium' WHERE id = " + std::to_string(first_gap));  // reopened
  CHECK(marked() == store.gap_card_ids());
  CHECK(derived_problems() == 0);
  raw.exec("UPDATE cards SET gap_open = 1 - gap_open WHERE id = 2");
  CHECK(derived_problems() == 1);
  raw.exec("UPDATE cards SET gap_open = 1 - gap_open WHERE id = 2");

  // Through imports (the gaps' upsert and relinking): a gap moved to High, one
  // resolved in the tracker's table, then both back as they were.
  import(bytes, 20601);  // the tracker's gaps and links again, after the raw edits
  CHECK(derived_problems() == 0);
  std::string moved = bytes;
  const std::string roc =
      "- ROC axes confusion (recurring — swapped axes again in Session 5, need drilling)\n";
  const std::string batchnorm =
      "- BatchNorm placement details (before vs after activation — original paper says before)\n";
  REQUIRE(moved.find(roc) != std::string::npos);
  REQUIRE(moved.find(batchnorm) != std::string::npos);
  moved.erase(moved.find(roc), roc.size());
  moved.replace(moved.find("- None identified yet\n"), 22, roc);
  moved.erase(moved.find(batchnorm), batchnorm.size());
  const std::string table = "|-----|-----------------|-------|\n";
  moved.insert(moved.find(table) + table.size(),
               "| BatchNorm placement details (before vs after activation — original paper says "
               "before) | 2026-02-20 | done |\n");
  const auto before_moves = marked();
  import(moved, 20602);
  CHECK(marked() == store.gap_card_ids());
  CHECK(marked() != before_moves);  // the resolved gap's cards left
  CHECK(derived_problems() == 0);
  import(bytes, 20603);
  CHECK(marked() == store.gap_card_ids());
  CHECK(derived_problems() == 0);
  CHECK(marked() == before_moves);
}

TEST_CASE("imports keep the new-card tally: the cards they add, retire and restore", "[store]") {
  TempDir dir;
  Store store(dir.file("t.db"));
  const std::string text = recall::test::read_bytes(recall::test::fixture_path());
  auto import = [&](const std::string& tracker) {
    recall::import_tracker(store, recall::read_tracker(recall::prepare_text(tracker), "t.md"),
                           20600, std::nullopt);
  };
  // New cards of open gaps are listed apart (gap_new_entries), ahead of the rest.
  auto counted = [&] {
    return static_cast<int>(store.new_entries(20600, {}, 1000000).size() +
                            store.gap_new_entries(20600, {}, 1000000).size());
  };
  import(text);
  // Every new card with drafts = drill; with drafts waiting (the default),
  // the count leaves out the flagged ones, from the same tally.
  store.set_setting("drafts", "drill");
  const int all = counted();
  REQUIRE(all > 100);
  CHECK(store.count_new(20600, {}) == all);
  store.unset_setting("drafts");
  const int drafts = store.review_counts().drafts;
  REQUIRE(drafts > 0);
  CHECK(counted() == all - drafts);
  CHECK(store.count_new(20600, {}) == all - drafts);
  // A topic's row removed: its cards retire; put back: restored.
  const auto at = text.find("| **A.3 Optimizers - SGD/Momentum/RMSProp/Adam/AdamW** |");
  REQUIRE(at != std::string::npos);
  std::string fewer = text;
  fewer.erase(at, text.find('\n', at) + 1 - at);
  import(fewer);
  for (const char* setting : {"drill", "wait"}) {
    INFO("drafts = " << setting);
    store.set_setting("drafts", setting);
    CHECK(counted() < all);
    CHECK(store.count_new(20600, {}) == counted());
  }
  import(text);
  CHECK(store.count_new(20600, {}) == all - drafts);
  store.set_setting("drafts", "drill");
  CHECK(store.count_new(20600, {}) == all);
  for (const auto& problem : store.check().problems) CHECK(problem.area != "derived");
}

TEST_CASE("failure days stay the log's with answers in any day order", "[store]") {
  TempDir dir;
  Store store(dir.file("o.db"));
  const long long card = store.add_card("q", "a", std::nullopt, 190);
  // Days out of order (answers logged with a --today in the past), repeats,
  // passes in between; the kept days are recounted by check after each.
  const std::pair<recall::Day, int> answers[] = {{210, 1}, {205, 0}, {205, 2}, {207, 4}, {207, 1},
                                                 {212, 2}, {200, 0}, {211, 1}, {209, 5}, {212, 0}};
  // Written as an older recall wrote them (answering now refuses an answer
  // dated before the card's latest): the triggers keep such a log too.
  SQLite::Database raw(dir.file("o.db"), SQLite::OPEN_READWRITE);
  raw.setBusyTimeout(10000);
  for (const auto& [day, grade] : answers) {
    SQLite::Statement insert(
        raw,
        "INSERT INTO reviews(card_id, day, answered_at, grade, kind, before_repetitions, "
        "before_easiness, before_interval, before_lapses, after_repetitions, after_easiness, "
        "after_interval, after_lapses) VALUES (?, ?, 't', ?, 'redrill', 0, 2500, 0, 0, 0, 2500, "
        "0, 0)");
    insert.bind(1, static_cast<int64_t>(card));
    insert.bind(2, day);
    insert.bind(3, grade);
    insert.exec();
    INFO("after day " << day << " grade " << grade);
    for (const auto& problem : store.check().problems) CHECK(problem.area != "derived");
  }
  CHECK(store.recurring_card_ids(212) == std::vector<long long>{card});  // 212 and 211
  for (int i = 0; i < 4; ++i) {
    store.undo_last();
    for (const auto& problem : store.check().problems) CHECK(problem.area != "derived");
  }
}

TEST_CASE(
    "the log as the feedback rules read it is the full log's, and cards come in position order",
    "[store]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  Store store(path);
  std::vector<long long> ids;
  for (int i = 0; i < 4; ++i)
    ids.push_back(store.add_card("q" + std::to_string(i), "a", std::nullopt, 0));
  recall::answer_card(store, ids[0], 2, ReviewKind::kReview, 10, "t1",
                      std::string("swapped the axes"));
  recall::answer_card(store, ids[0], 5, ReviewKind::kRedrill, 10, "t2", std::nullopt);
  recall::answer_card(store, ids[1], 4, ReviewKind::kReview, 11, "t3", std::nullopt);
  recall::answer_card(store, ids[2], 1, ReviewKind::kReview, 12, "t4", std::string(""));
  const auto full = store.all_reviews();
  const auto outcomes = store.review_outcomes();
  REQUIRE(outcomes.size() == full.size());
  for (std::size_t i = 0; i < full.size(); ++i) {
    CHECK(outcomes[i].id == full[i].id);
    CHECK(outcomes[i].card_id == full[i].card_id);
    CHECK(outcomes[i].day == full[i].day);
    CHECK(outcomes[i].grade == full[i].grade);
    CHECK(outcomes[i].kind == full[i].kind);
    CHECK(outcomes[i].note == full[i].note);
  }
  CHECK(outcomes[0].note == std::optional<std::string>("swapped the axes"));
  CHECK(outcomes[1].kind == ReviewKind::kRedrill);
  CHECK(outcomes[2].note == std::nullopt);
  CHECK(outcomes[3].note == std::optional<std::string>(""));

  // Positions against id order, with ties (broken by id), over enough cards
  // that std::sort is not an insertion sort: position alone would not do.
  for (int i = 4; i < 40; ++i)
    ids.push_back(store.add_card("q" + std::to_string(i), "a", std::nullopt, 0));
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET position = (id * 7) % 5");
  }
  std::vector<std::pair<int, long long>> expected;
  for (long long id : ids) expected.emplace_back(static_cast<int>((id * 7) % 5), id);
  std::sort(expected.begin(), expected.end());
  std::vector<long long> order, expected_order;
  for (const auto& [position, id] : expected) expected_order.push_back(id);
  for (const auto& card : store.cards(std::nullopt, true)) order.push_back(card.id);
  CHECK(order == expected_order);
  CHECK(order.front() == 5);  // ids 1..40: position 0 for 5, 10, ...
}

TEST_CASE("the log's size is kept by triggers through answers, undo and a repair, and checked",
          "[store]") {
  // sync's mark of the evidence it has seen (count and last id) and the
  // answers waiting for a first sync read the kept tally, not the log.
  TempDir dir;
  const std::string path = dir.file("t.db");
  Store store(path);
  const recall::Day day = *recall::parse_day("2026-03-02");
  const long long a = store.add_card("qa", "aa", std::nullopt, day);
  const long long b = store.add_card("qb", "ab", std::nullopt, day);
  const auto counted = [&] {
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    return raw.execAndGet("SELECT COUNT(*) FROM reviews").getInt64();
  };
  for (int i = 0; i < 5; ++i) {
    recall::answer_card(store, {a, i % 2 ? 4 : 1, day + i, recall::format_day(day + i) + "T09:00:00"});
    recall::answer_card(store, {b, 4, day + i, recall::format_day(day + i) + "T09:30:00"});
  }
  CHECK(store.log_mark().count == 10);
  store.undo_last();
  store.undo_last();
  CHECK(store.log_mark().count == 8);
  CHECK(store.log_mark().count == counted());
  CHECK(store.reviews_after(0) == 8);
  CHECK(store.log_mark().last_id == 8);
  CHECK(store.check().ok());
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE tallies SET value = 3 WHERE name = 'reviews'");
  }
  const auto report = store.check();
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].area == "derived");
  CHECK(report.problems[0].message == "the review log tally says 3, the log holds 8");
  // The repair counts it again; a missing row reads as an empty log, not an error.
  store.repair_log();
  CHECK(store.check().ok());
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM tallies WHERE name = 'reviews'");
  }
  CHECK(store.reviews_after(0) == 0);
  CHECK(store.log_mark().last_id == 8);
  store.repair_log();
  CHECK(store.reviews_after(0) == 8);
  CHECK(store.check().ok());
}
