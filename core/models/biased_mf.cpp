#include "core/models/biased_mf.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <istream>
#include <numeric>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/classic_support.h"
#include "core/models/train_observer.h"

namespace reco {
namespace {

constexpr std::uint32_t kFormatVersion = 1;

struct Rating {
  std::int32_t user, item;
  float value;
};

}  // namespace

const OptionTable<BiasedMfOptions>& BiasedMfOptions::table() {
  using O = BiasedMfOptions;
  static const OptionTable<O> table{
      optionField("factors", &O::factors, 1, 1024, "latent dimensions"),
      optionField("epochs", &O::epochs, 1, 100000, "SGD passes over the ratings"),
      optionField("learning_rate", &O::learningRate, 1e-9, 10.0, "SGD step size"),
      optionField("regularization", &O::regularization, 0.0, {},
                  "L2 penalty on factors and biases"),
      optionField("init_std", &O::initStd, 0.0, 10.0, "standard deviation of the initial factors"),
  };
  return table;
}

BiasedMfModel::BiasedMfModel(BiasedMfOptions options, ComputeOptions compute)
    : FactorModel(compute, kFormatVersion), options_(options) {
  options_.validate();
}

Outcome BiasedMfModel::fit(const TrainingData& data, TrainObserver* observer,
                           std::stop_token stop) {
  using Clock = std::chrono::steady_clock;
  fitted_ = false;
  if (!data.hasRatings || data.ratings.empty()) {
    throw Error(
        ErrorKind::Config,
        "biasedmf trains on explicit ratings, but this dataset has none; import one with a rating "
        "column or choose an implicit model (als, bpr, ease)");
  }
  const CsrMatrix& x = data.userItems;
  RECO_CHECK(std::int64_t(data.ratings.size()) == x.nnz() && x.rows() == data.userCount &&
                 x.cols() == data.itemCount,
             ErrorKind::Internal, "biasedmf: ratings are not aligned with the training matrix");
  std::vector<Rating> ratings;
  ratings.reserve(data.ratings.size());
  double sum = 0;
  for (std::int32_t u = 0; u < x.rows(); ++u) {
    const auto cols = x.rowCols(u);
    for (std::size_t e = 0; e < cols.size(); ++e) {
      const float r = data.ratings[std::size_t(x.rowStart()[std::size_t(u)]) + e];
      if (!std::isfinite(r)) continue;  // a pair without a rating
      ratings.push_back({u, cols[e], r});
      sum += r;
    }
  }
  if (ratings.empty())
    throw Error(ErrorKind::Config, "biasedmf: no finite rating in the training part");
  mean_ = float(sum / double(ratings.size()));
  Random rng(data.seed);
  startFactors(std::size_t(data.userCount), std::size_t(data.itemCount),
               std::size_t(options_.factors),
               [&] { return float(rng.normal() * options_.initStd); });
  userBias_.assign(users_, 0.0f);
  itemBias_.assign(items_, 0.0f);

  const auto lr = float(options_.learningRate), reg = float(options_.regularization);
  bool any = false;
  for (int epoch = 1; epoch <= options_.epochs; ++epoch) {
    if (stop.stop_requested()) break;
    const auto start = Clock::now();
    report(observer, {"BiasedMF epoch", std::uint64_t(epoch - 1), std::uint64_t(options_.epochs)});
    for (std::size_t i = ratings.size(); i > 1; --i)
      std::swap(ratings[i - 1], ratings[rng.below(i)]);
    double squared = 0;
    for (const Rating& r : ratings) {
      float* p = userFactors_.data() + std::size_t(r.user) * k_;
      float* q = itemFactors_.data() + std::size_t(r.item) * k_;
      float& bu = userBias_[std::size_t(r.user)];
      float& bi = itemBias_[std::size_t(r.item)];
      const float err = r.value - (mean_ + bu + bi + factors::dot(p, q, k_));
      squared += double(err) * double(err);
      bu += lr * (err - reg * bu);
      bi += lr * (err - reg * bi);
      for (std::size_t f = 0; f < k_; ++f) {
        const float pf = p[f], qf = q[f];
        p[f] = pf + lr * (err * qf - reg * pf);
        q[f] = qf + lr * (err * pf - reg * qf);
      }
    }
    const double rmse = std::sqrt(squared / double(ratings.size()));
    factors::checkLoss(modelName(), epoch, rmse, 1e6);
    any = true;
    if (observer && observer->wantsValidation()) markFitted();  // the validator scores this epoch
    if (finishEpoch(observer, *this,
                    {epoch, options_.epochs, rmse, std::nullopt, "",
                     std::chrono::duration<double>(Clock::now() - start).count()}))
      break;
  }
  if (!any) return Outcome::Stopped;
  markFitted();
  report(observer,
         {"BiasedMF epoch", std::uint64_t(options_.epochs), std::uint64_t(options_.epochs)});
  return stop.stop_requested() ? Outcome::Stopped : Outcome::Completed;
}

void BiasedMfModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  FactorModel::score(users, out);  // p_u . q_i + mu + b_i
  for (std::size_t u = 0; u < users.size(); ++u) {
    const float bu = userBias_[std::size_t(users[u].value)];
    float* row = out.data() + u * items_;
    for (std::size_t i = 0; i < items_; ++i) row[i] += bu;
  }
}

Explanation BiasedMfModel::explain(UserIndex user, ItemIndex item,
                                   std::span<const ItemIndex> history) const {
  Explanation explanation = scoredExplanation(user, item);
  const double interaction = explanation.score - mean_ - userBias_[std::size_t(user.value)] -
                             itemBias_[std::size_t(item.value)];
  explanation.because = factors::shareByCosine(itemFactors_, k_, item, history, interaction);
  const std::string line = "predicted rating " + formatFixed(explanation.score, 2) + " (mean " +
                           formatFixed(mean_, 2) + ", item bias " +
                           formatFixed(itemBias_[std::size_t(item.value)], 2) + "); " +
                           describeFactorProducts(user, item);
  explanation.reason = explanation.because.empty() ? line : "close to {item} you rated; " + line;
  return explanation;
}

void BiasedMfModel::saveRest(std::ostream& out) const {
  binary::write<float>(out, mean_);
  binary::writeVector(out, userBias_);
  binary::writeVector(out, itemBias_);
}

void BiasedMfModel::loadRest(std::istream& in, const factors::FactorMatrices& file) {
  const auto mean = binary::read<float>(in, "the global mean");
  auto userBias = binary::readVector<float>(in, "the user biases");
  auto itemBias = binary::readVector<float>(in, "the item biases");
  if (file.k != std::uint64_t(options_.factors) || userBias.size() != file.users ||
      itemBias.size() != file.items || !std::isfinite(mean)) {
    throw Error(ErrorKind::Model,
                "biasedmf model file holds " + std::to_string(file.k) + " factors, " +
                    std::to_string(userBias.size()) + " user and " +
                    std::to_string(itemBias.size()) +
                    " item biases, expected factors = " + std::to_string(options_.factors) +
                    ", one bias per user and item, and a finite mean");
  }
  mean_ = mean;
  userBias_ = std::move(userBias);
  itemBias_ = std::move(itemBias);
}

void BiasedMfModel::refreshScoring() {
  std::vector<float> bias(items_);
  for (std::size_t i = 0; i < items_; ++i) bias[i] = mean_ + itemBias_[i];
  scorer_.reset(itemFactors_, items_, k_, bias);
}

}  // namespace reco
