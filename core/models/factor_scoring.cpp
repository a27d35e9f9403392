#include "core/models/factor_scoring.h"

#include "core/common/binary_io.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/common/error.h"
#include "core/models/classic_support.h"

namespace reco::factors {

void FactorScorer::reset(std::span<const float> itemFactors, std::size_t items, std::size_t dim,
                         std::span<const float> itemBias) {
  RECO_CHECK(itemFactors.size() == items * dim, ErrorKind::Internal, "item factors of the wrong size");
  RECO_CHECK(itemBias.empty() || itemBias.size() == items, ErrorKind::Internal, "item bias of the wrong size");
  items_ = items;
  dim_ = dim;
  transposed_.assign(items * dim, 0.0f);
  for (std::size_t i = 0; i < items; ++i) {
    for (std::size_t f = 0; f < dim; ++f) transposed_[f * items + i] = itemFactors[i * dim + f];
  }
  bias_.assign(items, 0.0f);
  if (!itemBias.empty()) std::copy(itemBias.begin(), itemBias.end(), bias_.begin());
}

// The AVX2 clone runs the same operations 8 items at a time (no fused multiply-add in ISO
// C++ mode), so both clones give the same numbers.
__attribute__((target_clones("avx2", "default"))) void FactorScorer::score(const float* users, std::size_t n,
                                                                           float* out) const {
  // Items in chunks that stay in the first-level cache, four users at a time so that each
  // chunk of a factor row is loaded once per four users. Every score is accumulated in the
  // same order (bias, then f = 0, 1, ...), so grouping never changes a result.
  constexpr std::size_t kChunk = 1024;
  const float* vt = transposed_.data();
  for (std::size_t u0 = 0; u0 < n; u0 += 4) {
    const std::size_t group = std::min<std::size_t>(4, n - u0);
    for (std::size_t i0 = 0; i0 < items_; i0 += kChunk) {
      const std::size_t len = std::min(kChunk, items_ - i0);
      for (std::size_t g = 0; g < group; ++g) {
        std::copy_n(bias_.data() + i0, len, out + (u0 + g) * items_ + i0);
      }
      if (group == 4) {
        float* __restrict o0 = out + (u0 + 0) * items_ + i0;
        float* __restrict o1 = out + (u0 + 1) * items_ + i0;
        float* __restrict o2 = out + (u0 + 2) * items_ + i0;
        float* __restrict o3 = out + (u0 + 3) * items_ + i0;
        for (std::size_t f = 0; f < dim_; ++f) {
          const float a0 = users[(u0 + 0) * dim_ + f], a1 = users[(u0 + 1) * dim_ + f];
          const float a2 = users[(u0 + 2) * dim_ + f], a3 = users[(u0 + 3) * dim_ + f];
          const float* __restrict v = vt + f * items_ + i0;
          for (std::size_t i = 0; i < len; ++i) {
            o0[i] += a0 * v[i];
            o1[i] += a1 * v[i];
            o2[i] += a2 * v[i];
            o3[i] += a3 * v[i];
          }
        }
      } else {
        for (std::size_t g = 0; g < group; ++g) {
          float* __restrict o = out + (u0 + g) * items_ + i0;
          for (std::size_t f = 0; f < dim_; ++f) axpy(users[(u0 + g) * dim_ + f], vt + f * items_ + i0, o, len);
        }
      }
    }
  }
}

std::vector<ScoredItem> cosineNeighbours(std::span<const float> itemFactors, std::size_t items,
                                         std::size_t dim, ItemIndex item, std::size_t n) {
  RECO_CHECK(item.value >= 0 && std::size_t(item.value) < items, ErrorKind::Internal,
             "item index " + std::to_string(item.value) + " out of range [0, " + std::to_string(items) + ")");
  const float* q = itemFactors.data() + std::size_t(item.value) * dim;
  const double qn = std::sqrt(double(dot(q, q, dim)));
  std::vector<float> sims(items, 0.0f);
  for (std::size_t i = 0; i < items; ++i) {
    const float* v = itemFactors.data() + i * dim;
    const double vn = std::sqrt(double(dot(v, v, dim)));
    sims[i] = (qn > 0 && vn > 0) ? float(double(dot(q, v, dim)) / (qn * vn)) : 0.0f;
  }
  const ItemIndex self[] = {item};
  return selectTopN(sims, self, n);
}

std::vector<Explanation::Contribution> shareByCosine(std::span<const float> itemFactors, std::size_t dim,
                                                     ItemIndex item, std::span<const ItemIndex> history,
                                                     double score) {
  const std::size_t items = itemFactors.size() / std::max<std::size_t>(1, dim);
  const float* q = itemFactors.data() + std::size_t(item.value) * dim;
  const double qn = std::sqrt(double(dot(q, q, dim)));
  std::vector<Explanation::Contribution> because;
  double total = 0;
  for (ItemIndex j : history) {
    checkItem(j, items);
    const float* v = itemFactors.data() + std::size_t(j.value) * dim;
    const double vn = std::sqrt(double(dot(v, v, dim)));
    const double cosine = (qn > 0 && vn > 0) ? double(dot(q, v, dim)) / (qn * vn) : 0.0;
    if (cosine > 0 && j != item) {
      because.push_back({j, cosine});
      total += cosine;
    }
  }
  for (auto& c : because) c.weight = score * c.weight / total;
  sortContributions(because);
  return because;
}

void sortContributions(std::vector<Explanation::Contribution>& because, std::size_t keep) {
  std::sort(because.begin(), because.end(), [](const auto& a, const auto& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.item < b.item;
  });
  if (because.size() > keep) because.resize(keep);
}

std::string describeFactorProducts(const float* user, const float* item, std::size_t dim) {
  std::vector<std::size_t> order(dim);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> products(dim);
  double positive = 0;
  for (std::size_t f = 0; f < dim; ++f) {
    products[f] = double(user[f]) * double(item[f]);
    if (products[f] > 0) positive += products[f];
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return products[a] != products[b] ? products[a] > products[b] : a < b;
  });
  const std::size_t top = std::min<std::size_t>(3, dim);
  double share = 0;
  std::string names;
  for (std::size_t t = 0; t < top; ++t) {
    if (products[order[t]] <= 0) break;
    share += products[order[t]];
    names += (names.empty() ? "" : (t + 1 == top ? " and " : ", ")) + std::to_string(order[t]);
  }
  if (names.empty() || positive <= 0) return "no latent factor favours this item";
  return "latent factors " + names + " carry " + std::to_string(int(std::lround(100.0 * share / positive))) +
         "% of the positive score";
}

