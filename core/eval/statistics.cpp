#include "core/eval/statistics.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace reco {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Boost.Math throws its own exceptions unless a policy says otherwise. The RECO_CHECKs
// reject arguments outside the documented domains first (Internal), so Boost's domain and
// pole errors cannot happen (and would give NaN); an overflow in the far tails gives ±inf,
// as the contracts say. A series that does not converge still throws, and boostCall turns
// that, or anything else Boost throws, into Internal.
namespace policies = boost::math::policies;
using Policy = policies::policy<policies::domain_error<policies::ignore_error>,
                                policies::pole_error<policies::ignore_error>,
                                policies::overflow_error<policies::ignore_error>>;
using StudentT = boost::math::students_t_distribution<double, Policy>;
using Normal = boost::math::normal_distribution<double, Policy>;

template <class F>
double boostCall(const char* what, F&& compute) {
  try {
    return compute();
  } catch (const std::exception& e) {
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + e.what());
  }
}

}  // namespace

double logGamma(double x) {
  RECO_CHECK(x > 0, ErrorKind::Internal, "logGamma needs x > 0, got " + formatNumber(x));
  // The sign pointer is left out: Boost's lgamma writes no global (unlike std::lgamma).
  return boostCall("logGamma", [&] { return boost::math::lgamma(x, Policy()); });
}

double incompleteBeta(double a, double b, double x) {
  RECO_CHECK(a > 0 && b > 0 && x >= 0 && x <= 1, ErrorKind::Internal,
             "incomplete beta needs a > 0, b > 0, 0 <= x <= 1; got a=" + formatNumber(a) +
                 " b=" + formatNumber(b) + " x=" + formatNumber(x));
  return boostCall("incomplete beta", [&] { return boost::math::ibeta(a, b, x, Policy()); });
}

double studentTCdf(double t, double df) {
  RECO_CHECK(df > 0, ErrorKind::Internal, "Student's t needs df > 0, got " + formatNumber(df));
  if (std::isnan(t)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  return boostCall("Student's t CDF", [&] { return boost::math::cdf(StudentT(df), t); });
}

double studentTQuantile(double p, double df) {
  RECO_CHECK(p > 0 && p < 1 && df > 0, ErrorKind::Internal,
             "t quantile needs 0 < p < 1 and df > 0; got p=" + formatNumber(p) +
                 " df=" + formatNumber(df));
  return boostCall("Student's t quantile", [&] { return boost::math::quantile(StudentT(df), p); });
}

double normalCdf(double z) {
  if (std::isnan(z)) return kNaN;
  return boostCall("normal CDF", [&] { return boost::math::cdf(Normal(), z); });
}

MeanCi meanCi(std::span<const double> values, double level) {
  RECO_CHECK(level > 0 && level < 1, ErrorKind::Internal,
             "confidence level must lie in (0, 1), got " + formatNumber(level));
  MeanCi out;
  double sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++out.n;
  }
  if (out.n == 0) {
    out.mean = out.ciLow = out.ciHigh = out.sd = kNaN;
    return out;
  }
  out.mean = sum / double(out.n);
  if (out.n < 2) {
    out.ciLow = out.ciHigh = out.sd = kNaN;
    return out;
  }
  // Two-pass variance: exact enough for metric values in [0, 1] over millions of users.
  double squares = 0;
  for (double v : values)
    if (!std::isnan(v)) squares += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(squares / double(out.n - 1));
  const double half =
      studentTQuantile(0.5 + level / 2, double(out.n - 1)) * out.sd / std::sqrt(double(out.n));
  out.ciLow = out.mean - half;
  out.ciHigh = out.mean + half;
  return out;
}

namespace {

std::vector<double> pairedDifferences(std::span<const double> a, std::span<const double> b) {
  RECO_CHECK(a.size() == b.size(), ErrorKind::Internal,
             "paired test needs samples of equal length, got " + std::to_string(a.size()) +
                 " and " + std::to_string(b.size()));
  std::vector<double> d;
  d.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!std::isnan(a[i]) && !std::isnan(b[i])) d.push_back(a[i] - b[i]);
  return d;
}

}  // namespace

