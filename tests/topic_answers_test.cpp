// What each topic's confidence stands on is kept by triggers (topic_answers,
// schema.sql). It must equal the count over the whole log after every kind
// of change: answers on new days, the same day and back-dated, re-drills,
// undo, syncs moving baselines, a baseline set or removed by hand, a card
// filed under another topic; after an upgrade; and `check` must see a row
// that drifted.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <random>
#include <string>
#include <vector>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/feedback.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

namespace {

using recall::Day;

// graded, passed, days, studied, summed EF, summed interval: by topic id.
using Counts = std::map<long long, std::vector<long long>>;

Counts kept(recall::Store& store) {
  Counts out;
  for (const auto& row : store.topic_answers())
    out[row.topic_id] = {row.graded,  row.passed,         row.days,
                         row.studied, row.easiness_milli, row.interval_days};
  return out;
}

// The same counted from the whole log and every card, as the rules define it.
Counts counted(recall::Store& store) {
  std::map<std::string, std::string> settings;
  for (auto& [key, value] : store.settings()) settings[key] = value;
  std::map<long long, const recall::Card*> by_id;
  const auto cards = store.cards(std::nullopt, true);
  for (const auto& card : cards) by_id[card.id] = &card;
  const auto log = store.review_outcomes();
  Counts out;
  for (const auto& topic : store.topics(0)) {
    const auto found = settings.find("sync-confidence-since:" + topic.topic_key);
    const long long since = found == settings.end() ? 0 : std::stoll(found->second);
    long long graded = 0, passed = 0, studied = 0, ef = 0, interval = 0;
    std::set<Day> days;
    for (const auto& r : log) {
      const auto card = by_id.find(r.card_id);
      if (card == by_id.end() || card->second->topic_id != topic.id) continue;
      if (r.kind == recall::ReviewKind::kRedrill || r.id <= since) continue;
      ++graded;
      passed += r.grade >= 3;
      days.insert(r.day);
    }
    for (const auto& card : cards)
      if (card.topic_id == topic.id && !card.retired && card.state.due_day) {
        ++studied;
        ef += card.state.easiness_milli;
        interval += card.state.interval_days;
      }
    out[topic.id] = {graded, passed, static_cast<long long>(days.size()), studied, ef, interval};
  }
  return out;
}

}  // namespace

TEST_CASE("each topic's kept answer counts equal the whole log's through answers, undo, syncs, "
          "baselines and moved cards",
          "[topics][sync]") {
  recall::test::TempDir dir;
  const std::string tracker = dir.file("tracker.md");
  recall::test::write_bytes(tracker, recall::test::read_bytes(recall::test::fixture_path()));
  const std::string db = dir.file("r.db");
  recall::Store store(db);
  const Day start = *recall::parse_day("2026-03-01");
  recall::import_file(store, tracker, start);
  std::vector<recall::Card> cards;
  for (const auto& card : store.cards(std::nullopt, false))
    if (card.topic_id) cards.push_back(card);
  REQUIRE(cards.size() > 60);
  // Cards answered only back-dated, each once, so no later answer stands in
  // the way of the earlier day.
  std::vector<recall::Card> late(cards.end() - 12, cards.end());
  cards.resize(cards.size() - 12);
  const auto topics = store.topics(0);

  std::mt19937 random(11);
  int compared = 0, back_dated = 0, undone = 0, synced = 0, moved = 0, baselines = 0;
  for (int offset = 1; offset <= 40; ++offset) {
    const Day day = start + offset;
    std::shuffle(cards.begin(), cards.end(), random);
    for (std::size_t i = 0; i < 15; ++i) {
      recall::Answer answer;
      answer.card_id = cards[i].id;
      answer.grade = static_cast<int>(random() % 6);
      answer.day = day;
      answer.answered_at = recall::format_day(day) + "T09:00:00";
      recall::answer_card(store, answer);
      // Failed cards are drilled again the same day (re-drills count nothing).
      if (answer.grade < 3) {
        answer.grade = 4;
        recall::answer_card(store, answer);
      }
    }
    if (offset % 4 == 0 && back_dated < static_cast<int>(late.size())) {
      recall::answer_card(store, {late[back_dated].id, static_cast<int>(random() % 6), day - 3,
                                  recall::format_day(day) + "T10:00:00", std::nullopt});
      ++back_dated;
    }
    if (offset % 3 == 0 && recall::undo_last_answer(store)) ++undone;
    if (offset % 7 == 0) {
      recall::sync_tracker(store, tracker, day);
      ++synced;
    }
    if (offset % 5 == 0) {  // a baseline set, then removed, by hand
      const auto& topic = topics[random() % topics.size()];
      const std::string key = "sync-confidence-since:" + topic.topic_key;
      if (store.setting(key))
        store.unset_setting(key);
      else
        store.set_setting(key, std::to_string(store.log_mark().last_id - 20));
      ++baselines;
    }
    if (offset % 11 == 0) {  // a card filed under another topic
      SQLite::Database raw(db, SQLite::OPEN_READWRITE);
      raw.exec("UPDATE cards SET topic_id = " + std::to_string(topics[offset % 5].id) +
               " WHERE id = " + std::to_string(cards[0].id));
      ++moved;
    }
    INFO("day " << offset);
    CHECK(kept(store) == counted(store));
    ++compared;
  }
  CHECK(compared == 40);
  CHECK(back_dated >= 8);
  CHECK(undone >= 10);
  CHECK(synced == 5);
  CHECK(baselines == 8);
  CHECK(moved == 3);
  // Some topic counts from a baseline after answers of its own.
  bool baseline_cut = false;
  for (const auto& [key, value] : store.settings())
    if (key.rfind("sync-confidence-since:", 0) == 0 && std::stoll(value) > 0) baseline_cut = true;
  CHECK(baseline_cut);
  CHECK(store.check().problems.empty());

  // A row that drifted is what `check` reports.
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE topic_answers SET graded = graded + 1 WHERE topic_id = " +
             std::to_string(topics[0].id));
  }
  const auto report = store.check();
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].message.find("topic " + topics[0].label + "'s kept answer counts") !=
        std::string::npos);
}

TEST_CASE("a schema 10 database gets every topic's answer counts on upgrade", "[topics][store]") {
  recall::test::TempDir dir;
  const std::string db = dir.file("r.db");
  Counts before;
  {
    recall::Store store(db);
    const Day start = *recall::parse_day("2026-03-01");
    recall::import_file(store, recall::test::fixture_path(), start);
    const auto cards = store.cards(std::nullopt, false);
    for (int d = 1; d <= 5; ++d)
      for (std::size_t i = 0; i < 40; ++i)
        recall::answer_card(store, {cards[i].id, static_cast<int>((i + d) % 6), start + d,
                                    recall::format_day(start + d) + "T09:00:00", std::nullopt});
    const auto topics = store.topics(0);
    store.set_setting("sync-confidence-since:" + topics[0].topic_key, "30");
    before = counted(store);
  }
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec(recall::test::kUndoSchema11);
    raw.exec("PRAGMA user_version = 10");
  }
  recall::Store store(db);
  CHECK(store.schema_version() == recall::Store::kSchemaVersion);
  const Counts after = kept(store);
  CHECK(after == before);
  long long graded = 0;
  for (const auto& [id, row] : after) graded += row[0];
  CHECK(graded > 100);
  CHECK(store.check().problems.empty());
}
