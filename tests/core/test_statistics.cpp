// Statistics of the Compare screen: special functions against closed forms and published
// tables, the paired t-test and the Wilcoxon signed-rank test against textbook examples and
// an independent brute-force enumeration, Holm's adjustment, t-based confidence intervals.
// EXPECT_NEAR's tolerances are absolute, as the worked values are given to so many places.

#include <cmath>
#include <limits>
#include <vector>

#include "core/common/error.h"
#include "core/eval/statistics.h"
#include "tests/support/gtest_support.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Statistics, LogGammaMatchesFactorials) {
  // Gamma(n) = (n-1)!, Gamma(1/2) = sqrt(pi).
  EXPECT_NEAR(reco::logGamma(1.0), 0.0, 1e-13);
  EXPECT_NEAR(reco::logGamma(5.0), std::log(24.0), 1e-13);
  EXPECT_NEAR(reco::logGamma(21.0), std::log(2432902008176640000.0), 1e-11);
  EXPECT_NEAR(reco::logGamma(0.5), 0.5 * std::log(M_PI), 1e-13);
  EXPECT_NEAR(reco::logGamma(0.1), std::lgamma(0.1), 1e-12);
  EXPECT_NEAR(reco::logGamma(1e6), std::lgamma(1e6), 1e-6);
}

TEST(Statistics, IncompleteBetaKnownValues) {
  // Integer a, b: I_x(a, b) = sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j).
  // I_0.4(2, 3) = C(4,2) .4^2 .6^2 + C(4,3) .4^3 .6 + .4^4 = .3456 + .1536 + .0256 = .5248.
  EXPECT_NEAR(reco::incompleteBeta(2, 3, 0.4), 0.5248, 1e-13);
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1-x)^b.
  EXPECT_NEAR(reco::incompleteBeta(1, 1, 0.37), 0.37, 1e-14);
  EXPECT_NEAR(reco::incompleteBeta(3, 1, 0.3), 0.027, 1e-14);
  EXPECT_NEAR(reco::incompleteBeta(1, 4, 0.2), 1 - std::pow(0.8, 4), 1e-14);
  // Symmetry: I_0.5(a, a) = 1/2.
  EXPECT_NEAR(reco::incompleteBeta(7.5, 7.5, 0.5), 0.5, 1e-13);
  // The arcsine law: I_x(1/2, 1/2) = (2/pi) asin(sqrt x); x = 1/4 gives 1/3.
  EXPECT_NEAR(reco::incompleteBeta(0.5, 0.5, 0.25), 1.0 / 3.0, 1e-13);
  // Reflection I_x(a, b) = 1 - I_{1-x}(b, a), with large a (a t-test on 10^6 users).
  EXPECT_NEAR(reco::incompleteBeta(5e5, 0.5, 0.999996) + reco::incompleteBeta(0.5, 5e5, 0.000004),
              1.0, 1e-10);
  EXPECT_CLOSE(reco::incompleteBeta(2, 3, 0.0), 0.0, 1e-12);
  EXPECT_CLOSE(reco::incompleteBeta(2, 3, 1.0), 1.0, 1e-12);
  EXPECT_THROW(reco::incompleteBeta(0, 1, 0.5), reco::Error);
  EXPECT_THROW(reco::incompleteBeta(1, 1, 1.5), reco::Error);
}