void checkLoss(std::string_view model, int epoch, double loss, double limit) {
  if (!std::isfinite(loss)) {
    throw Error(ErrorKind::Model, quoted(model) + " diverged: the loss of epoch " + std::to_string(epoch) +
                                      " is not a number; lower learning_rate or raise regularization");
  }
  if (loss > limit) {
    throw Error(ErrorKind::Model, quoted(model) + " diverged: the loss of epoch " + std::to_string(epoch) + " is " +
                                      std::to_string(loss) + ", expected below " + std::to_string(limit) +
                                      "; lower learning_rate or raise regularization");
  }
}

void writeFactors(std::ostream& out, std::uint64_t users, std::uint64_t items, std::uint64_t k,
                  const std::vector<float>& userFactors, const std::vector<float>& itemFactors) {
  binary::write<std::uint64_t>(out, users);
  binary::write<std::uint64_t>(out, items);
  binary::write<std::uint64_t>(out, k);
  binary::writeVector(out, userFactors);
  binary::writeVector(out, itemFactors);
}

FactorMatrices readFactors(std::istream& in, std::string_view model) {
  FactorMatrices m;
  m.users = binary::read<std::uint64_t>(in, "the user count");
  m.items = binary::read<std::uint64_t>(in, "the item count");
  m.k = binary::read<std::uint64_t>(in, "the factor count");
  m.userFactors = binary::readVector<float>(in, "the user factors");
  m.itemFactors = binary::readVector<float>(in, "the item factors");
  if (m.userFactors.size() != m.users * m.k || m.itemFactors.size() != m.items * m.k)
    throw Error(ErrorKind::Model, std::string(model) + " model file holds " + std::to_string(m.userFactors.size()) + " user and " +
                                      std::to_string(m.itemFactors.size()) + " item factor values, expected " +
                                      std::to_string(m.users) + " x " + std::to_string(m.k) + " and " + std::to_string(m.items) +
                                      " x " + std::to_string(m.k));
  return m;
}

}  // namespace reco::factors
