#pragma once
/// Fused ranking of a block of users whose scores are made one chunk of items at a time
/// (Recommender::rankOnDevice on the CPU): each chunk of a few hundred KiB is ranked while
/// it is in the second-level cache (AUC's counts for the users' relevant items and the
/// top-n heaps), so a users x items score matrix never exists and no score crosses main
/// memory. The result is what the evaluator computes from score() rows, bit for bit, when
/// scoreChunk() and scoreOne() compute each score exactly as score() does; the order is
/// top_selection.h's (score descending, NaN last, ties by item index).

#include <cstddef>

#include "core/models/recommender.h"

namespace reco {

/// The scores of one block of users, chunk by chunk.
class ChunkedScores {
 public:
  virtual ~ChunkedScores() = default;
  virtual std::size_t items() const = 0;
  /// Items per chunk (every chunk but the last has this many).
  virtual std::size_t chunkWidth() const = 0;
  /// The block's users' scores of items [chunk * chunkWidth(), + chunkWidth()) (fewer in the
  /// last chunk): out[u * outStride + j] for block user u and the chunk's item j.
  virtual void scoreChunk(std::size_t chunk, float* out, std::size_t outStride) const = 0;
  /// Block user u's score of one item, the same float scoreChunk() gives.
  virtual float scoreOne(std::size_t u, std::size_t item) const = 0;
};

/// Fills block.top, block.below and block.ties (DeviceRanking's contract; NaN counts as
/// -infinity for AUC) from `scores`, whose users are block.users. Throws Internal on spans
/// of the wrong sizes or an item index outside scores.items(). Cost: the chunks' scores,
/// plus O(|exclude| + |relevant|) scoreOne() calls and O(|relevant| items) compares.
void rankInChunks(const ChunkedScores& scores, DeviceRanking& block);

}  // namespace reco
