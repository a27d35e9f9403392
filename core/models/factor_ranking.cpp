#include "core/models/factor_ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/common/error.h"
#include "core/models/top_selection.h"

namespace reco::factors {
namespace {

constexpr float kLowest = -std::numeric_limits<float>::infinity();

float nanAsLowest(float score) {
  return std::isnan(score) ? kLowest : score;
}

}  // namespace

void rankFused(const FactorScorer& scorer, std::span<const float> users, DeviceRanking& block) {
  const std::size_t n = block.users.size(), keep = block.n, dim = scorer.dim();
  const std::size_t relevantCount = block.relevant.size();
  RECO_CHECK(users.size() == n * dim && block.excludeStart.size() == n + 1 &&
                 block.relevantStart.size() == n + 1 && block.top.size() == n * keep &&
                 block.below.size() == relevantCount && block.ties.size() == relevantCount,
             ErrorKind::Internal, "rankFused: block spans of the wrong sizes");
  for (std::int32_t i : block.exclude)
    RECO_CHECK(i >= 0 && std::size_t(i) < scorer.items(), ErrorKind::Internal,
               "rankFused: excluded item out of range");
  for (std::int32_t i : block.relevant)
    RECO_CHECK(i >= 0 && std::size_t(i) < scorer.items(), ErrorKind::Internal,
               "rankFused: relevant item out of range");
  const auto vector = [&](std::size_t u) { return users.data() + u * dim; };

  // Each user's excluded items ascending, for a cursor that follows the ascending items.
  std::vector<std::int32_t> exclude(block.exclude.begin(), block.exclude.end());
  for (std::size_t u = 0; u < n; ++u)
    std::sort(exclude.begin() + block.excludeStart[u], exclude.begin() + block.excludeStart[u + 1]);
  std::vector<std::int64_t> cursor(block.excludeStart.begin(), block.excludeStart.end() - 1);

  std::vector<float> positive(relevantCount);
  for (std::size_t u = 0; u < n; ++u)
    for (auto k = block.relevantStart[u]; k < block.relevantStart[u + 1]; ++k)
      positive[std::size_t(k)] =
          nanAsLowest(scorer.scoreOne(vector(u), std::size_t(block.relevant[std::size_t(k)])));
  std::fill(block.below.begin(), block.below.end(), 0);
  std::fill(block.ties.begin(), block.ties.end(), 0);
  std::vector<std::int64_t> nans(n, 0);
  std::vector<std::vector<std::uint64_t>> heaps(n);
  for (auto& heap : heaps) heap.reserve(keep);

  std::vector<float> chunkScores(n * FactorScorer::kChunkItems);
  for (std::size_t c = 0; c < scorer.chunks(); ++c) {
    scorer.scoreChunk(users.data(), n, c, chunkScores.data(), FactorScorer::kChunkItems);
    const auto first = std::int32_t(c * FactorScorer::kChunkItems);
    const std::size_t length = scorer.chunkItems(c);
    for (std::size_t u = 0; u < n; ++u) {
      const float* row = chunkScores.data() + u * FactorScorer::kChunkItems;
      if (block.relevantStart[u + 1] > block.relevantStart[u]) {
        nans[u] += countNans(row, length);
        for (auto k = block.relevantStart[u]; k < block.relevantStart[u + 1]; ++k)
          countBelowAndTies(positive[std::size_t(k)], row, length, block.below[std::size_t(k)],
                            block.ties[std::size_t(k)]);
      }
      const std::int64_t end = block.excludeStart[u + 1];
      std::int64_t& at = cursor[u];
      offerToHeap(heaps[u], keep, row, first, length, [&](std::int32_t item) {
        while (at < end && exclude[std::size_t(at)] < item) ++at;
        return at < end && exclude[std::size_t(at)] == item;
      });
    }
  }

  for (std::size_t u = 0; u < n; ++u) {
    const auto r0 = std::size_t(block.relevantStart[u]),
               r1 = std::size_t(block.relevantStart[u + 1]);
    // NaN negatives were counted apart, as -infinity; then the excluded and relevant items,
    // counted above as negatives, are taken back out (as -infinity when NaN, alike).
    for (std::size_t k = r0; k < r1; ++k) {
      block.below[k] += positive[k] > kLowest ? nans[u] : 0;
      block.ties[k] += positive[k] == kLowest ? nans[u] : 0;
    }
    const auto takeOut = [&](std::int32_t item) {
      const float s = nanAsLowest(scorer.scoreOne(vector(u), std::size_t(item)));
      for (std::size_t k = r0; k < r1; ++k) {
        if (s < positive[k]) --block.below[k];
        if (s == positive[k]) --block.ties[k];
      }
    };
    if (r1 > r0) {
      for (auto k = block.excludeStart[u]; k < block.excludeStart[u + 1]; ++k)
        takeOut(block.exclude[std::size_t(k)]);
      for (std::size_t k = r0; k < r1; ++k) takeOut(block.relevant[k]);
    }
    auto& heap = heaps[u];
    std::sort(heap.begin(), heap.end(), std::greater<>());
    for (std::size_t j = 0; j < heap.size(); ++j) {
      const std::int32_t item = itemOfKey(heap[j]);
      // The key holds the score's bits, but for NaN and -0 (which it keeps as +0).
      const auto bits = std::uint32_t(heap[j] >> 32);
      const float keyed = bits == 0 ? 0.0f : scoreOfKeyBits(bits);
      block.top[u * keep + j] = {
          ItemIndex{item},
          keyed == 0.0f || bits == 0 ? scorer.scoreOne(vector(u), std::size_t(item)) : keyed};
    }
  }
}

}  // namespace reco::factors