TEST(Statistics, StudentTDistribution) {
  // df = 1 is the Cauchy distribution: F(1) = 3/4; F(0) = 1/2 for every df.
  EXPECT_NEAR(reco::studentTCdf(1.0, 1), 0.75, 1e-13);
  EXPECT_NEAR(reco::studentTCdf(0.0, 7.3), 0.5, 1e-15);
  EXPECT_NEAR(reco::studentTCdf(-2.0, 5) + reco::studentTCdf(2.0, 5), 1.0, 1e-14);
  // Closed forms: df = 1, t_p = tan(pi (p - 1/2)); df = 2, t_p = (2p - 1) / sqrt(2 p (1-p)).
  EXPECT_NEAR(reco::studentTQuantile(0.975, 1), std::tan(M_PI * 0.475), 1e-9);
  EXPECT_NEAR(reco::studentTQuantile(0.975, 2), 0.95 / std::sqrt(2 * 0.975 * 0.025), 1e-9);
  EXPECT_NEAR(reco::studentTQuantile(0.9, 2), 0.8 / std::sqrt(2 * 0.9 * 0.1), 1e-9);
  // Published table values (any statistics textbook's t table, two-sided 95%).
  EXPECT_NEAR(reco::studentTQuantile(0.975, 1), 12.7062, 1e-4);
  EXPECT_NEAR(reco::studentTQuantile(0.975, 10), 2.2281, 1e-4);
  EXPECT_NEAR(reco::studentTQuantile(0.975, 100), 1.9840, 1e-4);
  EXPECT_NEAR(reco::studentTQuantile(0.975, 4), 2.7764, 1e-4);
  EXPECT_NEAR(reco::studentTQuantile(0.95, 5), 2.0150, 1e-4);
  EXPECT_NEAR(reco::studentTQuantile(0.995, 30), 2.7500, 1e-4);
  // More digits (R: qt(0.975, 10) = 2.228138851986274, qt(0.975, 100) = 1.983971518523552).
  EXPECT_NEAR(reco::studentTQuantile(0.975, 10), 2.228138851986274, 1e-6);
  EXPECT_NEAR(reco::studentTQuantile(0.975, 100), 1.983971518523552, 1e-6);
  // Large df tends to the normal quantile 1.959963984540054.
  EXPECT_NEAR(reco::studentTQuantile(0.975, 1e7), 1.959963984540054, 1e-6);
  EXPECT_NEAR(reco::studentTQuantile(0.025, 10), -2.228138851986274, 1e-6);
  // The quantile inverts the CDF.
  for (double df : {1.0, 3.0, 29.0, 1000.0})
    for (double p : {0.001, 0.2, 0.6, 0.999})
      EXPECT_NEAR(reco::studentTCdf(reco::studentTQuantile(p, df), df), p, 1e-12)
          << "df " << df << ", p " << p;
}

TEST(Statistics, MeanCiIsTBased) {
  // [1, 2, 3, 4, 5]: mean 3, sd = sqrt(10 / 4) = 1.5811388, t_{0.975,4} = 2.7764451,
  // half width = 2.7764451 * 1.5811388 / sqrt(5) = 1.9632432.
  const std::vector<double> values{1, 2, 3, 4, 5};
  const reco::MeanCi ci = reco::meanCi(values);
  EXPECT_EQ(ci.n, std::size_t(5));
  EXPECT_NEAR(ci.mean, 3.0, 1e-15);
  EXPECT_NEAR(ci.sd, std::sqrt(2.5), 1e-15);
  EXPECT_NEAR(ci.ciLow, 3.0 - 1.9632432, 1e-6);
  EXPECT_NEAR(ci.ciHigh, 3.0 + 1.9632432, 1e-6);
  // NaN values are skipped; fewer than two values leave the interval undefined.
  const std::vector<double> withNan{1, kNaN, 2, 3, 4, 5};
  EXPECT_CLOSE(reco::meanCi(withNan).ciLow, ci.ciLow, 1e-12);
  const std::vector<double> one{0.25};
  EXPECT_CLOSE(reco::meanCi(one).mean, 0.25, 1e-12);
  EXPECT_TRUE(std::isnan(reco::meanCi(one).ciLow));
  EXPECT_TRUE(std::isnan(reco::meanCi(std::vector<double>{}).mean));
}

