// Calibration metrics as srs-benchmark measures them, and the walk that
// predicts each review from the reviews before it.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "fsrs_sim.h"
#include "recall/calibration.h"

namespace cal = recall::calibration;
namespace fsrs = recall::fsrs;

TEST_CASE("calibration: log loss is the mean binary cross-entropy", "[calibration]") {
  const std::vector<cal::ScoredReview> r = {
      {0.9, true, 1, 2, 0}, {0.2, false, 1, 2, 0}, {0.5, true, 1, 2, 0}};
  CHECK(cal::log_loss(r) == Approx(-(std::log(0.9) + std::log(0.8) + std::log(0.5)) / 3));
}

TEST_CASE("calibration: srs-benchmark's bins", "[calibration]") {
  CHECK(cal::elapsed_bin(1) == Approx(2.48));
  CHECK(cal::elapsed_bin(3) == Approx(2.48));
  CHECK(cal::elapsed_bin(4) == Approx(8.98));   // 2.48 * 3.62
  CHECK(cal::elapsed_bin(13) == Approx(8.98));  // under 3.62^2 = 13.1
  CHECK(cal::elapsed_bin(14) == Approx(32.5));  // 2.48 * 3.62^2
  CHECK(cal::review_count_bin(1) == 2);         // 1.99
  CHECK(cal::review_count_bin(2) == 4);         // 1.99 * 1.89
  CHECK(cal::review_count_bin(4) == 7);         // 1.99 * 1.89^2
  CHECK(cal::lapse_bin(0) == 0);
  CHECK(cal::lapse_bin(1) == 2);  // 1.65
  CHECK(cal::lapse_bin(2) == 3);  // 1.65 * 1.73
}

TEST_CASE("calibration: RMSE(bins) weighs each bin's gap by its size", "[calibration]") {
  // Bin (2.48, 4, 0): mean prediction 0.8, recall rate 0.5. Bin (8.98, 4, 2):
  // prediction 0.6, recall 1.
  const std::vector<cal::ScoredReview> r = {
      {0.9, true, 1, 2, 0}, {0.7, false, 3, 3, 0}, {0.6, true, 10, 2, 1}};
  CHECK(cal::rmse_bins(r) == Approx(std::sqrt((0.3 * 0.3 * 2 + 0.4 * 0.4) / 3)));
}

TEST_CASE("calibration: only reviews a day or more after the previous are scored",
          "[calibration]") {
  const std::vector<fsrs::ReviewLog> cards = {
      {{0, 4}, {0, 2}, {1, 4}, {5, 1}, {5, 4}, {12, 5}},
      {{3, 4}},  // one review: nothing to predict
  };
  const cal::Predictor tenths = [](std::span<const fsrs::Review> log) {
    std::vector<double> p(log.size());
    for (std::size_t k = 0; k < p.size(); ++k) p[k] = static_cast<double>(k) / 10;
    return p;
  };
  const auto scored = cal::score_reviews(cards, tenths);
  REQUIRE(scored.size() == 3);
  // The same-day miss (review 1) is not a lapse; the lapse on day 5 is.
  CHECK(scored[0].predicted == 0.2);
  CHECK(scored[0].recalled);
  CHECK(scored[0].elapsed_days == 1);
  CHECK(scored[0].review_count == 2);
  CHECK(scored[0].lapses == 0);
  CHECK(scored[1].predicted == 0.3);
  CHECK_FALSE(scored[1].recalled);
  CHECK(scored[1].elapsed_days == 4);
  CHECK(scored[1].review_count == 3);
  CHECK(scored[1].lapses == 0);
  CHECK(scored[2].predicted == 0.5);
  CHECK(scored[2].elapsed_days == 7);
  CHECK(scored[2].review_count == 4);
  CHECK(scored[2].lapses == 1);
  CHECK_FALSE(cal::calibrate(std::vector<fsrs::ReviewLog>{{{3, 4}, {3, 5}}}, tenths).has_value());
}

TEST_CASE("calibration: the FSRS predictor sees only the reviews before", "[calibration]") {
  const fsrs::ReviewLog log = {{0, 3}, {0, 4}, {2, 4}, {9, 1}, {9, 4}, {30, 5}, {200, 4}};
  const auto full = cal::fsrs_predictor()(log);
  for (std::size_t k = 1; k < log.size(); ++k) {
    // The same prediction from the log cut just after review k...
    const auto cut = cal::fsrs_predictor()(std::span(log).first(k + 1));
    CHECK(cut[k] == full[k]);
    // ...and it is R(t, S) with S after reviews 0..k-1.
    const auto before = fsrs::replay(std::span(log).first(k));
    CHECK(full[k] == fsrs::retrievability(log[k].day - log[k - 1].day, before->stability));
  }
}

TEST_CASE("calibration: SM-2's implied prediction is 0.9^(t/I)", "[calibration]") {
  const std::vector<fsrs::ReviewLog> cards = {{{0, 4}, {1, 4}, {7, 4}, {20, 3}}};
  // SM-2's intervals in force before each review: 1, 6, then 6 * 2.5.
  const auto predict = cal::sm2_predictor([](std::span<const fsrs::Review> log) {
    CHECK(log.size() == 4);
    return std::vector<int>{0, 1, 6, 15};
  });
  const auto scored = cal::score_reviews(cards, predict);
  REQUIRE(scored.size() == 3);
  CHECK(scored[0].predicted == Approx(0.9));
  CHECK(scored[1].predicted == Approx(0.9));
  CHECK(scored[2].predicted == Approx(std::pow(0.9, 13.0 / 15.0)));
  CHECK(cal::sm2_retrievability(30, 10) == Approx(0.729));
  const auto short_list = cal::sm2_predictor([](std::span<const fsrs::Review>) {
    return std::vector<int>{0, 1};
  });
  CHECK_THROWS_AS(cal::score_reviews(cards, short_list), std::invalid_argument);
}

TEST_CASE("calibration: the true model is calibrated on its own reviews", "[calibration]") {
  const auto cards = fsrs::sim::simulate(fsrs::sim::kTruth, 20000, 7);
  const auto truth = cal::calibrate(cards, cal::fsrs_predictor(fsrs::sim::kTruth));
  const auto defaults = cal::calibrate(cards, cal::fsrs_predictor());
  REQUIRE(truth.has_value());
  REQUIRE(defaults.has_value());
  CHECK(truth->reviews == defaults->reviews);
  CHECK(truth->reviews > 8000);
  CHECK(truth->log_loss < defaults->log_loss);
  CHECK(truth->rmse_bins < defaults->rmse_bins);
  CHECK(truth->rmse_bins < 0.05);  // what ~9,000 draws leave in ~50 bins
}
