#include "recall/fsrs_optimizer.h"
#include "recall/sm2.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "scheduler/dual.h"
#include "scheduler/fsrs_model.h"

namespace recall::fsrs {

namespace {

// fsrs-rs's spread of fitted parameters over many users (training.rs,
// PARAMS_STDDEV): the L2 pull is measured in these units.
constexpr Parameters kParameterSpread = {6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6,
                                         0.12, 0.39, 0.18,  0.33,  0.3,  0.09, 0.16,
                                         0.57, 0.25, 1.03,  0.31,  0.32, 0.14, 0.27};

struct Bound {
  double lo, hi;
};

// parameter_clipper.rs with one relearning step (w17, w18 <= 2) and the
// short-term rule on (w19 >= 0.01).
constexpr std::array<Bound, kParameterCount> kBounds = {{
    {0.001, 100},  {0.001, 100},  {0.001, 100}, {0.001, 100}, {1, 10},      {0.001, 4},
    {0.001, 4},    {0.001, 0.75}, {0, 4.5},     {0, 0.8},     {0.001, 3.5}, {0.001, 5},
    {0.001, 0.25}, {0.001, 0.9},  {0, 4},       {0, 1},       {1, 6},       {0, 2},
    {0, 2},        {0.01, 0.8},   {0.1, 0.8},
}};

// One answer as the model consumes it.
struct Step {
  int rating;      // 1..4
  double elapsed;  // days since the previous answer (0 for the first)
  bool scored;     // a prediction: >= 1 day after the previous answer
  bool recalled;
  Day day;
};

using Card = std::vector<Step>;

std::vector<Card> to_cards(std::span<const ReviewLog> logs) {
  std::vector<Card> cards;
  cards.reserve(logs.size());
  for (const ReviewLog& log : logs) {
    check_log(log);
    Card card;
    card.reserve(log.size());
    for (std::size_t k = 0; k < log.size(); ++k) {
      const double elapsed = k == 0 ? 0.0 : log[k].day - log[k - 1].day;
      card.push_back({static_cast<int>(rating_of_grade(log[k].grade)), elapsed,
                      k > 0 && elapsed >= 1, log[k].grade >= kPassingGrade, log[k].day});
    }
    cards.push_back(std::move(card));
  }
  return cards;
}

// The first held-out day: the latest `fraction` of scored reviews (at least
// one), widened to whole days. nullopt when nothing is scored.
std::optional<Day> held_out_from(const std::vector<Card>& cards, double fraction) {
  std::vector<Day> days;
  for (const Card& card : cards) {
    for (const Step& s : card) {
      if (s.scored) days.push_back(s.day);
    }
  }
  if (days.empty()) return std::nullopt;
  std::sort(days.begin(), days.end());
  const auto held = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(days.size()))));
  return days[days.size() - std::min(held, days.size())];
}

// The log loss summed over the scored reviews on or after `from`, each
// predicted from every answer before it, and their count.
struct Loss {
  double sum = 0;
  std::size_t count = 0;
};

Loss evaluate(const std::vector<Card>& cards, const Parameters& w, Day from) {
  Loss loss;
  for (const Card& card : cards) {
    model::State<double> m{};
    for (std::size_t k = 0; k < card.size(); ++k) {
      const Step& s = card[k];
      if (k > 0 && s.scored && s.day >= from) {
        const double p = std::clamp(model::retrievability(w, s.elapsed, m.s), 1e-15, 1 - 1e-15);
        loss.sum -= s.recalled ? std::log(p) : std::log1p(-p);
        ++loss.count;
      }
      m = k == 0 ? model::initial(w, s.rating) : model::step(w, m, s.rating, s.elapsed);
    }
  }
  return loss;
}

// Cards cut to the training part: the answers before `until`, kept only when
// they hold a prediction to learn from.
std::vector<Card> training_part(const std::vector<Card>& cards, Day until, std::size_t& scored) {
  std::vector<Card> out;
  scored = 0;
  for (const Card& card : cards) {
    Card cut;
    std::size_t n = 0;
    for (const Step& s : card) {
      if (s.day >= until) break;
      cut.push_back(s);
      n += s.scored;
    }
    if (n == 0) continue;
    scored += n;
    out.push_back(std::move(cut));
  }
  return out;
}

// Whole cards grouped into batches of about `size` predictions: a card's
// recurrence is walked once for all its predictions, as fsrs-rs's windowed
// batches do.
std::vector<std::vector<const Card*>> make_batches(const std::vector<Card>& cards,
                                                   std::size_t size) {
  std::vector<std::vector<const Card*>> batches(1);
  std::size_t in_batch = 0;
  for (const Card& card : cards) {
    const auto n = static_cast<std::size_t>(
        std::count_if(card.begin(), card.end(), [](const Step& s) { return s.scored; }));
    if (in_batch > 0 && in_batch + n > size) {
      batches.emplace_back();
      in_batch = 0;
    }
    batches.back().push_back(&card);
    in_batch += n;
  }
  return batches;
}

