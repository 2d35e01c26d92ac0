// Issue 18.6 at store level: 60 days of the fixture through the real answer
// path (gather_queue/order_queue, answer_card with its AnswerSource, the
// settings as `recall config` stores them) with an interview 30 days out,
// answered by a simulated learner whose true memory is FSRS-6 (seeded). The
// old pull-in (interview-retention 1: every studied card) against the
// predicted-recall rule at the default target.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

#include "fsrs_sim.h"
#include "recall/answering.h"
#include "recall/check.h"
#include "recall/drill.h"
#include "recall/importer.h"
#include "recall/interview.h"
#include "recall/sm2.h"
#include "recall/store.h"
#include "recall/tracker.h"
#include "support.h"

using namespace recall;
using recall::test::TempDir;

namespace {

const Day kStart = *parse_day("2026-11-01");
const Day kInterview = kStart + 30;
const Day kFinalWeek = kInterview - kFinalWeekDays;

struct StoreSimOutcome {
  int final_week_reviews = 0;     // every answer in [I-7, I-1], re-drills included
  FinalWeekLoad first_answers{};  // per final-week day: reviews of studied cards (not re-drills)
  double mean_recall = 0;         // true R on the interview day over the cards studied before it
  int studied = 0;                // those cards
  int pulled_in = 0;              // answers whose due day the rule moved before SM-2's
};

// One learner's card: its true memory and its last answer's day.
struct TrueMemory {
  fsrs::MemoryState memory;
  Day last = 0;
};

// The learner answers `id` with `grade` on `day`: through answer_card as the
// drill does, and into the true memory.
ReviewLog answer(Store& store, std::map<long long, TrueMemory>& truths,
                 const fsrs::Parameters& truth, long long id, int grade, Day day,
                 AnswerSource source, StoreSimOutcome& out) {
  const ReviewLog log = answer_card(store, {id, grade, day, "t", std::nullopt, source});
  const auto rating = fsrs::rating_of_grade(grade);
  const auto found = truths.find(id);
  if (found == truths.end()) {
    truths[id] = {fsrs::initial_state(rating, truth), day};
  } else {
    found->second.memory =
        fsrs::next_state(found->second.memory, rating, day - found->second.last, truth);
    found->second.last = day;
  }
  if (log.kind != ReviewKind::kRedrill &&
      log.after.due_day < next_state(log.before, grade, day).due_day)
    ++out.pulled_in;
  if (day >= kFinalWeek && day < kInterview) {
    ++out.final_week_reviews;
    if (log.kind == ReviewKind::kReview && !log.before.is_new())
      ++out.first_answers[day - kFinalWeek];
  }
  return log;
}

// `retention`: the interview-retention setting, or nullptr for its default.
StoreSimOutcome simulate_store(const fsrs::Parameters& truth, const char* retention,
                               std::uint64_t seed) {
  TempDir dir;
  Store store(dir.file("r.db"));
  const Tracker tracker =
      read_tracker(prepare_text(recall::test::read_bytes(recall::test::fixture_path())), "fixture");
  import_tracker(store, tracker, kStart, std::nullopt);
  store.set_setting("interview-date", format_day(kInterview));
  store.set_setting("new-per-day", "4");
  store.set_setting("reviews-per-day", "100000");
  // A scheduling simulation, not about drafts: every card is drilled, the
  // flagged ones too (setting drafts = drill; review_pass_test has drafts).
  store.set_setting("drafts", "drill");
  if (retention) store.set_setting("interview-retention", retention);

  fsrs::sim::Rng rng(seed);
  std::map<long long, TrueMemory> truths;
  StoreSimOutcome out;
  for (Day day = kStart; day < kStart + 60; ++day) {
    if (day == kInterview) {
      for (const auto& [id, t] : truths)
        out.mean_recall += fsrs::retrievability(day - t.last, t.memory.stability, truth);
      out.studied = static_cast<int>(truths.size());
      out.mean_recall /= out.studied;
    }
    for (const QueueItem& item : order_queue(gather_queue(store, day, {})).main) {
      const auto found = truths.find(item.card_id);
      // A new card is a coin flip, as in the pure simulation (interview_test.cpp).
      const double r = found == truths.end()
                           ? 0.5
                           : fsrs::retrievability(day - found->second.last,
                                                  found->second.memory.stability, truth);
      const bool recalled = rng.uniform() < r;
      const double roll = rng.uniform();
      const int grade = !recalled ? rng.below(3) : roll < 0.15 ? 3 : roll < 0.85 ? 4 : 5;
      const AnswerSource source =
          item.phase == Phase::kRedrill ? AnswerSource::kRedrillRound : AnswerSource::kLearner;
      answer(store, truths, truth, item.card_id, grade, day, source, out);
      // Re-drilled until Good, as the drill does: just after seeing the
      // answer the true R is 1 (elapsed 0), so the first re-drill is Good.
      if (grade < kRedrillTargetGrade)
        answer(store, truths, truth, item.card_id, kRedrillTargetGrade, day,
               AnswerSource::kRedrillRound, out);
    }
  }
  CHECK(store.check().problems.empty());
  return out;
}

// No final-week day's reviews of studied cards above twice the week's average.
bool within_twice_average(const StoreSimOutcome& out) {
  int total = 0, most = 0;
  for (const int count : out.first_answers) {
    total += count;
    most = std::max(most, count);
  }
  return total > 0 && most * kFinalWeekDays <= 2 * total;
}

std::string loads(const StoreSimOutcome& out) {
  std::string text;
  for (const int count : out.first_answers) text += " " + std::to_string(count);
  return text;
}

}  // namespace

