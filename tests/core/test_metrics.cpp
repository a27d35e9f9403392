// Ranking, rating and catalogue metrics on examples worked by hand (the arithmetic is in the
// comments), so that a change of definition shows up as a failing number.
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/eval/metrics.h"
#include "tests/support/gtest_support.h"

using reco::ItemIndex;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<ItemIndex> items(std::initializer_list<int> ids) {
  std::vector<ItemIndex> out;
  for (int id : ids) out.push_back(ItemIndex{id});
  return out;
}

// 4 users, 5 items. Training pairs: u0 {0, 1}, u1 {0, 2}, u2 {0}, u3 {0, 1}, so the number of
// training users per item is [4, 2, 1, 0, 0]. Categories: items 0, 1 -> 0; 2, 3 -> 1; item 4
// has none.
reco::TrainingData tinyTraining() {
  reco::TrainingData t;
  t.userCount = 4;
  t.itemCount = 5;
  t.userItems = reco::CsrMatrix::fromTriplets(
      4, 5, {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 2, 1}, {2, 0, 1}, {3, 0, 1}, {3, 1, 1}});
  t.itemUsers = t.userItems.transposed();
  t.itemCategory = {0, 0, 1, 1, -1};
  t.categoryNames = {"Kitchen", "Garden"};
  return t;
}

TEST(Metrics, Names) {
  EXPECT_EQ(reco::metricName("ndcg", 10), std::string("ndcg@10"));
  EXPECT_EQ(reco::kRankingMetricFamilies.size(), std::size_t(6));
}