// Adds d(log loss summed over the card's predictions)/dw to `grad`; returns
// the number of predictions.
std::size_t card_gradient(const Card& card, const model::Weights<Dual>& w,
                          std::array<double, kParameterCount>& grad) {
  model::State<Dual> m{};
  std::size_t n = 0;
  for (std::size_t k = 0; k < card.size(); ++k) {
    const Step& s = card[k];
    if (k > 0 && s.scored) {
      const Dual p = model::retrievability(w, s.elapsed, m.s);
      const double pv = std::clamp(p.v, 1e-15, 1 - 1e-15);
      const double slope = s.recalled ? -1.0 / pv : 1.0 / (1.0 - pv);
      for (int i = 0; i < kParameterCount; ++i) grad[i] += slope * p.d[i];
      ++n;
    }
    m = k == 0 ? model::initial(w, s.rating) : model::step(w, m, s.rating, s.elapsed);
  }
  return n;
}

// splitmix64: a fixed, portable sequence (std::shuffle's is the library's).
struct SplitMix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

void shuffle(std::vector<std::size_t>& order, SplitMix& rng) {
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.next() % i]);
}

struct Adam {
  std::array<double, kParameterCount> m{}, v{};
  int t = 0;
  void step(Parameters& w, const std::array<double, kParameterCount>& g, double lr) {
    constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
    ++t;
    const double bias1 = 1 - std::pow(kBeta1, t), bias2 = 1 - std::pow(kBeta2, t);
    for (int i = 0; i < kParameterCount; ++i) {
      m[i] = kBeta1 * m[i] + (1 - kBeta1) * g[i];
      v[i] = kBeta2 * v[i] + (1 - kBeta2) * g[i] * g[i];
      w[i] -= lr * (m[i] / bias1) / (std::sqrt(v[i] / bias2) + kEpsilon);
    }
  }
};

Parameters train(const std::vector<Card>& cards, std::size_t total, const Parameters& start,
                 bool all_parameters, const FitOptions& options) {
  const auto batches = make_batches(cards, std::max<std::size_t>(options.batch_size, 1));
  const std::size_t iterations = batches.size() * static_cast<std::size_t>(options.epochs);
  Parameters w = start;
  Adam adam;
  SplitMix rng{options.seed};
  std::vector<std::size_t> order(batches.size());
  std::size_t iteration = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    shuffle(order, rng);
    for (const std::size_t b : order) {
      model::Weights<Dual> dw;
      for (int i = 0; i < kParameterCount; ++i) dw[i] = Dual::variable(w[i], i);
      std::array<double, kParameterCount> grad{};
      std::size_t n = 0;
      for (const Card* card : batches[b]) n += card_gradient(*card, dw, grad);
      // The L2 pull, spread over the batches in proportion to their size.
      const double share = options.l2_weight * static_cast<double>(n) / static_cast<double>(total);
      for (int i = 0; i < kParameterCount; ++i) {
        grad[i] += share * 2 * (w[i] - start[i]) / (kParameterSpread[i] * kParameterSpread[i]);
        if (!all_parameters && i >= 4) grad[i] = 0;
      }
      const double lr = options.learning_rate *
                        (1 + std::cos(std::numbers::pi * static_cast<double>(iteration) /
                                      static_cast<double>(iterations))) /
                        2;
      adam.step(w, grad, lr);
      w = clip_parameters(w);
      ++iteration;
    }
  }
  return w;
}

}  // namespace

Parameters clip_parameters(const Parameters& w) {
  Parameters out = w;
  for (int i = 0; i < kParameterCount; ++i) out[i] = std::clamp(w[i], kBounds[i].lo, kBounds[i].hi);
  return out;
}

FitResult fit(std::span<const ReviewLog> logs, const FitOptions& options, const Parameters& start) {
  const std::vector<Card> cards = to_cards(logs);
  FitResult result;
  result.parameters = start;
  result.held_out_from = held_out_from(cards, options.held_out_fraction);
  if (!result.held_out_from) {
    result.note = "no review comes a day or more after the one before it: nothing to learn from";
    return result;
  }
  const Day from = *result.held_out_from;
  const Loss before = evaluate(cards, start, from);
  result.test_reviews = before.count;
  result.log_loss_before = before.sum / static_cast<double>(before.count);
  const std::vector<Card> training = training_part(cards, from, result.train_reviews);

  if (result.train_reviews < kMinReviewsToFit) {
    result.note = std::to_string(result.train_reviews) +
                  " reviews to learn from before the held-out part; at least " +
                  std::to_string(kMinReviewsToFit) + " are needed: parameters kept";
    result.log_loss_after = result.log_loss_before;
    return result;
  }
  const bool all = result.train_reviews >= kMinReviewsToFitAll;
  result.parameters = train(training, result.train_reviews, start, all, options);
  result.fitted = true;
  result.note =
      all ? "all 21 parameters fitted on " + std::to_string(result.train_reviews) + " reviews"
          : "initial stabilities (w0..w3) fitted on " + std::to_string(result.train_reviews) +
                " reviews; the rest need " + std::to_string(kMinReviewsToFitAll);
  const Loss after = evaluate(cards, result.parameters, from);
  result.log_loss_after = after.sum / static_cast<double>(after.count);
  result.better = *result.log_loss_after < *result.log_loss_before;
  return result;
}

}  // namespace recall::fsrs
