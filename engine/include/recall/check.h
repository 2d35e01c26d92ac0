// `recall check`: the database verified against itself. The review log is
// append-only and stores each answer's state before and after, so replaying
// it must give every card's current state. Pure: histories in, problems out;
// the store gathers the histories (Store::check in store_check.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "recall/model.h"
#include "recall/sm2.h"

namespace recall {

// One difference found. `area` is "integrity" (PRAGMA integrity_check),
// "foreign_key" (PRAGMA foreign_key_check), "replay" (the review log does
// not rebuild the card), "order" (an answer dated before an earlier answer
// of its card: `recall check --repair` mends it, repair_log below),
// "derived" (data kept by triggers differs from a recount), "memory" (the
// FSRS-6 memory kept with a card differs from the replay of its log) or "import" (the
// no-op import record no longer matches the database). card_id / review_id are 0 when not about one.
struct CheckProblem {
  std::string area;
  long long card_id = 0;
  long long review_id = 0;
  std::string message;  // one line
};

struct CheckReport {
  int cards_checked = 0;
  int reviews_checked = 0;
  std::vector<CheckProblem> problems;
  bool ok() const { return problems.empty(); }
};

// One card's stored state and its review log in id order.
struct CardHistory {
  long long card_id = 0;
  Sm2State current;
  int current_risk = kInitialRisk;
  std::vector<ReviewLog> reviews;
};

// The replay rules, for every row in id order:
//  - its before-state equals the previous row's after-state (a new card's
//    initial Sm2State for the first row);
//  - a "review" row's after-state equals next_state(before, grade, day) in
//    n, EF, interval and lapses; its due day equals day + interval, except
//    when `interview_set`: interview-date scheduling may pull a card earlier,
//    so any due day in [day + 1, day + interval] is accepted;
//  - a row whose due day FSRS set (scheduler "fsrs", `recall config set
//    scheduler fsrs`) is held to SM-2 in n, EF, interval and lapses, which
//    are kept under both schedulers; its due day is FSRS's at the
//    parameters and retention then in force, which the log does not hold,
//    so any day in [day + 1, day + kMaxIntervalDays] is accepted;
//  - a "redrill" row's after-state equals its before-state;
//  - a grade outside 0..5 is a problem.
// Finally the card's current state equals the last row's after-state (the
// initial state when there are no rows).
std::vector<CheckProblem> replay_card(const CardHistory& history, bool interview_set);

// The queue risk kept beside the states (area "derived"): each row's
// before-risk is the previous row's after-risk (kInitialRisk first), a
// re-drill row leaves it, an SM-2 row's after-risk is queue_risk of its
// after-state, and the card's risk is the last row's after-risk.
std::vector<CheckProblem> replay_risk(const CardHistory& history);

// Area "order": each answer (in id order, the order they were made) dated
// before an earlier answer of the same card. Such rows come from recalls
// that accepted an answer dated before the card's latest (answering.h now
// refuses one); every replay reads the log by day then id, so nothing
// fails on them, but the card's states were chained in id order.
std::vector<CheckProblem> order_problems(const CardHistory& history);

// The repair of a card whose log goes back in day (`recall check
// --repair`), losing no answer: each answer dated before an earlier one is
// re-dated to the latest day before it (the answer was given after that
// one), so the log runs forward. Grade, note, time and id stay. Walking the
// rows in id order, a row that is re-dated or whose before-state no longer
// follows is re-chained from the state before it: an answer on a day the
// card was already answered is re-drill practice (kind "redrill", the
// schedule unchanged), any other is rescheduled by SM-2 (scheduler "sm2",
// SM-2's queue risk); every other row stays as it is.
// `rows` holds the whole repaired log, `state` and `risk` the card's.
// nullopt when no answer goes back in day.
struct LogRepair {
  std::vector<ReviewLog> rows;
  Sm2State state;
  int risk = kInitialRisk;
  int redated = 0;  // answers given a later day
};
std::optional<LogRepair> repair_log(const CardHistory& history);

// "n 2 EF 2.60 interval 6 due 2026-11-27 lapses 0": states in messages.
std::string describe_state(const Sm2State& state);
// "S 12.3456 D 5.4321 last answered 2026-11-27", or "none": kept memory in
// messages.
std::string describe_memory(const std::optional<KeptMemory>& memory);

}  // namespace recall
