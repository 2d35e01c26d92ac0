// gather_queue loads only what today's queue can hold (`next`: one card,
// `due`: none, the drill: the daily room). These tests hold it to the queue
// computed from every candidate loaded, on the real fixture with studied,
// recurring, gap-linked and new cards, ties between domain weights, filters
// and limits small and large.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <SQLiteCpp/SQLiteCpp.h>

#include "recall/answering.h"
#include "recall/drill.h"
#include "recall/feedback.h"
#include "recall/importer.h"
#include "recall/interview.h"
#include "recall/store.h"
#include "recall/study.h"
#include "recall/tracker.h"
#include "support.h"

using recall::CardFilter;
using recall::Day;
using recall::Queue;
using recall::QueueInputs;
using recall::Store;
using recall::test::TempDir;

namespace {

constexpr Day kStart = 20600;

// Failed (grade < 3) on 2+ days of [day-29, day], straight from the log (the
// store reads each card's kept failure days instead).
std::set<long long> recurring_by_log(Store& store, Day day) {
  std::map<long long, std::set<Day>> failed;
  for (const auto& log : store.all_reviews())
    if (log.grade < 3 && log.day >= day - 29 && log.day <= day) failed[log.card_id].insert(log.day);
  std::set<long long> ids;
  for (const auto& [id, days] : failed)
    if (days.size() >= 2) ids.insert(id);
  return ids;
}

// Today's re-drill round straight from the log: cards whose last answer
// today is below 4, not retired, in the order of their last answer today.
std::set<long long> recurring_by_log(Store& store, Day day);

std::vector<long long> redrill_by_log(Store& store, Day day, const CardFilter& filter = {}) {
  std::map<long long, std::pair<long long, int>> first_and_grade;  // card -> (last id, last grade)
  for (const auto& log : store.all_reviews()) {
    if (log.day != day) continue;
    auto [it, added] = first_and_grade.try_emplace(log.card_id, log.id, log.grade);
    if (!added) it->second = {log.id, log.grade};  // all_reviews is in id order
  }
  std::vector<std::pair<long long, long long>> round;  // (last id, card)
  const auto gaps = store.gap_card_ids();
  const auto recurring = recurring_by_log(store, day);
  auto chosen = [&](long long id) {
    const auto card = store.card(id);
    if (card->retired) return false;
    if (filter.topic_label && card->topic_label != *filter.topic_label) return false;
    if (filter.domain_letter && card->domain_letter != *filter.domain_letter) return false;
    if (filter.gaps_only && !recurring.count(id) &&
        std::find(gaps.begin(), gaps.end(), id) == gaps.end())
      return false;
    return true;
  };
  for (const auto& [card, entry] : first_and_grade)
    if (entry.second < 4 && chosen(card)) round.emplace_back(entry.first, card);
  std::sort(round.begin(), round.end());
  std::vector<long long> cards;
  for (const auto& [first, card] : round) cards.push_back(card);
  return cards;
}

// Every candidate loaded, nothing cut before order_queue; counts are the
// candidates counted.
QueueInputs everything(Store& store, Day day, const CardFilter& filter) {
  QueueInputs in;
  in.day = day;
  in.redrill = store.redrill_entries(day, filter);
  in.recurring = recurring_by_log(store, day);
  for (long long id : recall::note_pattern_cards(store.noted_failures(day)))
    in.recurring.insert(id);
  for (long long id : store.gap_card_ids()) in.gap_linked.insert(id);
  in.answered_today = store.day_counts(day);
  in.introduced = store.new_cards_introduced(day);
  in.limits = recall::load_limits(store);
  // Every due and new card, unfiltered; the filter applied here, card by
  // card (the store's filter SQL is under test).
  const auto recurring_log = recurring_by_log(store, day);
  auto chosen = [&](long long id) {
    if (filter.is_empty()) return true;
    const auto card = store.card(id);
    if (filter.topic_label && card->topic_label != *filter.topic_label) return false;
    if (filter.domain_letter && card->domain_letter != *filter.domain_letter) return false;
    if (filter.gaps_only && !in.gap_linked.count(id) && !recurring_log.count(id)) return false;
    return true;
  };
  for (const auto& entry : store.due_entries(day, {}, 1000000))
    if (chosen(entry.id)) in.due.push_back(entry);
  // Cards of open gaps are read apart (with their rank), then the rest.
  for (const auto& entry : store.gap_new_entries(day, {}, 1000000))
    if (chosen(entry.id)) in.fresh.push_back(entry);
  for (const auto& entry : store.new_entries(day, {}, 1000000))
    if (chosen(entry.id)) in.fresh.push_back(entry);
  in.due_count = static_cast<int>(in.due.size());
  in.new_count = static_cast<int>(in.fresh.size());
  in.interview_date = recall::effective_interview_date(store);
  return in;
}

std::vector<long long> ids(const std::vector<recall::QueueItem>& items) {
  std::vector<long long> out;
  for (const auto& item : items) out.push_back(item.card_id);
  return out;
}

// A studied collection: the fixture with domains A and E tied at 20%, one
// card without topic, 70 cards answered over 12 days with failures (some
// on two days: recurring), a noted mistake seen twice, today half done.
void build(Store& store) {
  std::string text = recall::test::read_bytes(recall::test::fixture_path());
  const std::string from = "E. ML System Design (18%)";
  text.replace(text.find(from), from.size(), "E. ML System Design (20%)");
  const auto tracker = recall::read_tracker(recall::prepare_text(text), "tied.md");
  recall::import_tracker(store, tracker, kStart, std::nullopt);
  store.add_card("a card of my own", "its answer", std::nullopt, kStart);
  // The gap-linked cards are studied too, so that they come due. Answers go
  // day by day: none may be dated before its card's latest (answering.h).
  const std::vector<long long> gap_cards = store.gap_card_ids();
  const int grades[] = {4, 1, 5, 3, 2, 5, 4, 0, 5, 4};
  int n = 0;
  for (Day day = kStart; day < kStart + 12; ++day) {
    if (day == kStart + 1 || day == kStart + 4)
      for (long long id : gap_cards)
        recall::answer_card(store, id, 4, recall::answer_kind(store, id, day), day, "t",
                            std::nullopt);
    // Ids up to 126: the fixture makes 131 cards (rules v7).
    for (long long id = 1 + (day - kStart) * 6; id < 1 + (day - kStart) * 6 + 60; id += 3) {
      const int grade = grades[n++ % 10];
      std::optional<std::string> note;
      if (grade < 3 && id % 2 == 0) note = "swapped the axes";
      const auto kind = recall::answer_kind(store, id, day);
      recall::answer_card(store, id, grade, kind, day, "t", note);
    }
  }
}

}  // namespace

