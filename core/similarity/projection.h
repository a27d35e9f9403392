#pragma once
/// 2-D layouts of item vectors for the item map (issue 13): a principal component projection
/// and a neighbour-preserving layout (UMAP style: a k-nearest-neighbour graph, then a force
/// layout by stochastic gradient descent with negative sampling). Pure numerics over
/// row-major float matrices; no storage, no models.

#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <vector>

#include "core/common/progress.h"

namespace reco::similarity {

/// n points in the plane: x[i], y[i] is row i.
struct Layout2d {
  std::vector<float> x, y;
  /// PCA: the share of the total variance that each of the two axes explains (0..1); for
  /// the neighbour layout, both 0.
  double explained[2] = {0, 0};
};

/// The projection of the n rows of `rows` (n x dim, row-major) onto their first two principal
/// axes (the rows are centred first). Axis signs are fixed so that the coordinate of largest
/// magnitude along each axis is positive, so the result is deterministic.
/// With dim == 1 the second axis is 0 everywhere (explained[1] == 0).
/// Cost: O(n dim^2) for the covariance plus O(dim^3): 100k x 64 is ~0.4 GFLOP.
/// The covariance is summed in double over fixed row chunks in a fixed order, so `threads`
/// (0: the hardware concurrency) never changes the result. Progress under "principal
/// components" (rows). Throws Config when n < 2 or dim < 1, Data when a value is not finite,
/// Internal when rows.size() != n * dim. nullopt when `stop` is requested (polled every few
/// thousand rows).
std::optional<Layout2d> principalComponents(std::span<const float> rows, std::size_t n,
                                            std::size_t dim, JobObserver* observer,
                                            std::stop_token stop, int threads = 0);

struct NeighbourLayoutOptions {
  std::int32_t neighbours = 15;  ///< k of the neighbour graph, >= 2
  std::int32_t epochs = 200;     ///< passes over the graph's edges, >= 1
  std::uint64_t seed = 42;
  int threads = 0;  ///< 0: the hardware concurrency; never changes the result
};

/// The most rows the neighbour layout accepts (its exact neighbour graph is O(n^2 dim)).
inline constexpr std::size_t kMaxNeighbourLayoutRows = 50000;

/// A layout in which rows that are near in cosine similarity are near in the plane: the
/// exact k nearest neighbours of every row by cosine (blocked matrix products), fuzzy edge
/// weights as UMAP defines them, then `epochs` of attraction along edges and repulsion from
/// sampled rows, starting from the PCA projection. Same seed, same input: same result.
/// Progress under "neighbours" then "layout"; nullopt when stopped. Throws Config when
/// n > kMaxNeighbourLayoutRows or n <= neighbours.
std::optional<Layout2d> neighbourLayout(std::span<const float> rows, std::size_t n, std::size_t dim,
                                        const NeighbourLayoutOptions& options,
                                        JobObserver* observer, std::stop_token stop);

}  // namespace reco::similarity
