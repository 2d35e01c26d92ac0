// The interview-date rule: pure cases, then a 60-day simulation through the
// engine API (Store::record_answer with the date, gather_queue/order_queue).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "fsrs_sim.h"
#include "recall/answering.h"
#include "recall/drill.h"
#include "recall/importer.h"
#include "recall/interview.h"
#include "recall/store.h"
#include "recall/study.h"
#include "recall/tracker.h"
#include "support.h"

using namespace recall;
using recall::test::TempDir;

namespace {
const Day kInterview = *parse_day("2026-12-31");
const Day kFirst = kInterview - 7;  // first day of the final week
}  // namespace

TEST_CASE("a due day landing in or past the final week is pulled into it", "[interview]") {
  FinalWeekLoad flat{};
  // SM-2 says 40 days from now: the card would pass the interview unseen.
  CHECK(interview_due_day(kInterview + 20, kInterview - 20, kInterview, flat) == kInterview - 1);
  // Landing inside the final week: kept (never later than SM-2 says).
  CHECK(interview_due_day(kFirst + 2, kInterview - 20, kInterview, flat) == kFirst + 2);
  // Before the final week: untouched; the next answer will pull it in.
  CHECK(interview_due_day(kFirst - 1, kInterview - 20, kInterview, flat) == kFirst - 1);
}

TEST_CASE("the least loaded final-week day wins, ties go to the latest", "[interview]") {
  FinalWeekLoad load{5, 5, 1, 5, 5, 5, 5};
  CHECK(interview_due_day(kInterview + 30, kInterview - 30, kInterview, load) == kFirst + 2);
  // The window ends at the SM-2 due day: day kFirst + 2 is allowed, kFirst + 1 would not be better.
  CHECK(interview_due_day(kFirst + 1, kInterview - 30, kInterview, load) == kFirst + 1);
  FinalWeekLoad ties{3, 1, 1, 2, 2, 2, 2};
  CHECK(interview_due_day(kInterview + 3, kInterview - 30, kInterview, ties) == kFirst + 2);
}

TEST_CASE("answers in the final week and after the interview are plain SM-2", "[interview]") {
  FinalWeekLoad load{9, 9, 9, 9, 9, 9, 0};
  CHECK(interview_due_day(kInterview + 15, kFirst, kInterview, load) == kInterview + 15);
  CHECK(interview_due_day(kInterview + 15, kInterview, kInterview, load) == kInterview + 15);
  CHECK(interview_due_day(kInterview + 40, kInterview + 1, kInterview, load) == kInterview + 40);
}

TEST_CASE("the rule keeps n, EF and interval canonical", "[interview]") {
  const Sm2State before{3, 2500, 16, kInterview - 20, 0};
  const Sm2State sm2 = next_state(before, 4, kInterview - 20);
  const Sm2State pulled = apply_interview_rule(sm2, kInterview - 20, kInterview, FinalWeekLoad{});
  CHECK(pulled.repetitions == sm2.repetitions);
  CHECK(pulled.easiness_milli == sm2.easiness_milli);
  CHECK(pulled.interval_days == sm2.interval_days);
  CHECK(pulled.lapses == sm2.lapses);
  CHECK(*pulled.due_day == kInterview - 1);
  CHECK(*sm2.due_day == kInterview + 20);
}

TEST_CASE("new cards pause on the three days before the interview and on it", "[interview]") {
  CHECK_FALSE(new_cards_paused(kInterview - 4, kInterview));
  CHECK(new_cards_paused(kInterview - 3, kInterview));
  CHECK(new_cards_paused(kInterview - 1, kInterview));
  CHECK(new_cards_paused(kInterview, kInterview));
  CHECK_FALSE(new_cards_paused(kInterview + 1, kInterview));

  QueueInputs in;
  in.day = kInterview - 2;
  in.fresh = {QueueEntry{1, 1, 1, 1, std::nullopt, 2500, 0, 10}};
  in.interview_date = kInterview;
  CHECK(order_queue(in).main.empty());
  in.new_anyway = true;
  CHECK(order_queue(in).main.size() == 1);
  in.new_anyway = false;
  in.day = kInterview + 1;
  CHECK(order_queue(in).main.size() == 1);
}

