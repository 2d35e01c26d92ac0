// FSRS-6's formulas once, over a scalar type T: double for the engine's
// memory states, Dual for the optimizer's gradients. The optimizer so fits
// exactly the model that tests/data/fsrs/vectors.json checks against ts-fsrs.
//
// Clamps pass no derivative outside their bounds (the bound is a constant),
// as autodiff through fsrs-rs's clamps does.
//
// round8 marks each place where ts-fsrs rounds to 8 decimals (its roundTo):
// recall rounds there too, so its states are ts-fsrs's to the last digits
// even at stabilities near 0.001, where one rounding is 5e-6 of the value.
#pragma once

#include <array>
#include <cmath>

#include "recall/fsrs.h"
#include "scheduler/dual.h"

namespace recall::fsrs::model {

using std::exp;
using std::log;
using std::pow;

template <class T>
using Weights = std::array<T, kParameterCount>;

template <class T>
struct State {
  T s;
  T d;
};

template <class T>
T clamp(const T& x, double lo, double hi) {
  if (value_of(x) < lo) return T(lo);
  if (value_of(x) > hi) return T(hi);
  return x;
}

template <class T>
T at_least(const T& x, double lo) {
  return value_of(x) < lo ? T(lo) : x;
}

template <class T>
T smaller(const T& a, const T& b) {
  return value_of(b) < value_of(a) ? b : a;
}

// F = 0.9^(1/decay) - 1 with decay = -w20, so that R(S, S) = 0.9.
template <class T>
T curve_factor(const Weights<T>& w) {
  return round8(exp(std::log(0.9) / (-w[20])) - 1.0);
}

template <class T>
T retrievability(const Weights<T>& w, double elapsed_days, const T& s) {
  return round8(pow(1.0 + curve_factor(w) * elapsed_days / s, -w[20]));
}

// Interval / S for a desired retention r: (r^(1/decay) - 1) / F.
template <class T>
T interval_modifier(const Weights<T>& w, double desired_retention) {
  return round8((pow(T(desired_retention), 1.0 / (-w[20])) - 1.0) / curve_factor(w));
}

template <class T>
T initial_difficulty(const Weights<T>& w, int rating) {
  return round8(w[4] - exp(w[5] * static_cast<double>(rating - 1)) + 1.0);
}

// ts-fsrs floors the first stability at 0.1 (fsrs-rs at 0.001); the two
// agree for every w0 >= 0.1, the defaults included.
template <class T>
State<T> initial(const Weights<T>& w, int rating) {
  return {at_least(w[rating - 1], 0.1),
          clamp(initial_difficulty(w, rating), kMinDifficulty, kMaxDifficulty)};
}

// Linear damping toward 10, then mean reversion toward D0(Easy) (unclamped).
template <class T>
T next_difficulty(const Weights<T>& w, const T& d, int rating) {
  const T delta = -w[6] * static_cast<double>(rating - 3);
  const T damped = d + round8(delta * (10.0 - d) / 9.0);
  const T reverted = round8(w[7] * initial_difficulty(w, 4) + (1.0 - w[7]) * damped);
  return clamp(reverted, kMinDifficulty, kMaxDifficulty);
}

template <class T>
T recall_stability(const Weights<T>& w, const State<T>& m, const T& r, int rating) {
  T gain = exp(w[8]) * (11.0 - m.d) * pow(m.s, -w[9]) * (exp((1.0 - r) * w[10]) - 1.0);
  if (rating == 2) gain = gain * w[15];
  if (rating == 4) gain = gain * w[16];
  return round8(clamp(m.s * (gain + 1.0), kMinStability, kMaxStability));
}

// A lapse never leaves S above S / e^(w17 w18): what the short-term rule
// would give after the relearning step.
template <class T>
T forget_stability(const Weights<T>& w, const State<T>& m, const T& r) {
  const T fallen = round8(
      clamp(w[11] * pow(m.d, -w[12]) * (pow(m.s + 1.0, w[13]) - 1.0) * exp((1.0 - r) * w[14]),
            kMinStability, kMaxStability));
  const T ceiling = at_least(round8(m.s / exp(w[17] * w[18])), kMinStability);
  return smaller(ceiling, fallen);
}

// Same-day answers: no time has passed, so R plays no part; a pass never
// lowers S.
template <class T>
T short_term_stability(const Weights<T>& w, const T& s, int rating) {
  T gain = pow(s, -w[19]) * exp(w[17] * (static_cast<double>(rating - 3) + w[18]));
  if (rating >= 2 && value_of(gain) < 1.0) gain = T(1.0);
  return round8(clamp(s * gain, kMinStability, kMaxStability));
}

template <class T>
State<T> step(const Weights<T>& w, const State<T>& m, int rating, double elapsed_days) {
  T s;
  if (elapsed_days == 0) {
    s = short_term_stability(w, m.s, rating);
  } else {
    const T r = retrievability(w, elapsed_days, m.s);
    s = rating == 1 ? forget_stability(w, m, r) : recall_stability(w, m, r, rating);
  }
  return {s, next_difficulty(w, m.d, rating)};
}

}  // namespace recall::fsrs::model
