#pragma once
/// EASE's fused ranking (EaseModel::rankOnDevice): a few users at a time are scored one
/// chunk of items at a time, each user's chunk the sum of their history rows of B over the
/// chunk's columns, and ranked while it is in cache (chunked_ranking.h). Few users and wide
/// chunks keep the slices of B's rows long enough to stream. Each score is score()'s sum,
/// term by term in history order, so the ranking is bit-identical to ranking score() rows.

#include <cstddef>
#include <span>

#include "core/data/sparse_matrix.h"
#include "core/models/recommender.h"

namespace reco {

/// Users per pass and items per chunk: 4 x 16384 floats of scores, 256 KiB.
inline constexpr std::size_t kEaseUsersPerPass = 4, kEaseChunkItems = 16384;

/// Ranks `block` (DeviceRanking's contract) for EASE with training rows `history` (users x
/// items, the values X that score() multiplies) and weights B (`items` x `items`,
/// row-major), `chunkItems` items per chunk (> 0). Throws Internal on a block that does
/// not match (checkDeviceRanking) or a user outside history's rows.
void rankEase(const CsrMatrix& history, std::span<const float> weights, std::size_t items,
              DeviceRanking& block, std::size_t chunkItems = kEaseChunkItems);

}  // namespace reco