TEST_CASE("the queue loaded for next, due and the drill is the queue over every candidate",
          "[drill][queue]") {
  TempDir dir;
  Store store(dir.file("q.db"));
  build(store);
  const Day today = kStart + 11;  // the last study day: answers already given today

  const std::vector<CardFilter> filters = {{},
                                           {std::nullopt, 'A', false},
                                           {std::nullopt, 'E', false},
                                           {std::string("C.18"), std::nullopt, false},
                                           {std::nullopt, std::nullopt, true}};
  const std::vector<std::pair<int, int>> limits = {
      {20, 200}, {1, 3}, {5, 2}, {600, 100000}, {0, 0}};
  int compared = 0, nonempty = 0;
  for (const auto& [new_per_day, reviews_per_day] : limits) {
    store.set_settings({{"new-per-day", std::to_string(new_per_day)},
                        {"reviews-per-day", std::to_string(reviews_per_day)}});
    // today - 3: a day before logged failures (the store falls back to the log).
    for (Day day : {today - 3, today, today + 1, today + 9, today + 25}) {
      for (const CardFilter& filter : filters) {
        const Queue whole = recall::order_queue(everything(store, day, filter));
        CHECK(ids(whole.redrill) == redrill_by_log(store, day, filter));
        for (std::optional<int> fetch : {std::optional<int>(), std::optional<int>(0),
                                         std::optional<int>(1), std::optional<int>(3)}) {
          INFO("new " << new_per_day << " reviews " << reviews_per_day << " day " << day
                      << " domain " << filter.domain_letter.value_or('-') << " topic "
                      << filter.topic_label.value_or("-") << " gaps " << filter.gaps_only
                      << " fetch " << fetch.value_or(-1));
          const Queue loaded =
              recall::order_queue(recall::gather_queue(store, day, filter, std::nullopt, fetch));
          CHECK(loaded.reviews_total == whole.reviews_total);
          CHECK(loaded.new_total == whole.new_total);
          CHECK(loaded.due_total == whole.due_total);
          CHECK(loaded.new_available == whole.new_available);
          CHECK(loaded.redrill_total == whole.redrill_total);
          std::vector<long long> redrill = ids(whole.redrill);
          if (fetch && static_cast<int>(redrill.size()) > *fetch) redrill.resize(*fetch);
          CHECK(ids(loaded.redrill) == redrill);
          std::vector<long long> expected = ids(whole.main);
          if (fetch && static_cast<int>(expected.size()) > *fetch) expected.resize(*fetch);
          std::vector<long long> got = ids(loaded.main);
          if (fetch && static_cast<int>(got.size()) > *fetch) got.resize(*fetch);
          CHECK(got == expected);
          if (!fetch) CHECK(ids(loaded.main) == ids(whole.main));
          ++compared;
          if (!expected.empty()) ++nonempty;
        }
      }
    }
  }
  CHECK(compared == 5 * 5 * 5 * 4);
  // Every tier is present on the days compared.
  const QueueInputs later = everything(store, today + 9, {});
  int recurring_due = 0, gap_due = 0;
  for (const auto& entry : later.due) {
    recurring_due += later.recurring.count(entry.id) > 0;
    gap_due += later.gap_linked.count(entry.id) > 0 && !later.recurring.count(entry.id);
  }
  CHECK(recurring_due >= 3);
  CHECK(gap_due >= 3);
  CHECK(nonempty > 100);  // the comparisons are about real queues
}