TestResult pairedTTest(std::span<const double> a, std::span<const double> b) {
  const std::vector<double> d = pairedDifferences(a, b);
  TestResult out;
  out.method = "paired t-test";
  out.n = d.size();
  out.exact = true;
  if (d.size() < 2) return out;
  const MeanCi m = meanCi(d);
  if (m.sd == 0) {
    out.statistic = m.mean == 0 ? 0.0 : std::copysign(kInf, m.mean);
    out.pValue = m.mean == 0 ? 1.0 : 0.0;
    return out;
  }
  const double df = double(d.size() - 1);
  out.statistic = m.mean / (m.sd / std::sqrt(double(d.size())));
  out.pValue = incompleteBeta(df / 2, 0.5, df / (df + out.statistic * out.statistic));
  return out;
}

TestResult wilcoxonSignedRank(std::span<const double> a, std::span<const double> b) {
  std::vector<double> d = pairedDifferences(a, b);
  // Wilcoxon's method: zero differences are dropped before ranking.
  d.erase(std::remove(d.begin(), d.end(), 0.0), d.end());
  TestResult out;
  const std::size_t n = d.size();
  out.n = n;
  if (n == 0) {
    out.method = "Wilcoxon signed-rank (no non-zero differences)";
    out.exact = true;
    return out;
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t i, std::size_t j) { return std::fabs(d[i]) < std::fabs(d[j]); });
  // Average ranks over ties of |d|, kept doubled (2 * rank is an integer) for the exact DP.
  std::vector<long> doubledRank(n);
  double tieTerm = 0;  // sum over tie groups of t^3 - t
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && std::fabs(d[order[j]]) == std::fabs(d[order[i]])) ++j;
    const long doubled = long(i + 1 + j);  // 2 * average of ranks i+1 .. j
    for (std::size_t k = i; k < j; ++k) doubledRank[order[k]] = doubled;
    const double t = double(j - i);
    tieTerm += t * t * t - t;
    i = j;
  }
  long wPlus2 = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (d[i] > 0) wPlus2 += doubledRank[i];
  out.statistic = double(wPlus2) / 2;

  if (n <= 25) {
    // Exact permutation distribution of 2*W+: each rank carries + or - with probability 1/2.
    const long total2 = long(n * (n + 1));  // 2 * n(n+1)/2
    std::vector<double> counts(std::size_t(total2) + 1, 0.0);
    counts[0] = 1;
    long reach = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const long r = doubledRank[i];
      for (long s = reach; s >= 0; --s)
        if (counts[std::size_t(s)] != 0) counts[std::size_t(s + r)] += counts[std::size_t(s)];
      reach += r;
    }
    double below = 0, above = 0;  // P(2W+ <= w) and P(2W+ >= w), as counts
    for (long s = 0; s <= total2; ++s) {
      if (s <= wPlus2) below += counts[std::size_t(s)];
      if (s >= wPlus2) above += counts[std::size_t(s)];
    }
    const double all = std::ldexp(1.0, int(n));
    out.pValue = std::min(1.0, 2.0 * std::min(below, above) / all);
    out.exact = true;
    out.method = "Wilcoxon signed-rank (exact)";
    return out;
  }
  const double nn = double(n);
  const double mean = nn * (nn + 1) / 4;
  const double variance = nn * (nn + 1) * (2 * nn + 1) / 24 - tieTerm / 48;
  const double deviation = std::max(0.0, std::fabs(out.statistic - mean) - 0.5);
  const double z = variance > 0 ? deviation / std::sqrt(variance) : 0.0;
  out.pValue = std::min(1.0, 2.0 * normalCdf(-z));
  out.exact = false;
  out.method = "Wilcoxon signed-rank (normal approximation, tie and continuity corrected)";
  return out;
}

std::vector<double> holmAdjust(std::span<const double> pValues) {
  std::vector<double> adjusted(pValues.begin(), pValues.end());
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < pValues.size(); ++i)
    if (!std::isnan(pValues[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return pValues[i] < pValues[j]; });
  const double m = double(order.size());
  double running = 0;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const double scaled = std::min(1.0, (m - double(rank)) * pValues[order[rank]]);
    running = std::max(running, scaled);
    adjusted[order[rank]] = running;
  }
  return adjusted;
}

}  // namespace reco
