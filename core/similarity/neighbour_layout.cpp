// The neighbour-preserving layout of the item map (issue 13), after UMAP (McInnes, Healy and
// Melville, 2018, and its reference implementation umap-learn): an exact k-nearest-neighbour
// graph by cosine distance, UMAP's fuzzy membership weights made symmetric, and a layout by
// stochastic gradient descent on UMAP's cross-entropy (attraction along sampled edges,
// repulsion from sampled rows), started from the PCA projection.
//
// Determinism: the neighbour graph is computed per row on fixed blocks (the thread count only
// decides who computes which block), and the descent runs on one thread with one seeded
// generator, so the same input and seed give the same layout whatever the thread count.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>

#include <Eigen/Dense>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/similarity/projection.h"

namespace reco::similarity {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Query rows per block, and reference rows per matrix product: a product is 1,024 x 4,096
// floats (16 MB), about 0.5 GFLOP at dim 64.
constexpr std::size_t kQueryBlock = 1024;
constexpr std::size_t kColumnBlock = 4096;
// UMAP's curve 1 / (1 + a d^2b) fitted to min_dist 0.1 and spread 1 (umap-learn's find_ab_params).
constexpr float kCurveA = 1.577f;
constexpr float kCurveB = 0.895f;
constexpr float kNegativeSamplesPerEdge = 5.0f;
constexpr float kGradientClip = 4.0f;
constexpr float kLearningRate = 1.0f;
// The initial layout fills [0, kBox] on both axes, as umap-learn's.
constexpr double kBox = 10.0;

/// The k nearest neighbours of every row: index[i * k + r], distance ascending (1 - cosine).
struct NeighbourGraph {
  std::size_t k = 0;
  std::vector<std::int32_t> index;
  std::vector<float> distance;
};

/// An undirected edge of the symmetric fuzzy graph: a < b, weight in (0, 1].
struct Edge {
  std::int32_t a = 0, b = 0;
  float weight = 0;
};

RowMatrixF unitRows(std::span<const float> rows, std::size_t n, std::size_t dim) {
  RowMatrixF unit = RowMatrixF(Eigen::Index(n), Eigen::Index(dim));
  for (std::size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (std::size_t d = 0; d < dim; ++d) {
      const float v = rows[i * dim + d];
      if (!std::isfinite(v)) {
        throw Error(ErrorKind::Data, "row " + std::to_string(i) + ", column " + std::to_string(d) +
                                         " of the vectors to lay out is not a finite number");
      }
      norm += double(v) * v;
    }
    // A zero row stays zero: its cosine with every row is 0.
    const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
    for (std::size_t d = 0; d < dim; ++d)
      unit(Eigen::Index(i), Eigen::Index(d)) = float(rows[i * dim + d] * scale);
  }
  return unit;
}

// Offers column j with similarity s to a row's list of the k most similar (similarity
// descending, `count` filled). Columns arrive in ascending order, so an equal similarity never
// displaces an earlier (lower) column: the result does not depend on the blocking.
void offer(float* sims, std::int32_t* index, std::size_t k, std::size_t& count, float s,
           std::int32_t j) {
  if (count == k && !(s > sims[k - 1])) return;
  std::size_t at = count < k ? count++ : k - 1;
  while (at > 0 && sims[at - 1] < s) {
    sims[at] = sims[at - 1];
    index[at] = index[at - 1];
    --at;
  }
  sims[at] = s;
  index[at] = j;
}

// The exact neighbour graph by blocked products of the unit rows. false when stopped.
bool nearestNeighbours(const RowMatrixF& unit, std::size_t k, int threads, JobObserver* observer,
                       const std::stop_token& stop, NeighbourGraph& graph) {
  const auto n = std::size_t(unit.rows());
  graph.k = k;
  graph.index.assign(n * k, 0);
  graph.distance.assign(n * k, 0.0f);
  std::vector<float> sims(n * k);
  const std::size_t blocks = (n + kQueryBlock - 1) / kQueryBlock;
  const int workers = resolveThreads(threads);
  const std::size_t blocksPerGroup = 2 * std::size_t(workers);
  report(observer, {"neighbours", 0, n});
  for (std::size_t first = 0; first < blocks; first += blocksPerGroup) {
    if (stop.stop_requested()) return false;
    const std::size_t inGroup = std::min(blocksPerGroup, blocks - first);
    parallelFor(std::int64_t(inGroup), workers, [&](std::int64_t begin, std::int64_t end, int) {
      RowMatrixF products;
      for (auto block = first + std::size_t(begin); block < first + std::size_t(end); ++block) {
        if (stop.stop_requested()) return;
        const std::size_t q0 = block * kQueryBlock, q1 = std::min(n, q0 + kQueryBlock);
        std::vector<std::size_t> count(q1 - q0, 0);
        for (std::size_t c0 = 0; c0 < n; c0 += kColumnBlock) {
          const std::size_t c1 = std::min(n, c0 + kColumnBlock);
          products.noalias() = unit.middleRows(Eigen::Index(q0), Eigen::Index(q1 - q0)) *
                               unit.middleRows(Eigen::Index(c0), Eigen::Index(c1 - c0)).transpose();
          for (std::size_t q = q0; q < q1; ++q) {
            float* rowSims = sims.data() + q * k;
            std::int32_t* rowIndex = graph.index.data() + q * k;
            std::size_t& filled = count[q - q0];
            const float* product = products.data() + (q - q0) * (c1 - c0);
            float threshold =
                filled == k ? rowSims[k - 1] : -std::numeric_limits<float>::infinity();
            for (std::size_t c = c0; c < c1; ++c) {
              if (product[c - c0] > threshold && c != q) {
                offer(rowSims, rowIndex, k, filled, product[c - c0], std::int32_t(c));
                if (filled == k) threshold = rowSims[k - 1];
              }
            }
          }
        }
        for (std::size_t v = q0 * k; v < q1 * k; ++v)
          graph.distance[v] = std::max(0.0f, 1.0f - sims[v]);
      }
    });
    if (stop.stop_requested()) return false;
    report(observer, {"neighbours", std::min(n, (first + inGroup) * kQueryBlock), n});
  }
  return true;
}

// UMAP's membership strength of each row's neighbours (umap-learn's smooth_knn_dist with
// local connectivity 1): rho is the distance to the nearest neighbour at a positive distance,
// sigma makes sum_j exp(-(d_j - rho) / sigma) = log2 k. Written over graph.distance.
void fuzzyMemberships(NeighbourGraph& graph, int threads) {
  const std::size_t k = graph.k, n = graph.distance.size() / k;
  const double target = std::log2(double(k));
  double meanAll = 0;
  for (const float d : graph.distance) meanAll += d;
  meanAll /= double(graph.distance.size());
  parallelFor(std::int64_t(n), threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (auto i = std::size_t(begin); i < std::size_t(end); ++i) {
      float* d = graph.distance.data() + i * k;
      double rho = 0, mean = 0;
      for (std::size_t r = 0; r < k; ++r) {
        mean += d[r];
        if (rho == 0 && d[r] > 0) rho = d[r];
      }
      mean /= double(k);
      double low = 0, high = std::numeric_limits<double>::infinity(), sigma = 1;
      for (int step = 0; step < 64; ++step) {
        double sum = 0;
        for (std::size_t r = 0; r < k; ++r) {
          const double excess = double(d[r]) - rho;
          sum += excess > 0 ? std::exp(-excess / sigma) : 1.0;
        }
        if (std::abs(sum - target) < 1e-5) break;
        if (sum > target) {
          high = sigma;
          sigma = (low + high) / 2;
        } else {
          low = sigma;
          sigma = std::isinf(high) ? sigma * 2 : (low + high) / 2;
        }
      }
      // umap-learn's floor on sigma (MIN_K_DIST_SCALE), so that duplicates cannot make it 0.
      sigma = std::max(sigma, 1e-3 * (rho > 0 ? mean : meanAll));
      for (std::size_t r = 0; r < k; ++r) {
        const double excess = double(d[r]) - rho;
        d[r] = float(excess > 0 ? std::exp(-excess / sigma) : 1.0);
      }
    }
  });
}

