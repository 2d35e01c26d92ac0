// SM-2, as a pure function of (state, grade, day). No I/O, no clock.
//
// The formulation (README "Scheduling" says where it differs from the 1990
// text and why):
//   grade >= 3: n == 0 -> I = 1; n == 1 -> I = 6; else I = round_half_up(I * EF)
//               with EF the value before this answer; then n += 1.
//   grade <  3: n = 0, I = 1; lapses += 1 when the card had been learned (n > 0).
//   every answer: EF += 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02), floor 1.3.
//   due = day + I, with I capped at kMaxIntervalDays.
#pragma once

#include <array>
#include <optional>

#include "recall/day.h"

namespace recall {

// EF is kept in integer thousandths (2500 == 2.50) as Anki keeps ease: every
// SM-2 step is a multiple of 0.02, so integers keep it exact where a double
// would drift after hundreds of answers.
inline constexpr int kInitialEasinessMilli = 2500;
inline constexpr int kMinEasinessMilli = 1300;
inline constexpr int kMaxIntervalDays = 36500;  // 100 years, as Anki: dates stay valid
inline constexpr int kPassingGrade = 3;         // grades 3..5 keep the repetition run
inline constexpr int kRedrillTargetGrade = 4;   // step 7: re-drill until at least this

struct Sm2State {
  int repetitions = 0;                         // n
  int easiness_milli = kInitialEasinessMilli;  // EF * 1000
  int interval_days = 0;                       // I
  std::optional<Day> due_day;                  // nullopt: never studied (new)
  int lapses = 0;

  bool is_new() const { return !due_day.has_value(); }
  bool operator==(const Sm2State&) const = default;
};

// The state after answering `grade` (0..5) on `day`.
// REQUIRES: 0 <= grade <= 5.
Sm2State next_state(const Sm2State& state, int grade, Day day);

// What each grade 0..5 would schedule from `state` on `day`, so the drill can
// show "3 -> 6d  4 -> 15d  5 -> 16d" before the learner answers.
std::array<Sm2State, 6> preview(const Sm2State& state, Day day);

// EF shown as the learner reads it: "2.50", "1.30".
std::string format_easiness(int easiness_milli);

}  // namespace recall
