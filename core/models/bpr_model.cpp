#include "core/models/bpr_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <istream>
#include <numeric>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/classic_support.h"
#include "core/models/train_observer.h"

namespace reco {
namespace {

constexpr std::uint32_t kFormatVersion = 1;

struct Pair {
  std::int32_t user, item;
};

struct Sgd {
  float* users;
  float* items;
  float* bias;  // null without item bias
  std::size_t k;
  float learningRate, regularization;
};

// One stratum's share of an epoch: `draws` triples from `pairs`, negatives drawn uniformly
// from the `negatives` list (which repeats items for popularity sampling) and rejected while
// positive for the user. Compiled for AVX2 and for
// baseline x86-64; the order of operations is fixed, so both give the same numbers.
__attribute__((target_clones("avx2", "default"))) double trainStratum(
    const Sgd& sgd, const CsrMatrix& userItems, const std::vector<Pair>& pairs,
    const std::vector<std::int32_t>& negatives, const std::vector<std::uint64_t>& positives,
    Random& rng, std::size_t draws, int attempts) {
  const std::size_t k = sgd.k;
  const float lr = sgd.learningRate, reg = sgd.regularization;
  double loss = 0;
  if (pairs.empty() || negatives.empty()) return 0;
  for (std::size_t d = 0; d < draws; ++d) {
    const Pair pair = pairs[rng.below(pairs.size())];
    const auto seen = userItems.rowCols(pair.user);
    const std::uint64_t rowBit = std::uint64_t(pair.user) * std::uint64_t(userItems.cols());
    std::int32_t j = -1;
    for (int attempt = 0; attempt < attempts; ++attempt) {
      const std::int32_t candidate = negatives[rng.below(negatives.size())];
      const bool positive = positives.empty()
                                ? std::binary_search(seen.begin(), seen.end(), candidate)
                                : (positives[(rowBit + std::uint64_t(candidate)) >> 6] >>
                                   ((rowBit + std::uint64_t(candidate)) & 63)) &
                                      1;
      if (!positive) {
        j = candidate;
        break;
      }
    }
    if (j < 0) continue;  // no negative found: the sample is skipped
    float* pu = sgd.users + std::size_t(pair.user) * k;
    float* qi = sgd.items + std::size_t(pair.item) * k;
    float* qj = sgd.items + std::size_t(j) * k;
    float acc[16] = {};
    std::size_t f = 0;
    for (; f + 16 <= k; f += 16) {
      for (int l = 0; l < 16; ++l)
        acc[l] += pu[f + std::size_t(l)] * (qi[f + std::size_t(l)] - qj[f + std::size_t(l)]);
    }
    for (; f < k; ++f) acc[f % 16] += pu[f] * (qi[f] - qj[f]);
    for (int l = 0; l < 8; ++l) acc[l] += acc[l + 8];
    float x = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    if (sgd.bias) x += sgd.bias[pair.item] - sgd.bias[j];
    // z = sigmoid(-x), the gradient's weight; -log sigmoid(x) = log(1 + e^x) - x.
    const float e = std::exp(std::min(x, 30.0f));
    const float z = 1.0f / (1.0f + e);
    loss += x > 30.0f ? double(std::exp(-x)) : double(std::log1p(e) - x);
    for (f = 0; f < k; ++f) {
      const float u = pu[f], vi = qi[f], vj = qj[f];
      pu[f] = u + lr * (z * (vi - vj) - reg * u);
      qi[f] = vi + lr * (z * u - reg * vi);
      qj[f] = vj + lr * (-z * u - reg * vj);
    }
    if (sgd.bias) {
      sgd.bias[pair.item] += lr * (z - reg * sgd.bias[pair.item]);
      sgd.bias[j] += lr * (-z - reg * sgd.bias[j]);
    }
  }
  return loss;
}

/// learning_rate_scale=auto's factor (bpr_model.h): clamp(users / (2 items), 1, 10), over
/// the users and items with a training pair.
double stepScale(const CsrMatrix& userItems) {
  std::int64_t users = 0, items = 0;
  std::vector<char> bought(std::size_t(userItems.cols()), 0);
  for (std::int32_t u = 0; u < userItems.rows(); ++u) {
    const auto row = userItems.rowCols(u);
    if (!row.empty()) ++users;
    for (std::int32_t i : row) bought[std::size_t(i)] = 1;
  }
  for (char b : bought) items += b;
  if (items == 0) return 1.0;
  return std::clamp(double(users) / (2.0 * double(items)), 1.0, 10.0);
}

double squaredNorm(const std::vector<float>& values) {
  double sum = 0;
  for (float v : values) sum += double(v) * double(v);
  return sum;
}

}  // namespace

const OptionTable<BprOptions>& BprOptions::table() {
  using O = BprOptions;
  static const OptionTable<O> table{
      optionField("factors", &O::factors, 1, 1024, "latent dimensions"),
      optionField("epochs", &O::epochs, 1, 100000,
                  "passes; each draws as many triples as training pairs"),
      optionField("learning_rate", &O::learningRate, 1e-9, 10.0, "SGD step size"),
      optionField("regularization", &O::regularization, 0.0, {},
                  "L2 penalty on the updated factors and biases"),
      optionField("item_bias", &O::itemBias, "learn an item bias (as cornac does)"),
      choiceField("negative_sampling", &O::negativeSampling, {"uniform", "popularity"},
                  "uniform (cornac) or in proportion to item popularity (the implicit library)"),
      choiceField("learning_rate_scale", &O::learningRateScale, {"auto", "none"},
                  "auto: the step times clamp(users / (2 items), 1, 10), for shops with many "
                  "more users than items; none: learning_rate as given"),
  };
  return table;
}

BprModel::BprModel(BprOptions options, ComputeOptions compute)
    : FactorModel(compute, kFormatVersion), options_(options) {
  options_.validate();
}

Outcome BprModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  using Clock = std::chrono::steady_clock;
  fitted_ = false;
  const CsrMatrix& userItems = data.userItems;
  RECO_CHECK(userItems.rows() == data.userCount && userItems.cols() == data.itemCount,
             ErrorKind::Internal, "bpr: TrainingData matrices do not match its counts");
  Random rng(data.seed);
  // cornac's start: uniform in (-0.5, 0.5) / factors.
  const auto k = std::size_t(options_.factors);
  startFactors(std::size_t(data.userCount), std::size_t(data.itemCount), k,
               [&] { return float((rng.uniform() - 0.5) / double(k)); });
  itemBias_.assign(options_.itemBias ? items_ : 0, 0.0f);

