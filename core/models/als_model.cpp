#include "core/models/als_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <Eigen/Dense>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/train_observer.h"

namespace reco {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr std::uint32_t kFormatVersion = 1;

// Sum of f_r f_r' over the rows of `factors` (rows x k): fixed chunks of rows summed in
// order, so the result does not depend on the thread count.
std::vector<float> gramOf(const std::vector<float>& factors, std::size_t rows, std::size_t k,
                          int threads) {
  constexpr std::size_t kChunk = 8192;
  const std::size_t chunks = (rows + kChunk - 1) / kChunk;
  std::vector<Eigen::MatrixXf> parts(chunks);
  parallelFor(std::int64_t(chunks), threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (std::int64_t c = begin; c < end; ++c) {
      const std::size_t first = std::size_t(c) * kChunk, len = std::min(kChunk, rows - first);
      Eigen::Map<const RowMatrixF> m(factors.data() + first * k, Eigen::Index(len),
                                     Eigen::Index(k));
      parts[std::size_t(c)] = Eigen::MatrixXf::Zero(Eigen::Index(k), Eigen::Index(k));
      parts[std::size_t(c)].selfadjointView<Eigen::Lower>().rankUpdate(m.transpose());
      parts[std::size_t(c)] = parts[std::size_t(c)].selfadjointView<Eigen::Lower>();
    }
  });
  Eigen::MatrixXf sum = Eigen::MatrixXf::Zero(Eigen::Index(k), Eigen::Index(k));
  for (const auto& part : parts) sum += part;
  return std::vector<float>(sum.data(), sum.data() + k * k);
}

// The kernel of a half-step; compiled twice (AVX2 and baseline x86-64) and picked at load
// time. The order of every floating-point operation is fixed by the code (dot() keeps eight
// partial sums, no contraction to FMA in ISO mode), so both versions give the same numbers.
__attribute__((target_clones("avx2", "default"))) void cgKernel(
    const float* gram, const float* factors, std::size_t k, const std::int32_t* cols,
    const float* conf, std::size_t count, int steps, float* x, float* scratch) {
  using factors::axpy;
  using factors::dot;
  float* r = scratch;
  float* p = scratch + k;
  float* ap = scratch + 2 * k;
  // r = b - A x, with A = G + sum (c - 1) y y' and b = sum c y.
  std::fill(ap, ap + k, 0.0f);
  factors::symv(gram, x, ap, k);
  for (std::size_t f = 0; f < k; ++f) r[f] = -ap[f];
  for (std::size_t j = 0; j < count; ++j) {
    const float* y = factors + std::size_t(cols[j]) * k;
    const float c = conf[j];
    axpy(c - (c - 1.0f) * dot(y, x, k), y, r, k);
  }
  std::copy(r, r + k, p);
  float rsold = dot(r, r, k);
  if (rsold < 1e-20f) return;
  for (int step = 0; step < steps; ++step) {
    std::fill(ap, ap + k, 0.0f);
    factors::symv(gram, p, ap, k);
    for (std::size_t j = 0; j < count; ++j) {
      const float* y = factors + std::size_t(cols[j]) * k;
      axpy((conf[j] - 1.0f) * dot(y, p, k), y, ap, k);
    }
    const float pap = dot(p, ap, k);
    if (!(pap > 0.0f)) return;  // converged to rounding (or a zero direction)
    const float a = rsold / pap;
    axpy(a, p, x, k);
    axpy(-a, ap, r, k);
    const float rsnew = dot(r, r, k);
    if (rsnew < 1e-20f) return;
    const float beta = rsnew / rsold;
    for (std::size_t f = 0; f < k; ++f) p[f] = r[f] + beta * p[f];
    rsold = rsnew;
  }
}

