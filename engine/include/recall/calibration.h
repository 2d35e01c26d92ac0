// How well a memory model predicts recall, measured as
// open-spaced-repetition/srs-benchmark measures it: log loss and RMSE(bins)
// over the reviews that come at least a day after the previous one, each
// predicted from the card's reviews before it. Pure functions; no store.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "recall/fsrs.h"

namespace recall::calibration {

// One scored review: the prediction made before it and what happened, with
// srs-benchmark's three bin keys for RMSE(bins).
struct ScoredReview {
  double predicted = 0;   // R in (0, 1)
  bool recalled = false;  // grade >= 3
  int elapsed_days = 0;   // since the card's previous review (>= 1)
  int review_count = 0;  // srs-benchmark's i: reviews >= 1 day apart so far, this one included, + 1
  int lapses = 0;        // earlier reviews >= 1 day apart answered below 3
};

// Mean binary cross-entropy. REQUIRES: non-empty; 0 < predicted < 1.
double log_loss(std::span<const ScoredReview> reviews);

// srs-benchmark's RMSE(bins): reviews grouped by (elapsed days, review
// count, lapses), each on a logarithmic scale; the root of the squared gaps
// between a bin's mean prediction and its recall rate, weighted by the bin's
// size. REQUIRES: non-empty.
double rmse_bins(std::span<const ScoredReview> reviews);

// The bins themselves (2.48 * 3.62^floor(log_3.62 t), rounded to 2 places;
// 1.99 * 1.89^floor(log_1.89 i) and 1.65 * 1.73^floor(log_1.73 lapses),
// rounded to units; 0 lapses is its own bin).
double elapsed_bin(int elapsed_days);
double review_count_bin(int review_count);
double lapse_bin(int lapses);

// A card's predictions: entry k is the probability of recall the model gave
// before review k of `log`, from reviews 0..k-1 only (entry 0 is unused).
using Predictor = std::function<std::vector<double>(std::span<const fsrs::Review> log)>;

// FSRS-6 with parameters `w`: R(t, S) with S after the reviews before.
Predictor fsrs_predictor(const fsrs::Parameters& w = fsrs::kDefaultParameters);

// SM-2's implied prediction R = 0.9^(t / I), I the interval in force before
// the review. `intervals_before(log)` gives that I (>= 1) for every review k
// of the log (entry 0 unused); a list of another length throws
// std::invalid_argument.
Predictor sm2_predictor(
    std::function<std::vector<int>(std::span<const fsrs::Review> log)> intervals_before);
double sm2_retrievability(int elapsed_days, int interval_days);

// Every review at least a day after the previous one on its card, scored
// with `predict`. `cards` holds each card's review log (days never decrease).
std::vector<ScoredReview> score_reviews(std::span<const fsrs::ReviewLog> cards,
                                        const Predictor& predict);

struct Calibration {
  std::size_t reviews = 0;
  double log_loss = 0;
  double rmse_bins = 0;
};

// Both metrics over score_reviews(cards, predict); nullopt when no review
// can be scored (no card has two reviews on different days).
std::optional<Calibration> calibrate(std::span<const fsrs::ReviewLog> cards,
                                     const Predictor& predict);

}  // namespace recall::calibration