TEST_CASE("the setting wins over the tracker's interview date", "[interview]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  CHECK_FALSE(effective_interview_date(store));
  store.set_tracker_interview_date(*parse_day("2026-12-15"));
  CHECK(effective_interview_date(store) == parse_day("2026-12-15"));
  store.set_setting("interview-date", "2026-11-30");
  CHECK(effective_interview_date(store) == parse_day("2026-11-30"));
  store.unset_setting("interview-date");
  store.set_tracker_interview_date(std::nullopt);
  CHECK_FALSE(effective_interview_date(store));
}

TEST_CASE("60 days with an interview 30 days out: nothing passes the interview unseen",
          "[interview]") {
  TempDir dir;
  Store store(dir.file("r.db"));
  const Day start = *parse_day("2026-11-01");
  const Day interview = start + 30;
  const Tracker tracker =
      read_tracker(prepare_text(recall::test::read_bytes(recall::test::fixture_path())), "fixture");
  import_tracker(store, tracker, start, std::nullopt);
  store.set_setting("interview-date", format_day(interview));
  store.set_setting("new-per-day", "4");
  store.set_setting("interview-retention",
                    "1");  // every studied card is pulled in: the guarantee below
  store.set_setting("reviews-per-day", "100000");
  // About scheduling, not drafts: every card is introduced, the flagged ones
  // too (setting drafts = drill; review_pass_test has drafts waiting).
  store.set_setting("drafts", "drill");

  std::map<Day, int> new_per_day;
  int pulled_in = 0;
  for (Day day = start; day < start + 60; ++day) {
    const Queue queue = order_queue(gather_queue(store, day, {}));
    for (const QueueItem& item : queue.main) {
      // A fixed pattern: one answer in seven fails, the rest pass with 3, 4 or 5.
      const long long k = item.card_id * 3 + (day - start);
      const int grade = k % 7 == 0 ? 2 : 3 + static_cast<int>(k % 3);
      const ReviewLog log =
          recall::answer_card(store, item.card_id, grade, ReviewKind::kReview, day, "t",
                              std::nullopt, effective_interview_date(store));
      if (item.phase == Phase::kNew) ++new_per_day[day];
      const Sm2State sm2 = next_state(log.before, grade, day);
      CHECK(log.after.repetitions == sm2.repetitions);
      CHECK(log.after.easiness_milli == sm2.easiness_milli);
      CHECK(log.after.interval_days == sm2.interval_days);
      CHECK(*log.after.due_day <= *sm2.due_day);
      if (*log.after.due_day < *sm2.due_day) ++pulled_in;
      if (day >= interview - 7) CHECK(log.after.due_day == sm2.due_day);
    }
  }
  CHECK(pulled_in > 0);  // the rule did something

  // Every card studied before the interview was answered in its final week.
  int studied = 0;
  std::map<Day, int> final_week_reviews;
  for (const Card& card : store.cards(std::nullopt, false)) {
    const auto logs = store.reviews_for_card(card.id);
    if (logs.empty() || logs.front().day >= interview) continue;
    ++studied;
    bool seen = false;
    for (const auto& log : logs) {
      if (log.day >= interview - 7 && log.day < interview) {
        seen = true;
        if (log.before.due_day) ++final_week_reviews[log.day];
      }
    }
    INFO("card " << card.id);
    CHECK(seen);
  }
  CHECK(studied > 50);

  // No final-week day carries more than twice the final week's average.
  int total = 0, most = 0;
  for (const auto& [day, count] : final_week_reviews) {
    total += count;
    most = std::max(most, count);
  }
  std::string per_day;
  for (const auto& [day, count] : final_week_reviews) per_day += " " + std::to_string(count);
  INFO("final week total " << total << ", busiest day " << most << ", per day" << per_day);
  CHECK(total > 0);
  CHECK(most * kFinalWeekDays <= 2 * total);

  // No new cards in the last three days before the interview (nor on it).
  for (Day day = interview - 3; day <= interview; ++day) CHECK(new_per_day[day] == 0);
  CHECK(new_per_day[interview - 4] > 0);
  CHECK(new_per_day[interview + 1] > 0);  // they resume after the date
}

