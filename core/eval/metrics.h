#pragma once
/// Ranking, rating and catalogue metrics (the README's evaluation protocol). The evaluator
/// (evaluator.h) drives them over a whole test set; these pieces are separate so that tests can
/// check each one against values worked by hand.
///
/// Conventions shared by every function here:
///  - a ranked list is best first; "rank" is 1-based;
///  - relevance is binary: an item is relevant when it is in the user's test part and not in
///    the user's training part (training items are excluded from the ranking, so a test item
///    that is also a training item could never be recommended and does not count);
///  - precision@K = hits@K / K (K, not the list length, even when the catalogue is smaller);
///    recall@K = hits@K / |test|; ndcg@K uses DCG = sum_i rel_i / log2(i + 1) over ranks
///    1..K and an ideal DCG over min(|test|, K) relevant items; map@K = (1 / min(|test|, K))
///    * sum_{k <= K} P@k rel_k; mrr@K = 1 / rank of the first hit within K, else 0; hit@K = 1
///    when any of the first K is relevant, else 0;
///  - AUC is per user over ALL items: the fraction of (test item, non-training non-test item)
///    pairs in which the test item scores higher, ties counting 1/2, NaN scores counting as
///    -infinity. It is NaN (undefined, skipped by the statistics) when the user has no such
///    pair.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/data/ids.h"

namespace reco {

struct TrainingData;

/// The per-user ranking metric families at a cut-off K, in the column order the evaluator
/// uses for each K.
inline constexpr std::array<std::string_view, 6> kRankingMetricFamilies = {
    "precision", "recall", "ndcg", "map", "mrr", "hit"};
/// The per-user metric that does not depend on K.
inline constexpr std::string_view kAucMetric = "auc";
/// Prefix of every metric computed against sampled negatives (evaluator.h).
inline constexpr std::string_view kSampledPrefix = "sampled_";

/// "ndcg@10" from ("ndcg", 10).
std::string metricName(std::string_view family, int k);

/// The ranking metrics of one user's list at one K (see the conventions above).
struct RankingValues {
  double precision = 0, recall = 0, ndcg = 0, map = 0, mrr = 0, hit = 0;
  /// The values in kRankingMetricFamilies order.
  std::array<double, 6> asArray() const { return {precision, recall, ndcg, map, mrr, hit}; }
};

/// From relevance flags: relevant[i] != 0 when the item at rank i + 1 is relevant; only the
/// first min(K, relevant.size()) flags are read. relevantCount = |test| (> 0, else Internal).
/// O(K).
RankingValues rankingMetrics(std::span<const char> relevant, std::size_t relevantCount, int k);

/// Convenience form: `ranked` best first, `relevant` the user's relevant items (any order,
/// no duplicates). O(K log |relevant|).
RankingValues rankingMetrics(std::span<const ItemIndex> ranked, std::span<const ItemIndex> relevant,
                             int k);

/// 1 / log2(rank + 1), the DCG discount of a 1-based rank.
double dcgDiscount(std::size_t rank);

/// AUC in one pass over the negatives: construct (or reset) with the positives' scores,
/// add each negative's score, read value(). O(log |positives|) per negative; NaN counts as
/// -infinity on both sides. Reusable, so a thread can keep one and avoid allocations.
class AucAccumulator {
 public:
  AucAccumulator() = default;
  explicit AucAccumulator(std::span<const float> positiveScores) { reset(positiveScores); }
  void reset(std::span<const float> positiveScores);
  void addNegative(float score);
  /// Many negatives at once: O(|negatives| * |positives|) vectorised compares for up to 64
  /// positives (the common case), else a binary search per negative. Same result as
  /// addNegative() for each.
  void addNegatives(std::span<const float> scores);
  /// Takes back negatives added before (each score once per time it was added): a whole row
  /// can be added in one vectorised pass and the few items that are no negatives (training
  /// items, the positives themselves) removed after. O(|scores| log |positives|). Throws
  /// Internal when more is removed than was added.
  void removeNegatives(std::span<const float> scores);
  /// (pairs won + ties / 2) / (|positives| * negatives); NaN when either side is empty.
  double value() const;