// The fuzzy union w = a + b - a b of the directed memberships, as undirected edges sorted by
// (a, b).
std::vector<Edge> symmetricEdges(const NeighbourGraph& graph) {
  const std::size_t k = graph.k, n = graph.index.size() / k;
  // (low, high, from the low end?, weight): each directed pair occurs at most once.
  std::vector<std::tuple<std::int32_t, std::int32_t, bool, float>> directed;
  directed.reserve(n * k);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < k; ++r) {
      const auto from = std::int32_t(i), to = graph.index[i * k + r];
      const float w = graph.distance[i * k + r];
      if (w <= 0) continue;
      directed.emplace_back(std::min(from, to), std::max(from, to), from < to, w);
    }
  }
  std::sort(directed.begin(), directed.end());
  std::vector<Edge> edges;
  edges.reserve(directed.size());
  for (std::size_t e = 0; e < directed.size(); ++e) {
    const auto& [a, b, fromLow, w] = directed[e];
    if (!edges.empty() && edges.back().a == a && edges.back().b == b) {
      const float other = edges.back().weight;
      edges.back().weight = other + w - other * w;
    } else {
      edges.push_back({a, b, w});
    }
  }
  return edges;
}

// The PCA projection of the unit rows, scaled per axis to [0, kBox] with a little seeded noise
// (an axis without spread is drawn at random): umap-learn's start from a given layout.
std::optional<std::vector<float>> initialLayout(const RowMatrixF& unit, Random& random, int threads,
                                                const std::stop_token& stop) {
  const auto n = std::size_t(unit.rows()), dim = std::size_t(unit.cols());
  auto pca = principalComponents(std::span<const float>(unit.data(), n * dim), n, dim, nullptr,
                                 stop, threads);
  if (!pca) return std::nullopt;
  std::vector<float> y(2 * n);
  for (int axis = 0; axis < 2; ++axis) {
    const std::vector<float>& v = axis == 0 ? pca->x : pca->y;
    const auto [low, high] = std::minmax_element(v.begin(), v.end());
    const double range = double(*high) - double(*low);
    for (std::size_t i = 0; i < n; ++i) {
      const double scaled =
          range > 1e-12 ? kBox * (double(v[i]) - *low) / range : kBox * random.uniform();
      y[2 * i + std::size_t(axis)] = float(scaled + 1e-4 * random.normal());
    }
  }
  return y;
}