TEST_CASE("predicted recall on the interview day is FSRS-6's R with no review between",
          "[interview]") {
  const fsrs::MemoryState memory{12.5, 6};
  CHECK(recall_on_interview(memory, kInterview - 20, kInterview) == fsrs::retrievability(20, 12.5));
  CHECK(recall_on_interview(memory, kInterview + 3, kInterview) == 1.0);
  fsrs::Parameters w = fsrs::kDefaultParameters;
  w[20] = 0.4;
  CHECK(recall_on_interview(memory, kInterview - 9, kInterview, w) ==
        fsrs::retrievability(9, 12.5, w));
}

TEST_CASE("with a target of 1.0 the predicted-recall rule is the old rule exactly", "[interview]") {
  const FinalWeekLoad loads[] = {FinalWeekLoad{}, FinalWeekLoad{5, 5, 1, 5, 5, 5, 5},
                                 FinalWeekLoad{3, 1, 1, 2, 2, 2, 2},
                                 FinalWeekLoad{0, 9, 9, 9, 9, 9, 9}};
  int checked = 0;
  for (const auto& load : loads)
    for (Day today = kInterview - 60; today <= kInterview + 2; ++today)
      for (Day due = today + 1; due <= kInterview + 60; due += 3)
        for (const double stability :
             {fsrs::kMinStability, 1.0, 30.0, 400.0, fsrs::kMaxStability}) {
          const InterviewRecall recall{recall_on_interview({stability, 5}, today, kInterview), 1.0};
          CHECK(interview_due_day(due, today, kInterview, load, recall) ==
                interview_due_day(due, today, kInterview, load));
          ++checked;
        }
  CHECK(checked > 10000);
}

TEST_CASE("a card that will still be recalled on the day is not pulled in", "[interview]") {
  const FinalWeekLoad flat{};
  const Day today = kInterview - 20;
  const double strong = recall_on_interview({400.0, 5}, today, kInterview);  // ~0.99
  const double weak = recall_on_interview({5.0, 5}, today, kInterview);      // well below 0.9
  REQUIRE(strong >= kDefaultInterviewRetention);
  REQUIRE(weak < kDefaultInterviewRetention);
  const InterviewRecall keep{strong};
  const InterviewRecall pull{weak};
  CHECK(keep.target == 0.97);  // the default (docs/interview-and-stats.md: why not 0.9)
  // Due after the interview: kept when recall holds, pulled in as before when not.
  CHECK(interview_due_day(kInterview + 20, today, kInterview, flat, keep) == kInterview + 20);
  CHECK(interview_due_day(kInterview + 20, today, kInterview, flat, pull) == kInterview - 1);
  // Due on the interview day itself counts as "on or after".
  CHECK(interview_due_day(kInterview, today, kInterview, flat, keep) == kInterview);
  CHECK(interview_due_day(kInterview, today, kInterview, flat, pull) == kInterview - 1);
  // Exactly at the target: kept.
  CHECK(interview_due_day(kInterview + 5, today, kInterview, flat, {0.9, 0.9}) == kInterview + 5);
  // Due inside the final week: seen there however strong the memory (its
  // SM-2 day is below the fill level, so it stays), and before it: untouched.
  const FinalWeekLoad load{5, 5, 1, 5, 5, 5, 5};
  CHECK(interview_due_day(kFirst + 4, today, kInterview, load, keep) == kFirst + 4);
  CHECK(interview_due_day(kFirst - 1, today, kInterview, load, pull) == kFirst - 1);
  // Answered in the final week: plain, as before.
  CHECK(interview_due_day(kInterview + 15, kFirst, kInterview, load, pull) == kInterview + 15);
}