TEST(Statistics, PairedTTestOnStudentsSleepData) {
  // Cushny & Peebles' sleep data as used by Student (1908) and R's `sleep` data set:
  // t.test(extra ~ group, data = sleep, paired = TRUE) gives t = -4.0621, df = 9,
  // p-value = 0.002833 (R documentation example, ?sleep).
  const std::vector<double> drug1{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  const std::vector<double> drug2{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
  const reco::TestResult r = reco::pairedTTest(drug1, drug2);
  EXPECT_EQ(r.n, std::size_t(10));
  EXPECT_NEAR(r.statistic, -4.0621, 1e-4);
  EXPECT_NEAR(r.pValue, 0.002833, 1e-6);
  // Swapping the samples flips t, not p.
  const reco::TestResult swapped = reco::pairedTTest(drug2, drug1);
  EXPECT_NEAR(swapped.statistic, 4.0621, 1e-4);
  EXPECT_NEAR(swapped.pValue, r.pValue, 1e-15);
  // Hand example: d = [1, 2, 3] -> mean 2, sd 1, t = 2 / (1 / sqrt 3) = 2 sqrt 3 with 2 df;
  // two-sided p = 1 - |t| / sqrt(2 + t^2) (df = 2 closed form) = 1 - 3.4641 / 3.7417.
  const std::vector<double> a{1, 2, 3}, zero{0, 0, 0};
  const reco::TestResult small = reco::pairedTTest(a, zero);
  EXPECT_NEAR(small.statistic, 2 * std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(small.pValue, 1 - 2 * std::sqrt(3.0) / std::sqrt(14.0), 1e-12);
  // Degenerate cases.
  EXPECT_CLOSE(reco::pairedTTest(zero, zero).pValue, 1.0, 1e-12);
  const std::vector<double> ones{1, 1, 1};
  EXPECT_CLOSE(reco::pairedTTest(ones, zero).pValue, 0.0, 1e-12);
  EXPECT_THROW(reco::pairedTTest(a, std::vector<double>{1, 2}), reco::Error);
}

TEST(Statistics, WilcoxonExactMatchesScipyExample) {
  // scipy.stats.wilcoxon documentation example (Darwin's plant heights as differences):
  // d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75], no ties, no zeros.
  // The negative differences have ranks 10 and 14, so W- = 24 and W+ = 120 - 24 = 96;
  // scipy reports statistic = min(W+, W-) = 24 and the exact two-sided p-value
  // 0.041259765625 (= 2 * 676 / 2^15).
  const std::vector<double> d{6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};
  const std::vector<double> zeros(d.size(), 0.0);
  const reco::TestResult r = reco::wilcoxonSignedRank(d, zeros);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.n, std::size_t(15));
  EXPECT_CLOSE(r.statistic, 96.0, 1e-12);
  EXPECT_NEAR(r.pValue, 0.041259765625, 1e-15);
  // Five positive differences: P(W+ >= 15) = 1/32, two-sided p = 2/32.
  const std::vector<double> five{1, 2, 3, 4, 5};
  EXPECT_NEAR(reco::wilcoxonSignedRank(five, std::vector<double>(5, 0.0)).pValue, 0.0625, 1e-15);
}

TEST(Statistics, WilcoxonExactWithTiesAndZerosMatchesEnumeration) {
  // Zeros are dropped (Wilcoxon's method) and tied |d| share their average rank; the exact
  // p-value is the share of the 2^n sign patterns whose W+ is at least as extreme.
  const std::vector<double> d{0.5, -0.5, 1, 1, 1, -2, 3, 0, 3.5, 3.5, 0, 4};
  const std::vector<double> zeros(d.size(), 0.0);
  const reco::TestResult r = reco::wilcoxonSignedRank(d, zeros);
  EXPECT_EQ(r.n, std::size_t(10));
  // Ranks by |d|: 0.5, 0.5 -> 1.5 each; 1, 1, 1 -> 4 each; 2 -> 6; 3 -> 7; 3.5, 3.5 -> 8.5;
  // 4 -> 10. W+ = 1.5 + 4 * 3 + 7 + 8.5 * 2 + 10 = 47.5.
  EXPECT_CLOSE(r.statistic, 47.5, 1e-12);
  const std::vector<double> ranks{1.5, 1.5, 4, 4, 4, 6, 7, 8.5, 8.5, 10};
  double below = 0, above = 0;
  for (unsigned mask = 0; mask < (1u << 10); ++mask) {
    double w = 0;
    for (int i = 0; i < 10; ++i)
      if (mask & (1u << i)) w += ranks[std::size_t(i)];
    if (w <= 47.5) below += 1;
    if (w >= 47.5) above += 1;
  }
  EXPECT_NEAR(r.pValue, std::min(1.0, 2 * std::min(below, above) / 1024.0), 1e-15);
  EXPECT_TRUE(r.exact);
}

TEST(Statistics, WilcoxonNormalApproximationForLargeN) {
  // d = -1..-10, 11..30 (n = 30, no ties): W- = 55, W+ = 465 - 55 = 410; mean 30*31/4 =
  // 232.5, variance 30*31*61/24 = 2363.75; continuity-corrected z = (177.5 - 0.5) /
  // sqrt(2363.75) = 3.64059; p = 2 (1 - Phi(z)) = 0.000272 (by hand from a normal table).
  std::vector<double> d;
  for (int i = 1; i <= 30; ++i) d.push_back(i <= 10 ? -i : i);
  const reco::TestResult r = reco::wilcoxonSignedRank(d, std::vector<double>(30, 0.0));
  EXPECT_FALSE(r.exact);
  EXPECT_CLOSE(r.statistic, 410.0, 1e-12);
  const double z = 177.0 / std::sqrt(2363.75);
  EXPECT_NEAR(r.pValue, std::erfc(z / std::sqrt(2.0)), 1e-14);
  EXPECT_NEAR(r.pValue, 0.000272, 2e-6);
  // Tie correction: 13 x (+1), 13 x (-1) and one +2 (n = 27). The 26 ones share rank
  // (1 + 26) / 2 = 13.5, the two has rank 27: W+ = 13 * 13.5 + 27 = 202.5; mean 27*28/4 = 189;
  // variance 27*28*55/24 - (26^3 - 26)/48 = 1732.5 - 365.625 = 1366.875;
  // z = (13.5 - 0.5) / sqrt(1366.875).
  std::vector<double> tied;
  for (int i = 0; i < 13; ++i) {
    tied.push_back(1);
    tied.push_back(-1);
  }
  tied.push_back(2);
  const reco::TestResult t = reco::wilcoxonSignedRank(tied, std::vector<double>(27, 0.0));
  EXPECT_CLOSE(t.statistic, 202.5, 1e-12);
  EXPECT_NEAR(t.pValue, std::erfc(13.0 / std::sqrt(1366.875) / std::sqrt(2.0)), 1e-14);
  // No non-zero difference: nothing to test.
  EXPECT_CLOSE(
      reco::wilcoxonSignedRank(std::vector<double>(4, 1.0), std::vector<double>(4, 1.0)).pValue,
      1.0, 1e-12);
}

TEST(Statistics, HolmAdjustment) {
  // p = [0.01, 0.04, 0.03, 0.005], m = 4. Sorted: 0.005 * 4 = 0.02; 0.01 * 3 = 0.03;
  // 0.03 * 2 = 0.06; 0.04 * 1 = 0.04 -> raised to 0.06 (monotone).
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adjusted = reco::holmAdjust(p);
  const std::vector<double> expected{0.03, 0.06, 0.06, 0.02};
  for (std::size_t i = 0; i < p.size(); ++i)
    EXPECT_NEAR(adjusted[i], expected[i], 1e-15) << "p-value " << i;
  // Capped at 1; NaN stays NaN and does not count in m (m = 2 here).
  const std::vector<double> q{0.6, kNaN, 0.2};
  const std::vector<double> adjustedQ = reco::holmAdjust(q);
  EXPECT_NEAR(adjustedQ[2], 0.4, 1e-15);
  EXPECT_NEAR(adjustedQ[0], 0.6, 1e-15);
  EXPECT_TRUE(std::isnan(adjustedQ[1]));
  const std::vector<double> big{0.5, 0.7};
  EXPECT_CLOSE(reco::holmAdjust(big)[0], 1.0, 1e-12);
  EXPECT_CLOSE(reco::holmAdjust(big)[1], 1.0, 1e-12);
}

}  // namespace
