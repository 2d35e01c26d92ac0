#include "recall/calibration.h"
#include "recall/sm2.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace recall::calibration {

namespace {

// base^floor(log_base x) scaled: srs-benchmark's logarithmic bin edges.
double log_bin(double x, double scale, double base) {
  return scale * std::pow(base, std::floor(std::log(x) / std::log(base)));
}

double round_to(double x, int places) {
  const double unit = std::pow(10.0, places);
  return std::round(x * unit) / unit;
}

// sklearn's log_loss clips predictions the same way, so a model that says
// exactly 0 or 1 costs a large, finite amount.
constexpr double kClip = 1e-15;

}  // namespace

double elapsed_bin(int elapsed_days) { return round_to(log_bin(elapsed_days, 2.48, 3.62), 2); }
double review_count_bin(int review_count) { return std::round(log_bin(review_count, 1.99, 1.89)); }
double lapse_bin(int lapses) { return lapses == 0 ? 0.0 : std::round(log_bin(lapses, 1.65, 1.73)); }

double log_loss(std::span<const ScoredReview> reviews) {
  double sum = 0;
  for (const ScoredReview& r : reviews) {
    const double p = std::clamp(r.predicted, kClip, 1.0 - kClip);
    sum -= r.recalled ? std::log(p) : std::log(1.0 - p);
  }
  return sum / static_cast<double>(reviews.size());
}

double rmse_bins(std::span<const ScoredReview> reviews) {
  struct Bin {
    double predicted = 0, recalled = 0, count = 0;
  };
  std::map<std::tuple<double, double, double>, Bin> bins;
  for (const ScoredReview& r : reviews) {
    Bin& bin =
        bins[{elapsed_bin(r.elapsed_days), review_count_bin(r.review_count), lapse_bin(r.lapses)}];
    bin.predicted += r.predicted;
    bin.recalled += r.recalled ? 1.0 : 0.0;
    bin.count += 1;
  }
  double squared = 0;
  for (const auto& [key, bin] : bins) {
    const double gap = bin.predicted / bin.count - bin.recalled / bin.count;
    squared += gap * gap * bin.count;
  }
  return std::sqrt(squared / static_cast<double>(reviews.size()));
}

Predictor fsrs_predictor(const fsrs::Parameters& w) {
  return [w](std::span<const fsrs::Review> log) {
    std::vector<double> predicted(log.size(), 0.0);
    const std::vector<fsrs::MemoryState> states = fsrs::replay_states(log, w);
    for (std::size_t k = 1; k < log.size(); ++k) {
      predicted[k] = fsrs::retrievability(log[k].day - log[k - 1].day, states[k - 1].stability, w);
    }
    return predicted;
  };
}

double sm2_retrievability(int elapsed_days, int interval_days) {
  return std::pow(0.9, static_cast<double>(elapsed_days) / std::max(interval_days, 1));
}

Predictor sm2_predictor(
    std::function<std::vector<int>(std::span<const fsrs::Review> log)> intervals_before) {
  return [intervals_before = std::move(intervals_before)](std::span<const fsrs::Review> log) {
    const std::vector<int> intervals = intervals_before(log);
    if (intervals.size() != log.size()) {
      throw std::invalid_argument("sm2_predictor: one interval per review is needed");
    }
    std::vector<double> predicted(log.size(), 0.0);
    for (std::size_t k = 1; k < log.size(); ++k) {
      predicted[k] = sm2_retrievability(log[k].day - log[k - 1].day, intervals[k]);
    }
    return predicted;
  };
}

std::vector<ScoredReview> score_reviews(std::span<const fsrs::ReviewLog> cards,
                                        const Predictor& predict) {
  std::vector<ScoredReview> scored;
  for (const fsrs::ReviewLog& log : cards) {
    if (log.size() < 2) continue;
    const std::vector<double> predicted = predict(log);
    int long_term = 0, lapses = 0;
    for (std::size_t k = 1; k < log.size(); ++k) {
      const int elapsed = log[k].day - log[k - 1].day;
      if (elapsed < 1) continue;  // same-day answers are not predictions of memory
      const bool recalled = log[k].grade >= kPassingGrade;
      ++long_term;
      scored.push_back({predicted[k], recalled, elapsed, long_term + 1, lapses});
      lapses += recalled ? 0 : 1;
    }
  }
  return scored;
}

std::optional<Calibration> calibrate(std::span<const fsrs::ReviewLog> cards,
                                     const Predictor& predict) {
  const std::vector<ScoredReview> scored = score_reviews(cards, predict);
  if (scored.empty()) return std::nullopt;
  return Calibration{scored.size(), log_loss(scored), rmse_bins(scored)};
}

}  // namespace recall::calibration
