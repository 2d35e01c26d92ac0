// The feedback rules on a large log read only the cards that can change
// what they say (feedback_for, sync.cpp). What they say must equal the rules
// run over the whole log, every day of weeks of drills, syncs and the
// tutor's edits.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "recall/answering.h"
#include "recall/check.h"
#include "recall/feedback.h"
#include "recall/json_shapes.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

namespace {

using recall::Day;

// Everything the rules say, as text: the gaps as `recall gaps --json`
// prints them, then each recurring card's misses and each note pattern.
std::string said(Day day, const recall::Feedback& feedback, const std::vector<recall::Card>& cards) {
  std::map<long long, recall::Card> by_id;
  for (const auto& card : cards) by_id.emplace(card.id, card);
  std::string out = recall::gaps_json(day, feedback, by_id).dump();
  for (const auto& m : feedback.recurring_cards) {
    out += "\ncard " + std::to_string(m.card_id) + " " + std::to_string(m.failures) + " " +
           std::to_string(m.window_failures) + " streak " + std::to_string(m.streak) + ":";
    for (Day d : m.fail_days) out += " " + std::to_string(d);
  }
  for (const auto& p : feedback.patterns) {
    out += "\npattern " + p.key + " " + std::to_string(p.failures) + (p.recurring ? " r" : "");
    for (long long id : p.card_ids) out += " " + std::to_string(id);
  }
  for (long long id : feedback.pattern_card_ids) out += "\nby pattern " + std::to_string(id);
  for (const auto& row : feedback.drop_resolved) out += "\ndrop " + row;
  return out;
}

// The rules over the whole log, with recall's lines as the next sync records them.
std::string whole_log(recall::Store& store, Day day) {
  const auto cards = store.cards(std::nullopt, true);
  const auto feedback = recall::derive_feedback(store.gaps(), cards, store.review_outcomes(), day,
                                                recall::kRules, recall::recall_lines_for(store, day));
  return said(day, feedback, cards);
}

std::string scoped(recall::Store& store, Day day) {
  return said(day, recall::feedback_for(store, day), store.cards(std::nullopt, true));
}

}  // namespace

TEST_CASE("the feedback read from the cards that matter equals the whole log's, day after day",
          "[feedback][scale]") {
  recall::test::TempDir dir;
  const std::string tracker = dir.file("tracker.md");
  recall::test::write_bytes(tracker, recall::test::read_bytes(recall::test::fixture_path()));
  recall::Store store(dir.file("r.db"));
  const Day start = *recall::parse_day("2026-03-01");
  recall::import_file(store, tracker, start);

  std::vector<recall::Card> cards;
  for (const auto& card : store.cards(std::nullopt, false))
    if (!recall::has_no_model_answer(card)) cards.push_back(card);
  REQUIRE(cards.size() > 100);
  // One card is answered only late, a week back-dated (another device, a
  // late log): the drill never answers it, so each late answer still comes
  // after its last one.
  const recall::Card late = cards.back();
  cards.pop_back();
  // A lapsing learner: the first topics' cards fail often, with a few
  // recurring notes; the rest now and then, some with a note of their own.
  std::mt19937 random(7);
  const std::vector<std::string> notes = {"swapped the axes", "forgot the square root",
                                          "mixed up precision and recall", ""};
  int compared = 0, lines_added = 0;
  for (int offset = 1; offset <= 75; ++offset) {
    const Day day = start + offset;
    std::shuffle(cards.begin(), cards.end(), random);
    for (std::size_t i = 0; i < 40; ++i) {
      const recall::Card& card = cards[i];
      const bool weak = card.topic_label.rfind("A.", 0) == 0 || card.topic_label == "C.16";
      const bool fail = std::uniform_int_distribution<int>(0, 99)(random) < (weak ? 55 : 12);
      recall::Answer answer;
      answer.card_id = card.id;
      answer.grade = fail ? 1 : 4;
      answer.day = day;
      answer.answered_at = recall::format_day(day) + "T09:00:00";
      if (fail) {
        const std::string& note =
            weak ? notes[random() % notes.size()] : (random() % 4 == 0 ? "guessed" : "");
        if (!note.empty()) answer.note = note;
      }
      recall::answer_card(store, answer);
    }
    if (offset % 9 == 0)
      recall::answer_card(store, {late.id, 1, day - 7, recall::format_day(day) + "T10:00:00",
                                  std::string("guessed")});
    if (offset % 3 == 0) {
      const auto result = recall::sync_tracker(store, tracker, day);
      lines_added += result.gaps_added;
    }
    // The tutor deletes the first line recall added, on two days.
    if (offset == 30 || offset == 51) {
      std::string text = recall::test::read_bytes(tracker);
      const auto mark = text.find(" — missed ");
      if (mark != std::string::npos) {
        const auto begin = text.rfind('\n', mark) + 1;
        text.erase(begin, text.find('\n', mark) + 1 - begin);
        recall::test::write_bytes(tracker, text);
        recall::import_file(store, tracker, day);
      }
    }
    for (Day at : {day, day + 20}) {
      INFO("day " << recall::format_day(at));
      CHECK(scoped(store, at) == whole_log(store, at));
      ++compared;
    }
  }
  CHECK(compared == 150);
  // The run reached the rules' every branch it is about: lines added, moved
  // and resolved by sync over the weeks.
  CHECK(lines_added >= 3);
}

TEST_CASE("schema 16 reads the scope's logs off the index alone, notes from the noted failures",
          "[feedback][upgrade]") {
  // The scope's logs come from reviews_card without a row of the table
  // (review_grades_of): no notes. Every note the rules and the brief show
  // is a noted failure's, read beside them; an older database gets the
  // covering index at its upgrade.
  recall::test::TempDir dir;
  const std::string db = dir.file("r.db");
  const Day start = *recall::parse_day("2026-03-01");
  {
    recall::Store store(db);
    recall::import_file(store, recall::test::fixture_path(), start);
    int answered = 0;
    for (const auto& card : store.cards(std::nullopt, false)) {
      if (recall::has_no_model_answer(card) || ++answered > 6) continue;
      for (int d = 1; d <= 3; ++d)
        recall::answer_card(store, {card.id, d == 2 ? 4 : 1, start + d,
                                    recall::format_day(start + d) + "T09:00:00",
                                    std::string("swapped the axes")});
    }
  }
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("DROP INDEX reviews_card; CREATE INDEX reviews_card ON reviews(card_id, id);"
             "DROP TRIGGER reviews_tally_insert; DROP TRIGGER reviews_tally_delete;"
             "DELETE FROM tallies WHERE name = 'reviews'; PRAGMA user_version = 15;");
  }
  recall::Store store(db);
  CHECK(store.schema_version() == recall::Store::kSchemaVersion);
  CHECK(store.log_mark().count == 18);  // the log's size counted into its kept tally
  CHECK(store.check().ok());
  {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    const std::string index =
        raw.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'reviews_card'").getString();
    CHECK(index.find("day, grade, kind") != std::string::npos);
  }
  const Day day = start + 4;
  const std::string scoped_text = scoped(store, day);
  CHECK(scoped_text == whole_log(store, day));
  CHECK(scoped_text.find("swapped the axes") != std::string::npos);
  std::vector<recall::ReviewOutcome> read;
  const auto feedback = recall::feedback_for(store, day, &read);
  REQUIRE(feedback.recurring_cards.size() == 6);
  int noted = 0;
  for (const auto& r : read)
    if (r.note) ++noted;
  CHECK(noted == 12);  // two failures of each card, each with its note, once
  CHECK(read.size() == 18);
}
