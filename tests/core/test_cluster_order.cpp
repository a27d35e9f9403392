// The clustering order of a similarity heatmap (core/similarity/cluster_order.h): a planted
// block structure comes out as contiguous blocks, the merges are those of average linkage
// (checked against a direct O(n^3) computation), and small and bad inputs.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/similarity/cluster_order.h"
#include "tests/support/gtest_support.h"

namespace {

using reco::similarity::averageLinkage;

/// n rows in blocks (block[i] = i's block): 0.8 within a block, 0.1 across, plus noise.
std::vector<double> plantedBlocks(const std::vector<int>& block, std::uint64_t seed) {
  const std::size_t n = block.size();
  reco::Random rng(seed);
  std::vector<double> s(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double v = (block[i] == block[j] ? 0.8 : 0.1) + 0.1 * (rng.uniform() - 0.5);
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  return s;
}

TEST(ClusterOrder, PlantedBlocksComeOutContiguous) {
  // Blocks of 5, 7 and 4 rows, shuffled so that no block starts contiguous.
  std::vector<int> block;
  for (int b = 0; b < 3; ++b)
    block.insert(block.end(), std::size_t(b == 0 ? 5 : b == 1 ? 7 : 4), b);
  reco::Random rng(7);
  for (std::size_t i = block.size() - 1; i > 0; --i)
    std::swap(block[i], block[std::size_t(rng.uniform() * double(i + 1)) % (i + 1)]);
  const auto clustering = averageLinkage(plantedBlocks(block, 3), std::int32_t(block.size()));

  ASSERT_EQ(clustering.order.size(), block.size());
  std::vector<std::int32_t> sorted = clustering.order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], std::int32_t(i));
  // Along the order, the block changes exactly twice.
  int changes = 0;
  for (std::size_t r = 1; r < clustering.order.size(); ++r)
    changes +=
        block[std::size_t(clustering.order[r])] != block[std::size_t(clustering.order[r - 1])];
  EXPECT_EQ(changes, 2);
  ASSERT_EQ(clustering.merges.size(), block.size() - 1);
  EXPECT_EQ(clustering.merges.back().size, std::int32_t(block.size()));
}

// Average linkage by its definition: repeatedly join the two clusters of highest mean
// pairwise similarity over the original matrix. The heights (sorted) must be the same.
TEST(ClusterOrder, MergesAreAverageLinkage) {
  const std::int32_t n = 14;
  std::vector<int> block(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) block[std::size_t(i)] = i % 3;
  const auto s = plantedBlocks(block, 11);
  std::vector<std::vector<std::int32_t>> clusters;
  clusters.reserve(std::size_t(n));
  for (std::int32_t i = 0; i < n; ++i) clusters.push_back({i});
  std::vector<double> heights;
  while (clusters.size() > 1) {
    double best = -1e300;
    std::size_t bi = 0, bj = 1;
    for (std::size_t i = 0; i < clusters.size(); ++i)
      for (std::size_t j = i + 1; j < clusters.size(); ++j) {
        double sum = 0;
        for (const auto a : clusters[i])
          for (const auto b : clusters[j])
            sum += s[std::size_t(a) * std::size_t(n) + std::size_t(b)];
        const double mean = sum / double(clusters[i].size() * clusters[j].size());
        if (mean > best) best = mean, bi = i, bj = j;
      }
    heights.push_back(best);
    clusters[bi].insert(clusters[bi].end(), clusters[bj].begin(), clusters[bj].end());
    clusters.erase(clusters.begin() + std::ptrdiff_t(bj));
  }
  const auto clustering = averageLinkage(s, n);
  std::vector<double> found;
  for (const auto& merge : clustering.merges) found.push_back(merge.similarity);
  std::sort(heights.begin(), heights.end());
  std::sort(found.begin(), found.end());
  ASSERT_EQ(found.size(), heights.size());
  for (std::size_t m = 0; m < found.size(); ++m) EXPECT_CLOSE(found[m], heights[m], 1e-12);
}

TEST(ClusterOrder, SmallAndBadInputs) {
  EXPECT_TRUE(averageLinkage({}, 0).order.empty());
  const std::vector<double> one{1.0};
  EXPECT_EQ(averageLinkage(one, 1).order, std::vector<std::int32_t>{0});
  EXPECT_TRUE(averageLinkage(one, 1).merges.empty());
  const std::vector<double> two{1.0, 0.3, 0.3, 1.0};
  const auto pair = averageLinkage(two, 2);
  EXPECT_EQ(pair.order, (std::vector<std::int32_t>{0, 1}));
  ASSERT_EQ(pair.merges.size(), 1u);
  EXPECT_CLOSE(pair.merges[0].similarity, 0.3, 1e-12);
  EXPECT_THROW(averageLinkage(two, 3), reco::Error);
  const std::vector<double> nan{1.0, std::nan(""), std::nan(""), 1.0};
  EXPECT_THROW(averageLinkage(nan, 2), reco::Error);
  // Equal similarities everywhere: still a permutation, the same every time.
  const std::vector<double> flat(25, 0.5);
  const auto first = averageLinkage(flat, 5);
  EXPECT_EQ(first.order, averageLinkage(flat, 5).order);
  EXPECT_EQ(first.order.size(), 5u);
}

}  // namespace