TEST_CASE("the predicted-recall rule keeps n, EF and interval canonical", "[interview]") {
  const Sm2State before{3, 2500, 16, kInterview - 20, 0};
  const Sm2State sm2 = next_state(before, 4, kInterview - 20);
  const Sm2State kept =
      apply_interview_rule(sm2, kInterview - 20, kInterview, FinalWeekLoad{}, {0.95, 0.9});
  CHECK(kept == sm2);
  const Sm2State pulled =
      apply_interview_rule(sm2, kInterview - 20, kInterview, FinalWeekLoad{}, {0.5, 0.9});
  CHECK(pulled.repetitions == sm2.repetitions);
  CHECK(pulled.easiness_milli == sm2.easiness_milli);
  CHECK(pulled.interval_days == sm2.interval_days);
  CHECK(pulled.lapses == sm2.lapses);
  CHECK(*pulled.due_day == kInterview - 1);
  const Sm2State fresh;
  CHECK(apply_interview_rule(fresh, kInterview - 20, kInterview, FinalWeekLoad{}, {0.5}) == fresh);
}

TEST_CASE("a pulled-in card goes to the latest final-week day below 1.5x the average load",
          "[interview]") {
  const Day today = kInterview - 20;
  const InterviewRecall weak{0.5};
  // 12 cards due, 13 with this one: a day may hold 2 (2.8 is 1.5x the
  // average), so the two loaded last days are skipped.
  const FinalWeekLoad late{0, 1, 1, 1, 1, 4, 4};
  CHECK(interview_due_day(kInterview + 20, today, kInterview, late, weak) == kFirst + 4);
  CHECK(interview_due_day(kInterview + 20, today, kInterview, late) ==
        kFirst);  // old: least loaded
  // Never later than SM-2 says.
  CHECK(interview_due_day(kFirst + 2, today, kInterview, late, weak) == kFirst + 2);
  // Every day at the cap (too few cards for an average yet): the least-loaded day.
  const FinalWeekLoad sparse{1, 0, 0, 0, 0, 0, 0};
  CHECK(interview_due_day(kInterview + 20, today, kInterview, sparse, weak) == kInterview - 1);
  CHECK(interview_due_day(kFirst + 3, today, kInterview, sparse, weak) == kFirst + 3);
  // Answered in the final week: plain, as before.
  CHECK(interview_due_day(kInterview + 9, kFirst + 1, kInterview, late, weak) == kInterview + 9);
}

