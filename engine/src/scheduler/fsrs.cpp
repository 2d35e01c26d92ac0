#include "recall/fsrs.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "recall/error.h"

#include "scheduler/fsrs_model.h"

namespace recall::fsrs {

namespace {

model::State<double> to_model(const MemoryState& m) { return {m.stability, m.difficulty}; }
MemoryState from_model(const model::State<double>& m) { return {m.s, m.d}; }

}  // namespace

Rating rating_of_grade(int grade) {
  if (grade <= 2) return Rating::kAgain;
  return static_cast<Rating>(grade - 1);
}

double retrievability(double elapsed_days, double stability, const Parameters& w) {
  return model::retrievability(w, elapsed_days, stability);
}

MemoryState initial_state(Rating rating, const Parameters& w) {
  return from_model(model::initial(w, static_cast<int>(rating)));
}

MemoryState next_state(const MemoryState& state, Rating rating, double elapsed_days,
                       const Parameters& w) {
  return from_model(model::step(w, to_model(state), static_cast<int>(rating), elapsed_days));
}

// Solves R(t, S) = r for t: t = S (r^(1/decay) - 1) / F, decay = -w20.
double next_interval(double stability, double desired_retention, const Parameters& w) {
  return stability * model::interval_modifier(w, desired_retention);
}

int next_interval_days(double stability, double desired_retention, const Parameters& w) {
  const double days = std::floor(next_interval(stability, desired_retention, w) + 0.5);
  return static_cast<int>(std::clamp(days, 1.0, static_cast<double>(kMaxIntervalDays)));
}

namespace {

// Review `i` (0-based) of `log` has a grade in 0..5, else Error(kData) naming it.
void check_grade(std::span<const Review> log, std::size_t i) {
  if (log[i].grade < 0 || log[i].grade > 5)
    throw Error::data("review log: review " + std::to_string(i + 1) + " has grade " +
                      std::to_string(log[i].grade) + " (0..5 expected)");
}

}  // namespace

void check_log(std::span<const Review> log) {
  for (std::size_t i = 0; i < log.size(); ++i) {
    check_grade(log, i);
    if (i > 0 && log[i].day < log[i - 1].day) {
      throw Error::data("review log: review " + std::to_string(i + 1) +
                        " is dated before the review before it");
    }
  }
}

int elapsed_days(Day earlier, Day later) { return std::max(0, later - earlier); }

std::vector<MemoryState> replay_states(std::span<const Review> log, const Parameters& w) {
  for (std::size_t i = 0; i < log.size(); ++i) check_grade(log, i);  // the days may go back
  std::vector<MemoryState> states;
  states.reserve(log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    const Rating rating = rating_of_grade(log[i].grade);
    states.push_back(
        i == 0 ? initial_state(rating, w)
               : next_state(states.back(), rating, elapsed_days(log[i - 1].day, log[i].day), w));
  }
  return states;
}

std::optional<MemoryState> replay(std::span<const Review> log, const Parameters& w) {
  if (log.empty()) return std::nullopt;
  return replay_states(log, w).back();
}

}  // namespace recall::fsrs
