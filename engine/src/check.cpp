#include "recall/check.h"

#include <sstream>

#include "recall/day.h"

namespace recall {

std::string describe_state(const Sm2State& state) {
  std::ostringstream text;
  text << "n " << state.repetitions << " EF " << format_easiness(state.easiness_milli)
       << " interval " << state.interval_days << " due "
       << (state.due_day ? format_day(*state.due_day) : std::string("new")) << " lapses "
       << state.lapses;
  return text.str();
}

namespace {

bool same_schedule(const Sm2State& actual, const Sm2State& expected, Day day, bool interview_set) {
  if (actual.repetitions != expected.repetitions || actual.easiness_milli != expected.easiness_milli ||
      actual.interval_days != expected.interval_days || actual.lapses != expected.lapses)
    return false;
  if (!actual.due_day) return false;
  if (!interview_set) return actual.due_day == expected.due_day;
  return *actual.due_day >= day + 1 && *actual.due_day <= *expected.due_day;
}

}  // namespace

std::vector<CheckProblem> replay_card(const CardHistory& history, bool interview_set) {
  std::vector<CheckProblem> problems;
  auto report = [&](long long review_id, const std::string& message) {
    problems.push_back({"replay", history.card_id, review_id, message});
  };
  Sm2State state;  // a new card
  for (const ReviewLog& log : history.reviews) {
    const std::string row = "review " + std::to_string(log.id) + ": ";
    if (log.before != state)
      report(log.id, row + "state before (" + describe_state(log.before) +
                         ") is not the previous state (" + describe_state(state) + ")");
    if (log.grade < 0 || log.grade > 5) {
      report(log.id, row + "grade " + std::to_string(log.grade) + " is outside 0..5");
    } else if (log.kind == ReviewKind::kRedrill) {
      if (log.after != log.before)
        report(log.id, row + "a re-drill answer changed the schedule (" + describe_state(log.before) +
                           " -> " + describe_state(log.after) + ")");
    } else {
      const Sm2State expected = next_state(log.before, log.grade, log.day);
      if (!same_schedule(log.after, expected, log.day, interview_set))
        report(log.id, row + "state after (" + describe_state(log.after) + ") is not SM-2 of grade " +
                           std::to_string(log.grade) + " on " + format_day(log.day) + " (" +
                           describe_state(expected) + ")");
    }
    state = log.after;
  }
  if (history.current != state)
    report(0, "card state (" + describe_state(history.current) +
                  ") is not the replay of its review log (" + describe_state(state) + ")");
  return problems;
}

}  // namespace recall
