#include "core/stats/dataset_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace reco {

namespace {
// numpy.quantile's default ("linear"): position q*(n-1) between the order statistics.
double quantile(const std::vector<std::int64_t>& sorted, double q) {
  const double pos = q * double(sorted.size() - 1);
  const auto lo = std::size_t(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - double(lo);
  return double(sorted[lo]) + (double(sorted[hi]) - double(sorted[lo])) * frac;
}
}  // namespace

CountSummary summarizeCounts(std::vector<std::int64_t>& counts) {
  CountSummary s;
  if (counts.empty()) return s;
  std::sort(counts.begin(), counts.end());
  s.min = double(counts.front());
  s.max = double(counts.back());
  s.q25 = quantile(counts, 0.25);
  s.median = quantile(counts, 0.5);
  s.q75 = quantile(counts, 0.75);
  s.q90 = quantile(counts, 0.90);
  s.q99 = quantile(counts, 0.99);
  s.mean = double(std::accumulate(counts.begin(), counts.end(), std::int64_t{0})) /
           double(counts.size());
  return s;
}

}  // namespace reco
