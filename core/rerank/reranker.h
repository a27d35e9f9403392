#pragma once
/// The re-ranking list algorithm (rerank_options.h describes the pipeline and the methods),
/// pure: one score row in, one list out, no model and no workspace, so that it can be tested
/// on hand-made rows. RerankedModel (reranked_model.h) runs it for every scored user.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/data/ids.h"
#include "core/rerank/rerank_options.h"

namespace reco {

/// The similarity of every pair of pool items: out[a * pool.size() + b] (pool.size()^2
/// floats), higher is more similar. Called once per user from several threads at once.
using PoolSimilarity = std::function<void(std::span<const ItemIndex> pool, std::span<float> out)>;

/// What the re-ranker knows about the catalogue, by item index (itemCount entries each
/// unless said otherwise). Built once per run by the training layer from the dataset and
/// the base model, read-only afterwards (shared by the scoring threads).
struct RerankSideInfo {
  std::vector<std::int32_t> itemCategory;  ///< -1 when none
  std::vector<std::string> categoryNames;  ///< for explanations
  std::vector<float> popularity;           ///< training interaction counts (pop, fallback)
  std::vector<char> excluded;              ///< 1: never listed (the resolved exclusion rules)
  std::vector<float> boost;                ///< relevance factor, 1 when none; may be empty
  /// by=embedding: unit-length item vectors, itemCount x dimension row-major (a zero row
  /// for an item without a vector) or, when empty, `similarity`.
  std::vector<float> itemVectors;
  std::size_t dimension = 0;
  PoolSimilarity similarity;

  std::size_t itemCount() const { return itemCategory.size(); }
  /// Throws Internal when the vectors' lengths disagree with itemCategory's.
  void check() const;
};

/// One user's re-ranked list: at most options.depth items (fewer only when fewer are
/// eligible), none of them in `seen` (the user's training items, any order) or excluded.
/// `row` is the base model's score row (itemCount floats); the fallback, when set, is
/// applied to it in place, so that the caller can rank the rest of the row in the same
/// order. `history` is the user's history for calibration (usually `seen`). Each item's
/// score is its score in `row`. Ties: item index ascending, as selectTopN.
std::vector<ScoredItem> rerankRow(std::span<float> row, std::span<const ItemIndex> seen,
                                  std::span<const ItemIndex> history, const RerankSideInfo& side,
                                  const RerankOptions& options);

/// The base list the re-ranker starts from, for comparisons and explanations: the pool
/// (the top options.candidates items of `row` without `seen` and the excluded items, by
/// score, ties by index), before boosts and the method. `row` must have been through
/// rerankRow's fallback already (or have no fallback set).
std::vector<ScoredItem> rerankPool(std::span<const float> row, std::span<const ItemIndex> seen,
                                   const RerankSideInfo& side, const RerankOptions& options);

}  // namespace reco