  // Blocks: users contiguous, balanced by pairs; items by a seeded shuffle in equal parts,
  // so that every block holds a fair mix of popular and rare items.
  const auto blocks = std::size_t(
      std::max(1, std::min<int>(resolveThreads(compute_.threads),
                                int(std::max<std::size_t>(1, std::min(users_, items_))))));
  std::vector<std::size_t> userBlock(users_);
  const double nnz = double(std::max<std::int64_t>(1, userItems.nnz()));
  for (std::size_t u = 0; u < users_; ++u) {
    userBlock[u] =
        std::min(blocks - 1, std::size_t(double(userItems.rowStart()[u]) / nnz * double(blocks)));
  }
  std::vector<std::int32_t> order(items_);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = items_; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  std::vector<std::vector<std::int32_t>> negatives(blocks);
  std::vector<std::size_t> itemBlock(items_);
  for (std::size_t p = 0; p < items_; ++p) {
    const std::size_t b = p * blocks / std::max<std::size_t>(1, items_);
    itemBlock[std::size_t(order[p])] = b;
    negatives[b].push_back(order[p]);
  }
  for (auto& list : negatives) std::sort(list.begin(), list.end());
  if (options_.negativeSampling == "popularity") {
    // Every training occurrence of an item is a candidate: drawn uniformly from this list,
    // an item comes up in proportion to its popularity.
    for (auto& list : negatives) list.clear();
    for (std::size_t u = 0; u < users_; ++u)
      for (std::int32_t i : userItems.rowCols(std::int32_t(u)))
        negatives[itemBlock[std::size_t(i)]].push_back(i);
  }
  std::vector<std::vector<Pair>> strata(blocks * blocks);
  for (std::size_t u = 0; u < users_; ++u) {
    for (std::int32_t i : userItems.rowCols(std::int32_t(u))) {
      strata[userBlock[u] * blocks + itemBlock[std::size_t(i)]].push_back({std::int32_t(u), i});
    }
  }
  // Positives as a users x items bitset when it is small (O(1) negative checks), else
  // binary search in the user's sorted row.
  std::vector<std::uint64_t> positives;
  const std::uint64_t bits = std::uint64_t(users_) * std::uint64_t(items_);
  if (bits <= (std::uint64_t(1) << 29)) {
    positives.assign(std::size_t((bits + 63) / 64), 0);
    for (std::size_t u = 0; u < users_; ++u) {
      for (std::int32_t i : userItems.rowCols(std::int32_t(u))) {
        const std::uint64_t bit = std::uint64_t(u) * items_ + std::uint64_t(i);
        positives[std::size_t(bit >> 6)] |= std::uint64_t(1) << (bit & 63);
      }
    }
  }
  std::vector<Random> streams;
  for (std::size_t t = 0; t < blocks; ++t) streams.push_back(rng.split(t));

