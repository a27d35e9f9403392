#include "core/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/top_selection.h"

namespace reco {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::string metricName(std::string_view family, int k) {
  return std::string(family) + "@" + std::to_string(k);
}

double dcgDiscount(std::size_t rank) {
  return 1.0 / std::log2(double(rank) + 1.0);
}

RankingValues rankingMetrics(std::span<const char> relevant, std::size_t relevantCount, int k) {
  RECO_CHECK(k > 0, ErrorKind::Internal, "ranking metrics need K > 0, got " + std::to_string(k));
  RECO_CHECK(relevantCount > 0, ErrorKind::Internal,
             "ranking metrics need at least one relevant item");
  RankingValues v;
  const std::size_t depth = std::min(std::size_t(k), relevant.size());
  double hits = 0, dcg = 0, apSum = 0;
  for (std::size_t i = 0; i < depth; ++i) {
    if (!relevant[i]) continue;
    hits += 1;
    dcg += dcgDiscount(i + 1);
    apSum += hits / double(i + 1);  // P@(i+1) * rel_(i+1)
    if (v.mrr == 0) v.mrr = 1.0 / double(i + 1);
  }
  const std::size_t idealCount = std::min(relevantCount, std::size_t(k));
  double idcg = 0;
  for (std::size_t i = 1; i <= idealCount; ++i) idcg += dcgDiscount(i);
  v.precision = hits / double(k);
  v.recall = hits / double(relevantCount);
  v.ndcg = dcg / idcg;
  v.map = apSum / double(idealCount);
  v.hit = hits > 0 ? 1.0 : 0.0;
  return v;
}

RankingValues rankingMetrics(std::span<const ItemIndex> ranked, std::span<const ItemIndex> relevant,
                             int k) {
  std::vector<ItemIndex> sorted(relevant.begin(), relevant.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<char> flags(ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i)
    flags[i] = std::binary_search(sorted.begin(), sorted.end(), ranked[i]) ? 1 : 0;
  return rankingMetrics(flags, sorted.size(), k);
}

void AucAccumulator::reset(std::span<const float> positiveScores) {
  positives_.assign(positiveScores.begin(), positiveScores.end());
  for (float& s : positives_) s = nanAsLowest(s);
  std::sort(positives_.begin(), positives_.end());
  wins2_ = 0;
  negatives_ = 0;
}

void AucAccumulator::addNegative(float score) {
  score = nanAsLowest(score);
  // Positives above the negative win; equal ones tie.
  const auto lower = std::lower_bound(positives_.begin(), positives_.end(), score);
  const auto upper = std::upper_bound(lower, positives_.end(), score);
  wins2_ += 2 * std::uint64_t(positives_.end() - upper) + std::uint64_t(upper - lower);
  ++negatives_;
}

void AucAccumulator::addNegatives(std::span<const float> scores) {
  constexpr std::size_t kLinearPositives = 64;
  if (positives_.size() > kLinearPositives) {
    for (float s : scores) addNegative(s);
    return;
  }
  // One branch-free (vectorisable) pass over the negatives per positive: far cheaper than a
  // mispredicted binary search per negative when there are few positives. A NaN negative
  // counts as -inf: every compare with it is false, so NaNs are counted apart and scored
  // as -inf afterwards. Blocks keep the 32-bit counters far from overflow.
  constexpr std::size_t kBlock = std::size_t(1) << 30;
  const float* neg = scores.data();
  const std::size_t n = scores.size();
  // NaN negatives count as -infinity: counted once, then below every positive but tying
  // with a positive at -infinity.
  std::int64_t nans = 0, below = 0, ties = 0;
  for (std::size_t start = 0; start < n; start += kBlock)
    nans += countNans(neg + start, std::min(n, start + kBlock) - start);
  constexpr float kLowest = -std::numeric_limits<float>::infinity();
  for (float p : positives_) {  // never NaN here: reset() made them -inf
    for (std::size_t start = 0; start < n; start += kBlock)
      countBelowAndTies(p, neg + start, std::min(n, start + kBlock) - start, below, ties);
    (p > kLowest ? below : ties) += nans;
  }
  const auto wins2 = std::uint64_t(2 * below + ties);
  wins2_ += wins2;
  negatives_ += scores.size();
}

void AucAccumulator::removeNegatives(std::span<const float> scores) {
  for (float score : scores) {
    score = nanAsLowest(score);
    const auto lower = std::lower_bound(positives_.begin(), positives_.end(), score);
    const auto upper = std::upper_bound(lower, positives_.end(), score);
    const std::uint64_t wins2 =
        2 * std::uint64_t(positives_.end() - upper) + std::uint64_t(upper - lower);
    RECO_CHECK(wins2 <= wins2_ && negatives_ > 0, ErrorKind::Internal,
               "AUC: a negative removed that was never added");
    wins2_ -= wins2;
    --negatives_;
  }
}

double AucAccumulator::value() const {
  if (positives_.empty() || negatives_ == 0) return kNaN;
  return double(wins2_) / (2.0 * double(positives_.size()) * double(negatives_));
}

double auc(std::span<const float> positiveScores, std::span<const float> negativeScores) {
  AucAccumulator acc(positiveScores);
  for (float s : negativeScores) acc.addNegative(s);
  return acc.value();
}

RatingErrors ratingErrors(std::span<const float> predicted, std::span<const float> actual) {
  RECO_CHECK(predicted.size() == actual.size(), ErrorKind::Internal,
             "rating errors need equal lengths, got " + std::to_string(predicted.size()) +
                 " predictions and " + std::to_string(actual.size()) + " ratings");
  RatingErrors e;
  e.n = predicted.size();
  if (e.n == 0) {
    e.rmse = e.mae = kNaN;
    return e;
  }
  double squares = 0, absolutes = 0;
  for (std::size_t i = 0; i < e.n; ++i) {
    const double diff = double(predicted[i]) - double(actual[i]);
    squares += diff * diff;
    absolutes += std::fabs(diff);
  }
  e.rmse = std::sqrt(squares / double(e.n));
  e.mae = absolutes / double(e.n);
  return e;
}

double giniIndex(std::span<const double> counts) {
  std::vector<double> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end());
  const double n = double(sorted.size());
  double total = 0, weighted = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    total += sorted[i];
    weighted += (2.0 * double(i + 1) - n - 1.0) * sorted[i];
  }
  if (total == 0) return kNaN;
  return weighted / (n * total);
}