TEST_CASE("new cards of tied domains follow tracker position, as the full order does",
          "[drill][queue]") {
  TempDir dir;
  Store store(dir.file("q.db"));
  build(store);
  // The order of new cards, not drafts: the flagged ones are drilled too.
  store.set_settings({{"new-per-day", "40"}, {"drafts", "drill"}});
  const Day day = kStart + 12;
  const QueueInputs inputs = recall::gather_queue(store, day, {}, std::nullopt, std::nullopt);
  const Queue loaded = recall::order_queue(inputs);
  const Queue whole = recall::order_queue(everything(store, day, {}));
  REQUIRE(loaded.new_total == 40);
  CHECK(ids(loaded.main) == ids(whole.main));
  // New cards of open gaps come first; after them, the first new card comes
  // from C (25%), then the tied A and E topics follow in tracker order: A's
  // before E's.
  std::set<long long> of_gaps;
  for (const auto& entry : inputs.fresh)
    if (entry.gap_rank != recall::QueueEntry::kNoGapRank) of_gaps.insert(entry.id);
  std::vector<char> domains;
  for (const auto& item : loaded.main) {
    if (item.phase != recall::Phase::kNew || of_gaps.count(item.card_id)) continue;
    domains.push_back(store.card(item.card_id)->domain_letter);
  }
  REQUIRE(domains.size() + of_gaps.size() == 40);
  CHECK(domains.front() == 'C');
  const auto first_a = std::find(domains.begin(), domains.end(), 'A');
  const auto first_e = std::find(domains.begin(), domains.end(), 'E');
  const auto last_a_of_round_one = std::find(first_e, domains.end(), 'A');
  REQUIRE(first_a != domains.end());
  REQUIRE(first_e != domains.end());
  CHECK(first_a < first_e);
  CHECK(std::all_of(domains.begin(), first_a, [](char d) { return d == 'C'; }));
  CHECK(std::all_of(first_a, first_e, [](char d) { return d == 'A'; }));
  CHECK(last_a_of_round_one != domains.end());  // round two comes back to A
}

TEST_CASE("the re-drill round leaves out retired cards, loaded whole or only its head",
          "[drill][queue]") {
  TempDir dir;
  const std::string path = dir.file("q.db");
  Store store(path);
  build(store);
  const Day today = kStart + 11;
  const auto round = redrill_by_log(store, today);
  REQUIRE(round.size() >= 3);
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE cards SET retired = 1 WHERE id = " + std::to_string(round[0]));
  }
  const auto left = redrill_by_log(store, today);
  REQUIRE(left.size() == round.size() - 1);
  CHECK(ids(recall::order_queue(everything(store, today, {})).redrill) == left);
  CHECK(store.count_redrill(today, {}) == static_cast<int>(left.size()));
  const auto head = store.redrill_entries(today, {}, 2);
  REQUIRE(head.size() == 2);
  CHECK(head[0].id == left[0]);
  CHECK(head[1].id == left[1]);
  // Answered again today: a re-drilled card that now passes leaves the
  // round, a passed card failed again joins it at its end.
  recall::answer_card(store, left[0], 5, recall::ReviewKind::kRedrill, today, "t", std::nullopt);
  long long passed = 0;
  for (const auto& log : store.all_reviews())
    if (log.day == today && log.grade >= 4 && !passed) passed = log.card_id;
  REQUIRE(passed != 0);
  recall::answer_card(store, passed, 1, recall::ReviewKind::kRedrill, today, "t", std::nullopt);
  const auto now = redrill_by_log(store, today);
  CHECK(std::find(now.begin(), now.end(), left[0]) == now.end());
  CHECK(std::find(now.begin(), now.end(), passed) != now.end());
  CHECK(ids(recall::order_queue(everything(store, today, {})).redrill) == now);
  CHECK(store.count_redrill(today, {}) == static_cast<int>(now.size()));
}
