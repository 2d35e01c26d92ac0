// Review logs generated from a known FSRS-6 parameter set, seeded: the
// optimizer's test and bench/fsrs_fit.cpp fit them and compare with the truth.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "recall/fsrs.h"

namespace recall::fsrs::sim {

// Far from the defaults where it matters (decay 0.3 against 0.1542, larger
// first stabilities), inside fsrs-rs's bounds.
inline constexpr Parameters kTruth = {0.6, 1.9, 4.5,  14.0, 5.5,  1.0, 2.2,  0.01, 1.4, 0.12, 1.1,
                                      1.8, 0.1, 0.35, 1.3,  0.45, 2.2, 0.45, 0.25, 0.1, 0.3};

inline constexpr Day kHorizonDays = 3650;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  int below(int n) { return static_cast<int>(uniform() * n); }

 private:
  std::mt19937_64 engine_;
};

// Cards answered like a learner whose memory is `truth`: each review comes
// at the interval for 90% retention, stretched or shrunk (x0.4 .. x2.4) so
// every R is seen; recall is drawn with the true R; a miss or a Hard is
// re-drilled the same day until answered Good, as `recall` re-drills. Cards
// start in the first year and are followed for ten years at most.
inline std::vector<ReviewLog> simulate(const Parameters& truth, std::size_t reviews,
                                       std::uint64_t seed) {
  Rng rng(seed);
  std::vector<ReviewLog> cards;
  std::size_t total = 0;
  while (total < reviews) {
    ReviewLog log;
    Day day = rng.below(365);
    int grade = rng.below(6);
    log.push_back({day, grade});
    MemoryState m = initial_state(rating_of_grade(grade), truth);
    const int length = 2 + rng.below(30);
    while (static_cast<int>(log.size()) < length && total + log.size() < reviews) {
      if (grade < 4) {
        grade = 4;
        m = next_state(m, Rating::kGood, 0, truth);
        log.push_back({day, grade});
        continue;
      }
      const double stretch = 0.4 + 2.0 * rng.uniform();
      const int gap =
          std::max(1, static_cast<int>(next_interval(m.stability, 0.9, truth) * stretch));
      if (day + gap > kHorizonDays) break;
      day += gap;
      const bool recalled = rng.uniform() < retrievability(gap, m.stability, truth);
      const double roll = rng.uniform();
      grade = !recalled ? rng.below(3) : roll < 0.15 ? 3 : roll < 0.85 ? 4 : 5;
      m = next_state(m, rating_of_grade(grade), gap, truth);
      log.push_back({day, grade});
    }
    total += log.size();
    cards.push_back(std::move(log));
  }
  return cards;
}

// Mean |R(w) - R(truth)| over the reviews on or after `from` that come a
// day or more after the one before: how near `w`'s predictions are the truth.
inline double mean_gap(const std::vector<ReviewLog>& cards, const Parameters& w,
                       const Parameters& truth, Day from) {
  double sum = 0;
  std::size_t n = 0;
  for (const ReviewLog& log : cards) {
    const auto mine = replay_states(log, w);
    const auto real = replay_states(log, truth);
    for (std::size_t k = 1; k < log.size(); ++k) {
      const int t = log[k].day - log[k - 1].day;
      if (t < 1 || log[k].day < from) continue;
      sum += std::fabs(retrievability(t, mine[k - 1].stability, w) -
                       retrievability(t, real[k - 1].stability, truth));
      ++n;
    }
  }
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

// Mean log loss of `w` over the same reviews as mean_gap.
inline double log_loss_from(const std::vector<ReviewLog>& cards, const Parameters& w, Day from) {
  double sum = 0;
  std::size_t n = 0;
  for (const ReviewLog& log : cards) {
    const auto states = replay_states(log, w);
    for (std::size_t k = 1; k < log.size(); ++k) {
      const int t = log[k].day - log[k - 1].day;
      if (t < 1 || log[k].day < from) continue;
      const double p = retrievability(t, states[k - 1].stability, w);
      sum -= log[k].grade >= 3 ? std::log(p) : std::log1p(-p);
      ++n;
    }
  }
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

}  // namespace recall::fsrs::sim
