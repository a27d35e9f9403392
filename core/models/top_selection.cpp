#include "core/models/top_selection.h"

namespace reco {

void replaceTop(std::vector<std::uint64_t>& heap, std::uint64_t key) {
  const std::size_t n = heap.size();
  std::size_t i = 0;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap[child + 1] < heap[child]) ++child;
    if (heap[child] >= key) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = key;
}

__attribute__((target_clones("avx2", "default"))) std::uint32_t countAtLeast(const float* scores,
                                                                             std::size_t n,
                                                                             float threshold) {
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += std::uint32_t(scores[i] >= threshold);
  return count;
}

// Both compiled for AVX2 and baseline x86-64; integer counts, so the two agree.
__attribute__((target_clones("avx2", "default"))) void countBelowAndTies(
    float p, const float* scores, std::size_t n, std::int64_t& below, std::int64_t& ties) {
  std::uint32_t lower = 0, equal = 0;
  for (std::size_t i = 0; i < n; ++i) {
    lower += std::uint32_t(scores[i] < p);
    equal += std::uint32_t(scores[i] == p);
  }
  below += lower;
  ties += equal;
}

__attribute__((target_clones("avx2", "default"))) std::int64_t countNans(const float* scores,
                                                                         std::size_t n) {
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += std::uint32_t(scores[i] != scores[i]);
  return count;
}

}  // namespace reco