std::vector<std::int32_t> itemPopularity(const TrainingData& train) {
  std::vector<std::int32_t> popularity(std::size_t(std::max(train.itemCount, 0)), 0);
  for (std::int32_t item : train.userItems.colIndex())
    if (item >= 0 && item < train.itemCount) ++popularity[std::size_t(item)];
  return popularity;
}

CatalogueAccumulator::CatalogueAccumulator(const TrainingData& train, std::vector<int> ks,
                                           std::span<const float> embeddings, std::size_t dimension)
    : ks_(std::move(ks)), userCount_(train.userCount), popularity_(itemPopularity(train)) {
  const std::size_t items = popularity_.size();
  RECO_CHECK(embeddings.empty() || (dimension > 0 && embeddings.size() == items * dimension),
             ErrorKind::Internal,
             "item embeddings must hold itemCount x dimension = " + std::to_string(items) + " x " +
                 std::to_string(dimension) + " floats, got " + std::to_string(embeddings.size()));
  selfInformation_.resize(items);
  for (std::size_t i = 0; i < items; ++i) {
    const double p = popularity_[i] > 0 ? double(popularity_[i]) / double(userCount_)
                                        : 1.0 / (double(userCount_) + 1.0);
    selfInformation_[i] = -std::log2(p);
  }
  if (train.itemCategory.size() == items) {
    category_ = train.itemCategory;
    std::int32_t maxCategory = -1;
    for (std::int32_t c : category_) maxCategory = std::max(maxCategory, c);
    hasCategories_ = maxCategory >= 0;
    categoryCount_.assign(std::size_t(maxCategory + 1), 0);
  }
  if (!embeddings.empty()) {
    dimension_ = dimension;
    unitEmbeddings_.assign(embeddings.begin(), embeddings.end());
    for (std::size_t i = 0; i < items; ++i) {
      float* row = unitEmbeddings_.data() + i * dimension;
      double norm2 = 0;
      for (std::size_t d = 0; d < dimension; ++d) norm2 += double(row[d]) * double(row[d]);
      const double scale = norm2 > 0 ? 1.0 / std::sqrt(norm2) : 0.0;
      for (std::size_t d = 0; d < dimension; ++d) row[d] = float(double(row[d]) * scale);
    }
    embeddingSum_.assign(dimension, 0.0);
  }
  const std::size_t nk = ks_.size();
  counts_.assign(nk, std::vector<double>(items, 0.0));
  slots_.assign(nk, 0);
  noveltySum_.assign(nk, 0);
  popularitySum_.assign(nk, 0);
  ildCategorySum_.assign(nk, 0);
  ildEmbeddingSum_.assign(nk, 0);
  ildCategoryLists_.assign(nk, 0);
  ildEmbeddingLists_.assign(nk, 0);
}

void CatalogueAccumulator::add(std::span<const ItemIndex> ranked) {
  itemsScratch_.clear();
  for (ItemIndex item : ranked) itemsScratch_.push_back(item.value);
  addItems(itemsScratch_);
}

void CatalogueAccumulator::add(std::span<const ScoredItem> ranked) {
  itemsScratch_.clear();
  for (const ScoredItem& s : ranked) itemsScratch_.push_back(s.item.value);
  addItems(itemsScratch_);
}