 private:
  std::vector<float> positives_;  // sorted ascending, NaN replaced by -inf
  std::uint64_t wins2_ = 0;       // 2 * wins + ties
  std::uint64_t negatives_ = 0;
};

/// AUC of one user from explicit score lists (a convenience over AucAccumulator).
double auc(std::span<const float> positiveScores, std::span<const float> negativeScores);

/// RMSE and MAE of predicted against observed ratings (equal lengths, else Internal).
/// NaN when empty.
struct RatingErrors {
  double rmse = 0;
  double mae = 0;
  std::size_t n = 0;
};
RatingErrors ratingErrors(std::span<const float> predicted, std::span<const float> actual);

/// Gini index of non-negative counts over all items (items never recommended included as 0):
/// with counts sorted ascending c_1..c_n, G = sum_i (2i - n - 1) c_i / (n sum_i c_i); 0 when
/// every item is recommended equally often, (n - 1) / n when one item takes everything.
/// NaN when all counts are 0. O(n log n).
double giniIndex(std::span<const double> counts);

/// Number of distinct training users of each item (itemCount entries), from userItems.
std::vector<std::int32_t> itemPopularity(const TrainingData& train);

/// Catalogue metrics at each K over the users' top lists, fed one list at a time in user order
/// (so the sums, and the results, do not depend on how the lists were computed):
///  - coverage@K: distinct items in any top-K list / itemCount (all items of the dataset's id
///    space, including items with no training interaction);
///  - novelty@K: mean over all recommendation slots of -log2(p_i), p_i = (training users of
///    i) / userCount, and p_i = 1 / (userCount + 1) for an item no training user has;
///  - gini@K: giniIndex() of the top-K recommendation counts over all itemCount items;
///  - avg_popularity@K: mean over all slots of the number of training users of the item;
///  - ild_category@K: per list, the fraction of item pairs with different categories among
///    the pairs whose items both have a category; mean over lists that have such a pair.
///    Left out when the data has no categories;
///  - ild_embedding@K: per list, the mean of 1 - cosine over item pairs (an item with a zero
///    embedding has cosine 0 to everything); mean over lists of at least 2 items. Only when
///    embeddings are given. O(K * dimension) per list via |sum u|^2 = sum |u|^2 + 2 sum u.v.
/// Lists longer than a K count with their first K items.
class CatalogueAccumulator {
 public:
  /// `embeddings`: itemCount x dimension row-major (Recommender::itemEmbeddings), or empty.
  CatalogueAccumulator(const TrainingData& train, std::vector<int> ks,
                       std::span<const float> embeddings = {}, std::size_t dimension = 0);
  void add(std::span<const ItemIndex> ranked);
  void add(std::span<const ScoredItem> ranked);
  /// (name, value) pairs, for each K in the order given: coverage, novelty, gini,
  /// avg_popularity, then ild_category and ild_embedding where available.
  std::vector<std::pair<std::string, double>> metrics() const;

 private:
  void addItems(std::span<const std::int32_t> items);
  std::vector<int> ks_;
  std::int32_t userCount_ = 0;
  std::vector<std::int32_t> popularity_;
  std::vector<double> selfInformation_;
  std::vector<std::int32_t> category_;
  bool hasCategories_ = false;
  std::vector<float> unitEmbeddings_;  // rows scaled to unit length (zero rows stay zero)
  std::size_t dimension_ = 0;
  // Per K:
  std::vector<std::vector<double>> counts_;  // recommendation counts per item
  std::vector<double> slots_, noveltySum_, popularitySum_;
  std::vector<double> ildCategorySum_, ildEmbeddingSum_;
  std::vector<std::size_t> ildCategoryLists_, ildEmbeddingLists_;
  // Scratch for one list.
  std::vector<std::int32_t> categoryCount_, itemsScratch_;
  std::vector<double> embeddingSum_;
};

}  // namespace reco
