#include "core/models/ease_model.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <istream>
#include <ostream>

#include <Eigen/Dense>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/parallel.h"
#include "core/data/training_data.h"
#include "core/models/factor_scoring.h"
#include "core/models/train_observer.h"

// OpenBLAS, declared here rather than through a header: Debian's libopenblas-openmp-dev
// ships cblas.h but neither lapack.h nor lapacke.h, and these four routines plus the thread
// setters are all the model needs (all in libopenblas.so.0 itself). Fortran calling
// convention: every argument by address, and a hidden length after the arguments for each
// character argument (spotri_ is gfortran-compiled LAPACK, which may read it; the C
// routines ignore it).
extern "C" {
void spotrf_(const char* uplo, const int* n, float* a, const int* lda, int* info, std::size_t);
void spotri_(const char* uplo, const int* n, float* a, const int* lda, int* info, std::size_t);
void strsm_(const char* side, const char* uplo, const char* transA, const char* diag, const int* m,
            const int* n, const float* alpha, const float* a, const int* lda, float* b,
            const int* ldb, std::size_t, std::size_t, std::size_t, std::size_t);
void ssyrk_(const char* uplo, const char* trans, const int* n, const int* k, const float* alpha,
            const float* a, const int* lda, const float* beta, float* c, const int* ldc,
            std::size_t, std::size_t);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int threads);
}

namespace reco {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr std::uint32_t kFormatVersion = 1;
// Pivot block of the sweep: every block is one rank-kBlock update of the whole matrix
// (n^2 kBlock flops), and Cancel is polled between blocks: about 0.2 s per block at 8000
// items on one thread of the 2-core EPYC. 128 was 13% slower there, 512 no faster.
constexpr std::int64_t kBlock = 256;

std::string gib(double bytes) {
  return formatFixed(bytes / double(1ull << 30), 1) + " GiB";
}

// OpenBLAS's thread count for the calls in this scope, then back to what it was. The
// OpenMP build keeps the count both in a global of its own and in the calling thread's
// OpenMP setting, and stays at 1 thread once the global is 1 whatever OpenMP says, so
// setting it for every fit and putting it back keeps LibTorch's BLAS calls (the same
// library) at their own count. Two fits in two threads at once may see each other's count:
// a speed difference only, the result does not depend on it beyond rounding.
// Splitting the products over threads of our own instead, each calling OpenBLAS on one
// thread, was tried: concurrent calls into this OpenMP build do not run in parallel (two
// threads' sgemm took as long as both in a row, OpenBLAS's own 2 threads half of that).
class BlasThreads {
 public:
  explicit BlasThreads(int threads) : previous_(openblas_get_num_threads()) {
    openblas_set_num_threads(threads);
  }
  ~BlasThreads() { openblas_set_num_threads(previous_); }
  BlasThreads(const BlasThreads&) = delete;
  BlasThreads& operator=(const BlasThreads&) = delete;

