// Principal components of item vectors (the item map's PCA; issue 13). The neighbour layout is
// in neighbour_layout.cpp.
#include "core/similarity/projection.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <Eigen/Dense>

#include "core/common/error.h"
#include "core/common/parallel.h"

namespace reco::similarity {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Chunks summed in parallel before their partial sums are added, in chunk order, to the total:
// the grouping depends on n and dim only, never on the thread count.
constexpr std::size_t kChunksPerGroup = 8;

// Rows per chunk: about 16M multiply-adds of covariance each (4,096 rows at dim 64), so that a
// chunk is a few milliseconds and the stop request is seen often.
std::size_t chunkRows(std::size_t dim) {
  return std::clamp<std::size_t>((std::size_t{1} << 24) / (dim * dim), 64, 8192);
}

// Sums fn(begin, end, partial) over the row chunks of [0, n) into `total` (size values, zeroed
// here): each chunk writes its own zeroed partial, the partials of a group are computed in
// parallel and added in chunk order. Reports rows done after each group; false when stopped.
template <class Fn>
bool sumOverChunks(std::size_t n, std::size_t dim, std::size_t size, int threads,
                   JobObserver* observer, const std::stop_token& stop, std::vector<double>& total,
                   Fn&& fn) {
  const std::size_t rowsPerChunk = chunkRows(dim);
  const std::size_t chunks = (n + rowsPerChunk - 1) / rowsPerChunk;
  total.assign(size, 0.0);
  std::vector<double> partials(kChunksPerGroup * size);
  for (std::size_t first = 0; first < chunks; first += kChunksPerGroup) {
    if (stop.stop_requested()) return false;
    const std::size_t inGroup = std::min(kChunksPerGroup, chunks - first);
    parallelFor(std::int64_t(inGroup), threads, [&](std::int64_t begin, std::int64_t end, int) {
      for (auto c = std::size_t(begin); c < std::size_t(end); ++c) {
        double* partial = partials.data() + c * size;
        std::fill(partial, partial + size, 0.0);
        const std::size_t rowBegin = (first + c) * rowsPerChunk;
        fn(rowBegin, std::min(n, rowBegin + rowsPerChunk), partial);
      }
    });
    for (std::size_t c = 0; c < inGroup; ++c) {
      const double* partial = partials.data() + c * size;
      for (std::size_t v = 0; v < size; ++v) total[v] += partial[v];
    }
    report(observer, {"principal components", std::min(n, (first + inGroup) * rowsPerChunk), n});
  }
  return true;
}

}  // namespace

std::optional<Layout2d> principalComponents(std::span<const float> rows, std::size_t n,
                                            std::size_t dim, JobObserver* observer,
                                            std::stop_token stop, int threads) {
  RECO_CHECK(rows.size() == n * dim, ErrorKind::Internal,
             "principalComponents: expected " + std::to_string(n) + " x " + std::to_string(dim) +
                 " values, found " + std::to_string(rows.size()));
  if (n < 2 || dim < 1) {
    throw Error(ErrorKind::Config,
                "a principal component projection needs at least 2 rows of at "
                "least 1 dimension; found " +
                    std::to_string(n) + " rows of " + std::to_string(dim));
  }
  for (std::size_t v = 0; v < rows.size(); ++v) {
    if (!std::isfinite(rows[v])) {
      throw Error(ErrorKind::Data, "row " + std::to_string(v / dim) + ", column " +
                                       std::to_string(v % dim) +
                                       " of the vectors to project is not a finite number");
    }
  }
  const auto chunkOf = [&](std::size_t begin, std::size_t end) {
    return Eigen::Map<const RowMatrixF>(rows.data() + begin * dim, Eigen::Index(end - begin),
                                        Eigen::Index(dim));
  };

  // Pass 1: the mean row.
  std::vector<double> sum;
  if (!sumOverChunks(n, dim, dim, threads, nullptr, stop, sum,
                     [&](std::size_t begin, std::size_t end, double* partial) {
                       Eigen::Map<Eigen::RowVectorXd>(partial, Eigen::Index(dim)) =
                           chunkOf(begin, end).cast<double>().colwise().sum();
                     })) {
    return std::nullopt;
  }
  Eigen::RowVectorXd mean = Eigen::Map<const Eigen::RowVectorXd>(sum.data(), Eigen::Index(dim));
  mean /= double(n);

  // Pass 2: the scatter matrix of the centred rows (lower triangle; the solver reads only it).
  std::vector<double> scatter;
  if (!sumOverChunks(n, dim, dim * dim, threads, observer, stop, scatter,
                     [&](std::size_t begin, std::size_t end, double* partial) {
                       const Eigen::MatrixXd centred =
                           chunkOf(begin, end).cast<double>().rowwise() - mean;
                       Eigen::Map<Eigen::MatrixXd> s(partial, Eigen::Index(dim), Eigen::Index(dim));
                       s.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose());
                     })) {
    return std::nullopt;
  }
  const Eigen::Map<const Eigen::MatrixXd> scatterMatrix(scatter.data(), Eigen::Index(dim),
                                                        Eigen::Index(dim));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(scatterMatrix);
  RECO_CHECK(solver.info() == Eigen::Success, ErrorKind::Internal,
             "principalComponents: the eigen decomposition of the covariance failed");
  // Eigenvalues ascend: the last two columns are the first two principal axes.
  const Eigen::VectorXd& values = solver.eigenvalues();
  const double totalVariance = std::max(0.0, values.sum());
  const int axes = dim >= 2 ? 2 : 1;
  Eigen::MatrixXd basis = Eigen::MatrixXd::Zero(Eigen::Index(dim), 2);
  Layout2d layout;
  for (int a = 0; a < axes; ++a) {
    const Eigen::Index column = Eigen::Index(dim) - 1 - a;
    basis.col(a) = solver.eigenvectors().col(column);
    layout.explained[a] = totalVariance > 0 ? std::max(0.0, values[column]) / totalVariance : 0.0;
  }

  // Row by row with a fixed summation order (no blocked product), so that the coordinates do
  // not depend on how the rows are split over the threads.
  layout.x.resize(n);
  layout.y.resize(n);
  parallelFor(std::int64_t(n), threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (auto i = std::size_t(begin); i < std::size_t(end); ++i) {
      const float* row = rows.data() + i * dim;
      double px = 0, py = 0;
      for (std::size_t d = 0; d < dim; ++d) {
        const double centred = double(row[d]) - mean[Eigen::Index(d)];
        px += centred * basis(Eigen::Index(d), 0);
        py += centred * basis(Eigen::Index(d), 1);
      }
      layout.x[i] = float(px);
      layout.y[i] = float(py);
    }
  });

  // An eigenvector's sign is arbitrary: make the coordinate of largest magnitude positive.
  for (std::vector<float>* axis : {&layout.x, &layout.y}) {
    const auto largest = std::max_element(
        axis->begin(), axis->end(), [](float a, float b) { return std::abs(a) < std::abs(b); });
    if (*largest < 0) {
      for (float& v : *axis) v = -v;
    }
  }
  return layout;
}

}  // namespace reco::similarity