namespace {

// The pure rules alone, no store or queue: 300 cards introduced over 30 days,
// the interview on day 45, every due card answered each day by a learner whose
// memory is `truth` (FSRS-6, seeded), misses and Hards re-drilled to Good as
// the drill does. Predictions use FSRS-6's defaults, as before any fit.
struct FinalWeekOutcome {
  int final_week_reviews = 0;     // every answer in [I-7, I-1], re-drills included
  FinalWeekLoad first_answers{};  // the day's first answer of a studied card, per day
  double mean_recall = 0;         // true R on the interview day, over all cards
};

// kOld: the rule without predicted recall. kPredicted: the predicted-recall
// rule at `target`. kLeastLoaded: its first design, kept to measure the
// placement: the same cards pulled in, but onto the old least-loaded day.
enum class PullIn { kOld, kPredicted, kLeastLoaded };

Sm2State pull_in(PullIn rule, const Sm2State& after, Day day, Day interview,
                 const FinalWeekLoad& load, const InterviewRecall& recall) {
  switch (rule) {
    case PullIn::kOld:
      return apply_interview_rule(after, day, interview, load);
    case PullIn::kPredicted:
      return apply_interview_rule(after, day, interview, load, recall);
    case PullIn::kLeastLoaded:
      if (after.due_day && *after.due_day >= interview && recall.predicted >= recall.target)
        return after;
      return apply_interview_rule(after, day, interview, load);
  }
  return after;
}

FinalWeekOutcome simulate_final_week(const fsrs::Parameters& truth, PullIn rule, double target,
                                     std::uint64_t seed) {
  struct SimCard {
    Sm2State sm2;
    fsrs::ReviewLog log;
    fsrs::MemoryState memory;  // the true one
  };
  constexpr Day kDay = 45;
  constexpr int kCards = 300;
  const Day first = final_week_start(kDay);
  fsrs::sim::Rng rng(seed);
  std::vector<SimCard> cards(kCards);
  FinalWeekOutcome out;
  const auto answer = [&](SimCard& c, Day day, int grade) {
    const auto rating = fsrs::rating_of_grade(grade);
    if (day >= first && !c.log.empty() && c.log.back().day != day) ++out.first_answers[day - first];
    c.memory = c.log.empty() ? fsrs::initial_state(rating, truth)
                             : fsrs::next_state(c.memory, rating, day - c.log.back().day, truth);
    c.sm2 = next_state(c.sm2, grade, day);
    c.log.push_back({day, grade});
    if (day >= first) ++out.final_week_reviews;
  };
  for (Day day = 0; day < kDay; ++day) {
    for (int i = 0; i < kCards; ++i) {
      SimCard& c = cards[i];
      if (c.log.empty() ? i % 30 != day : *c.sm2.due_day > day) continue;
      const double r =
          c.log.empty() ? 0.5
                        : fsrs::retrievability(day - c.log.back().day, c.memory.stability, truth);
      const bool recalled = rng.uniform() < r;
      const double roll = rng.uniform();
      int grade = !recalled ? rng.below(3) : roll < 0.15 ? 3 : roll < 0.85 ? 4 : 5;
      answer(c, day, grade);
      if (grade < kRedrillTargetGrade) answer(c, day, kRedrillTargetGrade);
      FinalWeekLoad load{};
      for (const SimCard& other : cards) {
        if (&other == &c || !other.sm2.due_day) continue;
        const Day due = *other.sm2.due_day;
        if (due >= first && due < kDay) ++load[due - first];
      }
      const double predicted = recall_on_interview(*fsrs::replay(c.log), day, kDay);
      c.sm2 = pull_in(rule, c.sm2, day, kDay, load, {predicted, target});
    }
  }
  for (const SimCard& c : cards)
    out.mean_recall += fsrs::retrievability(kDay - c.log.back().day, c.memory.stability, truth);
  out.mean_recall /= kCards;
  return out;
}

// No final-week day's first answers above kFinalWeekLoadFactor x the average.
bool within_load_cap(const FinalWeekOutcome& out) {
  int total = 0, most = 0;
  for (const int count : out.first_answers) {
    total += count;
    most = std::max(most, count);
  }
  return most * kFinalWeekDays <= kFinalWeekLoadFactor * total;
}

}  // namespace

