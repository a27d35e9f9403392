#pragma once
/// The pieces of a top-K selection over score rows that the evaluator (eval/evaluator.cpp)
/// and the factor models' fused ranking (models/factor_ranking.h) share, so that both
/// order items exactly alike: score descending, NaN last, ties by item index ascending.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

namespace reco {

/// AUC's value of a score: NaN counts as -infinity (below every number, tied with -inf).
inline constexpr float kLowestScore = -std::numeric_limits<float>::infinity();
inline float nanAsLowest(float score) {
  return std::isnan(score) ? kLowestScore : score;
}

/// A 64-bit key whose unsigned order is the ranking order: the score mapped to an
/// order-preserving 32-bit pattern (NaN lowest, -0 as +0) above the complemented item index
/// (lower index, larger key). Integer compares keep a top-K pass cheap and branch-predictable.
inline std::uint64_t orderKey(float score, std::int32_t item) {
  std::uint32_t bits = 0;
  if (!std::isnan(score)) {
    if (score == 0) score = 0;  // -0 ties with +0
    std::memcpy(&bits, &score, sizeof bits);
    // Negative: flip every bit; positive: set the sign bit (branch-free: signs are random).
    bits ^= std::uint32_t(std::int32_t(bits) >> 31) | 0x80000000u;
  }
  return (std::uint64_t(bits) << 32) | std::uint64_t(~std::uint32_t(item));
}

/// The item of an orderKey().
inline std::int32_t itemOfKey(std::uint64_t key) {
  return std::int32_t(~std::uint32_t(key));
}

/// The score whose orderKey() has these upper 32 bits (not 0, which is NaN's).
inline float scoreOfKeyBits(std::uint32_t bits) {
  bits ^= (bits & 0x80000000u) ? 0x80000000u : 0xffffffffu;
  float score = 0;
  std::memcpy(&score, &bits, sizeof score);
  return score;
}

/// Replaces the front of a min-heap (std::greater order) and sifts it down: one pass
/// instead of pop + push.
void replaceTop(std::vector<std::uint64_t>& heap, std::uint64_t key);

/// How many of scores[0, n) are >= threshold (NaN never is). A count, not an early exit,
/// so that it vectorises; compiled for AVX2 and for baseline x86-64.
std::uint32_t countAtLeast(const float* scores, std::size_t n, float threshold);

/// Adds |{i : scores[i] < p}| to `below` and |{i : scores[i] == p}| to `ties` over n < 2^32
/// scores (a NaN score counts in neither: callers count NaNs apart, as -infinity). AUC's
/// wins and ties, for the evaluator's rows and the factor models' chunks alike.
void countBelowAndTies(float p, const float* scores, std::size_t n, std::int64_t& below,
                       std::int64_t& ties);
/// How many of scores[0, n) are NaN.
std::int64_t countNans(const float* scores, std::size_t n);

/// Offers items [first, first + n) with `scores` to a min-heap of at most `keep` order keys
/// (front = the worst kept). `skip(i)` says an item may not be kept (a training item). Once
/// the heap is full and its worst score is a number, 32 scores with none >= it are
/// rejected by one vectorised compare (a NaN, or an equal score of a later item, ranks
/// below the worst): most of a long row costs that compare only.
template <class Skip>
void offerToHeap(std::vector<std::uint64_t>& heap, std::size_t keep, const float* scores,
                 std::int32_t first, std::size_t n, Skip&& skip) {
  constexpr std::size_t kFilterChunk = 32;
  for (std::size_t begin = 0; begin < n; begin += kFilterChunk) {
    const std::size_t end = std::min(n, begin + kFilterChunk);
    if (keep > 0 && heap.size() == keep) {
      const auto worstBits = std::uint32_t(heap.front() >> 32);
      if (worstBits != 0 &&
          countAtLeast(scores + begin, end - begin, scoreOfKeyBits(worstBits)) == 0)
        continue;
    }
    for (std::size_t j = begin; j < end; ++j) {
      const auto item = std::int32_t(first + std::int32_t(j));
      if (skip(item)) continue;
      const std::uint64_t key = orderKey(scores[j], item);
      if (heap.size() < keep) {
        heap.push_back(key);
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
      } else if (keep > 0 && key > heap.front()) {
        replaceTop(heap, key);
      }
    }
  }
}

}  // namespace reco
