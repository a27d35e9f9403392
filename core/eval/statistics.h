#pragma once
/// The statistics behind the Compare screen: means with t-based confidence intervals, paired
/// significance tests on per-user metric values, Holm's correction, and the special functions
/// they rest on (thin wrappers of Boost.Math, whose errors become reco::Error: see below).
/// All functions are pure and thread-safe.
///
/// NaN convention: a NaN value means "undefined for this user" (e.g. AUC of a user with no
/// negative items, head-item recall of a user without head test items). meanCi() skips NaN
/// values; the paired tests drop pairs where either side is NaN.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace reco {

// ---- special functions -------------------------------------------------------------------

// A parameter outside its domain is a bug of the caller: Error(Internal), as is a series that
// does not converge. Boost's own exceptions never escape. Results are close to double
// precision (Boost.Math computes in long double and documents its errors in ulp).

/// ln Gamma(x) for x > 0. Unlike std::lgamma it writes no global (signgam), so it is safe to
/// call from several threads.
double logGamma(double x);

/// The regularized incomplete beta function I_x(a, b), a > 0, b > 0, 0 <= x <= 1.
/// Throws Internal on arguments outside the domain.
double incompleteBeta(double a, double b, double x);

/// P(T <= t) for Student's t with df > 0 degrees of freedom (df may be fractional or huge);
/// t = ±inf gives 1 or 0, t = NaN gives NaN. Throws Internal for df <= 0 or NaN.
double studentTCdf(double t, double df);

/// The p-quantile of Student's t with df > 0 degrees of freedom, 0 < p < 1 (Internal
/// otherwise); +inf where it exceeds the largest double.
double studentTQuantile(double p, double df);

/// P(Z <= z) for the standard normal; NaN for NaN.
double normalCdf(double z);

// ---- summaries and tests -----------------------------------------------------------------

/// A mean with its t-based confidence interval: mean ± t_{(1+level)/2, n-1} * sd / sqrt(n),
/// sd the sample standard deviation (n - 1 in the denominator). With n < 2 the interval is
/// undefined and ciLow/ciHigh are NaN (the JSON writer writes null); with n = 0 the mean is
/// NaN too.
struct MeanCi {
  double mean = 0;
  double ciLow = 0;
  double ciHigh = 0;
  double sd = 0;
  std::size_t n = 0;  ///< values that entered (NaN values are skipped)
};

/// Summation is in the order given, so equal inputs give bit-identical results.
MeanCi meanCi(std::span<const double> values, double level = 0.95);

struct TestResult {
  double statistic = 0;  ///< t for the t-test; W+ (sum of positive ranks, R's "V") for Wilcoxon
  double pValue = 1;     ///< two-sided
  std::size_t n = 0;     ///< pairs used (Wilcoxon: non-zero differences)
  bool exact = false;    ///< Wilcoxon: exact distribution (true) or normal approximation
  std::string method;    ///< "paired t-test", "Wilcoxon signed-rank (exact)", ...
};

/// Paired two-sided t-test of mean(a - b) = 0 with n - 1 degrees of freedom. a and b must
/// have the same length (Internal otherwise). Degenerate cases: fewer than 2 pairs give
/// p = 1 (nothing to test); all differences equal and non-zero give t = ±inf, p = 0; all
/// differences zero give t = 0, p = 1.
TestResult pairedTTest(std::span<const double> a, std::span<const double> b);

/// Two-sided Wilcoxon signed-rank test of d = a - b. Zero differences are dropped (Wilcoxon's
/// original method, scipy's zero_method="wilcox"); tied |d| get their average rank. For
/// n <= 25 remaining differences the p-value is exact: the permutation distribution of W+
/// over all 2^n sign patterns of the observed ranks (average ranks included, so it stays
/// exact under ties), p = min(1, 2 * min(P(W+ <= w), P(W+ >= w))). For n > 25 it is the normal
/// approximation with mean n(n+1)/4, variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over tie
/// groups of size t, and a continuity correction of 1/2. n = 0 gives p = 1.
TestResult wilcoxonSignedRank(std::span<const double> a, std::span<const double> b);

/// Holm-Bonferroni adjusted p-values, in the order given: sort ascending, adjusted
/// p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)) (so they are monotone in the raw order).
/// NaN entries stay NaN and do not count in m.
std::vector<double> holmAdjust(std::span<const double> pValues);

}  // namespace reco
