#include "core/models/chunked_ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "core/common/error.h"
#include "core/models/top_selection.h"

namespace reco {
void rankInChunks(const ChunkedScores& scorer, DeviceRanking& block) {
  checkDeviceRanking(block, scorer.items(), "rankInChunks");
  const std::size_t n = block.users.size(), keep = block.n;
  const std::size_t relevantCount = block.relevant.size();
  const std::size_t width = scorer.chunkWidth();
  RECO_CHECK(width > 0, ErrorKind::Internal, "rankInChunks: chunks of no items");
  const std::size_t chunks = (scorer.items() + width - 1) / width;

  // Each user's excluded items ascending, for a cursor that follows the ascending items.
  std::vector<std::int32_t> exclude(block.exclude.begin(), block.exclude.end());
  for (std::size_t u = 0; u < n; ++u)
    std::sort(exclude.begin() + block.excludeStart[u], exclude.begin() + block.excludeStart[u + 1]);
  std::vector<std::int64_t> cursor(block.excludeStart.begin(), block.excludeStart.end() - 1);

  std::vector<float> positive(relevantCount);
  for (std::size_t u = 0; u < n; ++u)
    for (auto k = block.relevantStart[u]; k < block.relevantStart[u + 1]; ++k)
      positive[std::size_t(k)] =
          nanAsLowest(scorer.scoreOne(u, std::size_t(block.relevant[std::size_t(k)])));
  std::fill(block.below.begin(), block.below.end(), 0);
  std::fill(block.ties.begin(), block.ties.end(), 0);
  std::vector<std::int64_t> nans(n, 0);
  std::vector<std::vector<std::uint64_t>> heaps(n);
  for (auto& heap : heaps) heap.reserve(keep);

  // Never more than the catalogue per row, and not zeroed: scoreChunk writes every score read
  // (EASE ranks four users per call, so this buffer is made once per four users).
  const std::size_t stride = std::min(width, scorer.items());
  const auto chunkScores = std::make_unique_for_overwrite<float[]>(n * stride);
  for (std::size_t c = 0; c < chunks; ++c) {
    scorer.scoreChunk(c, chunkScores.get(), stride);
    const auto first = std::int32_t(c * width);
    const std::size_t length = std::min(width, scorer.items() - c * width);
    for (std::size_t u = 0; u < n; ++u) {
      const float* row = chunkScores.get() + u * stride;
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
      block.below[k] += positive[k] > kLowestScore ? nans[u] : 0;
      block.ties[k] += positive[k] == kLowestScore ? nans[u] : 0;
    }
    const auto takeOut = [&](std::int32_t item) {
      const float s = nanAsLowest(scorer.scoreOne(u, std::size_t(item)));
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
      block.top[u * keep + j] = {ItemIndex{item}, keyed == 0.0f || bits == 0
                                                      ? scorer.scoreOne(u, std::size_t(item))
                                                      : keyed};
    }
  }
}

}  // namespace reco
