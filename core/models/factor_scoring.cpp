#include "core/models/factor_scoring.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/models/classic_support.h"

namespace reco::factors {

void FactorScorer::reset(std::span<const float> itemFactors, std::size_t items, std::size_t dim,
                         std::span<const float> itemBias) {
  RECO_CHECK(itemFactors.size() == items * dim, ErrorKind::Internal,
             "item factors of the wrong size");
  RECO_CHECK(itemBias.empty() || itemBias.size() == items, ErrorKind::Internal,
             "item bias of the wrong size");
  items_ = items;
  dim_ = dim;
  const std::size_t panels = (items + kPanel - 1) / kPanel;
  packed_.assign(panels * dim * kPanel, 0.0f);
  for (std::size_t i = 0; i < items; ++i) {
    float* panel = packed_.data() + (i / kPanel) * dim * kPanel + i % kPanel;
    for (std::size_t f = 0; f < dim; ++f) panel[f * kPanel] = itemFactors[i * dim + f];
  }
  bias_.assign(panels * kPanel, 0.0f);  // padded: the kernel reads whole panels
  if (!itemBias.empty()) std::copy(itemBias.begin(), itemBias.end(), bias_.begin());
}

namespace {

constexpr std::size_t kPanel = FactorScorer::kPanel;

// R users x the panels [0, panels) of a packed chunk: each score starts at the item's bias
// and adds user[f] * item[f] with one fused multiply-add per f in ascending order, so a score
// does not depend on R, on the chunking or on the batch.
template <std::size_t R>
__attribute__((target("avx2,fma"))) void scoreTileAvx2(const float* users, std::size_t dim,
                                                       const float* packed, const float* bias,
                                                       std::size_t items, std::size_t panels,
                                                       float* out, std::size_t outStride) {
  std::size_t p = 0;
  alignas(32) float spill[2 * kPanel];
  for (; p + 2 <= panels; p += 2) {
    const float* a = packed + p * dim * kPanel;
    const float* b = a + dim * kPanel;
    __m256 acc[R][2];
    const __m256 bias0 = _mm256_loadu_ps(bias + p * kPanel),
                 bias1 = _mm256_loadu_ps(bias + p * kPanel + kPanel);
    for (std::size_t r = 0; r < R; ++r) {
      acc[r][0] = bias0;
      acc[r][1] = bias1;
    }
    for (std::size_t f = 0; f < dim; ++f) {
      const __m256 va = _mm256_loadu_ps(a + f * kPanel), vb = _mm256_loadu_ps(b + f * kPanel);
      for (std::size_t r = 0; r < R; ++r) {
        const __m256 x = _mm256_broadcast_ss(users + r * dim + f);
        acc[r][0] = _mm256_fmadd_ps(x, va, acc[r][0]);
        acc[r][1] = _mm256_fmadd_ps(x, vb, acc[r][1]);
      }
    }
    const std::size_t i0 = p * kPanel;
    for (std::size_t r = 0; r < R; ++r) {
      float* o = out + r * outStride + i0;
      if (i0 + 2 * kPanel <= items) {
        _mm256_storeu_ps(o, acc[r][0]);
        _mm256_storeu_ps(o + kPanel, acc[r][1]);
      } else {
        _mm256_store_ps(spill, acc[r][0]);
        _mm256_store_ps(spill + kPanel, acc[r][1]);
        std::copy_n(spill, items - i0, o);
      }
    }
  }
  for (; p < panels; ++p) {
    const float* a = packed + p * dim * kPanel;
    __m256 acc[R];
    for (std::size_t r = 0; r < R; ++r) acc[r] = _mm256_loadu_ps(bias + p * kPanel);
    for (std::size_t f = 0; f < dim; ++f) {
      const __m256 va = _mm256_loadu_ps(a + f * kPanel);
      for (std::size_t r = 0; r < R; ++r)
        acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(users + r * dim + f), va, acc[r]);
    }
    const std::size_t i0 = p * kPanel;
    for (std::size_t r = 0; r < R; ++r) {
      _mm256_store_ps(spill, acc[r]);
      std::copy_n(spill, std::min(kPanel, items - i0), out + r * outStride + i0);
    }
  }
}

// The same arithmetic without AVX2: std::fma rounds once, exactly as the vector FMA does.
void scoreTilePortable(const float* users, std::size_t rows, std::size_t dim, const float* packed,
                       const float* bias, std::size_t items, std::size_t panels, float* out,
                       std::size_t outStride) {
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t p = 0; p < panels; ++p) {
      const float* a = packed + p * dim * kPanel;
      for (std::size_t j = 0; j < kPanel && p * kPanel + j < items; ++j) {
        float acc = bias[p * kPanel + j];
        for (std::size_t f = 0; f < dim; ++f)
          acc = std::fma(users[r * dim + f], a[f * kPanel + j], acc);
        out[r * outStride + p * kPanel + j] = acc;
      }
    }
  }
}