TEST(Metrics, RankingAtThree) {
  // Ranking [a, b, c, d, e] = items [0, 1, 2, 3, 4], test {b, e} = {1, 4}; |test| = 2.
  // K = 3: the top 3 are a, b, c with b relevant at rank 2, so hits = 1:
  //   P@3 = 1/3; R@3 = 1/2;
  //   DCG = 1/log2(3); ideal DCG over min(2, 3) = 2 items = 1/log2(2) + 1/log2(3) = 1 + 1/log2 3;
  //   NDCG@3 = (1/log2 3) / (1 + 1/log2 3) = 0.63093 / 1.63093 = 0.386853;
  //   MAP@3 = (1 / min(2, 3)) * (P@2 * rel_2) = (1/2) * (1/2) = 0.25;
  //   MRR@3 = 1/2 (first hit at rank 2); hit@3 = 1.
  const auto ranked = items({0, 1, 2, 3, 4});
  const auto test = items({1, 4});
  const reco::RankingValues v = reco::rankingMetrics(ranked, test, 3);
  const double l3 = 1.0 / std::log2(3.0);
  EXPECT_NEAR(v.precision, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(v.recall, 0.5, 1e-15);
  EXPECT_NEAR(v.ndcg, l3 / (1 + l3), 1e-15);
  EXPECT_NEAR(v.ndcg, 0.386853, 1e-6);
  EXPECT_NEAR(v.map, 0.25, 1e-15);
  EXPECT_NEAR(v.mrr, 0.5, 1e-15);
  EXPECT_NEAR(v.hit, 1.0, 0);
}

TEST(Metrics, RankingAtFive) {
  // Same ranking and test, K = 5: hits at ranks 2 and 5.
  //   P@5 = 2/5; R@5 = 1;
  //   DCG = 1/log2 3 + 1/log2 6 = 0.63093 + 0.38685 = 1.01778; ideal = 1 + 1/log2 3 = 1.63093;
  //   NDCG@5 = 1.017783 / 1.630930 = 0.624051;
  //   MAP@5 = (1/2) (P@2 + P@5) = (1/2)(1/2 + 2/5) = 0.45; MRR@5 = 1/2; hit@5 = 1.
  const reco::RankingValues v = reco::rankingMetrics(items({0, 1, 2, 3, 4}), items({1, 4}), 5);
  const double l3 = 1.0 / std::log2(3.0), l6 = 1.0 / std::log2(6.0);
  EXPECT_NEAR(v.precision, 0.4, 1e-15);
  EXPECT_NEAR(v.recall, 1.0, 1e-15);
  EXPECT_NEAR(v.ndcg, (l3 + l6) / (1 + l3), 1e-15);
  EXPECT_NEAR(v.ndcg, 0.624051, 1e-6);
  EXPECT_NEAR(v.map, 0.45, 1e-15);
  EXPECT_NEAR(v.mrr, 0.5, 1e-15);
  EXPECT_CLOSE(v.hit, 1.0, 1e-12);
}

TEST(Metrics, RankingWithoutHitsAndBeyondTheList) {
  // K = 1: only a, not relevant: every metric is 0.
  const reco::RankingValues none = reco::rankingMetrics(items({0, 1, 2, 3, 4}), items({1, 4}), 1);
  EXPECT_CLOSE(none.precision, 0.0, 1e-12);
  EXPECT_CLOSE(none.recall, 0.0, 1e-12);
  EXPECT_CLOSE(none.ndcg, 0.0, 1e-12);
  EXPECT_CLOSE(none.map, 0.0, 1e-12);
  EXPECT_CLOSE(none.mrr, 0.0, 1e-12);
  EXPECT_CLOSE(none.hit, 0.0, 1e-12);
  // K = 10 on a list of 5 (a small catalogue): precision still divides by K: 2/10; the ideal
  // DCG runs over min(|test|, K) = 2 items as before, so NDCG@10 = NDCG@5.
  const reco::RankingValues wide = reco::rankingMetrics(items({0, 1, 2, 3, 4}), items({1, 4}), 10);
  EXPECT_NEAR(wide.precision, 0.2, 1e-15);
  EXPECT_NEAR(wide.ndcg, reco::rankingMetrics(items({0, 1, 2, 3, 4}), items({1, 4}), 5).ndcg,
              1e-15);
  EXPECT_NEAR(wide.map, 0.45, 1e-15);
}

TEST(Metrics, RankingWithMoreTestItemsThanK) {
  // Ranking [a, b, c, d, e], test {a, c, x, y} (x, y = items 7, 8 are not in the list), K = 2:
  //   hits = 1 (a at rank 1): P@2 = 1/2; R@2 = 1/4;
  //   ideal DCG over min(4, 2) = 2 items = 1 + 1/log2 3; DCG = 1; NDCG@2 = 1 / 1.63093 = 0.613147;
  //   MAP@2 = (1 / min(4, 2)) * (P@1 * 1) = 1/2; MRR@2 = 1; hit@2 = 1.
  const reco::RankingValues v =
      reco::rankingMetrics(items({0, 1, 2, 3, 4}), items({0, 2, 7, 8}), 2);
  EXPECT_NEAR(v.precision, 0.5, 1e-15);
  EXPECT_NEAR(v.recall, 0.25, 1e-15);
  EXPECT_NEAR(v.ndcg, 0.613147, 1e-6);
  EXPECT_NEAR(v.map, 0.5, 1e-15);
  EXPECT_NEAR(v.mrr, 1.0, 1e-15);
  // The flag form gives the same numbers.
  const std::vector<char> flags{1, 0, 1, 0, 0};
  EXPECT_NEAR(reco::rankingMetrics(flags, 4, 2).ndcg, v.ndcg, 0);
  EXPECT_THROW(reco::rankingMetrics(flags, 0, 2), reco::Error);
  EXPECT_THROW(reco::rankingMetrics(flags, 4, 0), reco::Error);
}

TEST(Metrics, AucWithTies) {
  // Positives {0.9, 0.5}, negatives {0.5, 0.1, 0.9, 0.3}: 8 pairs.
  //   0.9 vs 0.5 win, 0.1 win, 0.9 tie (1/2), 0.3 win -> 3.5
  //   0.5 vs 0.5 tie (1/2), 0.1 win, 0.9 loss, 0.3 win -> 2.5
  //   AUC = 6 / 8 = 0.75.
  const std::vector<float> pos{0.9f, 0.5f}, neg{0.5f, 0.1f, 0.9f, 0.3f};
  EXPECT_CLOSE(reco::auc(pos, neg), 0.75, 1e-12);
  // All scores equal: every pair ties, AUC = 1/2.
  EXPECT_CLOSE(reco::auc(std::vector<float>{1, 1}, std::vector<float>{1, 1, 1}), 0.5, 1e-12);
  // NaN counts as -infinity: NaN vs 0.1 loses, NaN vs NaN ties -> 0.5 / 2 = 0.25.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_CLOSE(reco::auc(std::vector<float>{nan}, std::vector<float>{0.1f, nan}), 0.25, 1e-12);
  // Undefined without negatives (or positives).
  EXPECT_TRUE(std::isnan(reco::auc(pos, std::vector<float>{})));
  // The accumulator is reusable.
  reco::AucAccumulator acc(pos);
  for (float s : neg) acc.addNegative(s);
  EXPECT_CLOSE(acc.value(), 0.75, 1e-12);
  acc.reset(std::vector<float>{0.2f});
  acc.addNegative(0.1f);
  EXPECT_CLOSE(acc.value(), 1.0, 1e-12);
}

// A whole row added and the non-negatives removed gives the AUC of the rest, exactly, on
// both paths (up to 64 positives: counted compares; more: binary searches), NaN as -inf.
TEST(Metrics, AucRemovesWhatItAdded) {
  reco::Random rng(7);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t positiveCount : {1u, 3u, 64u, 65u, 200u}) {
    std::vector<float> row(5000);
    for (float& x : row) {
      const double kind = rng.uniform();
      x = kind < 0.02 ? nan
                      : (kind < 0.03 ? -std::numeric_limits<float>::infinity()
                                     : float(std::floor(rng.uniform() * 50)));
    }
    std::vector<float> positives(row.begin(), row.begin() + std::ptrdiff_t(positiveCount));
    std::vector<float> excluded(row.begin(), row.begin() + std::ptrdiff_t(positiveCount) + 300);
    std::vector<float> negatives(row.begin() + std::ptrdiff_t(positiveCount) + 300, row.end());
    reco::AucAccumulator whole(positives);
    whole.addNegatives(std::span<const float>(row).first(2048));
    whole.addNegatives(std::span<const float>(row).subspan(2048));
    whole.removeNegatives(excluded);
    EXPECT_EQ(whole.value(), reco::auc(positives, negatives)) << positiveCount;
  }
  reco::AucAccumulator empty(std::vector<float>{0.5f});
  EXPECT_THROW(empty.removeNegatives(std::vector<float>{0.1f}), reco::Error);
}