void CatalogueAccumulator::addItems(std::span<const std::int32_t> items) {
  const std::size_t itemCount = popularity_.size();
  for (std::int32_t item : items)
    RECO_CHECK(item >= 0 && std::size_t(item) < itemCount, ErrorKind::Internal,
               "recommended item " + std::to_string(item) + " out of range [0, " +
                   std::to_string(itemCount) + ")");
  for (std::size_t ki = 0; ki < ks_.size(); ++ki) {
    const std::size_t depth = std::min(items.size(), std::size_t(ks_[ki]));
    for (std::size_t i = 0; i < depth; ++i) {
      const auto item = std::size_t(items[i]);
      counts_[ki][item] += 1;
      noveltySum_[ki] += selfInformation_[item];
      popularitySum_[ki] += double(popularity_[item]);
    }
    slots_[ki] += double(depth);
  }

  // Intra-list diversity, growing the prefix once and reading it off at each K.
  if (hasCategories_) {
    double samePairs = 0, knownItems = 0;
    std::size_t next = 0;
    for (std::size_t ki = 0; ki < ks_.size(); ++ki) {
      const std::size_t depth = std::min(items.size(), std::size_t(ks_[ki]));
      for (; next < depth; ++next) {
        const std::int32_t c = category_[std::size_t(items[next])];
        if (c < 0) continue;
        samePairs += categoryCount_[std::size_t(c)]++;
        knownItems += 1;
      }
      // Prefixes may shrink when ks are not ascending; recount in that rare case.
      if (next > depth) {
        std::fill(categoryCount_.begin(), categoryCount_.end(), 0);
        samePairs = knownItems = 0;
        for (next = 0; next < depth; ++next) {
          const std::int32_t c = category_[std::size_t(items[next])];
          if (c < 0) continue;
          samePairs += categoryCount_[std::size_t(c)]++;
          knownItems += 1;
        }
      }
      const double pairs = knownItems * (knownItems - 1) / 2;
      if (pairs > 0) {
        ildCategorySum_[ki] += 1.0 - samePairs / pairs;
        ++ildCategoryLists_[ki];
      }
    }
    for (std::size_t i = 0; i < next; ++i) {
      const std::int32_t c = category_[std::size_t(items[i])];
      if (c >= 0) categoryCount_[std::size_t(c)] = 0;
    }
  }
  if (dimension_ > 0) {
    for (std::size_t ki = 0; ki < ks_.size(); ++ki) {
      const std::size_t depth = std::min(items.size(), std::size_t(ks_[ki]));
      if (depth < 2) continue;
      std::fill(embeddingSum_.begin(), embeddingSum_.end(), 0.0);
      double normSum = 0;  // sum of |u|^2: 1 per non-zero row
      for (std::size_t i = 0; i < depth; ++i) {
        const float* row = unitEmbeddings_.data() + std::size_t(items[i]) * dimension_;
        double norm2 = 0;
        for (std::size_t d = 0; d < dimension_; ++d) {
          embeddingSum_[d] += row[d];
          norm2 += double(row[d]) * double(row[d]);
        }
        normSum += norm2;
      }
      double sum2 = 0;
      for (double s : embeddingSum_) sum2 += s * s;
      const double pairs = double(depth) * double(depth - 1) / 2;
      const double cosineSum = (sum2 - normSum) / 2;
      ildEmbeddingSum_[ki] += 1.0 - cosineSum / pairs;
      ++ildEmbeddingLists_[ki];
    }
  }
}

std::vector<std::pair<std::string, double>> CatalogueAccumulator::metrics() const {
  std::vector<std::pair<std::string, double>> out;
  const double itemCount = double(popularity_.size());
  for (std::size_t ki = 0; ki < ks_.size(); ++ki) {
    const int k = ks_[ki];
    double distinct = 0;
    for (double c : counts_[ki])
      if (c > 0) distinct += 1;
    const double slots = slots_[ki];
    out.emplace_back(metricName("coverage", k), itemCount > 0 ? distinct / itemCount : kNaN);
    out.emplace_back(metricName("novelty", k), slots > 0 ? noveltySum_[ki] / slots : kNaN);
    out.emplace_back(metricName("gini", k), giniIndex(counts_[ki]));
    out.emplace_back(metricName("avg_popularity", k),
                     slots > 0 ? popularitySum_[ki] / slots : kNaN);
    if (hasCategories_)
      out.emplace_back(
          metricName("ild_category", k),
          ildCategoryLists_[ki] > 0 ? ildCategorySum_[ki] / double(ildCategoryLists_[ki]) : kNaN);
    if (dimension_ > 0)
      out.emplace_back(metricName("ild_embedding", k),
                       ildEmbeddingLists_[ki] > 0
                           ? ildEmbeddingSum_[ki] / double(ildEmbeddingLists_[ki])
                           : kNaN);
  }
  return out;
}

}  // namespace reco
