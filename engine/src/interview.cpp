#include "recall/interview.h"

#include "recall/store.h"

namespace recall {

Day interview_due_day(Day sm2_due, Day today, Day interview, const FinalWeekLoad& load) {
  const Day first = final_week_start(interview);
  if (today >= first || sm2_due < first) return sm2_due;
  const Day last = std::min<Day>(sm2_due, interview - 1);
  Day best = last;
  for (Day d = last; d >= first; --d)
    if (load[d - first] < load[best - first]) best = d;
  return best;
}

Sm2State apply_interview_rule(const Sm2State& after, Day today, Day interview,
                              const FinalWeekLoad& load) {
  Sm2State state = after;
  if (state.due_day) state.due_day = interview_due_day(*state.due_day, today, interview, load);
  return state;
}

bool new_cards_paused(Day day, Day interview) {
  return day >= interview - kNewCardStopDays && day <= interview;
}

std::optional<Day> effective_interview_date(Store& store) {
  if (auto value = store.setting("interview-date"))
    if (auto day = parse_day(*value)) return day;
  return store.tracker_interview_date();
}

}  // namespace recall