TEST(Metrics, RatingErrors) {
  // predicted [3, 4, 5] vs observed [2, 4, 7]: errors 1, 0, -2;
  // RMSE = sqrt((1 + 0 + 4) / 3) = 1.290994; MAE = (1 + 0 + 2) / 3 = 1.
  const std::vector<float> predicted{3, 4, 5}, actual{2, 4, 7};
  const reco::RatingErrors e = reco::ratingErrors(predicted, actual);
  EXPECT_NEAR(e.rmse, std::sqrt(5.0 / 3.0), 1e-15);
  EXPECT_NEAR(e.mae, 1.0, 1e-15);
  EXPECT_EQ(e.n, std::size_t(3));
  EXPECT_TRUE(std::isnan(reco::ratingErrors({}, {}).rmse));
  EXPECT_THROW(reco::ratingErrors(predicted, std::vector<float>{1}), reco::Error);
}

TEST(Metrics, Gini) {
  // Equal counts: 0. One item takes all of 4: (n - 1) / n = 3/4.
  EXPECT_CLOSE(reco::giniIndex(std::vector<double>{2, 2, 2}), 0.0, 1e-12);
  EXPECT_NEAR(reco::giniIndex(std::vector<double>{0, 5, 0, 0}), 0.75, 1e-15);
  // [2, 1, 0, 1, 0]: sorted [0, 0, 1, 1, 2], n = 5, total 4;
  // sum (2i - n - 1) c_i = (2*3-6)*1 + (2*4-6)*1 + (2*5-6)*2 = 0 + 2 + 8 = 10; G = 10 / 20 = 0.5.
  EXPECT_NEAR(reco::giniIndex(std::vector<double>{2, 1, 0, 1, 0}), 0.5, 1e-15);
  EXPECT_TRUE(std::isnan(reco::giniIndex(std::vector<double>{0, 0})));
}

