#include "core/models/pure_svd.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <istream>
#include <ostream>

#include <Eigen/Dense>
#include <Eigen/SVD>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/train_observer.h"

namespace reco {
namespace {

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr std::uint32_t kFormatVersion = 1;

// out = a * dense, a sparse (rows x cols), dense (cols x l); rows in parallel.
RowMatrixD sparseTimes(const CsrMatrix& a, const RowMatrixD& dense, int threads) {
  RowMatrixD out = RowMatrixD::Zero(a.rows(), dense.cols());
  parallelFor(a.rows(), threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (std::int64_t r = begin; r < end; ++r) {
      const auto cols = a.rowCols(std::int32_t(r));
      const auto values = a.rowValues(std::int32_t(r));
      for (std::size_t e = 0; e < cols.size(); ++e)
        out.row(r) += double(values[e]) * dense.row(cols[e]);
    }
  });
  return out;
}

// An orthonormal basis of the columns of y (thin Q of a Householder QR).
RowMatrixD orthonormal(const RowMatrixD& y) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(y);
  return qr.householderQ() * Eigen::MatrixXd::Identity(y.rows(), y.cols());
}

}  // namespace

const OptionTable<PureSvdOptions>& PureSvdOptions::table() {
  using O = PureSvdOptions;
  static const OptionTable<O> table{
      optionField("factors", &O::factors, 1, 4096, "rank of the truncated SVD"),
      optionField("power_iterations", &O::powerIterations, 0, 100,
                  "power iterations of the randomized SVD (accuracy)"),
      optionField("oversampling", &O::oversampling, 0, 1000,
                  "extra random directions of the randomized SVD"),
      feedbackField(&O::feedback,
                    "binary: every pair weighs 1; weighted: the pair's implicit weight"),
  };
  return table;
}

PureSvdModel::PureSvdModel(PureSvdOptions options, ComputeOptions compute)
    : FactorModel(compute, kFormatVersion), options_(options) {
  options_.validate();
}