  resolved_.clear();
  double learningRate = options_.learningRate;
  if (options_.learningRateScale == "auto") {
    // Three significant digits, so that the text the run shows, given by hand with
    // learning_rate_scale=none, trains the same model.
    learningRate = roundToSignificant(learningRate * stepScale(userItems), 3);
    resolved_["learning_rate"] = optionNumberText(learningRate);
  }
  const Sgd sgd{userFactors_.data(),
                itemFactors_.data(),
                options_.itemBias ? itemBias_.data() : nullptr,
                k_,
                float(learningRate),
                float(options_.regularization)};
  // Uniform sampling redraws a negative the user holds (up to 64 times); popularity
  // sampling skips the sample instead, as the implicit library does, so that popular items
  // are not pushed down harder than their share of draws.
  const int attempts = options_.negativeSampling == "popularity" ? 1 : 64;
  bool any = false;
  for (int epoch = 1; epoch <= options_.epochs; ++epoch) {
    if (stop.stop_requested()) break;
    const auto start = Clock::now();
    report(observer, {"BPR epoch", std::uint64_t(epoch - 1), std::uint64_t(options_.epochs)});
    std::vector<double> losses(blocks * blocks, 0.0);
    for (std::size_t round = 0; round < blocks; ++round) {
      parallelFor(std::int64_t(blocks), int(blocks),
                  [&](std::int64_t begin, std::int64_t end, int) {
                    for (std::int64_t t = begin; t < end; ++t) {
                      const std::size_t b = (std::size_t(t) + round) % blocks;
                      const auto& stratum = strata[std::size_t(t) * blocks + b];
                      losses[std::size_t(t) * blocks + b] =
                          trainStratum(sgd, userItems, stratum, negatives[b], positives,
                                       streams[std::size_t(t)], stratum.size(), attempts);
                    }
                  });
    }
    double loss = 0;
    for (double l : losses) loss += l;
    const double penalty =
        squaredNorm(userFactors_) + squaredNorm(itemFactors_) + squaredNorm(itemBias_);
    loss = (loss + 0.5 * options_.regularization * penalty) / nnz;
    factors::checkLoss(modelName(), epoch, loss);
    any = true;
    if (observer && observer->wantsValidation()) markFitted();  // the validator scores this epoch
    if (finishEpoch(observer, *this,
                    {epoch, options_.epochs, loss, std::nullopt, "",
                     std::chrono::duration<double>(Clock::now() - start).count()}))
      break;
  }
  if (!any) return Outcome::Stopped;
  markFitted();
  report(observer, {"BPR epoch", std::uint64_t(options_.epochs), std::uint64_t(options_.epochs)});
  return stop.stop_requested() ? Outcome::Stopped : Outcome::Completed;
}

Explanation BprModel::explain(UserIndex user, ItemIndex item,
                              std::span<const ItemIndex> history) const {
  Explanation explanation = scoredExplanation(user, item);
  explanation.because = factors::shareByCosine(itemFactors_, k_, item, history, explanation.score);
  const std::string factorsLine = describeFactorProducts(user, item);
  explanation.reason =
      explanation.because.empty() ? factorsLine : "close to {item} you chose; " + factorsLine;
  return explanation;
}

void BprModel::refreshScoring() {
  scorer_.reset(itemFactors_, items_, k_, itemBias_);
}

void BprModel::saveRest(std::ostream& out) const {
  binary::writeVector(out, itemBias_);
}

void BprModel::loadRest(std::istream& in, const factors::FactorMatrices& file) {
  auto itemBias = binary::readVector<float>(in, "the item biases");
  if (file.k != std::uint64_t(options_.factors) ||
      !(itemBias.empty() || itemBias.size() == file.items)) {
    throw Error(ErrorKind::Model, "bpr model file holds " + std::to_string(file.k) +
                                      " factors and " + std::to_string(itemBias.size()) +
                                      " item biases, expected factors = " +
                                      std::to_string(options_.factors) + " and one bias per item");
  }
  itemBias_ = std::move(itemBias);
}

}  // namespace reco
