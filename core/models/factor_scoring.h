#pragma once
/// Pieces shared by the factor models (puresvd, biasedmf, als, bpr) and EASE: scoring of
/// user vectors against item factors, cosine neighbours of items, explanations, loss checks
/// and the small vector kernels of the training loops.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/models/recommender.h"

namespace reco::factors {

/// Scores user vectors against items: out[u][i] = bias[i] + sum_f user[u][f] * item[i][f],
/// accumulated from the bias with one fused multiply-add per f in ascending order, whatever
/// the batch size or the CPU path (AVX2+FMA, or std::fma), so batch scoring equals single
/// scoring bit for bit. Keeps the item factors packed in panels of kPanel items (for each
/// panel, dim rows of kPanel floats) so that a register tile of 4 users x 16 items streams
/// contiguous memory. Immutable after reset(); thread-safe to use.
class FactorScorer {
 public:
  static constexpr std::size_t kPanel = 8;

  /// `itemFactors`: items x dim, row-major. `itemBias`: items values or empty (zeros).
  void reset(std::span<const float> itemFactors, std::size_t items, std::size_t dim,
             std::span<const float> itemBias = {});
  /// `users`: n x dim row-major user vectors; `out`: n x items row-major. O(n items dim).
  /// `portable` forces the path without AVX2 (for the test that both paths agree).
  void score(const float* users, std::size_t n, float* out, bool portable = false) const;
  /// score() for the items of one chunk only: items [chunk * kChunkItems, +kChunkItems)
  /// (fewer in the last chunk; chunkItems() says how many), out[r * outStride + j] for
  /// the chunk's item j. The same numbers as score(), bit for bit.
  void scoreChunk(const float* users, std::size_t n, std::size_t chunk, float* out,
                  std::size_t outStride) const;
  /// Items per chunk of scoreChunk() (the second-level-cache chunk of score()), and how
  /// many chunks cover the items.
  static constexpr std::size_t kChunkItems = 256;
  std::size_t chunks() const { return (items_ + kChunkItems - 1) / kChunkItems; }
  std::size_t chunkItems(std::size_t chunk) const {
    return std::min(kChunkItems, items_ - chunk * kChunkItems);
  }
  /// One user's score of one item, as score() gives it (the same fused multiply-adds in
  /// the same order).
  float scoreOne(const float* user, std::size_t item) const;
  std::size_t items() const { return items_; }
  std::size_t dim() const { return dim_; }

 private:
  std::size_t items_ = 0, dim_ = 0;
  std::vector<float> packed_;  // panels x dim x kPanel, zero-padded past items_
  std::vector<float> bias_;    // items_ rounded up to whole panels, zero-padded
};

/// The n items nearest to `item` by cosine of the rows of `itemFactors` (items x dim,
/// row-major), never `item` itself; items with a zero vector score 0. O(items dim).
std::vector<ScoredItem> cosineNeighbours(std::span<const float> itemFactors, std::size_t items,
                                         std::size_t dim, ItemIndex item, std::size_t n);

/// out[r * columns.size() + c] = the cosine of the rows rows[r] and columns[c] of `itemFactors`
/// (items x dim, row-major), 0 where either vector is zero, with cosineNeighbours' arithmetic
/// (float dot, double norms): the values equal the scores similarItems() lists, for the
/// itemSimilarities() of factor and deep models. Throws Internal on an index out of range
/// or when out.size() != rows.size() * columns.size(). O(|rows| |columns| dim).
void cosineSimilarities(std::span<const float> itemFactors, std::size_t items, std::size_t dim,
                        std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out);

/// Shares `score` out over the history items in proportion to their positive cosine with
/// `item` in `itemFactors` (items x dim): the `because` list of MF explanations.
std::vector<Explanation::Contribution> shareByCosine(std::span<const float> itemFactors,
                                                     std::size_t dim, ItemIndex item,
                                                     std::span<const ItemIndex> history,
                                                     double score);

/// Keeps the `keep` largest contributions by weight (descending, ties by item ascending).
void sortContributions(std::vector<Explanation::Contribution>& because, std::size_t keep = 5);

/// "factors 3, 17 and 9 carry 62% of the score": the largest products user[f] * item[f].
std::string describeFactorProducts(const float* user, const float* item, std::size_t dim);

/// Throws Error(Model) naming the model and the epoch when `loss` is NaN, infinite or
/// above `limit` (divergence).
void checkLoss(std::string_view model, int epoch, double loss, double limit = 1e12);

/// Dot product with 16 fixed partial sums (the compiler vectorises it into independent
/// registers; the order of the additions is fixed, so the result does not depend on the
/// instruction set the code was compiled for).
inline float dot(const float* __restrict a, const float* __restrict b, std::size_t n) {
  float acc[16] = {};
  std::size_t f = 0;
  for (; f + 16 <= n; f += 16) {
    for (int l = 0; l < 16; ++l) acc[l] += a[f + std::size_t(l)] * b[f + std::size_t(l)];
  }
  for (; f < n; ++f) acc[f % 16] += a[f] * b[f];
  for (int l = 0; l < 8; ++l) acc[l] += acc[l + 8];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

/// y += G x for a symmetric k x k G (row-major), four columns at a time.
inline void symv(const float* __restrict g, const float* __restrict x, float* __restrict y,
                 std::size_t k) {
  std::size_t c = 0;
  for (; c + 4 <= k; c += 4) {
    const float x0 = x[c], x1 = x[c + 1], x2 = x[c + 2], x3 = x[c + 3];
    const float* g0 = g + c * k;
    const float* g1 = g0 + k;
    const float* g2 = g1 + k;
    const float* g3 = g2 + k;
    for (std::size_t f = 0; f < k; ++f)
      y[f] += (x0 * g0[f] + x1 * g1[f]) + (x2 * g2[f] + x3 * g3[f]);
  }
  for (; c < k; ++c) {
    for (std::size_t f = 0; f < k; ++f) y[f] += x[c] * g[c * k + f];
  }
}

/// y += a * x.
inline void axpy(float a, const float* __restrict x, float* __restrict y, std::size_t n) {
  for (std::size_t f = 0; f < n; ++f) y[f] += a * x[f];
}

/// Model names in messages: "model 'als'".
/// The state every factor model saves: users x k and items x k factors, row-major.
struct FactorMatrices {
  std::uint64_t users = 0, items = 0, k = 0;
  std::vector<float> userFactors, itemFactors;
};
/// Writes the counts and both matrices (after the model's own header).
void writeFactors(std::ostream& out, std::uint64_t users, std::uint64_t items, std::uint64_t k,
                  const std::vector<float>& userFactors, const std::vector<float>& itemFactors);
/// Reads what writeFactors wrote; throws Model naming `model` when the sizes disagree.
FactorMatrices readFactors(std::istream& in, std::string_view model);

inline std::string quoted(std::string_view model) {
  return "model '" + std::string(model) + "'";
}

}  // namespace reco::factors