 private:
  int previous_;
};

// Replaces the symmetric positive definite n x n matrix `a` by -a^-1 with the symmetric sweep
// operator (blocked Gauss-Jordan without pivoting; stable for SPD matrices since every pivot
// block is a Schur complement, SPD itself). In BLAS terms `a` is column-major and only its
// upper triangle is read and written (the row-major lower triangle): per pivot block K, with
// K's Cholesky factor U (spotrf) and the columns C = a[K, outside K], the rest takes
// a -= C' a_KK^-1 C as one symmetric rank-kBlock update (ssyrk of W = U^-T C), a[K, outside]
// becomes a_KK^-1 C = U^-1 W, and a_KK becomes -a_KK^-1 (spotri). n^3 flops in all, like
// spotrf + spotri on the whole matrix (measured 8% faster at 8000 items, but with no place
// to stop for seconds), on OpenBLAS's threads. Returns false when stopped.
bool sweepInPlace(float* a, std::int64_t n, int threads, const std::stop_token& stop) {
  const BlasThreads blasThreads(threads);
  const std::size_t ld = std::size_t(n);
  const int size = int(n);
  std::vector<float> w(std::size_t(kBlock) * ld);  // C, then W, then a_KK^-1 C: kb x n
  std::vector<float> factor(std::size_t(kBlock * kBlock)), inverse(factor.size());
  const float one = 1.0f, minusOne = -1.0f;
  for (std::int64_t k0 = 0; k0 < n; k0 += kBlock) {
    if (stop.stop_requested()) return false;
    const std::int64_t k1 = std::min(n, k0 + kBlock);
    const int kb = int(k1 - k0);
    const std::size_t kbs = std::size_t(kb);
    // The pivot block's upper triangle, and its Cholesky factor.
    for (std::size_t j = 0; j < kbs; ++j)
      std::copy_n(a + (std::size_t(k0) + j) * ld + std::size_t(k0), j + 1, &factor[j * kbs]);
    int info = 0;
    spotrf_("U", &kb, factor.data(), &kb, &info, 1);
    if (info != 0) {
      throw Error(ErrorKind::Model, "ease: the Gram matrix is not positive definite at item " +
                                        std::to_string(k0 + std::max(info, 1) - 1) +
                                        "; raise lambda");
    }
    inverse = factor;
    spotri_("U", &kb, inverse.data(), &kb, &info, 1);
    RECO_CHECK(info == 0, ErrorKind::Internal,
               "ease: spotri failed on a factored pivot block (info " + std::to_string(info) + ")");
    // C: a[K, i] for every i outside K, read from the upper triangle; 0 on K itself.
    for (std::int64_t i = 0; i < n; ++i) {
      float* column = &w[std::size_t(i) * kbs];
      if (i < k0) {
        for (std::size_t j = 0; j < kbs; ++j) column[j] = a[(std::size_t(k0) + j) * ld + i];
      } else if (i < k1) {
        std::fill_n(column, kbs, 0.0f);
      } else {
        std::copy_n(a + std::size_t(i) * ld + std::size_t(k0), kbs, column);
      }
    }
    // W = U^-T C, so that C' a_KK^-1 C = W'W; a -= W'W; W becomes U^-1 W = a_KK^-1 C.
    strsm_("L", "U", "T", "N", &kb, &size, &one, factor.data(), &kb, w.data(), &kb, 1, 1, 1, 1);
    ssyrk_("U", "T", &size, &kb, &minusOne, w.data(), &kb, &one, a, &size, 1, 1);
    strsm_("L", "U", "N", "N", &kb, &size, &one, factor.data(), &kb, w.data(), &kb, 1, 1, 1, 1);
    for (std::int64_t i = 0; i < n; ++i) {
      const float* column = &w[std::size_t(i) * kbs];
      if (i < k0) {
        for (std::size_t j = 0; j < kbs; ++j) a[(std::size_t(k0) + j) * ld + i] = column[j];
      } else if (i >= k1) {
        std::copy_n(column, kbs, a + std::size_t(i) * ld + std::size_t(k0));
      }
    }
    for (std::size_t j = 0; j < kbs; ++j)
      for (std::size_t i = 0; i <= j; ++i)
        a[(std::size_t(k0) + j) * ld + std::size_t(k0) + i] = -inverse[j * kbs + i];
  }
  // Mirror the upper triangle (column-major) into the lower.
  parallelFor(n, threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (std::int64_t j = begin; j < end; ++j)
      for (std::int64_t i = j + 1; i < n; ++i)
        a[std::size_t(j) * ld + i] = a[std::size_t(i) * ld + j];
  });
  return true;
}

}  // namespace

const OptionTable<EaseOptions>& EaseOptions::table() {
  using O = EaseOptions;
  static const OptionTable<O> table{
      optionField("lambda", &O::lambda, 1e-6, {},
                  "L2 penalty on B (added to the Gram matrix's diagonal)"),
      optionField("dropout", &O::dropout, 0.0, 0.95,
                  "EDLAE: extra penalty p/(1-p) x the item's own count, as input dropout with "
                  "probability p would give; 0: plain EASE"),
      optionField("max_memory_gb", &O::maxMemoryGb, 0.0, {},
                  "memory budget of the dense item x item matrix in GiB; 0: 60% of the physical "
                  "memory"),
      feedbackField(&O::feedback,
                    "binary: every pair weighs 1; weighted: the pair's implicit weight"),
  };
  return table;
}

double EaseOptions::budgetBytes() const {
  if (maxMemoryGb > 0) return maxMemoryGb * double(1ull << 30);
  const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  return 0.6 * double(std::max(0L, pages)) * double(std::max(0L, pageSize));
}

double easeMemoryBytes(std::int64_t items) {
  const double n = double(items);
  return n * n * sizeof(float) + 3.0 * n * double(kBlock) * sizeof(float);
}

EaseModel::EaseModel(EaseOptions options, ComputeOptions compute)
    : options_(options), compute_(compute) {
  options_.validate();
}

