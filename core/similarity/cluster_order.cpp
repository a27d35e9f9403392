#include "core/similarity/cluster_order.h"

#include <cmath>
#include <cstddef>
#include <string>

#include "core/common/error.h"

namespace reco::similarity {

Clustering averageLinkage(std::span<const double> similarity, std::int32_t n) {
  RECO_CHECK(n >= 0 && similarity.size() == std::size_t(n) * std::size_t(n), ErrorKind::Internal,
             "averageLinkage: expected " + std::to_string(n) + " x " + std::to_string(n) +
                 " similarities, found " + std::to_string(similarity.size()));
  const auto un = std::size_t(n);
  // Working matrix of average similarities between current clusters, indexed by the slot of
  // the cluster's lowest original row; `id` maps a slot to its cluster number.
  std::vector<double> s(similarity.begin(), similarity.end());
  for (const double v : s) RECO_CHECK(!std::isnan(v), ErrorKind::Internal, "averageLinkage: NaN");
  std::vector<std::int32_t> size(un, 1), id(un);
  std::vector<bool> active(un, true);
  for (std::int32_t i = 0; i < n; ++i) id[std::size_t(i)] = i;

  Clustering result;
  result.merges.reserve(un > 0 ? un - 1 : 0);
  std::vector<std::int32_t> chain;
  chain.reserve(un);
  std::int32_t remaining = n;
  while (remaining > 1) {
    if (chain.empty()) {
      std::int32_t first = 0;
      while (!active[std::size_t(first)]) ++first;
      chain.push_back(first);
    }
    const std::int32_t a = chain.back();
    const std::int32_t previous = chain.size() > 1 ? chain[chain.size() - 2] : -1;
    // a's most similar active cluster; the previous link wins ties, so the chain ends in a
    // pair of reciprocal nearest neighbours instead of cycling.
    std::int32_t best = previous;
    double bestValue = previous >= 0 ? s[std::size_t(a) * un + std::size_t(previous)] : 0;
    for (std::int32_t c = 0; c < n; ++c) {
      if (c == a || !active[std::size_t(c)]) continue;
      const double v = s[std::size_t(a) * un + std::size_t(c)];
      if (best < 0 || v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    if (best != previous) {
      chain.push_back(best);
      continue;
    }
    // a and previous are reciprocal nearest neighbours: merge them into the lower slot.
    chain.pop_back();
    chain.pop_back();
    const std::int32_t keep = std::min(a, previous), drop = std::max(a, previous);
    const auto k = std::size_t(keep), d = std::size_t(drop);
    const double sizeKeep = size[k], sizeDrop = size[d];
    std::int32_t left = id[k], right = id[d];
    if (left > right) std::swap(left, right);
    result.merges.push_back({left, right, bestValue, size[k] + size[d]});
    // Lance-Williams for average linkage: the mean similarity to the union.
    for (std::size_t c = 0; c < un; ++c) {
      if (!active[c] || c == k || c == d) continue;
      const double v =
          (sizeKeep * s[k * un + c] + sizeDrop * s[d * un + c]) / (sizeKeep + sizeDrop);
      s[k * un + c] = v;
      s[c * un + k] = v;
    }
    size[k] += size[d];
    active[d] = false;
    id[k] = n + std::int32_t(result.merges.size()) - 1;
    --remaining;
  }

  // Leaf order: depth-first through the dendrogram from its root, left side first.
  result.order.reserve(un);
  if (n == 0) return result;
  std::vector<std::int32_t> stack{n == 1 ? 0 : 2 * n - 2};
  while (!stack.empty()) {
    const std::int32_t cluster = stack.back();
    stack.pop_back();
    if (cluster < n) {
      result.order.push_back(cluster);
      continue;
    }
    const Merge& merge = result.merges[std::size_t(cluster - n)];
    stack.push_back(merge.right);
    stack.push_back(merge.left);
  }
  return result;
}

}  // namespace reco::similarity
