// Undo (issue 14, finding 4): a drill undoes its own answers only, a review
// id is never handed out twice, and sync still sees an undo followed by a new
// answer as new evidence.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/importer.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using recall::ReviewKind;
using recall::Store;
using recall::test::read_bytes;
using recall::test::run_recall;
using recall::test::TempDir;
using recall::test::write_bytes;

namespace {

const std::string kToday = "2026-03-01";
const recall::Day kDay = *recall::parse_day(kToday);

// (id, card, grade) of every logged answer, in id order.
std::vector<std::tuple<long long, long long, int>> log_of(const std::string& db) {
  SQLite::Database raw(db, SQLite::OPEN_READONLY);
  raw.setBusyTimeout(10000);
  SQLite::Statement s(raw, "SELECT id, card_id, grade FROM reviews ORDER BY id");
  std::vector<std::tuple<long long, long long, int>> rows;
  while (s.executeStep())
    rows.emplace_back(s.getColumn(0).getInt64(), s.getColumn(1).getInt64(),
                      s.getColumn(2).getInt());
  return rows;
}

void wait_for_rows(const std::string& db, std::size_t rows) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (log_of(db).size() < rows) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

recall::DrillSession session_on(Store& store) {
  return recall::DrillSession(store, kDay, [] { return std::string("t"); }, {});
}

}  // namespace

TEST_CASE("a drill's undo removes its own last answer, not another process's", "[undo]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  Store mine(db), theirs(db);
  auto session = session_on(mine);
  const auto shown = session.current(std::chrono::steady_clock::now());
  REQUIRE(shown);
  const recall::ReviewLog own = session.answer(4, std::nullopt);
  const long long other_card = shown->card.id == 1 ? 2 : 1;
  const recall::ReviewLog other =
      recall::answer_card(theirs, other_card, 0, ReviewKind::kReview, kDay, "t", std::nullopt);
  REQUIRE(other.id > own.id);

  const auto undone = session.undo();
  REQUIRE(undone);
  CHECK(undone->id == own.id);
  CHECK(undone->card_id == shown->card.id);
  CHECK(log_of(db) ==
        std::vector<std::tuple<long long, long long, int>>{{other.id, other_card, 0}});
  CHECK(mine.card(shown->card.id)->state == recall::Sm2State{});
  CHECK(mine.card(other_card)->state == other.after);
  CHECK_FALSE(session.undo());  // the session has nothing else of its own
  CHECK(log_of(db).size() == 1);
  CHECK(mine.check().ok());
}

TEST_CASE("the piped drill's u leaves another process's answer", "[undo]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  recall::test::RecallProcess drill({"--db", db, "--today", kToday, "review"});
  drill.write("4\n");
  wait_for_rows(db, 1);
  const long long drilled = std::get<1>(log_of(db)[0]);
  const long long other_card = drilled == 1 ? 2 : 1;
  REQUIRE(
      run_recall(db, {"--today", kToday, "answer", std::to_string(other_card), "0"}).exit_code ==
      0);
  drill.write("u\nq\n");
  CHECK(drill.wait_exit() == 0);
  const auto rows = log_of(db);
  REQUIRE(rows.size() == 1);
  CHECK(std::get<1>(rows[0]) == other_card);
  CHECK(std::get<2>(rows[0]) == 0);
  CHECK(run_recall(db, {"check"}).exit_code == 0);
}

TEST_CASE("only a card's latest answer can be undone by id", "[undo]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const long long card = store.add_card("front", "back", std::nullopt, kDay);
  const auto first =
      recall::answer_card(store, card, 2, ReviewKind::kReview, kDay, "t", std::nullopt);
  const auto second =
      recall::answer_card(store, card, 4, ReviewKind::kRedrill, kDay, "t", std::nullopt);
  CHECK_THROWS_WITH(store.undo_review(first.id), Catch::Contains("only a card's latest answer"));
  CHECK(store.reviews_for_card(card).size() == 2);  // refused: nothing changed
  CHECK(store.card(card)->state == first.after);
  REQUIRE(store.undo_review(second.id));
  REQUIRE(store.undo_review(first.id));
  CHECK(store.card(card)->state == recall::Sm2State{});
  CHECK_FALSE(store.undo_review(first.id));  // gone already
  CHECK(store.check().ok());
}

TEST_CASE("a drill whose answer was undone or answered again elsewhere says so", "[undo]") {
  TempDir dir;
  const std::string db = recall::test::imported_fixture(dir, kToday);
  recall::test::drill_drafts(db);
  Store mine(db), theirs(db);
  auto session = session_on(mine);
  const auto first = session.current(std::chrono::steady_clock::now());
  REQUIRE(first);
  session.answer(1, std::nullopt);
  // Another process answers the same card again: the drill's answer is no
  // longer the card's latest, so it stays.
  const auto again =
      recall::answer_card(theirs, first->card.id, 5, ReviewKind::kRedrill, kDay, "t", std::nullopt);
  CHECK_THROWS_WITH(session.undo(), Catch::Contains("only a card's latest answer"));
  CHECK(log_of(db).size() == 2);
  REQUIRE(theirs.undo_review(again.id));
  // Now it can go; then `recall undo` elsewhere removes the drill's next one.
  REQUIRE(session.undo());
  CHECK(log_of(db).empty());
  const auto next = session.current(std::chrono::steady_clock::now());
  REQUIRE(next);
  session.answer(3, std::nullopt);
  REQUIRE(theirs.undo_last());
  CHECK_THROWS_WITH(session.undo(), Catch::Contains("already undone"));
  CHECK_FALSE(session.undo());
  CHECK(log_of(db).empty());
  CHECK(mine.check().ok());
}

TEST_CASE("review ids are never reused after an undo", "[undo]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const long long card = store.add_card("front", "back", std::nullopt, kDay);
  recall::answer_card(store, card, 4, ReviewKind::kReview, kDay, "t", std::nullopt);
  const auto last =
      recall::answer_card(store, card, 4, ReviewKind::kReview, kDay + 1, "t", std::nullopt);
  REQUIRE(store.undo_last()->id == last.id);
  const auto next =
      recall::answer_card(store, card, 5, ReviewKind::kReview, kDay + 1, "t", std::nullopt);
  CHECK(next.id > last.id);
  REQUIRE(store.undo_review(next.id));
  CHECK(recall::answer_card(store, card, 5, ReviewKind::kReview, kDay + 1, "t", std::nullopt).id >
        next.id);
}

TEST_CASE("after sync, an undo and a new answer are new evidence for the next sync",
          "[undo][sync]") {
  TempDir dir;
  const std::string db = dir.file("r.db"), tracker = dir.file("t.md");
  write_bytes(tracker, read_bytes(recall::test::fixture_path()));
  REQUIRE(run_recall(db, {"--today", kToday, "import", tracker}).exit_code == 0);
  REQUIRE(run_recall(db, {"--today", kToday, "answer", "1", "0", "--note", "swapped"}).exit_code ==
          0);
  const auto first = run_recall(db, {"--today", kToday, "sync", tracker, "--json"});
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("\"evidence\":true"));
  REQUIRE(run_recall(db, {"--today", kToday, "undo"}).exit_code == 0);
  REQUIRE(run_recall(db, {"--today", kToday, "answer", "2", "1", "--note", "blank"}).exit_code ==
          0);
  const auto second = run_recall(db, {"--today", kToday, "sync", tracker, "--json"});
  INFO(second.out << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("\"evidence\":true"));
}