// Solves every row of `matrix` (rows x other) for `own` given `other`. Returns false when
// stopped part-way.
bool halfStep(const CsrMatrix& matrix, const std::vector<float>& conf,
              const std::vector<float>& other, std::vector<float>& own,
              const std::vector<float>& gram, std::size_t k, int steps, int threads,
              const std::stop_token& stop) {
  std::vector<char> stopped(std::size_t(resolveThreads(threads)), 0);
  parallelFor(matrix.rows(), threads, [&](std::int64_t begin, std::int64_t end, int thread) {
    std::vector<float> scratch(3 * k);
    for (std::int64_t row = begin; row < end; ++row) {
      if ((row & 255) == 0 && stop.stop_requested()) {
        stopped[std::size_t(thread)] = 1;
        return;
      }
      const auto r = std::int32_t(row);
      const auto cols = matrix.rowCols(r);
      cgKernel(gram.data(), other.data(), k, cols.data(),
               conf.data() + matrix.rowStart()[std::size_t(r)], cols.size(), steps,
               own.data() + std::size_t(row) * k, scratch.data());
    }
  });
  return std::find(stopped.begin(), stopped.end(), 1) == stopped.end();
}

std::vector<float> confidenceOf(const CsrMatrix& matrix, double alpha) {
  std::vector<float> conf(matrix.values().size());
  for (std::size_t e = 0; e < conf.size(); ++e)
    conf[e] = float(1.0 + alpha * double(matrix.values()[e]));
  return conf;
}

}  // namespace

const OptionTable<AlsOptions>& AlsOptions::table() {
  using O = AlsOptions;
  static const OptionTable<O> table{
      optionField("factors", &O::factors, 1, 1024, "latent dimensions"),
      optionField("iterations", &O::iterations, 1, 100000,
                  "alternating passes (users, then items)"),
      optionField("regularization", &O::regularization, 0.0, {},
                  "L2 penalty on user and item factors"),
      optionField("alpha", &O::alpha, 0.0, {},
                  "confidence = 1 + alpha * weight of a training pair"),
      optionField("cg_steps", &O::cgSteps, 1, 1000, "conjugate-gradient steps per user/item solve"),
      feedbackField(&O::feedback,
                    "binary: every pair weighs 1; weighted: the pair's implicit weight"),
  };
  return table;
}

AlsModel::AlsModel(AlsOptions options, ComputeOptions compute)
    : FactorModel(compute, kFormatVersion), options_(options) {
  options_.validate();
}

void AlsModel::conjugateGradient(const float* gram, const float* factors, std::size_t k,
                                 std::span<const std::int32_t> cols,
                                 std::span<const float> confidence, int steps, float* x) {
  RECO_CHECK(cols.size() == confidence.size(), ErrorKind::Internal,
             "one confidence per column expected");
  std::vector<float> scratch(3 * k);
  cgKernel(gram, factors, k, cols.data(), confidence.data(), cols.size(), steps, x, scratch.data());
}

