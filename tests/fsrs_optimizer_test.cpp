// The FSRS-6 optimizer: exact gradients, fsrs-rs's minimums and bounds, and a
// fit that finds a known true model again.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "fsrs_sim.h"
#include "recall/error.h"
#include "recall/fsrs_optimizer.h"
#include "scheduler/dual.h"
#include "scheduler/fsrs_model.h"

namespace fsrs = recall::fsrs;
namespace model = recall::fsrs::model;

namespace {

// R before the last review of `log` after walking the others: what the
// optimizer differentiates.
template <class T>
T last_prediction(const model::Weights<T>& w, const fsrs::ReviewLog& log) {
  model::State<T> m = model::initial(w, static_cast<int>(fsrs::rating_of_grade(log[0].grade)));
  for (std::size_t k = 1; k + 1 < log.size(); ++k) {
    m = model::step(w, m, static_cast<int>(fsrs::rating_of_grade(log[k].grade)),
                    log[k].day - log[k - 1].day);
  }
  return model::retrievability(w, log.back().day - log[log.size() - 2].day, m.s);
}

}  // namespace

TEST_CASE("fsrs fit: dual-number gradients match finite differences", "[fsrs][fit]") {
  // Every branch: first Hard, same-day Again and Good, a lapse, Hard, Easy.
  const fsrs::ReviewLog log = {{0, 3},  {0, 1},  {0, 4},   {3, 4},  {10, 2},
                               {11, 3}, {30, 5}, {120, 4}, {400, 4}};
  const fsrs::Parameters w = fsrs::sim::kTruth;
  model::Weights<fsrs::Dual> dw;
  for (int i = 0; i < fsrs::kParameterCount; ++i) dw[i] = fsrs::Dual::variable(w[i], i);
  const fsrs::Dual r = last_prediction(dw, log);
  // The engine's doubles round as ts-fsrs does (8 decimals); duals do not.
  CHECK(r.v == Approx(last_prediction(w, log)).margin(1e-7));
  // Constant duals: the unrounded model, smooth enough for differences.
  const auto unrounded = [&](const fsrs::Parameters& p) {
    model::Weights<fsrs::Dual> c;
    for (int i = 0; i < fsrs::kParameterCount; ++i) c[i] = fsrs::Dual(p[i]);
    return last_prediction(c, log).v;
  };
  for (int i = 0; i < fsrs::kParameterCount; ++i) {
    const double h = 1e-6 * std::max(1.0, std::fabs(w[i]));
    fsrs::Parameters up = w, down = w;
    up[i] += h;
    down[i] -= h;
    const double numeric = (unrounded(up) - unrounded(down)) / (2 * h);
    INFO("w" << i << " dual " << r.d[i] << " numeric " << numeric);
    CHECK(r.d[i] == Approx(numeric).epsilon(1e-5).margin(1e-9));
  }
}

TEST_CASE("fsrs fit: a generated log's true model is found again", "[fsrs][fit]") {
  const auto cards = fsrs::sim::simulate(fsrs::sim::kTruth, 30000, 11);
  const fsrs::FitResult fit = fsrs::fit(cards);
  REQUIRE(fit.fitted);
  CHECK(fit.note ==
        "all 21 parameters fitted on " + std::to_string(fit.train_reviews) + " reviews");
  REQUIRE(fit.held_out_from.has_value());
  CHECK(fit.test_reviews > 1000);
  CHECK(fit.train_reviews > 2 * fit.test_reviews);  // about 80 / 20
  // Held-out log loss improves on the defaults...
  CHECK(fit.better);
  CHECK(*fit.log_loss_after < *fit.log_loss_before);
  // ...and the fitted predictions approach the true ones.
  const double gap_defaults =
      fsrs::sim::mean_gap(cards, fsrs::kDefaultParameters, fsrs::sim::kTruth, *fit.held_out_from);
  const double gap_fitted =
      fsrs::sim::mean_gap(cards, fit.parameters, fsrs::sim::kTruth, *fit.held_out_from);
  INFO("mean |R - R_true|: defaults " << gap_defaults << ", fitted " << gap_fitted);
  CHECK(gap_fitted < gap_defaults / 3);
  CHECK(gap_fitted < 0.02);
  CHECK(fit.parameters == fsrs::clip_parameters(fit.parameters));
}

