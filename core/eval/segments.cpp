#include "core/eval/segments.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/data/sparse_matrix.h"
#include "core/data/training_data.h"

namespace reco {
namespace {

MetricSummary summarise(std::string name, std::span<const double> values) {
  const MeanCi ci = meanCi(values);
  return {std::move(name), ci.mean, ci.ciLow, ci.ciHigh, ci.n};
}

}  // namespace

std::vector<Segment> segmentUsers(const TrainingData& train, std::span<const UserIndex> users,
                                  int coldMax) {
  std::vector<std::int32_t> trainCounts(std::size_t(train.userItems.rows()));
  for (std::int32_t u = 0; u < train.userItems.rows(); ++u)
    trainCounts[std::size_t(u)] = std::int32_t(train.userItems.rowSize(u));
  return segmentUsers(trainCounts, users, coldMax);
}

std::vector<Segment> segmentUsers(std::span<const std::int32_t> trainCounts,
                                  std::span<const UserIndex> users, int coldMax) {
  std::vector<std::int64_t> counts(users.size());
  for (std::size_t r = 0; r < users.size(); ++r) {
    const std::int32_t u = users[r].value;
    RECO_CHECK(u >= 0 && std::size_t(u) < trainCounts.size(), ErrorKind::Internal,
               "user " + std::to_string(u) + " outside the training data");
    counts[r] = trainCounts[std::size_t(u)];
  }
  std::vector<Segment> segments;
  if (users.empty()) return segments;
  std::vector<std::int64_t> sorted = counts;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  std::int64_t cuts[3];
  for (int j = 1; j <= 3; ++j) {
    const std::size_t rank = (std::size_t(j) * n + 3) / 4;  // ceil(j n / 4), 1-based
    cuts[j - 1] = sorted[std::max<std::size_t>(rank, 1) - 1];
  }
  std::vector<Segment> buckets(4);
  std::vector<std::int64_t> low(4, std::numeric_limits<std::int64_t>::max()), high(4, -1);
  for (std::size_t r = 0; r < users.size(); ++r) {
    const std::int64_t c = counts[r];
    const int b = c <= cuts[0] ? 0 : c <= cuts[1] ? 1 : c <= cuts[2] ? 2 : 3;
    buckets[std::size_t(b)].rows.push_back(r);
    low[std::size_t(b)] = std::min(low[std::size_t(b)], c);
    high[std::size_t(b)] = std::max(high[std::size_t(b)], c);
  }
  for (std::size_t b = 0; b < 4; ++b) {
    if (buckets[b].rows.empty()) continue;
    buckets[b].group = "activity";
    buckets[b].name = "activity Q" + std::to_string(b + 1) + " (" + std::to_string(low[b]) +
                      (low[b] == high[b] ? "" : "-" + std::to_string(high[b])) + " interactions)";
    segments.push_back(std::move(buckets[b]));
  }
  Segment cold;
  cold.group = "cold";
  cold.name = "cold users (<= " + std::to_string(coldMax) + " interactions)";
  for (std::size_t r = 0; r < users.size(); ++r)
    if (counts[r] <= coldMax) cold.rows.push_back(r);
  if (!cold.rows.empty()) segments.push_back(std::move(cold));
  return segments;
}

std::vector<SegmentSummary> aggregateSegments(const EvalResult& result,
                                              std::span<const Segment> segments) {
  std::vector<SegmentSummary> out;
  std::vector<double> values;
  for (const Segment& segment : segments) {
    SegmentSummary summary{segment.name, segment.group, segment.rows.size(), {}};
    for (std::size_t m = 0; m < result.metricNames.size(); ++m) {
      const auto column = result.column(m);
      values.clear();
      for (std::size_t r : segment.rows) {
        RECO_CHECK(r < column.size(), ErrorKind::Internal,
                   "segment '" + segment.name + "' has row " + std::to_string(r) +
                       " beyond the result's " + std::to_string(column.size()) + " users");
        values.push_back(column[r]);
      }
      summary.metrics.push_back(summarise(result.metricNames[m], values));
    }
    out.push_back(std::move(summary));
  }
  return out;
}

ItemPopularitySplit splitHeadTail(const TrainingData& train, double headShare) {
  RECO_CHECK(headShare > 0 && headShare < 1, ErrorKind::Config,
             "head share must lie in (0, 1), got " + formatNumber(headShare));
  const std::vector<std::int32_t> popularity = itemPopularity(train);
  ItemPopularitySplit split;
  split.headShare = headShare;
  split.isHead.assign(popularity.size(), 0);
  std::vector<std::int32_t> order(popularity.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    if (popularity[std::size_t(a)] != popularity[std::size_t(b)])
      return popularity[std::size_t(a)] > popularity[std::size_t(b)];
    return a < b;
  });
  const double total = std::accumulate(popularity.begin(), popularity.end(), 0.0);
  if (total == 0) return split;
  double cumulative = 0;
  for (std::int32_t item : order) {
    if (cumulative / total >= headShare) break;
    cumulative += popularity[std::size_t(item)];
    split.isHead[std::size_t(item)] = 1;
    ++split.headItems;
  }
  split.headInteractions = cumulative / total;
  return split;
}

std::vector<double> recallOnItems(const EvalResult& result, const TrainingData& train,
                                  const CsrMatrix& test, int k, std::span<const char> mask) {
  const int maxK = result.ks.empty() ? 0 : *std::max_element(result.ks.begin(), result.ks.end());
  RECO_CHECK(k > 0 && k <= maxK, ErrorKind::Internal,
             "recall@" + std::to_string(k) + " needs stored lists of at least K items; they hold " +
                 std::to_string(maxK));
  RECO_CHECK(mask.size() == std::size_t(test.cols()), ErrorKind::Internal,
             "item mask has " + std::to_string(mask.size()) + " entries, expected " +
                 std::to_string(test.cols()));
  std::vector<double> out(result.users.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::int32_t> relevant;
  for (std::size_t r = 0; r < result.users.size(); ++r) {
    const std::int32_t u = result.users[r].value;
    const auto trainCols = train.userItems.rowCols(u);
    relevant.clear();
    for (std::int32_t i : test.rowCols(u))
      if (mask[std::size_t(i)] && !std::binary_search(trainCols.begin(), trainCols.end(), i))
        relevant.push_back(i);
    if (relevant.empty()) continue;
    const auto top = result.topFor(r);
    const std::size_t depth = std::min(top.size(), std::size_t(k));
    double hits = 0;
    for (std::size_t i = 0; i < depth; ++i)
      if (std::binary_search(relevant.begin(), relevant.end(), top[i].item.value)) hits += 1;
    out[r] = hits / double(relevant.size());
  }
  return out;
}

HeadTailRecall headTailRecall(const EvalResult& result, const TrainingData& train,
                              const CsrMatrix& test, int k, const ItemPopularitySplit& split) {
  HeadTailRecall out;
  std::vector<char> tail(split.isHead.size());
  for (std::size_t i = 0; i < tail.size(); ++i) tail[i] = split.isHead[i] ? 0 : 1;
  out.head = recallOnItems(result, train, test, k, split.isHead);
  out.tail = recallOnItems(result, train, test, k, tail);
  out.headSummary = summarise(metricName("recall_head", k), out.head);
  out.tailSummary = summarise(metricName("recall_tail", k), out.tail);
  return out;
}

}  // namespace reco