Outcome EaseModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  const auto start = std::chrono::steady_clock::now();
  fitted_ = false;
  const std::int64_t n = data.itemCount;
  const double needed = easeMemoryBytes(n), budget = options_.budgetBytes();
  if (needed > budget) {
    throw Error(ErrorKind::Config, "ease needs a dense " + std::to_string(n) + " x " +
                                       std::to_string(n) + " matrix for " + std::to_string(n) +
                                       " items: " + gib(needed) + ", but max_memory_gb allows " +
                                       gib(budget) +
                                       "; filter rare items (k-core) or raise max_memory_gb");
  }
  RECO_CHECK(data.userItems.rows() == data.userCount && data.userItems.cols() == data.itemCount &&
                 data.itemUsers.rows() == data.itemCount,
             ErrorKind::Internal, "ease: TrainingData matrices do not match its counts");
  const int threads = resolveThreads(compute_.threads);
  CsrMatrix x = applyFeedback(data.userItems, options_.feedback);
  const CsrMatrix xt = applyFeedback(data.itemUsers, options_.feedback);
  report(observer, {"EASE Gram matrix", 0, 3});

  // G = X'X + lambda I + p/(1-p) diag(X'X), row i from the users of item i.
  const float dropoutScale = float(options_.dropout / (1.0 - options_.dropout));
  RowMatrixF m = RowMatrixF::Zero(n, n);
  parallelFor(n, threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (std::int64_t i = begin; i < end; ++i) {
      float* row = m.data() + i * n;
      const auto users = xt.rowCols(std::int32_t(i));
      const auto weights = xt.rowValues(std::int32_t(i));
      for (std::size_t e = 0; e < users.size(); ++e) {
        const auto cols = x.rowCols(users[e]);
        const auto values = x.rowValues(users[e]);
        for (std::size_t f = 0; f < cols.size(); ++f) row[cols[f]] += weights[e] * values[f];
      }
      row[i] += row[i] * dropoutScale + float(options_.lambda);
    }
  });
  if (stop.stop_requested()) return Outcome::Stopped;
  report(observer, {"EASE inversion", 1, 3});
  if (!sweepInPlace(m.data(), n, threads, stop)) return Outcome::Stopped;  // m = -P

  // B = I - P diag(1 / diag(P)): B[j, i] = -P[j, i] / P[i, i], B[i, i] = 0 (the ratio is the
  // same for m = -P).
  Eigen::VectorXf inverseDiagonal = m.diagonal().cwiseInverse();
  parallelFor(n, threads, [&](std::int64_t begin, std::int64_t end, int) {
    for (std::int64_t j = begin; j < end; ++j) {
      m.row(j) = -(m.row(j).array() * inverseDiagonal.transpose().array()).matrix();
      m(j, j) = 0.0f;
    }
  });
  weights_.assign(m.data(), m.data() + n * n);
  m = RowMatrixF();
  items_ = std::size_t(n);
  history_ = std::move(x);
  fitted_ = true;

  // Loss: the squared training error |x_u - x_u B|^2 per pair, over up to 256 users evenly
  // spaced (an estimate; the exact value costs a full scoring pass).
  const std::int32_t stride = std::max<std::int32_t>(1, data.userCount / 256);
  double error = 0, pairs = 0;
  std::vector<float> row(items_);
  for (std::int32_t u = 0; u < data.userCount; u += stride) {
    const UserIndex one[] = {UserIndex{u}};
    score(one, row);
    const auto cols = history_.rowCols(u);
    const auto values = history_.rowValues(u);
    std::size_t e = 0;
    for (std::size_t i = 0; i < items_; ++i) {
      const double target =
          (e < cols.size() && std::size_t(cols[e]) == i) ? double(values[e++]) : 0.0;
      error += (target - row[i]) * (target - row[i]);
    }
    pairs += double(cols.size());
  }
  const double loss = error / std::max(1.0, pairs);
  factors::checkLoss(modelName(), 1, loss);
  reportEpoch(observer,
              {1, 1, loss, std::nullopt, "",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  report(observer, {"EASE done", 3, 3});
  return Outcome::Completed;
}

void EaseModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, std::size_t(history_.rows()), items_, out.size());
  for (std::size_t u = 0; u < users.size(); ++u) {
    float* row = out.data() + u * items_;
    std::fill(row, row + items_, 0.0f);
    const auto cols = history_.rowCols(users[u].value);
    const auto values = history_.rowValues(users[u].value);
    for (std::size_t e = 0; e < cols.size(); ++e) {
      factors::axpy(values[e], weights_.data() + std::size_t(cols[e]) * items_, row, items_);
    }
  }
}

void EaseModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'ease' must be trained or loaded before scoring");
  RECO_CHECK(out.size() == items_, ErrorKind::Internal,
             "scoreHistory: out must hold itemCount() floats");
  std::fill(out.begin(), out.end(), 0.0f);
  std::vector<ItemIndex> unique(history.begin(), history.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  for (ItemIndex j : unique) {
    checkItem(j, items_);
    factors::axpy(1.0f, weights_.data() + std::size_t(j.value) * items_, out.data(), items_);
  }
}

std::vector<ScoredItem> EaseModel::similarItems(ItemIndex item, std::size_t n) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'ease' must be trained or loaded first");
  checkItem(item, items_);
  std::vector<float> column(items_);
  for (std::size_t j = 0; j < items_; ++j)
    column[j] = weights_[j * items_ + std::size_t(item.value)];
  const ItemIndex self[] = {item};
  return selectTopN(column, self, n);
}

void EaseModel::itemSimilarities(std::span<const ItemIndex> rows,
                                 std::span<const ItemIndex> columns, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'ease' must be trained or loaded first");
  RECO_CHECK(out.size() == rows.size() * columns.size(), ErrorKind::Internal,
             "itemSimilarities: out has " + std::to_string(out.size()) + " floats, expected " +
                 std::to_string(rows.size() * columns.size()));
  for (const ItemIndex column : columns) checkItem(column, items_);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    checkItem(rows[r], items_);
    for (std::size_t c = 0; c < columns.size(); ++c)
      out[r * columns.size() + c] =
          weights_[std::size_t(columns[c].value) * items_ + std::size_t(rows[r].value)];
  }
}

Explanation EaseModel::explain(UserIndex user, ItemIndex item,
                               std::span<const ItemIndex> history) const {
  checkItem(item, items_);
  std::vector<float> row(items_);
  const UserIndex one[] = {user};
  score(one, row);
  Explanation explanation;
  explanation.score = row[std::size_t(item.value)];
  for (ItemIndex j : history) {
    checkItem(j, items_);
    const double weight = weights_[std::size_t(j.value) * items_ + std::size_t(item.value)];
    if (weight > 0) explanation.because.push_back({j, weight});
  }
  factors::sortContributions(explanation.because);
  explanation.reason =
      explanation.because.empty() ? "no item you chose points to it" : "because you chose {item}";
  return explanation;
}

Explanation EaseModel::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'ease' must be trained or loaded first");
  checkItem(item, items_);
  std::vector<ItemIndex> unique(history.begin(), history.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  Explanation explanation;
  float score = 0;  // summed as scoreHistory() sums the rows of B
  for (ItemIndex j : unique) {
    checkItem(j, items_);
    const float weight = weights_[std::size_t(j.value) * items_ + std::size_t(item.value)];
    score += weight;
    if (weight > 0) explanation.because.push_back({j, double(weight)});
  }
  explanation.score = score;
  factors::sortContributions(explanation.because);
  explanation.reason = explanation.because.empty() ? "no item in the history points to it"
                                                   : "because the history has {item}";
  return explanation;
}

void EaseModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'ease' must be trained before saving");
  binary::writeHeader(out, "ease", kFormatVersion);
  binary::write<std::uint64_t>(out, items_);
  writeCsr(out, history_);
  binary::writeVector(out, weights_);
}

void EaseModel::load(std::istream& in) {
  binary::checkHeader(in, "ease", kFormatVersion);
  const auto items = binary::read<std::uint64_t>(in, "the item count");
  CsrMatrix history = readCsr(in, "the training matrix");
  auto weights = binary::readVector<float>(in, "the item weights B", 1ull << 40);
  if (weights.size() != items * items || std::uint64_t(history.cols()) != items) {
    throw Error(ErrorKind::Model, "ease model file holds " + std::to_string(weights.size()) +
                                      " weights and a matrix of " + std::to_string(history.cols()) +
                                      " items, expected " + std::to_string(items) + " x " +
                                      std::to_string(items));
  }
  items_ = items;
  history_ = std::move(history);
  weights_ = std::move(weights);
  fitted_ = true;
}

}  // namespace reco
