// Forward-mode dual numbers over FSRS's 21 parameters: a value and its exact
// partial derivatives, so one pass through a card's reviews gives the
// gradient of every prediction on it (the optimizer's gradients).
#pragma once

#include <array>
#include <cmath>

#include "recall/fsrs.h"

namespace recall::fsrs {

struct Dual {
  double v = 0;
  std::array<double, kParameterCount> d{};

  Dual() = default;
  Dual(double value) : v(value) {}  // a constant: no derivative  NOLINT
  static Dual variable(double value, int index) {
    Dual x(value);
    x.d[index] = 1;
    return x;
  }
};

inline double value_of(double x) { return x; }
inline double value_of(const Dual& x) { return x.v; }

// ts-fsrs's roundTo(x, 8): Math.round(x * 1e8) / 1e8, Math.round taking
// halves up. Duals skip it: it moves a value by under 5e-9, nothing a fit can
// see, and unrounded duals are the smooth function their slopes belong to.
inline double round8(double x) { return std::floor(x * 1e8 + 0.5) / 1e8; }
inline const Dual& round8(const Dual& x) { return x; }

// f(x) with f'(x) = slope: the chain rule for every unary function below.
inline Dual chain(const Dual& x, double f, double slope) {
  Dual out(f);
  for (int i = 0; i < kParameterCount; ++i) out.d[i] = slope * x.d[i];
  return out;
}

inline Dual operator+(const Dual& a, const Dual& b) {
  Dual out(a.v + b.v);
  for (int i = 0; i < kParameterCount; ++i) out.d[i] = a.d[i] + b.d[i];
  return out;
}
inline Dual operator-(const Dual& a, const Dual& b) {
  Dual out(a.v - b.v);
  for (int i = 0; i < kParameterCount; ++i) out.d[i] = a.d[i] - b.d[i];
  return out;
}
inline Dual operator-(const Dual& a) { return chain(a, -a.v, -1.0); }
inline Dual operator*(const Dual& a, const Dual& b) {
  Dual out(a.v * b.v);
  for (int i = 0; i < kParameterCount; ++i) out.d[i] = a.d[i] * b.v + a.v * b.d[i];
  return out;
}
inline Dual operator/(const Dual& a, const Dual& b) {
  const double q = a.v / b.v;
  Dual out(q);
  for (int i = 0; i < kParameterCount; ++i) out.d[i] = (a.d[i] - q * b.d[i]) / b.v;
  return out;
}
inline Dual operator+(const Dual& a, double b) { return chain(a, a.v + b, 1.0); }
inline Dual operator+(double a, const Dual& b) { return b + a; }
inline Dual operator-(const Dual& a, double b) { return chain(a, a.v - b, 1.0); }
inline Dual operator-(double a, const Dual& b) { return chain(b, a - b.v, -1.0); }
inline Dual operator*(const Dual& a, double b) { return chain(a, a.v * b, b); }
inline Dual operator*(double a, const Dual& b) { return b * a; }
inline Dual operator/(const Dual& a, double b) { return chain(a, a.v / b, 1.0 / b); }
inline Dual operator/(double a, const Dual& b) { return chain(b, a / b.v, -a / (b.v * b.v)); }

inline Dual exp(const Dual& x) {
  const double e = std::exp(x.v);
  return chain(x, e, e);
}
inline Dual log(const Dual& x) { return chain(x, std::log(x.v), 1.0 / x.v); }

// a^b with both varying: d(a^b) = a^b (b' ln a + b a' / a).
inline Dual pow(const Dual& a, const Dual& b) {
  const double p = std::pow(a.v, b.v);
  const double la = std::log(a.v);
  Dual out(p);
  for (int i = 0; i < kParameterCount; ++i) {
    out.d[i] = p * (b.d[i] * la + b.v * a.d[i] / a.v);
  }
  return out;
}

}  // namespace recall::fsrs
