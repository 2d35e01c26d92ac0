// Fits FSRS-6 to 100,000 generated reviews whose true parameters are known
// (tests/fsrs_sim.h, seeded) and reports the time and how near the fit came.
//   recall_bench_fsrs_fit [REVIEWS] [SEED]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fsrs_sim.h"
#include "recall/fsrs_optimizer.h"

namespace fsrs = recall::fsrs;

int main(int argc, char** argv) {
  const std::size_t reviews = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 42;
  const auto cards = fsrs::sim::simulate(fsrs::sim::kTruth, reviews, seed);

  const auto t0 = std::chrono::steady_clock::now();
  const fsrs::FitResult fit = fsrs::fit(cards);
  const auto t1 = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(t1 - t0).count();

  std::printf("reviews %zu (cards %zu), seed %llu\n", reviews, cards.size(),
              static_cast<unsigned long long>(seed));
  std::printf("scored: %zu learnt from, %zu held out (from day %d)\n", fit.train_reviews,
              fit.test_reviews, fit.held_out_from.value_or(0));
  std::printf("fit: %.3f s  (%s)\n", seconds, fit.note.c_str());
  const recall::Day from = fit.held_out_from.value_or(0);
  std::printf("held-out log loss: defaults %.5f  fitted %.5f  truth %.5f  better %s\n",
              fit.log_loss_before.value_or(0), fit.log_loss_after.value_or(0),
              fsrs::sim::log_loss_from(cards, fsrs::sim::kTruth, from), fit.better ? "yes" : "no");
  std::printf("mean |R - R_true| held out: defaults %.4f  fitted %.4f\n",
              fsrs::sim::mean_gap(cards, fsrs::kDefaultParameters, fsrs::sim::kTruth, from),
              fsrs::sim::mean_gap(cards, fit.parameters, fsrs::sim::kTruth, from));
  std::printf(" w   default    fitted     true\n");
  for (int i = 0; i < fsrs::kParameterCount; ++i) {
    std::printf("%2d %9.4f %9.4f %9.4f\n", i, fsrs::kDefaultParameters[i], fit.parameters[i],
                fsrs::sim::kTruth[i]);
  }
  return 0;
}