Outcome AlsModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  using Clock = std::chrono::steady_clock;
  fitted_ = false;
  const CsrMatrix userItems = applyFeedback(data.userItems, options_.feedback);
  const CsrMatrix itemUsers = applyFeedback(data.itemUsers, options_.feedback);
  RECO_CHECK(userItems.rows() == data.userCount && userItems.cols() == data.itemCount &&
                 itemUsers.rows() == data.itemCount && itemUsers.nnz() == userItems.nnz(),
             ErrorKind::Internal, "als: TrainingData matrices do not match its counts");
  const int threads = resolveThreads(compute_.threads);
  const std::vector<float> userConf = confidenceOf(userItems, options_.alpha);
  const std::vector<float> itemConf = confidenceOf(itemUsers, options_.alpha);

  // Small uniform start as in `implicit`, from the run's seed.
  Random rng(data.seed);
  startFactors(std::size_t(data.userCount), std::size_t(data.itemCount),
               std::size_t(options_.factors), [&] { return float(rng.uniform() * 0.01); });

  const auto reg = float(options_.regularization);
  const double pairs = double(std::max<std::int64_t>(1, userItems.nnz()));
  auto withReg = [&](std::vector<float> gram) {
    for (std::size_t f = 0; f < k_; ++f) gram[f * k_ + f] += reg;
    return gram;
  };
  std::vector<float> itemGram = gramOf(itemFactors_, items_, k_, threads);
  bool any = false;
  for (int it = 1; it <= options_.iterations; ++it) {
    if (stop.stop_requested()) break;
    const auto start = Clock::now();
    report(observer, {"ALS iteration", std::uint64_t(it - 1), std::uint64_t(options_.iterations)});
    if (!halfStep(userItems, userConf, itemFactors_, userFactors_, withReg(itemGram), k_,
                  options_.cgSteps, threads, stop))
      break;
    const std::vector<float> userGram = gramOf(userFactors_, users_, k_, threads);
    if (!halfStep(itemUsers, itemConf, userFactors_, itemFactors_, withReg(userGram), k_,
                  options_.cgSteps, threads, stop))
      break;
    itemGram = gramOf(itemFactors_, items_, k_, threads);

    // Objective: sum_u x_u' Y'Y x_u = <Y'Y, X'X>, plus, over training pairs, the difference
    // between c (1 - s)^2 and the s^2 already counted, plus the penalty.
    std::vector<double> perUser(users_, 0.0);
    parallelFor(std::int64_t(users_), threads, [&](std::int64_t begin, std::int64_t end, int) {
      for (std::int64_t u = begin; u < end; ++u) {
        const float* x = userFactors_.data() + std::size_t(u) * k_;
        const auto cols = userItems.rowCols(std::int32_t(u));
        const float* conf = userConf.data() + userItems.rowStart()[std::size_t(u)];
        double sum = 0;
        for (std::size_t j = 0; j < cols.size(); ++j) {
          const double s = factors::dot(x, itemFactors_.data() + std::size_t(cols[j]) * k_, k_);
          sum += double(conf[j]) * (1.0 - s) * (1.0 - s) - s * s;
        }
        perUser[std::size_t(u)] = sum;
      }
    });
    double objective = 0, penalty = 0;
    for (double v : perUser) objective += v;
    for (std::size_t e = 0; e < k_ * k_; ++e)
      objective += double(itemGram[e]) * double(userGram[e]);
    for (std::size_t f = 0; f < k_; ++f)
      penalty += double(itemGram[f * k_ + f]) + double(userGram[f * k_ + f]);
    const double loss = (objective + options_.regularization * penalty) / pairs;
    factors::checkLoss(modelName(), it, loss);
    any = true;
    if (observer && observer->wantsValidation())
      markFitted();  // the validator scores this iteration
    if (finishEpoch(observer, *this,
                    {it, options_.iterations, loss, std::nullopt, "",
                     std::chrono::duration<double>(Clock::now() - start).count()}))
      break;
  }
  if (!any) {
    userFactors_.clear();
    itemFactors_.clear();
    return Outcome::Stopped;
  }
  markFitted();
  report(observer,
         {"ALS iteration", std::uint64_t(options_.iterations), std::uint64_t(options_.iterations)});
  return stop.stop_requested() ? Outcome::Stopped : Outcome::Completed;
}

void AlsModel::refreshScoring() {
  FactorModel::refreshScoring();
  itemGram_ = gramOf(itemFactors_, items_, k_, compute_.threads);
}

std::vector<float> AlsModel::foldIn(std::span<const ItemIndex> history) const {
  const auto k = Eigen::Index(k_);
  const double c = 1.0 + options_.alpha;
  Eigen::MatrixXd a = Eigen::Map<const Eigen::MatrixXf>(itemGram_.data(), k, k).cast<double>();
  a.diagonal().array() += options_.regularization;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  for (ItemIndex item : history) {
    checkItem(item, items_);
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(itemRow(item), k).cast<double>();
    a.selfadjointView<Eigen::Lower>().rankUpdate(y, c - 1.0);
    b += c * y;
  }
  a = a.selfadjointView<Eigen::Lower>();
  const Eigen::VectorXd x = a.ldlt().solve(b);
  std::vector<float> out(k_);
  for (std::size_t f = 0; f < k_; ++f) out[f] = float(x[Eigen::Index(f)]);
  return out;
}

void AlsModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  checkScoreHistoryArgs(out);
  const std::vector<float> x = foldIn(history);
  scorer_.score(x.data(), 1, out.data());
}

Explanation AlsModel::explain(UserIndex user, ItemIndex item,
                              std::span<const ItemIndex> history) const {
  Explanation explanation = scoredExplanation(user, item);
  const auto k = Eigen::Index(k_);
  const double c = 1.0 + options_.alpha;
  Eigen::MatrixXd a = Eigen::Map<const Eigen::MatrixXf>(itemGram_.data(), k, k).cast<double>();
  a.diagonal().array() += options_.regularization;
  for (ItemIndex j : history) {
    checkItem(j, items_);
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(itemRow(j), k).cast<double>();
    a.selfadjointView<Eigen::Lower>().rankUpdate(y, c - 1.0);
  }
  a = a.selfadjointView<Eigen::Lower>();
  const Eigen::VectorXd w =
      a.ldlt().solve(Eigen::Map<const Eigen::VectorXf>(itemRow(item), k).cast<double>());
  for (ItemIndex j : history) {
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(itemRow(j), k).cast<double>();
    explanation.because.push_back({j, c * w.dot(y)});
  }
  factors::sortContributions(explanation.because);
  if (!explanation.because.empty() && explanation.because.front().weight > 0) {
    explanation.reason = "because you chose {item}";
  } else {
    explanation.reason = describeFactorProducts(user, item);
  }
  return explanation;
}

Explanation AlsModel::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  RECO_CHECK(isFitted(), ErrorKind::Model, "model 'als' must be trained or loaded first");
  checkItem(item, items_);
  Explanation explanation;
  if (history.empty()) {
    explanation.reason = "nothing in the history points to it";
    return explanation;
  }
  const auto k = Eigen::Index(k_);
  const double c = 1.0 + options_.alpha;
  Eigen::MatrixXd a = Eigen::Map<const Eigen::MatrixXf>(itemGram_.data(), k, k).cast<double>();
  a.diagonal().array() += options_.regularization;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  for (ItemIndex j : history) {
    checkItem(j, items_);
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(itemRow(j), k).cast<double>();
    a.selfadjointView<Eigen::Lower>().rankUpdate(y, c - 1.0);
    b += c * y;
  }
  a = a.selfadjointView<Eigen::Lower>();
  const auto ldlt = a.ldlt();
  const Eigen::VectorXd w =
      ldlt.solve(Eigen::Map<const Eigen::VectorXf>(itemRow(item), k).cast<double>());
  for (ItemIndex j : history) {
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXf>(itemRow(j), k).cast<double>();
    explanation.because.push_back({j, c * w.dot(y)});
    explanation.score += c * w.dot(y);
  }
  factors::sortContributions(explanation.because);
  if (explanation.because.front().weight > 0) {
    explanation.reason = "because the history has {item}";
  } else {
    const Eigen::VectorXd x = ldlt.solve(b);
    std::vector<float> user(k_);
    for (std::size_t f = 0; f < k_; ++f) user[f] = float(x[Eigen::Index(f)]);
    explanation.reason = factors::describeFactorProducts(user.data(), itemRow(item), k_);
  }
  return explanation;
}

void AlsModel::loadRest(std::istream&, const factors::FactorMatrices& file) {
  if (file.k != std::uint64_t(options_.factors))
    throw Error(ErrorKind::Model,
                "als model file holds " + std::to_string(file.k) +
                    " factors, expected factors = " + std::to_string(options_.factors));
}

}  // namespace reco