// acc = bias, then acc = fma(user[f], column[f * kPanel], acc) for f ascending: one score
// as the tiles compute it. The fma clone makes std::fma one instruction instead of a call.
__attribute__((target_clones("fma", "default"))) float fmaChain(float bias, const float* user,
                                                                const float* column,
                                                                std::size_t dim) {
  float acc = bias;
  for (std::size_t f = 0; f < dim; ++f) acc = std::fma(user[f], column[f * kPanel], acc);
  return acc;
}

bool hasAvx2Fma() {
  static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return supported;
}

}  // namespace

void FactorScorer::score(const float* users, std::size_t n, float* out, bool portable) const {
  // Items in chunks whose packed factors stay in the second-level cache (32 panels of 8 items
  // x dim floats: 64 KiB at 64 factors), every user of the batch against one chunk before
  // the next, four users at a time in registers.
  constexpr std::size_t kChunkPanels = kChunkItems / kPanel;
  const std::size_t panels = (items_ + kPanel - 1) / kPanel;
  const bool avx2 = !portable && hasAvx2Fma();
  for (std::size_t pc = 0; pc < panels; pc += kChunkPanels) {
    const std::size_t chunk = std::min(kChunkPanels, panels - pc);
    const std::size_t i0 = pc * kPanel;
    const std::size_t chunkItems = std::min(items_, (pc + chunk) * kPanel) - i0;
    const float* packed = packed_.data() + pc * dim_ * kPanel;
    const float* bias = bias_.data() + i0;
    std::size_t u = 0;
    if (avx2) {
      for (; u + 4 <= n; u += 4)
        scoreTileAvx2<4>(users + u * dim_, dim_, packed, bias, chunkItems, chunk,
                         out + u * items_ + i0, items_);
      switch (n - u) {
        case 3:
          scoreTileAvx2<3>(users + u * dim_, dim_, packed, bias, chunkItems, chunk,
                           out + u * items_ + i0, items_);
          break;
        case 2:
          scoreTileAvx2<2>(users + u * dim_, dim_, packed, bias, chunkItems, chunk,
                           out + u * items_ + i0, items_);
          break;
        case 1:
          scoreTileAvx2<1>(users + u * dim_, dim_, packed, bias, chunkItems, chunk,
                           out + u * items_ + i0, items_);
          break;
        default: break;
      }
    } else {
      scoreTilePortable(users, n, dim_, packed, bias, chunkItems, chunk, out + i0, items_);
    }
  }
}

void FactorScorer::scoreChunk(const float* users, std::size_t n, std::size_t chunk, float* out,
                              std::size_t outStride) const {
  constexpr std::size_t kChunkPanels = kChunkItems / kPanel;
  const std::size_t panels = (items_ + kPanel - 1) / kPanel;
  const std::size_t pc = chunk * kChunkPanels;
  RECO_CHECK(pc < panels, ErrorKind::Internal, "scoreChunk: chunk out of range");
  const std::size_t count = std::min(kChunkPanels, panels - pc);
  const std::size_t i0 = pc * kPanel;
  const std::size_t items = std::min(items_, (pc + count) * kPanel) - i0;
  const float* packed = packed_.data() + pc * dim_ * kPanel;
  const float* bias = bias_.data() + i0;
  if (!hasAvx2Fma()) {
    scoreTilePortable(users, n, dim_, packed, bias, items, count, out, outStride);
    return;
  }
  std::size_t u = 0;
  for (; u + 4 <= n; u += 4)
    scoreTileAvx2<4>(users + u * dim_, dim_, packed, bias, items, count, out + u * outStride,
                     outStride);
  switch (n - u) {
    case 3:
      scoreTileAvx2<3>(users + u * dim_, dim_, packed, bias, items, count, out + u * outStride,
                       outStride);
      break;
    case 2:
      scoreTileAvx2<2>(users + u * dim_, dim_, packed, bias, items, count, out + u * outStride,
                       outStride);
      break;
    case 1:
      scoreTileAvx2<1>(users + u * dim_, dim_, packed, bias, items, count, out + u * outStride,
                       outStride);
      break;
    default: break;
  }
}

