#include "core/eval/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace reco {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The continued fraction of I_x(a, b) (Numerical Recipes' betacf), evaluated with the
// modified Lentz method; converges quickly for x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  // About sqrt(max(a, b)) iterations are needed; the cap is generous.
  const int maxIterations = 1000 + int(20.0 * std::sqrt(std::max(a, b)));
  for (int m = 1; m <= maxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEps) return h;
  }
  throw Error(ErrorKind::Internal, "incomplete beta: continued fraction did not converge for a=" +
                                       formatNumber(a) + " b=" + formatNumber(b) +
                                       " x=" + formatNumber(x));
}

// Density of Student's t.
double studentTPdf(double t, double df) {
  const double logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * std::log(df * M_PI);
  return std::exp(logC - (df + 1) / 2 * std::log1p(t * t / df));
}

// Acklam's rational approximation of the standard normal quantile (relative error 1.15e-9),
// used only as the starting point of the Newton iteration for t quantiles.
double normalQuantileApprox(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double pLow = 0.02425;
  if (p < pLow) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantileApprox(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

}  // namespace

double logGamma(double x) {
  RECO_CHECK(x > 0, ErrorKind::Internal, "logGamma needs x > 0, got " + formatNumber(x));
  static const double coefficients[] = {0.99999999999980993,  676.5203681218851,
                                        -1259.1392167224028,  771.32342877765313,
                                        -176.61502916214059,  12.507343278686905,
                                        -0.13857109526572012, 9.9843695780195716e-6,
                                        1.5056327351493116e-7};
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return std::log(M_PI / std::sin(M_PI * x)) - logGamma(1.0 - x);
  }
  x -= 1.0;
  double sum = coefficients[0];
  for (int i = 1; i < 9; ++i) sum += coefficients[i] / (x + i);
  const double t = x + 7.5;
  return 0.5 * std::log(2 * M_PI) + (x + 0.5) * std::log(t) - t + std::log(sum);
}

double incompleteBeta(double a, double b, double x) {
  RECO_CHECK(a > 0 && b > 0 && x >= 0 && x <= 1, ErrorKind::Internal,
             "incomplete beta needs a > 0, b > 0, 0 <= x <= 1; got a=" + formatNumber(a) +
                 " b=" + formatNumber(b) + " x=" + formatNumber(x));
  if (x == 0) return 0;
  if (x == 1) return 1;
  const double logFront =
      logGamma(a + b) - logGamma(a) - logGamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(a, b, x) / a;
  return 1.0 - front * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double studentTCdf(double t, double df) {
  RECO_CHECK(df > 0, ErrorKind::Internal, "Student's t needs df > 0, got " + formatNumber(df));
  if (std::isnan(t)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2).
  const double tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1.0 - tail : tail;
}

double studentTQuantile(double p, double df) {
  RECO_CHECK(p > 0 && p < 1 && df > 0, ErrorKind::Internal,
             "t quantile needs 0 < p < 1 and df > 0; got p=" + formatNumber(p) +
                 " df=" + formatNumber(df));
  if (p == 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bracket [lo, hi] with cdf(lo) < p <= cdf(hi), then Newton steps that stay inside it.
  double lo = 0, hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return kInf;
  }
  double x = std::clamp(normalQuantileApprox(p), lo, hi);
  for (int i = 0; i < 200; ++i) {
    const double f = studentTCdf(x, df) - p;
    if (f < 0) lo = x; else hi = x;
    const double pdf = studentTPdf(x, df);
    double next = pdf > 0 ? x - f / pdf : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 1e-12 * std::max(1.0, std::fabs(x))) return next;
    x = next;
  }
  return x;
}

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

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
  const double half = studentTQuantile(0.5 + level / 2, double(out.n - 1)) * out.sd /
                      std::sqrt(double(out.n));
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