// What the fixture shows (figures in the report, 10 seeds: the hidden test
// below): with 4 new cards a day over 30 days most studied cards are due in
// the final week anyway, so the two rules differ on few answers (about 41
// pulled in by the old rule, 28 by the new). Per seed the new rule is not
// always cheaper (it wins on about half the seeds). Summed over seeds 1..5
// it reaches at least the old rule's recall with both true memories, at
// about the old rule's final-week reviews: fewer before issue 23, within 2%
// since the cards of open gaps are introduced first (with the FSRS-6
// defaults: 914 against 905, for a higher recall), within 3% since a
// recurring gap's own gap and discrimination cards lead the reviews once
// failed (with the far truth: 953 against 931, for a higher recall: the
// order of a few reviews moves). It always pulls in fewer
// cards and keeps the load cap. These are the findings asserted.
TEST_CASE("store-level simulated learner: the predicted-recall pull-in against the old rule",
          "[interview][simulation][scheduling]") {
  for (const fsrs::Parameters& truth : {fsrs::kDefaultParameters, fsrs::sim::kTruth}) {
    int old_reviews = 0, new_reviews = 0;
    double old_recall = 0, new_recall = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const auto old_rule = simulate_store(truth, "1", seed);
      const auto new_rule = simulate_store(truth, nullptr, seed);  // interview-retention 0.97
      INFO("seed " << seed << ": final-week reviews old " << old_rule.final_week_reviews << ", new "
                   << new_rule.final_week_reviews << "; recall on the day old "
                   << old_rule.mean_recall << ", new " << new_rule.mean_recall << " over "
                   << new_rule.studied << " studied; pulled in old " << old_rule.pulled_in
                   << ", new " << new_rule.pulled_in << "; new rule's loads" << loads(new_rule));
      CHECK(old_rule.studied > 50);
      CHECK(new_rule.studied == old_rule.studied);  // the same cards introduced
      CHECK(new_rule.pulled_in > 0);
      CHECK(new_rule.pulled_in < old_rule.pulled_in);
      CHECK(within_twice_average(new_rule));
      CHECK(within_twice_average(old_rule));
      old_reviews += old_rule.final_week_reviews;
      new_reviews += new_rule.final_week_reviews;
      old_recall += old_rule.mean_recall;
      new_recall += new_rule.mean_recall;
    }
    INFO("final-week reviews old " << old_reviews << ", new " << new_reviews
                                   << "; summed recall old " << old_recall << ", new "
                                   << new_recall);
    CHECK(new_reviews * 100 <= old_reviews * 103);
    CHECK(new_recall >= old_recall);
  }
}

// The figures for docs/interview-and-stats.md (10 seeds). Hidden: run it by
// name, ./build/recall_tests "[.interview-store-figures]" -s
TEST_CASE("store-level simulated learner: the figures table", "[.interview-store-figures]") {
  constexpr int kSeeds = 10;
  for (const auto& [name, truth] : {std::pair{"FSRS-6 defaults", fsrs::kDefaultParameters},
                                    std::pair{"far set (decay 0.3)", fsrs::sim::kTruth}}) {
    for (const auto& [rule, retention] :
         {std::pair{"old rule (1)", "1"},
          std::pair{"0.97 (default)", static_cast<const char*>(nullptr)}}) {
      double reviews = 0, recall = 0, pulled = 0;
      int capped = 0, wins = 0;
      for (int seed = 1; seed <= kSeeds; ++seed) {
        const auto out = simulate_store(truth, retention, seed);
        const auto old_rule = simulate_store(truth, "1", seed);
        reviews += out.final_week_reviews;
        recall += out.mean_recall;
        pulled += out.pulled_in;
        capped += within_twice_average(out);
        wins += out.final_week_reviews < old_rule.final_week_reviews &&
                out.mean_recall >= old_rule.mean_recall;
      }
      std::printf("| %s | %s | %.1f | %.4f | %.1f | %d/%d | %d/%d |\n", name, rule,
                  reviews / kSeeds, recall / kSeeds, pulled / kSeeds, wins, kSeeds, capped, kSeeds);
      CHECK(reviews > 0);
    }
  }
}
