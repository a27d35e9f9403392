#pragma once
/// The factor models' fused ranking (Recommender::rankOnDevice on the CPU): a block of users
/// is scored one chunk of items at a time (FactorScorer::scoreChunk, a few hundred KiB that
/// stay in the second-level cache) and each chunk is ranked while it is there
/// (chunked_ranking.h). The result is what the evaluator computes from score() rows, bit
/// for bit: the scores are the same fused multiply-adds.

#include <span>

#include "core/models/factor_scoring.h"
#include "core/models/recommender.h"

namespace reco::factors {

/// Fills block.top, block.below and block.ties (DeviceRanking's contract; NaN counts as
/// -infinity for AUC) for the users whose vectors are `users` (block.users.size() x
/// scorer.dim(), row-major). Throws Internal on spans of the wrong sizes or an item index
/// outside the scorer's items. Cost: the block's product with the item factors, plus
/// O(|exclude| dim + |relevant| items) for AUC.
void rankFused(const FactorScorer& scorer, std::span<const float> users, DeviceRanking& block);

}  // namespace reco::factors