// Issue 18.6: the old rule against the predicted-recall rule, seeded, with
// the true memory FSRS-6 at its defaults and at a far set (decay 0.3). The
// figures (20 seeds) are in docs/interview-and-stats.md; this test keeps the
// findings on seeds 1..3.
TEST_CASE("simulated learner: the predicted-recall rule against the old pull-in",
          "[interview][simulation]") {
  for (const fsrs::Parameters& truth : {fsrs::kDefaultParameters, fsrs::sim::kTruth}) {
    double late_recall = 0, spread_recall = 0;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const auto old_rule = simulate_final_week(truth, PullIn::kOld, 1.0, seed);
      const auto at_90 = simulate_final_week(truth, PullIn::kPredicted, 0.9, seed);
      const auto at_90_spread = simulate_final_week(truth, PullIn::kLeastLoaded, 0.9, seed);
      const auto at_97 = simulate_final_week(truth, PullIn::kPredicted, 0.97, seed);
      INFO("seed " << seed << ": reviews old " << old_rule.final_week_reviews << ", 0.9 "
                   << at_90.final_week_reviews << " (least-loaded "
                   << at_90_spread.final_week_reviews << "), 0.97 " << at_97.final_week_reviews
                   << "; recall old " << old_rule.mean_recall << ", 0.9 " << at_90.mean_recall
                   << " (least-loaded " << at_90_spread.mean_recall << "), 0.97 "
                   << at_97.mean_recall);
      // At the default target the rule is a trade-off, not a win: over 40%
      // fewer final-week reviews, recall on the day above 0.93 but below the
      // old rule's (it fails the keep-criterion at 0.9).
      CHECK(at_90.final_week_reviews < old_rule.final_week_reviews * 3 / 5);
      CHECK(at_90.mean_recall > 0.93);
      CHECK(at_90.mean_recall < old_rule.mean_recall);
      late_recall += at_90.mean_recall;
      spread_recall += at_90_spread.mean_recall;
      // At 0.97 the keep-criterion holds: fewer reviews, at least the recall.
      CHECK(at_97.final_week_reviews < old_rule.final_week_reviews);
      CHECK(at_97.mean_recall >= old_rule.mean_recall);
      // The load cap holds for every rule.
      CHECK(within_load_cap(old_rule));
      CHECK(within_load_cap(at_90));
      CHECK(within_load_cap(at_97));
    }
    // Late placement is worth it on average (not on every seed: a card missed
    // on the last days has no second review): more recall on the day than
    // spreading the same cards over the least-loaded days.
    CHECK(late_recall > spread_recall);
  }
}

// The figures in docs/interview-and-stats.md: 20 seeds per row. Hidden (run it
// by name: ./build/recall_tests "[.interview-figures]" -s); it asserts only
// that each row ran.
TEST_CASE("simulated learner: the figures table", "[.interview-figures]") {
  struct Row {
    const char* name;
    PullIn rule;
    double target;
  };
  const Row rows[] = {{"old rule", PullIn::kOld, 1.0},
                      {"old rule's cards, late placement", PullIn::kPredicted, 0.9999},
                      {"0.9, least-loaded placement", PullIn::kLeastLoaded, 0.9},
                      {"0.9", PullIn::kPredicted, 0.9},
                      {"0.95", PullIn::kPredicted, 0.95},
                      {"0.97 (default)", PullIn::kPredicted, 0.97},
                      {"0.98", PullIn::kPredicted, 0.98}};
  constexpr int kSeeds = 20;
  for (const auto& [truth_name, truth] : {std::pair{"FSRS-6 defaults", fsrs::kDefaultParameters},
                                          std::pair{"far set (decay 0.3)", fsrs::sim::kTruth}}) {
    std::vector<FinalWeekOutcome> old_rule;
    for (int seed = 1; seed <= kSeeds; ++seed)
      old_rule.push_back(simulate_final_week(truth, PullIn::kOld, 1.0, seed));
    for (const Row& row : rows) {
      double reviews = 0, recall = 0;
      int wins = 0, capped = 0;
      for (int seed = 1; seed <= kSeeds; ++seed) {
        const auto out = simulate_final_week(truth, row.rule, row.target, seed);
        const auto& old = old_rule[seed - 1];
        reviews += out.final_week_reviews;
        recall += out.mean_recall;
        wins +=
            out.final_week_reviews < old.final_week_reviews && out.mean_recall >= old.mean_recall;
        capped += within_load_cap(out);
      }
      std::printf("| %s | %s | %.1f | %.4f | %d/%d | %d/%d |\n", truth_name, row.name,
                  reviews / kSeeds, recall / kSeeds, wins, kSeeds, capped, kSeeds);
      CHECK(reviews > 0);
    }
  }
}
