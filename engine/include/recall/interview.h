// Interview-date scheduling: SM-2 stays canonical (n, EF, interval), only the
// due day is pulled in so that no studied card reaches the interview unseen.
// See docs/interview-and-stats.md for the rule and its reasons.
//
// With an interview on day I, the final week is [I-7, I-1]:
//   - an answer before the final week whose SM-2 due day lands on or after
//     I-7 is moved to a day in [I-7, min(SM-2 due, I-1)]: never later than SM-2
//     says, and before the interview;
//   - within that window the day with the fewest cards already due wins
//     (ties: the latest, to keep as much spacing as possible), so the final
//     week's load spreads out and no day carries more than twice its average;
//   - answers given in the final week or later, and due days before I-7,
//     are plain SM-2 (the card has its final-week review, or will be answered
//     again before the final week and pulled in then);
//   - no new cards are introduced on days [I-3, I] unless the learner asks
//     (QueueInputs::new_anyway); from I+1 on everything is plain SM-2.
// With predicted recall (the overloads taking an InterviewRecall, target
// below 1): a card whose due day is on or after the interview and whose
// FSRS-6 recall on the interview day, were it not reviewed again before it,
// is at least the target ("interview-retention", default 0.9) keeps its due
// day; every other card answered before the final week with a due day on or
// after I-7 goes to the LATEST day of [I-7, min(SM-2 due, I-1)] that one more
// card keeps within 1.5x the week's average load, leaving room under the 2x
// cap for the cards missed in the week (else the least-loaded day, as above). A target of 1.0 is exactly the rule without
// predicted recall. docs/interview-and-stats.md has the simulation's figures.
#pragma once

#include <array>
#include <optional>

#include "recall/day.h"
#include "recall/fsrs.h"
#include "recall/sm2.h"

namespace recall {

inline constexpr int kFinalWeekDays = 7;        // the review window before the interview
inline constexpr int kNewCardStopDays = 3;      // no new cards this many days before it
inline constexpr int kFinalWeekLoadFactor = 2;  // no final-week day above 2x the average
// "interview-retention": 0.97, not the 0.9 first proposed, because only a
// target this high needs fewer final-week reviews for at least the old
// rule's recall on the day (docs/interview-and-stats.md, the simulation).
inline constexpr double kDefaultInterviewRetention = 0.97;

// Cards due on each day of the final week: load[i] is day I-7+i.
using FinalWeekLoad = std::array<int, kFinalWeekDays>;

inline Day final_week_start(Day interview) { return interview - kFinalWeekDays; }

// The due day for a card answered on `today` whose SM-2 due day is
// `sm2_due`, with the interview on `interview` and `load` already due in the
// final week (not counting this card). Pure.
Day interview_due_day(Day sm2_due, Day today, Day interview, const FinalWeekLoad& load);

// A card's predicted recall on the interview day and the target it is held to.
struct InterviewRecall {
  double predicted = 0;  // R(interview - today, S after this answer), 0..1
  double target = kDefaultInterviewRetention;
};

// FSRS-6's R on `interview` for the state `after` an answer on `today`, with
// no review in between (a day before `today` counts as 0 days). Pure.
double recall_on_interview(const fsrs::MemoryState& after, Day today, Day interview,
                           const fsrs::Parameters& w = fsrs::kDefaultParameters);

// interview_due_day with predicted recall (the rule above): a card due on or
// after the interview whose `recall.predicted` is at least `recall.target`
// keeps `sm2_due`; the others go as late as the load allows. A target of
// 1.0 or more is interview_due_day exactly. Pure.
Day interview_due_day(Day sm2_due, Day today, Day interview, const FinalWeekLoad& load,
                      const InterviewRecall& recall);

// `after` (the SM-2 state after an answer on `today`) with its due day
// pulled in by interview_due_day; every other field unchanged. A state
// without a due day is returned as is.
Sm2State apply_interview_rule(const Sm2State& after, Day today, Day interview,
                              const FinalWeekLoad& load);
// The same with predicted recall (the interview_due_day overload above).
Sm2State apply_interview_rule(const Sm2State& after, Day today, Day interview,
                              const FinalWeekLoad& load, const InterviewRecall& recall);

// True on the days new cards are held back: [I-3, I].
bool new_cards_paused(Day day, Day interview);

// The interview date in force is a use case (it reads the settings):
// study.h effective_interview_date.

}  // namespace recall
