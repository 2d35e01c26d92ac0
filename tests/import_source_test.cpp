// One import path for every source (importer.h ImportSource): a fourth
// source, built here as another app would yield it (cards and an answer given
// there), goes through the same plan and apply as a tracker, a deck and an
// Anki package, and is then drilled and checked like their cards.
#include <catch2/catch.hpp>

#include "recall/check.h"
#include "recall/error.h"
#include "recall/importer.h"
#include "recall/store.h"
#include "support.h"

using recall::test::run_recall;
using recall::test::TempDir;

namespace {

constexpr const char* kToday = "2026-11-20";

recall::CardDraft app_card(const std::string& identity, const std::string& front,
                           const std::string& back, int order) {
  recall::CardDraft card;
  card.identity = identity;
  card.kind = recall::CardKind::kComplete;
  card.front = front;
  card.back = back;
  card.source = back;
  card.topic_key = "arithmetic";
  card.topic_label = "Z.1";
  card.topic_title = "Arithmetic";
  card.domain_letter = 'Z';
  card.order = order;
  return card;
}

// An answer given in the app the day before (Good), naming its card by
// identity.
recall::ImportedAnswer app_answer(const std::string& identity, long long source_id,
                                  recall::Day yesterday) {
  recall::ImportedAnswer answer;
  answer.card_identity = identity;
  answer.source_id = source_id;
  answer.day = yesterday;
  answer.answered_at = "2026-11-19T09:30:00";
  answer.button = 3;
  answer.grade = 4;
  return answer;
}

// What another app yields: a domain, a topic, two cards, and one answer
// given there the day before, naming its card by identity (the card is new:
// it has no id yet).
recall::ImportSource app_source(recall::Day yesterday) {
  recall::ImportSource source;
  source.scope = recall::ImportSource::Scope::kSome;
  recall::Domain domain;
  domain.letter = 'Z';
  domain.name = "Numbers";
  source.domains.push_back(domain);
  recall::Topic topic;
  topic.label = "Z.1";
  topic.title = "Arithmetic";
  topic.domain_letter = 'Z';
  source.topics.push_back(topic);
  source.cards.push_back(app_card("app|arithmetic|sum", "2 + 2?", "4", 1));
  source.cards.push_back(app_card("app|arithmetic|product", "3 x 3?", "9", 2));
  source.key_points = 2;
  source.answers = [yesterday](const recall::AnswerSink& sink) {
    sink({app_answer("app|arithmetic|sum", 1'795'000'000'000, yesterday)});
  };
  return source;
}

}  // namespace

TEST_CASE("a fourth import source shares the plan and apply of the others", "[import][source]") {
  TempDir dir;
  const std::string db = dir.file("r.db");
  const recall::Day today = *recall::parse_day(kToday);
  long long sum_id = 0;
  {
    recall::Store store(db);
    // A dry run keeps nothing and says what would be done.
    const recall::ImportReport dry =
        recall::import_source(store, app_source(today - 1), today, true);
    CHECK(dry.added == 2);
    CHECK(dry.answers_added == 1);
    CHECK(store.cards(std::nullopt, true).empty());

    const recall::ImportReport report = recall::import_source(store, app_source(today - 1), today);
    CHECK(report.added == 2);
    CHECK(report.domains == 1);
    CHECK(report.topics == 1);
    CHECK(report.key_points == 2);
    CHECK(report.retired == 0);
    CHECK(report.answers_added == 1);
    CHECK(report.answer_cards == 1);
    CHECK(report.answers_duplicate == 0);

    const std::vector<recall::Card> cards = store.cards(std::nullopt, true);
    REQUIRE(cards.size() == 2);
    for (const recall::Card& card : cards)
      if (card.identity == "app|arithmetic|sum") sum_id = card.id;
    REQUIRE(sum_id != 0);
    // The answer given in the app is in the log at its day, and schedules the card.
    const std::vector<recall::ReviewLog> log = store.reviews_for_card(sum_id);
    REQUIRE(log.size() == 1);
    CHECK(log[0].day == today - 1);
    CHECK(log[0].grade == 4);
    CHECK(log[0].button == 3);
    CHECK(log[0].source == recall::ReviewSource::kPhone);
    CHECK(store.card(sum_id)->state.due_day.has_value());

    // The same source again: nothing added, the answer a duplicate.
    const recall::ImportReport again = recall::import_source(store, app_source(today - 1), today);
    CHECK(again.added == 0);
    CHECK(again.updated == 0);
    CHECK(again.unchanged == 2);
    CHECK(again.answers_added == 0);
    CHECK(again.answers_duplicate == 1);
    CHECK(store.reviews_for_card(sum_id).size() == 1);
  }
  // Drilled and checked like any other source's cards, through the binary.
  const auto answered = run_recall(db, {"--today", kToday, "answer", std::to_string(sum_id), "5"});
  CHECK(answered.exit_code == 0);
  const auto checked = run_recall(db, {"--today", kToday, "check"});
  CHECK(checked.exit_code == 0);
  recall::Store store(db);
  CHECK(store.reviews_for_card(sum_id).size() == 2);
  CHECK(store.check().ok());
}

TEST_CASE("an import source's answer for a card it does not name fails whole", "[import][source]") {
  TempDir dir;
  recall::Store store(dir.file("r.db"));
  const recall::Day today = *recall::parse_day(kToday);
  recall::ImportSource source = app_source(today - 1);
  source.answers = [&](const recall::AnswerSink& sink) {
    sink({app_answer("app|arithmetic|missing", 7, today - 1)});
  };
  CHECK_THROWS_AS(recall::import_source(store, std::move(source), today), recall::Error);
  // One transaction: the cards the source would have added are not kept.
  CHECK(store.cards(std::nullopt, true).empty());
}