float clipGradient(float g) {
  return std::clamp(g, -kGradientClip, kGradientClip);
}

// umap-learn's optimize_layout_euclidean with both ends of an edge moving: each directed edge is
// sampled once every max_w / w epochs, with kNegativeSamplesPerEdge repulsions per sample, and
// the learning rate falls linearly to 0. false when stopped.
bool optimiseLayout(std::vector<float>& y, const std::vector<Edge>& undirected, int epochs,
                    Random& random, JobObserver* observer, const std::stop_token& stop) {
  const std::size_t n = y.size() / 2;
  float maxWeight = 0;
  for (const Edge& e : undirected) maxWeight = std::max(maxWeight, e.weight);
  // Both directions of every edge whose weight would be sampled at least once (umap-learn
  // drops the others), in (head, tail) order.
  std::vector<Edge> edges;
  edges.reserve(2 * undirected.size());
  for (const Edge& e : undirected) {
    if (e.weight * float(epochs) < maxWeight) continue;
    edges.push_back({e.a, e.b, e.weight});
    edges.push_back({e.b, e.a, e.weight});
  }
  std::sort(edges.begin(), edges.end(),
            [](const Edge& l, const Edge& r) { return std::tie(l.a, l.b) < std::tie(r.a, r.b); });
  std::vector<float> perSample(edges.size()), nextSample(edges.size()), perNegative(edges.size()),
      nextNegative(edges.size());
  for (std::size_t e = 0; e < edges.size(); ++e) {
    perSample[e] = maxWeight / edges[e].weight;
    nextSample[e] = perSample[e];
    perNegative[e] = perSample[e] / kNegativeSamplesPerEdge;
    nextNegative[e] = perNegative[e];
  }
  constexpr float kTwoAB = 2.0f * kCurveA * kCurveB;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    if (stop.stop_requested()) return false;
    const float alpha = kLearningRate * (1.0f - float(epoch) / float(epochs));
    const auto now = float(epoch);
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (nextSample[e] > now) continue;
      float* head = y.data() + 2 * std::size_t(edges[e].a);
      float* tail = y.data() + 2 * std::size_t(edges[e].b);
      float dx = head[0] - tail[0], dy = head[1] - tail[1];
      float d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        // d/dy of -log(1 / (1 + a d^2b)): -2ab d^(2b-2) / (1 + a d^2b), times (head - tail).
        const float power = std::pow(d2, kCurveB);
        const float coefficient = -kTwoAB * (power / d2) / (kCurveA * power + 1.0f);
        const float gx = clipGradient(coefficient * dx) * alpha;
        const float gy = clipGradient(coefficient * dy) * alpha;
        head[0] += gx;
        head[1] += gy;
        tail[0] -= gx;
        tail[1] -= gy;
      }
      nextSample[e] += perSample[e];
      const auto negatives = int((now - nextNegative[e]) / perNegative[e]);
      for (int s = 0; s < negatives; ++s) {
        const auto other = std::int32_t(random.below(n));
        if (other == edges[e].a) continue;
        const float* away = y.data() + 2 * std::size_t(other);
        dx = head[0] - away[0];
        dy = head[1] - away[1];
        d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          // d/dy of -log(1 - 1 / (1 + a d^2b)), with umap-learn's 0.001 against a zero division.
          const float coefficient =
              2.0f * kCurveB / ((0.001f + d2) * (kCurveA * std::pow(d2, kCurveB) + 1.0f));
          head[0] += clipGradient(coefficient * dx) * alpha;
          head[1] += clipGradient(coefficient * dy) * alpha;
        } else {
          // Two rows on the same spot: push apart by the clip, as umap-learn does.
          head[0] += kGradientClip * alpha;
          head[1] += kGradientClip * alpha;
        }
      }
      nextNegative[e] += float(negatives) * perNegative[e];
    }
    report(observer, {"layout", std::uint64_t(epoch + 1), std::uint64_t(epochs)});
  }
  return true;
}

}  // namespace

