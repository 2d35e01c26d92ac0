#include "recall/interview.h"

#include <algorithm>

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

double recall_on_interview(const fsrs::MemoryState& after, Day today, Day interview,
                           const fsrs::Parameters& w) {
  return fsrs::retrievability(std::max(0, interview - today), after.stability, w);
}

namespace {

// Late placement fills a day up to 1.5x the final week's average (3/2), not
// to the 2x cap: the cards missed in the final week come back on its later
// days, and filling those to 2x before the week starts pushed them over it
// in the simulation.
constexpr int kFillNumerator = 3;
constexpr int kFillDenominator = 2;

// True when one more card on `day` keeps it within the fill level (this card
// counted in the average).
bool within_fill_level(Day day, Day first, const FinalWeekLoad& load) {
  int total = 1;
  for (const int count : load) total += count;
  return kFillDenominator * kFinalWeekDays * (load[day - first] + 1) <= kFillNumerator * total;
}

}  // namespace

Day interview_due_day(Day sm2_due, Day today, Day interview, const FinalWeekLoad& load,
                      const InterviewRecall& recall) {
  if (recall.target >= 1.0) return interview_due_day(sm2_due, today, interview, load);
  const Day first = final_week_start(interview);
  if (today >= first || sm2_due < first) return sm2_due;
  // Only a card that would otherwise skip the final week can be trusted to
  // its memory; one due inside the week is seen there anyway.
  if (sm2_due >= interview && recall.predicted >= recall.target) return sm2_due;
  // Fewer cards come in than under the old rule, so each can go as late as
  // the load allows: a review nearer the interview leaves more recall on the
  // day (the simulation in tests/interview_test.cpp measures it). When every
  // day is at the fill level, the old least-loaded day.
  for (Day d = std::min<Day>(sm2_due, interview - 1); d >= first; --d)
    if (within_fill_level(d, first, load)) return d;
  return interview_due_day(sm2_due, today, interview, load);
}

Sm2State apply_interview_rule(const Sm2State& after, Day today, Day interview,
                              const FinalWeekLoad& load) {
  Sm2State state = after;
  if (state.due_day) state.due_day = interview_due_day(*state.due_day, today, interview, load);
  return state;
}

Sm2State apply_interview_rule(const Sm2State& after, Day today, Day interview,
                              const FinalWeekLoad& load, const InterviewRecall& recall) {
  Sm2State state = after;
  if (state.due_day)
    state.due_day = interview_due_day(*state.due_day, today, interview, load, recall);
  return state;
}

bool new_cards_paused(Day day, Day interview) {
  return day >= interview - kNewCardStopDays && day <= interview;
}

}  // namespace recall