Outcome PureSvdModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  const auto start = std::chrono::steady_clock::now();
  fitted_ = false;
  const CsrMatrix x = applyFeedback(data.userItems, options_.feedback);
  const CsrMatrix xt = applyFeedback(data.itemUsers, options_.feedback);
  RECO_CHECK(
      x.rows() == data.userCount && x.cols() == data.itemCount && xt.rows() == data.itemCount,
      ErrorKind::Internal, "puresvd: TrainingData matrices do not match its counts");
  const std::int64_t m = data.userCount, n = data.itemCount;
  RECO_CHECK(m > 0 && n > 0, ErrorKind::Config, "puresvd needs at least one user and one item");
  const int threads = resolveThreads(compute_.threads);
  const std::int64_t k = std::min<std::int64_t>(options_.factors, std::min(m, n));
  const std::int64_t l = std::min<std::int64_t>(k + options_.oversampling, std::min(m, n));
  const int steps = options_.powerIterations + 2;
  int step = 0;
  auto progress = [&] {
    report(observer, {"PureSVD", std::uint64_t(step++), std::uint64_t(steps)});
  };

  Random rng(data.seed);
  RowMatrixD omega(n, l);
  for (Eigen::Index i = 0; i < omega.size(); ++i) omega.data()[i] = rng.normal();
  progress();
  RowMatrixD q = orthonormal(sparseTimes(x, omega, threads));
  for (int it = 0; it < options_.powerIterations; ++it) {
    if (stop.stop_requested()) return Outcome::Stopped;
    progress();
    const RowMatrixD z = orthonormal(sparseTimes(xt, q, threads));
    q = orthonormal(sparseTimes(x, z, threads));
  }
  if (stop.stop_requested()) return Outcome::Stopped;
  progress();
  // B = Q'X (l x items); its right singular vectors are X's item factors.
  const Eigen::MatrixXd bt = sparseTimes(xt, q, threads);
  Eigen::BDCSVD<Eigen::MatrixXd> svd(bt, Eigen::ComputeThinU);
  const RowMatrixD v = svd.matrixU().leftCols(k);
  const RowMatrixD userVectors = sparseTimes(x, v, threads);

  users_ = std::size_t(m);
  items_ = std::size_t(n);
  k_ = std::size_t(k);
  itemFactors_.assign(v.data(), v.data() + v.size());
  userFactors_.resize(userVectors.size());
  for (Eigen::Index i = 0; i < userVectors.size(); ++i)
    userFactors_[std::size_t(i)] = float(userVectors.data()[i]);
  singularValues_.resize(std::size_t(k));
  for (std::int64_t f = 0; f < k; ++f)
    singularValues_[std::size_t(f)] = float(svd.singularValues()[f]);
  markFitted();

  double total = 0;
  for (float value : x.values()) total += double(value) * double(value);
  const double loss = total > 0 ? std::max(0.0, 1.0 - userVectors.squaredNorm() / total) : 0.0;
  factors::checkLoss(modelName(), 1, loss);
  reportEpoch(observer,
              {1, 1, loss, std::nullopt, "",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  step = steps;
  progress();
  return Outcome::Completed;
}

void PureSvdModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  checkScoreHistoryArgs(out);
  std::vector<ItemIndex> unique(history.begin(), history.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<float> vector(k_, 0.0f);
  for (ItemIndex j : unique) {
    checkItem(j, items_);
    factors::axpy(1.0f, itemRow(j), vector.data(), k_);
  }
  scorer_.score(vector.data(), 1, out.data());
}

Explanation PureSvdModel::explain(UserIndex user, ItemIndex item,
                                  std::span<const ItemIndex> history) const {
  Explanation explanation = scoredExplanation(user, item);
  const float* vi = itemRow(item);
  for (ItemIndex j : history) {
    checkItem(j, items_);
    const double weight = factors::dot(itemRow(j), vi, k_);
    if (weight > 0) explanation.because.push_back({j, weight});
  }
  factors::sortContributions(explanation.because);
  explanation.reason =
      explanation.because.empty() ? describeFactorProducts(user, item) : "because you chose {item}";
  return explanation;
}

Explanation PureSvdModel::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  RECO_CHECK(isFitted(), ErrorKind::Model, "model 'puresvd' must be trained or loaded first");
  checkItem(item, items_);
  std::vector<ItemIndex> unique(history.begin(), history.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<float> vector(k_, 0.0f);
  const float* vi = itemRow(item);
  Explanation explanation;
  for (ItemIndex j : unique) {
    checkItem(j, items_);
    factors::axpy(1.0f, itemRow(j), vector.data(), k_);
    const double weight = factors::dot(itemRow(j), vi, k_);
    if (weight > 0) explanation.because.push_back({j, weight});
  }
  explanation.score = factors::dot(vector.data(), vi, k_);
  factors::sortContributions(explanation.because);
  explanation.reason = !explanation.because.empty() ? "because the history has {item}"
                       : unique.empty()             ? "nothing in the history points to it"
                                        : factors::describeFactorProducts(vector.data(), vi, k_);
  return explanation;
}

void PureSvdModel::saveRest(std::ostream& out) const {
  binary::writeVector(out, singularValues_);
}

void PureSvdModel::loadRest(std::istream& in, const factors::FactorMatrices& file) {
  auto singular = binary::readVector<float>(in, "the singular values");
  if (file.k > std::uint64_t(options_.factors) || singular.size() != file.k) {
    throw Error(ErrorKind::Model, "puresvd model file holds rank " + std::to_string(file.k) +
                                      " with " + std::to_string(singular.size()) +
                                      " singular values, expected a rank up to factors = " +
                                      std::to_string(options_.factors) +
                                      " and one value per factor");
  }
  singularValues_ = std::move(singular);
}

}  // namespace reco