TEST(Metrics, CatalogueOnTinyLists) {
  // Two users' lists: A = [1, 2, 3], B = [1, 4, 3]; K = 2 and 3. Popularity [4, 2, 1, 0, 0] of
  // 4 training users; p_i = pop / 4, and 1 / (4 + 1) = 1/5 for items 3 and 4 (never seen):
  // self-information: item 1 -> -log2(1/2) = 1; item 2 -> -log2(1/4) = 2;
  // items 3, 4 -> log2 5 = 2.321928.
  //
  // K = 2: A2 = [1, 2], B2 = [1, 4]: counts item1 2, item2 1, item4 1.
  //   coverage = 3 distinct / 5 items = 0.6;
  //   novelty = (1 + 2 + 1 + 2.321928) / 4 slots = 1.580482;
  //   gini of [0, 2, 1, 0, 1] = 0.5 (see gini());
  //   avg_popularity = (2 + 1 + 2 + 0) / 4 = 1.25;
  //   ild_category: A2 = categories (0, 1): 1 pair, different -> 1; B2 has one categorised
  //   item (item 4 has none): no pair, skipped -> mean 1.
  // K = 3: counts item1 2, item2 1, item3 2, item4 1.
  //   coverage = 4/5 = 0.8;
  //   novelty = (1 + 2 + 2.321928 + 1 + 2.321928 + 2.321928) / 6 = 1.994297;
  //   gini of [0, 2, 1, 2, 1]: sorted [0, 1, 1, 2, 2], total 6;
  //     sum = (-4)*0 + (-2)*1 + 0*1 + 2*2 + 4*2 = 10; G = 10 / 30 = 1/3;
  //   avg_popularity = (2 + 1 + 0 + 2 + 0 + 0) / 6 = 5/6;
  //   ild_category: A = (0, 1, 1): 3 pairs, 1 same -> 2/3; B = (0, -, 1): 1 pair, different
  //   -> 1; mean 5/6.
  // Embeddings (2-D): item0 (1, 0), item1 (1, 0), item2 (0, 1), item3 (1, 1), item4 (0, 0).
  //   K = 2: A2 cos(1, 2) = 0 -> 1; B2 cos with the zero vector = 0 -> 1; mean 1.
  //   K = 3: A: cos(1,2) = 0, cos(1,3) = cos(2,3) = 1/sqrt 2: mean cos = sqrt2 / 3;
  //          B: cos(1,4) = 0, cos(1,3) = 1/sqrt2, cos(4,3) = 0: mean cos = sqrt2 / 6;
  //          ILD = mean of (1 - sqrt2/3, 1 - sqrt2/6) = 1 - sqrt2/4 = 0.646447.
  const reco::TrainingData train = tinyTraining();
  const std::vector<float> embeddings{1, 0, 1, 0, 0, 1, 1, 1, 0, 0};
  reco::CatalogueAccumulator acc(train, {2, 3}, embeddings, 2);
  acc.add(items({1, 2, 3}));
  acc.add(items({1, 4, 3}));
  const auto metrics = acc.metrics();
  auto value = [&](const std::string& name) {
    for (const auto& [key, v] : metrics)
      if (key == name) return v;
    return kNaN;
  };
  const double l5 = std::log2(5.0);
  EXPECT_NEAR(value("coverage@2"), 0.6, 1e-15);
  EXPECT_NEAR(value("novelty@2"), (1 + 2 + 1 + l5) / 4, 1e-14);
  EXPECT_NEAR(value("novelty@2"), 1.580482, 1e-6);
  EXPECT_NEAR(value("gini@2"), 0.5, 1e-15);
  EXPECT_NEAR(value("avg_popularity@2"), 1.25, 1e-15);
  EXPECT_NEAR(value("ild_category@2"), 1.0, 1e-15);
  EXPECT_NEAR(value("ild_embedding@2"), 1.0, 1e-7);
  EXPECT_NEAR(value("coverage@3"), 0.8, 1e-15);
  EXPECT_NEAR(value("novelty@3"), (1 + 2 + 1 + 3 * l5) / 6, 1e-14);
  EXPECT_NEAR(value("gini@3"), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(value("avg_popularity@3"), 5.0 / 6.0, 1e-15);
  EXPECT_NEAR(value("ild_category@3"), 5.0 / 6.0, 1e-15);
  EXPECT_NEAR(value("ild_embedding@3"), 1 - std::sqrt(2.0) / 4, 1e-7);
  EXPECT_EQ(metrics.size(), std::size_t(12));
  EXPECT_EQ(metrics.front().first, std::string("coverage@2"));

  // Cut-offs in any order give the same values per K.
  reco::CatalogueAccumulator reversed(train, {3, 2}, embeddings, 2);
  reversed.add(items({1, 2, 3}));
  reversed.add(items({1, 4, 3}));
  for (const auto& [key, v] : reversed.metrics()) EXPECT_NEAR(v, value(key), 1e-15) << key;

  // Without categories and embeddings those two metrics are left out.
  reco::TrainingData plain = tinyTraining();
  plain.itemCategory.assign(5, -1);
  reco::CatalogueAccumulator bare(plain, {2});
  bare.add(items({1, 2}));
  EXPECT_EQ(bare.metrics().size(), std::size_t(4));

  // Out-of-range items are a bug of the caller.
  EXPECT_THROW(bare.add(items({9})), reco::Error);
}

TEST(Metrics, PopularityCountsTrainingUsers) {
  const auto popularity = reco::itemPopularity(tinyTraining());
  EXPECT_EQ(popularity, (std::vector<std::int32_t>{4, 2, 1, 0, 0}));
}
}  // namespace