std::optional<Layout2d> neighbourLayout(std::span<const float> rows, std::size_t n, std::size_t dim,
                                        const NeighbourLayoutOptions& options,
                                        JobObserver* observer, std::stop_token stop) {
  RECO_CHECK(rows.size() == n * dim, ErrorKind::Internal,
             "neighbourLayout: expected " + std::to_string(n) + " x " + std::to_string(dim) +
                 " values, found " + std::to_string(rows.size()));
  if (options.neighbours < 2 || options.epochs < 1) {
    throw Error(ErrorKind::Config,
                "the neighbour layout needs at least 2 neighbours and 1 epoch; "
                "found " +
                    std::to_string(options.neighbours) + " and " + std::to_string(options.epochs));
  }
  if (n > kMaxNeighbourLayoutRows) {
    throw Error(ErrorKind::Config,
                "the neighbour layout takes at most " + std::to_string(kMaxNeighbourLayoutRows) +
                    " rows (its exact neighbour graph grows with the square of the rows); found " +
                    std::to_string(n) + ": use the PCA projection");
  }
  const auto k = std::size_t(options.neighbours);
  if (n <= k || dim < 1) {
    throw Error(ErrorKind::Config, "the neighbour layout with " + std::to_string(k) +
                                       " neighbours needs more than " + std::to_string(k) +
                                       " rows of at least 1 dimension; found " + std::to_string(n) +
                                       " rows of " + std::to_string(dim));
  }
  const RowMatrixF unit = unitRows(rows, n, dim);
  NeighbourGraph graph;
  if (!nearestNeighbours(unit, k, options.threads, observer, stop, graph)) return std::nullopt;
  fuzzyMemberships(graph, options.threads);
  const std::vector<Edge> edges = symmetricEdges(graph);
  graph = {};

  Random random(options.seed);
  auto y = initialLayout(unit, random, options.threads, stop);
  if (!y) return std::nullopt;
  if (!optimiseLayout(*y, edges, options.epochs, random, observer, stop)) return std::nullopt;
  Layout2d layout;
  layout.x.resize(n);
  layout.y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    layout.x[i] = (*y)[2 * i];
    layout.y[i] = (*y)[2 * i + 1];
  }
  return layout;
}

}  // namespace reco::similarity