TEST_CASE("fsrs fit: the same log gives the same parameters", "[fsrs][fit]") {
  const auto cards = fsrs::sim::simulate(fsrs::sim::kTruth, 3000, 5);
  const fsrs::FitResult a = fsrs::fit(cards);
  const fsrs::FitResult b = fsrs::fit(cards);
  REQUIRE(a.fitted);
  CHECK(a.parameters == b.parameters);
  CHECK(a.log_loss_after == b.log_loss_after);
  CHECK(a.parameters != fsrs::kDefaultParameters);
}

TEST_CASE("fsrs fit: under fsrs-rs's minimum the defaults are kept, and it says so",
          "[fsrs][fit]") {
  // Eight cards, each scored once: 6 learnt from and 2 held out.
  std::vector<fsrs::ReviewLog> cards;
  for (int i = 0; i < 8; ++i) cards.push_back({{i, 4}, {i + 3, i % 3 == 0 ? 1 : 4}});
  const fsrs::FitResult fit = fsrs::fit(cards);
  CHECK_FALSE(fit.fitted);
  CHECK_FALSE(fit.better);
  CHECK(fit.parameters == fsrs::kDefaultParameters);
  CHECK(fit.train_reviews == 6);
  CHECK(fit.test_reviews == 2);
  CHECK(fit.note ==
        "6 reviews to learn from before the held-out part; at least 8 are needed: "
        "parameters kept");
  CHECK(fit.log_loss_after == fit.log_loss_before);

  const fsrs::FitResult none = fsrs::fit(std::vector<fsrs::ReviewLog>{{{5, 4}, {5, 4}}});
  CHECK_FALSE(none.fitted);
  CHECK_FALSE(none.held_out_from.has_value());
  CHECK_FALSE(none.log_loss_before.has_value());
}

TEST_CASE("fsrs fit: under 64 reviews only the initial stabilities move", "[fsrs][fit]") {
  const auto cards = fsrs::sim::simulate(fsrs::sim::kTruth, 90, 3);
  const fsrs::FitResult fit = fsrs::fit(cards);
  REQUIRE(fit.fitted);
  REQUIRE(fit.train_reviews >= fsrs::kMinReviewsToFit);
  REQUIRE(fit.train_reviews < fsrs::kMinReviewsToFitAll);
  CHECK(fit.note.find("initial stabilities (w0..w3) fitted") == 0);
  for (int i = 4; i < fsrs::kParameterCount; ++i)
    CHECK(fit.parameters[i] == fsrs::kDefaultParameters[i]);
  bool moved = false;
  for (int i = 0; i < 4; ++i) moved |= fit.parameters[i] != fsrs::kDefaultParameters[i];
  CHECK(moved);
}

TEST_CASE("fsrs fit: parameters are clipped to fsrs-rs's bounds", "[fsrs][fit]") {
  fsrs::Parameters wild{};
  wild.fill(1000.0);
  const auto high = fsrs::clip_parameters(wild);
  CHECK(high[0] == 100.0);
  CHECK(high[4] == 10.0);
  CHECK(high[7] == 0.75);
  CHECK(high[17] == 2.0);
  CHECK(high[20] == 0.8);
  wild.fill(-1000.0);
  const auto low = fsrs::clip_parameters(wild);
  CHECK(low[0] == 0.001);
  CHECK(low[16] == 1.0);
  CHECK(low[19] == 0.01);
  CHECK(low[20] == 0.1);
  CHECK(fsrs::clip_parameters(fsrs::kDefaultParameters) == fsrs::kDefaultParameters);
}

TEST_CASE("fsrs fit: a log going back in time is refused", "[fsrs][fit]") {
  const std::vector<fsrs::ReviewLog> cards = {{{10, 4}, {20, 4}}, {{10, 4}, {9, 4}}};
  CHECK_THROWS_AS(fsrs::fit(cards), recall::Error);
}
