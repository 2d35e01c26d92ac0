// The store through its public API: schema versions, one transaction per
// answer, undo, re-drill answers, and replaying the log.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "recall/error.h"
#include "recall/store.h"
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
  const auto log = store.record_answer(id, 4, ReviewKind::kReview, 100, "2026-11-25T09:00:00", std::nullopt);
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
  CHECK_THROWS_AS(store.record_answer(42, 3, ReviewKind::kReview, 1, "t", std::nullopt), recall::Error);
  CHECK(store.day_counts(1).reviews_answered + store.day_counts(1).new_answered == 0);
}

TEST_CASE("a re-drill answer is logged but leaves the schedule alone", "[store]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const long long id = store.add_card("q", "a", std::nullopt, 10);
  store.record_answer(id, 2, ReviewKind::kReview, 10, "t1", std::string("swapped the axes"));
  const auto scheduled = store.card(id)->state;
  const auto redrill = store.record_answer(id, 5, ReviewKind::kRedrill, 10, "t2", std::nullopt);
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
  store.record_answer(id, 5, ReviewKind::kReview, 10, "t1", std::nullopt);
  store.record_answer(id, 5, ReviewKind::kReview, 11, "t2", std::nullopt);
  const auto before = store.card(id)->state;
  const auto logs_before = store.reviews_for_card(id);
  store.record_answer(id, 1, ReviewKind::kReview, 17, "t3", std::nullopt);
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
  for (int i = 0; i < 5; ++i) ids.push_back(store.add_card("q" + std::to_string(i), "a", std::nullopt, 0));
  const int grades[] = {5, 4, 3, 2, 1, 0, 5, 5, 3, 4, 2, 5};
  int g = 0;
  for (recall::Day day = 0; day < 60; ++day) {
    for (long long id : ids) {
      const auto card = store.card(id);
      if (card->state.due_day && *card->state.due_day > day) continue;
      store.record_answer(id, grades[g++ % 12], ReviewKind::kReview, day, "t", std::nullopt);
      if (g % 5 == 0) store.record_answer(id, 4, ReviewKind::kRedrill, day, "t", std::nullopt);
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

TEST_CASE("a version 1 database is upgraded in place, its data kept", "[store]") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  long long card = 0;
  {
    Store store(path);
    card = store.add_card("front", "back", std::nullopt, 20600);
    store.record_answer(card, 4, recall::ReviewKind::kReview, 20600, "t", std::nullopt);
  }
  {
    // What recall 0.1 left: schema 1, without the topic order index.
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("DROP INDEX topics_domain_order");
    raw.exec("PRAGMA user_version = 1");
  }
  Store store(path);
  CHECK(store.schema_version() == Store::kSchemaVersion);
  CHECK(store.card(card)->state.repetitions == 1);
  CHECK(store.reviews_for_card(card).size() == 1);
  SQLite::Database raw(path);
  CHECK(raw.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'topics_domain_order'").getInt() == 1);
}
