// Fitting FSRS-6's 21 parameters to a learner's review log, as fsrs-rs does:
// Adam on log loss over mini-batches of predictions, a cosine learning rate,
// an L2 pull toward the start parameters, parameters clipped to fsrs-rs's
// bounds after every step. Deterministic: a fixed seed orders the batches.
// Gradients are exact (forward-mode dual numbers through the same formulas as
// recall/fsrs.h). Pure: the caller passes the logs; nothing is stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "recall/day.h"
#include "recall/fsrs.h"

namespace recall::fsrs {

// fsrs-rs's minimums (training.rs, compute_parameters): under 8 reviews to
// learn from it keeps the defaults; under 64 it fits only the four initial
// stabilities (w0..w3).
inline constexpr std::size_t kMinReviewsToFit = 8;
inline constexpr std::size_t kMinReviewsToFitAll = 64;

struct FitOptions {
  int epochs = 5;                // fsrs-rs's defaults, these five
  std::size_t batch_size = 512;  // predictions per Adam step
  double learning_rate = 4e-2;
  double l2_weight = 1.0;  // fsrs-rs's gamma
  std::uint64_t seed = 2023;
  double held_out_fraction = 0.2;  // the latest scored reviews, kept out of training
};

struct FitResult {
  Parameters parameters{};  // fitted; the start parameters when nothing was fitted
  bool fitted = false;
  std::string note;               // what was fitted, or why nothing was
  std::size_t train_reviews = 0;  // scored reviews (>= 1 day after the previous) learnt from
  std::size_t test_reviews = 0;   // scored reviews on or after held_out_from
  std::optional<Day> held_out_from;
  // Mean log loss on the held-out reviews (each predicted from every review
  // before it), with the start and with the fitted parameters; nullopt when
  // nothing is held out.
  std::optional<double> log_loss_before;
  std::optional<double> log_loss_after;
  bool better = false;  // log_loss_after < log_loss_before
};

// Fits parameters to `cards` (each card's review log, days never
// decreasing, grades 0..5), starting from `start`. The scored reviews are
// split by day: the latest `held_out_fraction` of them (whole days) are held
// out, the rest are learnt from. Throws recall::Error (data) on a log whose
// days go backwards or whose grade is out of range.
FitResult fit(std::span<const ReviewLog> cards, const FitOptions& options = {},
              const Parameters& start = kDefaultParameters);

// Clamps every weight into fsrs-rs's bounds (parameter_clipper.rs, one
// relearning step, short-term on).
Parameters clip_parameters(const Parameters& w);

}  // namespace recall::fsrs
