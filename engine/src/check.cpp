#include "recall/check.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "recall/day.h"
#include "recall/scheduler.h"

namespace recall {

std::string describe_state(const Sm2State& state) {
  std::ostringstream text;
  text << "n " << state.repetitions << " EF " << format_easiness(state.easiness_milli)
       << " interval " << state.interval_days << " due "
       << (state.due_day ? format_day(*state.due_day) : std::string("new")) << " lapses "
       << state.lapses;
  return text.str();
}

std::string describe_memory(const std::optional<KeptMemory>& memory) {
  if (!memory) return "none";
  std::ostringstream text;
  text.precision(6);
  text << "S " << memory->state.stability << " D " << memory->state.difficulty << " last answered "
       << format_day(memory->day);
  return text.str();
}

namespace {

bool same_schedule(const Sm2State& actual, const Sm2State& expected, Day day, bool interview_set,
                   SchedulerKind scheduler) {
  if (actual.repetitions != expected.repetitions ||
      actual.easiness_milli != expected.easiness_milli ||
      actual.interval_days != expected.interval_days || actual.lapses != expected.lapses)
    return false;
  if (!actual.due_day) return false;
  if (scheduler == SchedulerKind::kFsrs)
    return *actual.due_day >= day + 1 && *actual.due_day <= day + kMaxIntervalDays;
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
        report(log.id, row + "a re-drill answer changed the schedule (" +
                           describe_state(log.before) + " -> " + describe_state(log.after) + ")");
    } else {
      const Sm2State expected = next_state(log.before, log.grade, log.day);
      if (!same_schedule(log.after, expected, log.day, interview_set, log.scheduler))
        report(log.id, row + "state after (" + describe_state(log.after) +
                           ") is not SM-2 of grade " + std::to_string(log.grade) + " on " +
                           format_day(log.day) + " (" + describe_state(expected) + ")");
    }
    state = log.after;
  }
  if (history.current != state)
    report(0, "card state (" + describe_state(history.current) +
                  ") is not the replay of its review log (" + describe_state(state) + ")");
  return problems;
}

std::vector<CheckProblem> replay_risk(const CardHistory& history) {
  std::vector<CheckProblem> problems;
  auto report = [&](long long review_id, const std::string& message) {
    problems.push_back({"derived", history.card_id, review_id, message});
  };
  int risk = kInitialRisk;  // a new card's
  for (const ReviewLog& log : history.reviews) {
    const std::string row = "review " + std::to_string(log.id) + ": ";
    if (log.before_risk != risk)
      report(log.id, row + "queue risk before " + std::to_string(log.before_risk) +
                         " is not the previous row's " + std::to_string(risk));
    if (log.kind == ReviewKind::kRedrill && log.after_risk != log.before_risk)
      report(log.id, row + "a re-drill answer changed the queue risk");
    else if (log.kind != ReviewKind::kRedrill && log.scheduler == SchedulerKind::kSm2 &&
             log.after_risk != queue_risk(SchedulerKind::kSm2, log.after))
      report(log.id, row + "queue risk after " + std::to_string(log.after_risk) +
                         " is not SM-2's for its state (" +
                         std::to_string(queue_risk(SchedulerKind::kSm2, log.after)) + ")");
    risk = log.after_risk;
  }
  if (history.current_risk != risk)
    report(0, "card queue risk " + std::to_string(history.current_risk) +
                  " is not its review log's last (" + std::to_string(risk) + ")");
  return problems;
}

std::vector<CheckProblem> order_problems(const CardHistory& history) {
  std::vector<CheckProblem> problems;
  const ReviewLog* latest = nullptr;  // the latest-dated answer so far
  for (const ReviewLog& log : history.reviews) {
    if (latest && log.day < latest->day)
      problems.push_back({"order", history.card_id, log.id,
                          "review " + std::to_string(log.id) + " (" + format_day(log.day) +
                              ") is dated before review " + std::to_string(latest->id) + " (" +
                              format_day(latest->day) +
                              "), given before it; `recall check --repair` re-dates it"});
    if (!latest || log.day > latest->day) latest = &log;
  }
  return problems;
}

std::optional<LogRepair> repair_log(const CardHistory& history) {
  if (order_problems(history).empty()) return std::nullopt;
  LogRepair repair;
  Sm2State state;  // a new card
  int risk = kInitialRisk;
  std::set<Day> answered;  // days the repaired log has an answer on
  std::optional<Day> latest;
  for (ReviewLog row : history.reviews) {
    const bool redated = latest && row.day < *latest;
    if (redated) {
      row.day = *latest;
      ++repair.redated;
    }
    if (redated || row.before != state || row.before_risk != risk) {
      row.before = state;
      row.before_risk = risk;
      if (answered.count(row.day)) row.kind = ReviewKind::kRedrill;
      if (row.kind == ReviewKind::kRedrill) {
        row.after = row.before;
        row.after_risk = row.before_risk;
      } else {
        row.after = next_state(row.before, row.grade, row.day);
        row.after_risk = queue_risk(SchedulerKind::kSm2, row.after);
        row.scheduler = SchedulerKind::kSm2;
      }
    }
    state = row.after;
    risk = row.after_risk;
    answered.insert(row.day);
    latest = latest ? std::max(*latest, row.day) : row.day;
    repair.rows.push_back(std::move(row));
  }
  repair.state = state;
  repair.risk = risk;
  return repair;
}

}  // namespace recall
