#pragma once
/// Orders for a similarity heatmap (issue 13): a hierarchical clustering of the matrix itself,
/// so that blocks of alike items appear as squares on the diagonal.

#include <cstdint>
#include <span>
#include <vector>

namespace reco::similarity {

/// One merge of the clustering: clusters `left` and `right` join at average similarity
/// `similarity` into cluster n + (index of this merge). Clusters 0..n-1 are the rows.
struct Merge {
  std::int32_t left = 0;
  std::int32_t right = 0;
  double similarity = 0;
  std::int32_t size = 0;  ///< rows in the joined cluster
};

/// The dendrogram of average-linkage (UPGMA) clustering and its leaf order.
struct Clustering {
  std::vector<Merge> merges;        ///< n - 1 merges, in the order they happen
  std::vector<std::int32_t> order;  ///< the rows, left to right along the dendrogram's leaves
};

/// Average-linkage clustering of `n` rows from their symmetric similarity matrix
/// (`similarity`, n x n row-major; higher is more alike; any sign; the diagonal is ignored).
/// Each step joins the two clusters whose mean pairwise similarity is highest (ties: the
/// pair met first by the nearest-neighbour chain, which starts from the lowest free row), so
/// the result is deterministic. The leaf order puts the earlier-formed (or lower-numbered)
/// side of each merge first.
/// Nearest-neighbour chain algorithm: O(n^2) time and n^2 doubles of memory (8 MB at
/// n = 1,000). Throws Internal when similarity.size() != n * n or a value is NaN.
Clustering averageLinkage(std::span<const double> similarity, std::int32_t n);

}  // namespace reco::similarity
