// FSRS-6, the memory model beside SM-2, as pure functions of (memory state,
// rating, elapsed days). No I/O, no clock, no store.
//
// A card's memory is {stability S, difficulty D}: S is the number of days
// after which recall falls to 90%, D in [1, 10] how hard the card is.
//   R(t, S)      = (1 + F * t / S)^(-w20), F = 0.9^(-1/w20) - 1   (so R(S, S) = 0.9)
//   first answer : S = max(w[G-1], 0.1),  D = clamp(w4 - e^(w5 (G-1)) + 1, 1, 10)
//   same day     : S' = S * e^(w17 (G - 3 + w18)) * S^(-w19), at least S for G >= Hard
//   recalled     : S' = S * (1 + e^w8 (11-D) S^-w9 (e^(w10 (1-R)) - 1) * w15[Hard] * w16[Easy])
//   forgotten    : S' = min(w11 D^-w12 ((S+1)^w13 - 1) e^(w14 (1-R)), S / e^(w17 w18))
//   every answer : D' = clamp(w7 D0(Easy) + (1-w7) (D - w6 (G-3) (10-D)/9), 1, 10)
// with S kept in [0.001, 36500], and values rounded to 8 decimals where
// ts-fsrs rounds them (so states agree with it even near S = 0.001).
// docs/memory-model.md says where this follows ts-fsrs and where fsrs-rs, and
// how tests/data/fsrs/vectors.json checks it.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "recall/day.h"

namespace recall::fsrs {

inline constexpr int kParameterCount = 21;
using Parameters = std::array<double, kParameterCount>;

// FSRS-6's defaults (fsrs-rs DEFAULT_PARAMETERS, ts-fsrs default_w).
inline constexpr Parameters kDefaultParameters = {
    0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,  1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542};

inline constexpr double kMinStability = 0.001;
inline constexpr double kMaxStability = 36500.0;
inline constexpr double kMinDifficulty = 1.0;
inline constexpr double kMaxDifficulty = 10.0;
inline constexpr int kMaxIntervalDays = 36500;

enum class Rating { kAgain = 1, kHard = 2, kGood = 3, kEasy = 4 };

// recall's grades onto FSRS's ratings: 0..2 Again, 3 Hard, 4 Good, 5 Easy.
// REQUIRES: 0 <= grade <= 5.
Rating rating_of_grade(int grade);

struct MemoryState {
  double stability = 0;
  double difficulty = 0;
  bool operator==(const MemoryState&) const = default;
};

// The probability of recall `elapsed_days` (>= 0) after the last review.
double retrievability(double elapsed_days, double stability,
                      const Parameters& w = kDefaultParameters);

// The state after a card's first answer.
MemoryState initial_state(Rating rating, const Parameters& w = kDefaultParameters);

// The state after answering `rating` `elapsed_days` (>= 0) after the last
// review; 0 (a re-drill, a second answer that day) takes the short-term rule.
MemoryState next_state(const MemoryState& state, Rating rating, double elapsed_days,
                       const Parameters& w = kDefaultParameters);

// Days until R falls to `desired_retention` (0 < r <= 1), unrounded.
double next_interval(double stability, double desired_retention,
                     const Parameters& w = kDefaultParameters);

// The interval as a scheduler uses it: rounded half up, at least 1 day, at
// most kMaxIntervalDays (ts-fsrs's next_interval without fuzz).
int next_interval_days(double stability, double desired_retention,
                       const Parameters& w = kDefaultParameters);

// One answer in a card's review log.
struct Review {
  Day day = 0;
  int grade = 0;  // 0..5
  bool operator==(const Review&) const = default;
};

// A card's reviews in the order they were answered (days never decrease).
using ReviewLog = std::vector<Review>;

// Throws recall::Error (data) unless days never decrease and every grade is
// in 0..5, naming the review (1-based).
void check_log(std::span<const Review> log);

// Days from one review to the next: `later - earlier`, never negative. A
// review dated before the one before it counts as the same day, so a replay
// never fails on a log out of day order (the store reads every log by day,
// then id, so it holds none; Store::check reports one it holds by id).
int elapsed_days(Day earlier, Day later);

// The memory state after every review of `log` (same length as `log`).
// Throws recall::Error (data) as check_log does for a grade outside 0..5;
// days are counted with elapsed_days, so their order never throws.
std::vector<MemoryState> replay_states(std::span<const Review> log,
                                       const Parameters& w = kDefaultParameters);

// The memory state after the whole log; nullopt for a card never answered.
std::optional<MemoryState> replay(std::span<const Review> log,
                                  const Parameters& w = kDefaultParameters);

}  // namespace recall::fsrs
