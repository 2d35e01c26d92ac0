// brief reads no longer every card (brief.cpp, feedback_for): its weakest
// topics must rank and show as the reading of every card did (the reference
// below, brief's algorithm as of 590ebdf, over card_outlines()), its counts
// equal a count of every card, and the scoped feedback the rules over every
// card and the whole log, with retired cards, cards added by hand, a card
// without a model answer, a topic without domain and a retired topic.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "recall/answering.h"
#include "recall/brief.h"
#include "recall/feedback.h"
#include "recall/json_shapes.h"
#include "recall/stats.h"
#include "recall/store.h"
#include "recall/study.h"
#include "support.h"

namespace {

using namespace recall;

std::vector<BriefTopic> reference_weakest(Store& store, Day today) {
  const std::vector<Card> cards = store.card_outlines();
  std::unordered_map<long long, const Card*> card_by_id;
  for (const auto& card : cards) card_by_id[card.id] = &card;
  const auto reviews = store.review_outcomes_between(today - (kRetentionWindowDays - 1), today);
  const auto topics = store.topics(today);
  std::unordered_map<long long, const TopicSummary*> topic_by_id;
  for (const auto& topic : topics) topic_by_id[topic.id] = &topic;
  std::map<long long, std::vector<const Card*>> topic_cards;
  for (const auto& card : cards)
    if (card.topic_id && !card.retired) topic_cards[card.topic_id].push_back(&card);
  const Day first = today - (kRetentionWindowDays - 1);
  std::map<long long, std::vector<const ReviewOutcome*>> topic_reviews;
  for (const auto& review : reviews) {
    if (review.day < first || review.day > today) continue;
    const auto card = card_by_id.find(review.card_id);
    if (card != card_by_id.end() && card->second->topic_id && !card->second->retired)
      topic_reviews[card->second->topic_id].push_back(&review);
  }
  struct Ranked {
    BriefTopic topic;
    int weight = 0;
  };
  std::vector<Ranked> ranked;
  for (const auto& [topic_id, outcomes] : topic_reviews) {
    const ConfidenceEvidence evidence = confidence_evidence(outcomes, topic_cards[topic_id]);
    if (evidence.lapses == 0) continue;
    const Card& any = *topic_cards[topic_id].front();
    Ranked r;
    r.topic.label = any.topic_label;
    r.topic.title = any.topic_title;
    if (const auto row = topic_by_id.find(topic_id); row != topic_by_id.end())
      r.topic.confidence = row->second->confidence;
    r.topic.evidence = evidence_level(evidence);
    r.topic.graded = evidence.graded;
    r.topic.passed = evidence.passed;
    r.topic.days = evidence.days;
    r.weight = any.domain_weight;
    ranked.push_back(std::move(r));
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.topic.evidence.has_value() != b.topic.evidence.has_value())
      return a.topic.evidence.has_value();
    if (a.topic.evidence != b.topic.evidence) return *a.topic.evidence < *b.topic.evidence;
    const long long left = 1LL * a.topic.passed * b.topic.graded;
    const long long right = 1LL * b.topic.passed * a.topic.graded;
    if (left != right) return left < right;
    const int fa = a.topic.graded - a.topic.passed, fb = b.topic.graded - b.topic.passed;
    if (fa != fb) return fa > fb;
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.topic.label < b.topic.label;
  });
  std::vector<BriefTopic> out;
  for (auto& r : ranked) out.push_back(std::move(r.topic));
  return out;
}

std::string text_of(const std::vector<BriefTopic>& topics) {
  std::string out;
  for (const auto& t : topics)
    out += t.label + "|" + t.title + "|" + t.confidence + "|" +
           (t.evidence ? std::to_string(static_cast<int>(*t.evidence)) : "-") + "|" +
           std::to_string(t.graded) + "/" + std::to_string(t.passed) + "/" +
           std::to_string(t.days) + "\n";
  return out;
}

std::string said(Day day, const Feedback& feedback, const std::vector<Card>& cards) {
  std::map<long long, Card> by_id;
  for (const auto& card : cards) by_id.emplace(card.id, card);
  std::string out = gaps_json(day, feedback, by_id).dump();
  for (const auto& m : feedback.recurring_cards) out += "\ncard " + std::to_string(m.card_id);
  for (const auto& p : feedback.patterns) out += "\npattern " + p.key;
  for (const auto& row : feedback.drop_resolved) out += "\ndrop " + row;
  return out;
}

}  // namespace

