#include "recall/sm2.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace recall {

namespace {

// EF delta in thousandths for grade q: 1000 * (0.1 - (5-q)(0.08 + (5-q)0.02)).
// Exact in integers: (5-q) * (80 + (5-q) * 20) thousandths.
int easiness_delta_milli(int grade) {
  const int miss = 5 - grade;
  return 100 - miss * (80 + miss * 20);
}

// round_half_up(interval * ef_milli / 1000) in integer arithmetic.
long long scaled_interval(long long interval, int easiness_milli) {
  return (interval * easiness_milli + 500) / 1000;
}

}  // namespace

Sm2State next_state(const Sm2State& state, int grade, Day day) {
  Sm2State next = state;
  if (grade >= kPassingGrade) {
    long long interval = 0;
    if (state.repetitions == 0) {
      interval = 1;
    } else if (state.repetitions == 1) {
      interval = 6;
    } else {
      interval = scaled_interval(state.interval_days, state.easiness_milli);
    }
    next.interval_days = static_cast<int>(std::min<long long>(interval, kMaxIntervalDays));
    next.repetitions = state.repetitions + 1;
  } else {
    if (state.repetitions > 0) next.lapses = state.lapses + 1;
    next.repetitions = 0;
    next.interval_days = 1;
  }
  next.easiness_milli =
      std::max(kMinEasinessMilli, state.easiness_milli + easiness_delta_milli(grade));
  next.due_day = day + next.interval_days;
  return next;
}

std::array<Sm2State, 6> preview(const Sm2State& state, Day day) {
  std::array<Sm2State, 6> states;
  for (int grade = 0; grade <= 5; ++grade) states[grade] = next_state(state, grade, day);
  return states;
}

std::string format_easiness(int easiness_milli) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%d.%02d", easiness_milli / 1000,
                (easiness_milli % 1000 + 5) / 10);
  return buffer;
}

}  // namespace recall
