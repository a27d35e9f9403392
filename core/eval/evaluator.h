#pragma once
/// Offline evaluation of a fitted Recommender on a split's test part (.github/ARCHITECTURE.md,
/// Threads: options, an observer and a stop token). Full ranking over all items, training items
/// excluded; per-user values for every per-user metric, aggregates with t-based 95% CIs,
/// catalogue metrics, and the stored top-N lists (the README's evaluation protocol).
///
/// Determinism: every per-user value depends only on that user's score row (the Recommender
/// contract: batch scoring equals single scoring), and every aggregate is summed in user
/// order after the parallel part, so results are bit-identical for any thread count and
/// batch size.
///
/// Cost: users are scored in blocks of batchUsers rows; each thread holds one block of
/// batchUsers x itemCount floats at a time (memory threads * batchUsers * itemCount * 4
/// bytes, never users x items). Per user O(items * log max(K)) for the top list plus
/// O(items * log |test|) for AUC. The result holds max(K) items per user
/// (users * max(K) * 8 bytes) and one double per user and per-user metric.

#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/progress.h"
#include "core/eval/metrics.h"
#include "core/eval/statistics.h"
#include "core/models/recommender.h"

namespace reco {

class CsrMatrix;
struct FrozenNegatives;

struct EvalOptions {
  /// Cut-offs, each > 0, no duplicates; reported in this order.
  std::vector<int> ks{5, 10, 20, 50};
  int threads = 0;       ///< 0: the hardware concurrency
  int batchUsers = 256;  ///< users per score() call (> 0)
  /// Sampled evaluation: an explicit opt-in, reported only under "sampled_" names. For each
  /// user and each of their test items, the item is ranked among this many negatives drawn
  /// uniformly without replacement from the items the user has in no part of the split
  /// (all of them when there are fewer; sampled_negatives.h). Must be > 0 when set.
  std::optional<int> sampledNegatives;
  /// The negatives, frozen for the split (storage::splitNegatives): count must equal
  /// sampledNegatives. When null they are drawn here with `sampleSeed`.
  const FrozenNegatives* negatives = nullptr;
  std::uint64_t sampleSeed = 42;
  /// Compute ild_embedding@K when the model has kHasItemEmbeddings.
  bool embeddingDiversity = true;
  /// Where users are ranked. Auto: on the model's device when it has kRanksOnDevice (a
  /// deep model on a GPU: top-K and AUC's counts computed there, only those copied back),
  /// else from score() rows on the CPU. Host: always from rows. Device: always through
  /// Recommender::rankOnDevice (Config when the model cannot). Sampled evaluation always
  /// ranks from rows. Both ways give the same metrics for finite scores.
  enum class Ranking { Auto, Host, Device };
  Ranking ranking = Ranking::Auto;

  /// Throws Config naming the bad field.
  void validate() const;
};

/// A per-user metric's aggregate over the evaluated users (NaN values skipped: see
/// statistics.h). ciLow/ciHigh are NaN when n < 2.
struct MetricSummary {
  std::string name;
  double mean = 0;
  double ciLow = 0;
  double ciHigh = 0;
  std::size_t n = 0;
};

struct EvalResult {
  Outcome outcome = Outcome::Completed;  ///< Stopped: everything below is empty
  std::vector<int> ks;

  /// Per-user metric names, the columns of perUser: for each K in ks, "precision@K",
  /// "recall@K", "ndcg@K", "map@K", "mrr@K", "hit@K"; then "auc"; then, with sampled
  /// evaluation, for each K "sampled_hit@K", "sampled_ndcg@K", "sampled_mrr@K", then
  /// "sampled_auc" (per user: the mean over the user's test items).
  std::vector<std::string> metricNames;
  /// The evaluated users, ascending: every user with at least one test item that is not a
  /// training item. Row r of the per-user matrix belongs to users[r].
  std::vector<UserIndex> users;
  /// Column-major users.size() x metricNames.size(): perUser[m * users.size() + r].
  std::vector<double> perUser;
  /// Aligned with metricNames.
  std::vector<MetricSummary> aggregates;
  /// Catalogue metrics (aggregates only; see CatalogueAccumulator): for each K "coverage@K",
  /// "novelty@K", "gini@K", "avg_popularity@K", then "ild_category@K" and
  /// "ild_embedding@K" where available.
  std::vector<std::pair<std::string, double>> catalogue;

  /// Stored top-N lists: user row r's list is topItems[topStart[r] .. topStart[r+1]),
  /// max(ks) items by score descending (ties by item ascending, selectTopN's order),
  /// training items excluded; shorter only when fewer items are left.
  std::vector<ScoredItem> topItems;
  std::vector<std::int64_t> topStart;

  double seconds = 0;                ///< wall time of evaluate()
  std::size_t skippedTestPairs = 0;  ///< test pairs that were training pairs (not relevant)

  std::size_t userCount() const { return users.size(); }
  /// Column index of a metric name, or -1.
  std::ptrdiff_t metricIndex(std::string_view name) const;
  /// The per-user values of a metric, aligned with users. Throws Internal for unknown names.
  std::span<const double> column(std::string_view name) const;
  std::span<const double> column(std::size_t metric) const;
  /// The aggregate of a metric name, or nullptr.
  const MetricSummary* aggregate(std::string_view name) const;
  /// A catalogue metric by name, or NaN.
  double catalogueValue(std::string_view name) const;
  std::span<const ScoredItem> topFor(std::size_t row) const;
};

/// Evaluates `model` (fitted, itemCount() == train.itemCount) on `test` (users x items with
/// train's dimensions, any non-zero value marks a test pair). Progress goes to `observer`
/// (may be null; called from the worker threads, serialised); `stop` is polled between
/// blocks. Throws Config for bad options, Data for mismatched dimensions, Model for an
/// unfitted model, and whatever model.score() throws.
EvalResult evaluate(const Recommender& model, const TrainingData& train, const CsrMatrix& test,
                    const EvalOptions& options, JobObserver* observer = nullptr,
                    std::stop_token stop = {});

/// RMSE and MAE of a rating model (kPredictsRatings): predictions model.score() for every (user,
/// item) entry of `testRatings` (values are the observed ratings) against those ratings, scored in
/// blocks of `batchUsers` users, summed in user order.
RatingErrors evaluateRatings(const Recommender& model, const CsrMatrix& testRatings,
                             int threads = 0, int batchUsers = 256);

}  // namespace reco
