#pragma once
// Test support: the one comparison of floating-point results, for every suite (GoogleTest
// and Qt Test alike). Exact equality is for integers and for values a test computes the same
// way twice; everything else goes through nearlyEqual with a tolerance the test states.

#include <algorithm>
#include <cmath>

namespace reco::testing {

/// |a - b| <= relative * max(1, |a|, |b|): relative for large values, absolute near zero
/// (so 1e-12 against 0 passes at relative 1e-9). NaN is near nothing, itself included.
inline bool nearlyEqual(double a, double b, double relative = 1e-12) {
  if (std::isnan(a) || std::isnan(b)) return false;
  if (a == b) return true;  // equal infinities
  return std::abs(a - b) <= relative * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace reco::testing