float FactorScorer::scoreOne(const float* user, std::size_t item) const {
  return fmaChain(bias_[item], user,
                  packed_.data() + (item / kPanel) * dim_ * kPanel + item % kPanel, dim_);
}

std::vector<ScoredItem> cosineNeighbours(std::span<const float> itemFactors, std::size_t items,
                                         std::size_t dim, ItemIndex item, std::size_t n) {
  RECO_CHECK(item.value >= 0 && std::size_t(item.value) < items, ErrorKind::Internal,
             "item index " + std::to_string(item.value) + " out of range [0, " +
                 std::to_string(items) + ")");
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

void cosineSimilarities(std::span<const float> itemFactors, std::size_t items, std::size_t dim,
                        std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) {
  RECO_CHECK(out.size() == rows.size() * columns.size(), ErrorKind::Internal,
             "itemSimilarities: out has " + std::to_string(out.size()) + " floats, expected " +
                 std::to_string(rows.size() * columns.size()));
  auto rowOf = [&](ItemIndex item) {
    RECO_CHECK(item.value >= 0 && std::size_t(item.value) < items, ErrorKind::Internal,
               "item index " + std::to_string(item.value) + " out of range [0, " +
                   std::to_string(items) + ")");
    return itemFactors.data() + std::size_t(item.value) * dim;
  };
  auto norm = [dim](const float* v) { return std::sqrt(double(dot(v, v, dim))); };
  std::vector<double> columnNorms;
  columnNorms.reserve(columns.size());
  for (const ItemIndex column : columns) columnNorms.push_back(norm(rowOf(column)));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const float* q = rowOf(rows[r]);
    const double qn = norm(q);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double vn = columnNorms[c];
      out[r * columns.size() + c] =
          qn > 0 && vn > 0 ? float(double(dot(q, rowOf(columns[c]), dim)) / (qn * vn)) : 0.0f;
    }
  }
}

std::vector<Explanation::Contribution> shareByCosine(std::span<const float> itemFactors,
                                                     std::size_t dim, ItemIndex item,
                                                     std::span<const ItemIndex> history,
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
  return "latent factors " + names + " carry " +
         std::to_string(int(std::lround(100.0 * share / positive))) + "% of the positive score";
}

void checkLoss(std::string_view model, int epoch, double loss, double limit) {
  if (!std::isfinite(loss)) {
    throw Error(ErrorKind::Model,
                quoted(model) + " diverged: the loss of epoch " + std::to_string(epoch) +
                    " is not a number; lower learning_rate or raise regularization");
  }
  if (loss > limit) {
    throw Error(ErrorKind::Model, quoted(model) + " diverged: the loss of epoch " +
                                      std::to_string(epoch) + " is " + formatNumber(loss) +
                                      ", expected below " + formatNumber(limit) +
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
  // Counts within an index's range and at least one factor, so that the products below
  // cannot wrap and every count is backed by factor values the file holds (a damaged count
  // must not size the scorer's buffers).
  if (m.users > std::uint64_t(INT32_MAX) || m.items > std::uint64_t(INT32_MAX) || m.k == 0 ||
      m.k > (std::uint64_t(1) << 20))
    throw Error(ErrorKind::Model, std::string(model) +
                                      " model file is corrupt: " + std::to_string(m.users) +
                                      " users, " + std::to_string(m.items) + " items and " +
                                      std::to_string(m.k) + " factors");
  m.userFactors = binary::readVector<float>(in, "the user factors");
  m.itemFactors = binary::readVector<float>(in, "the item factors");
  if (m.userFactors.size() != m.users * m.k || m.itemFactors.size() != m.items * m.k)
    throw Error(ErrorKind::Model, std::string(model) + " model file holds " +
                                      std::to_string(m.userFactors.size()) + " user and " +
                                      std::to_string(m.itemFactors.size()) +
                                      " item factor values, expected " + std::to_string(m.users) +
                                      " x " + std::to_string(m.k) + " and " +
                                      std::to_string(m.items) + " x " + std::to_string(m.k));
  return m;
}

}  // namespace reco::factors