TEST_CASE("brief at scale: weakest topics, counts and feedback as reading every card, day after day",
          "[brief][scale]") {
  test::TempDir dir;
  const std::string tracker = dir.file("tracker.md");
  test::write_bytes(tracker, test::read_bytes(test::fixture_path()));
  Store store(dir.file("r.db"));
  const Day start = *parse_day("2026-03-01");
  import_file(store, tracker, start);
  std::vector<Card> cards = store.cards(std::nullopt, false);
  // Hand cards: one with a topic, one without, both failed.
  const std::string label = cards.front().topic_label;
  const long long hand1 = store.add_card("Hand: what is it?", "this", label, start);
  const long long hand2 = store.add_card("Loose question", "that", std::nullopt, start);
  cards = store.cards(std::nullopt, false);
  std::mt19937 random(11);
  int compared = 0;
  for (int offset = 1; offset <= 45; ++offset) {
    const Day day = start + offset;
    std::shuffle(cards.begin(), cards.end(), random);
    for (std::size_t i = 0; i < 30; ++i) {
      const Card& card = cards[i];
      const bool fail = random() % 100 < 35;
      Answer a;
      a.card_id = card.id;
      a.grade = fail ? 1 : 4;
      a.day = day;
      a.answered_at = format_day(day) + "T09:00:00";
      if (fail && random() % 3 == 0) a.note = "mixed up";
      try {
        answer_card(store, a);
      } catch (const std::exception&) {
      }
    }
    for (long long id : {hand1, hand2}) {
      try {
        answer_card(store, {id, offset % 2 ? 1 : 4, day, format_day(day) + "T08:00:00", {}});
      } catch (const std::exception&) {
      }
    }
    if (offset % 5 == 0) sync_tracker(store, tracker, day);
    if (offset == 15 || offset == 25) {
      // Retire some answered cards; a topic loses its domain; a card flagged answerless.
      std::vector<long long> retire;
      for (std::size_t i = 0; i < 8; ++i)
        if (auto c = store.card(cards[i].id); c && !c->retired) retire.push_back(cards[i].id);
      store.retire_cards(retire, "not knowledge", "tutor", day);
      SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
      raw.exec("UPDATE topics SET domain_id = NULL WHERE id = (SELECT topic_id FROM cards WHERE id = " +
               std::to_string(cards[10].id) + ")");
      raw.exec("UPDATE cards SET quality = 'review', quality_reason = 'no model answer' WHERE id = " +
               std::to_string(cards[11].id));
      raw.exec("UPDATE topics SET retired = 1 WHERE id = (SELECT topic_id FROM cards WHERE id = " +
               std::to_string(cards[12].id) + ")");
    }
    BriefOptions options;
    options.max_items = 100000;
    for (Day at : {day, day + 10}) {
      INFO("day " << format_day(at));
      const Brief brief = load_brief(store, at, options);
      CHECK(text_of(brief.weakest) == text_of(reference_weakest(store, at)));
      const auto all = store.card_outlines();
      int live = 0, flagged = 0;
      for (const auto& c : all) {
        live += c.retired ? 0 : 1;
        flagged += (!c.retired && c.quality == "review") ? 1 : 0;
      }
      CHECK(brief.cards == live);
      CHECK(brief.flagged == flagged);
      const auto whole = derive_feedback(store.gaps(), store.cards(std::nullopt, true),
                                         store.review_outcomes(), at, kRules,
                                         recall_lines_for(store, at));
      CHECK(said(at, feedback_for(store, at), all) == said(at, whole, all));
      ++compared;
    }
  }
  CHECK(compared == 90);
}

TEST_CASE("brief at scale: a topic's level counts only its studied cards' ease and interval",
          "[brief][scale]") {
  test::TempDir dir;
  Store store(dir.file("r.db"));
  const Day start = *parse_day("2026-03-01");
  import_file(store, test::fixture_path(), start);
  // A topic with three cards or more: two answered for ten days (one lapse
  // among ten answers, 90%), the rest never studied.
  std::map<long long, std::vector<long long>> by_topic;
  for (const auto& card : store.cards(std::nullopt, false))
    if (card.topic_id) by_topic[card.topic_id].push_back(card.id);
  long long topic = 0;
  for (const auto& [id, ids] : by_topic)
    if (ids.size() >= 3) {
      topic = id;
      break;
    }
  REQUIRE(topic != 0);
  const std::vector<long long> ids = by_topic[topic];
  for (int i = 0; i < 5; ++i)
    for (long long id : {ids[0], ids[1]}) {
      const Day day = start + 1 + i * 2 + (id == ids[1] ? 1 : 0);
      answer_card(store, {id, i == 0 && id == ids[0] ? 1 : 4, day, format_day(day) + "T09:00:00",
                          {}});
    }
  {
    // Grown cards: EF 2.5, interval 8 days. Counting the unstudied ones
    // (interval 0) would take the mean below the 6 days High needs.
    SQLite::Database raw(dir.file("r.db"), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET easiness = 2500, interval_days = 8 WHERE id IN (" +
             std::to_string(ids[0]) + ", " + std::to_string(ids[1]) + ")");
  }
  const Day today = start + 12;
  BriefOptions options;
  options.max_items = 1000;
  const Brief brief = load_brief(store, today, options);
  REQUIRE(brief.weakest.size() == 1);
  CHECK(brief.weakest[0].graded == 10);
  CHECK(brief.weakest[0].passed == 9);
  REQUIRE(brief.weakest[0].evidence);
  CHECK(*brief.weakest[0].evidence == Confidence::kHigh);
  CHECK(text_of(brief.weakest) == text_of(reference_weakest(store, today)));
}
