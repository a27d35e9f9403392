// "mlp": a two-tower MLP over user and item features. The user tower reads the user's id
// embedding and activity band (log2 of the training count, bucketed); the item tower reads
// the item's id embedding, its category (TrainingData::itemCategory; none -> a padding row)
// and its price band (quantiles of itemPrices; unknown -> its own band). Each tower is a
// stack of ReLU layers ending in a linear one; score = <user tower, item tower> + item bias.
// Towers keep scoring cheap (item vectors are computed once per scoring state) and give
// item vectors that similarItems and the 2-D map can use.
//
// An edited history (what-if, scoreHistory) has no id, so no user tower input: its user
// vector (the tower's output) is folded in by gradient steps (fold_in.h). It starts from the
// tower over the mean user id embedding and the history's activity band, then fits the
// model's own loss on the history against sampled negatives with the item vectors and biases
// frozen. Scores are linear in that vector, so the fit is convex and a few steps settle it;
// the tower's inputs are not fitted (an id embedding means nothing outside training).

#include <algorithm>
#include <cmath>
#include <optional>

#include <torch/nn/init.h>
#include <torch/nn/modules/container/functional.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/torch/detail/deep_model.h"
#include "core/torch/detail/deep_models.h"
#include "core/torch/detail/fold_in.h"
#include "core/torch/detail/item_features.h"

namespace reco::deep {
namespace {

constexpr const char* kName = "mlp";
// The fold-in (fold_in.h): the towers' user vectors sit far apart (on ML-100K about 0.65
// from their mean per dimension, neumf's and hybrid's embeddings 0.03 to 0.05), so longer
// steps: 40 steps of 0.05 kept 74% of the stored top 10 at the stored lists' AUC (30 steps
// of 0.01: 64%, at a lower AUC).
constexpr int kFoldInSteps = 40;
constexpr double kFoldInStep = 0.05;

struct MlpOptions {
  int factors = 32;
  std::string layers = "64-32";
  double dropout = 0.0;
  int priceBands = 10;
  int activityBands = 12;
  TrainerOptions trainer = trainerDefaults();

  static TrainerOptions trainerDefaults() {
    TrainerOptions t;
    // Chosen on ML-100K's validation part (random 80/20 + --valid 0.1, seed 42): sampled
    // softmax over 64 negatives reaches validation NDCG@10 ~0.19 by epochs 17-20; batches
    // of 2048 at 3e-3 match 1024 at 2e-3 in half the time (each batch runs the item tower
    // over its distinct items).
    t.loss = "softmax";
    t.negatives = 64;
    t.batchSize = 2048;
    t.epochs = 20;
    t.learningRate = 3e-3;
    return t;
  }
  static const OptionTable<MlpOptions>& table() {
    using O = MlpOptions;
    static const OptionTable<O> table =
        OptionTable<O>{
            optionField("factors", &O::factors, 1, 1024,
                        "dimensions of each feature embedding (id, category, band)"),
            optionField("layers", &O::layers,
                        "widths of each tower's layers (ReLU between them); the last is the "
                        "scoring dimension"),
            optionField("dropout", &O::dropout, 0.0, 0.95,
                        "dropout after each hidden tower layer while training"),
            optionField("price_bands", &O::priceBands, 1, 1000,
                        "price quantile bands (unknown prices get their own)"),
            optionField("activity_bands", &O::activityBands, 1, 64,
                        "user activity bands: floor(log2(1 + training items)), the last band "
                        "open-ended"),
        }
            .include(&O::trainer, TrainerOptions::table());
    return table;
  }
  void validate() const {
    table().check(*this);
    trainer.validate(kName);
    parseLayers(layers, kName, "layers");
  }
};

class MlpNet final : public PairNet {
 public:
  MlpNet(std::int64_t users, std::int64_t items, std::int64_t categories, const MlpOptions& o,
         const std::vector<std::int64_t>& layers)
      : dropout_(o.dropout), factors_(o.factors), layers_(layers) {
    const auto table = [&](const char* name, std::int64_t rows,
                           std::optional<std::int64_t> padding) {
      auto options = torch::nn::EmbeddingOptions(rows, o.factors);
      if (padding) options.padding_idx(*padding);
      auto module = register_module(name, torch::nn::Embedding(options));
      torch::NoGradGuard noGrad;
      torch::nn::init::normal_(module->weight, 0.0, 0.1);
      if (padding) module->weight[*padding].zero_();
      return module;
    };
    userId_ = table("user_id", users, std::nullopt);
    activity_ = table("user_activity", o.activityBands, std::nullopt);
    itemId_ = table("item_id", items, std::nullopt);
    category_ = table("item_category", categories + 1, 0);
    price_ = table("item_price_band", o.priceBands + 1, 0);
    itemBias_ = register_module("item_bias", torch::nn::Embedding(items, 1));
    torch::nn::init::zeros_(itemBias_->weight);
    userTower_ = tower("user_tower", 2 * o.factors);
    itemTower_ = tower("item_tower", 3 * o.factors);
    // Features: filled by setFeatures() on fit, read from the archive on load.
    userActivity_ = register_buffer("activity_of_user", torch::zeros({users}, torch::kLong));
    itemCategory_ = register_buffer("category_of_item", torch::zeros({items}, torch::kLong));
    itemPrice_ = register_buffer("price_band_of_item", torch::zeros({items}, torch::kLong));
  }

  void setFeatures(const TrainingData& data, const MlpOptions& o, std::int64_t categories) {
    std::vector<std::int64_t> activity(std::size_t(data.userCount));
    for (std::int32_t u = 0; u < data.userCount; ++u) {
      const auto band =
          std::int64_t(std::floor(std::log2(1.0 + double(data.userItems.rowSize(u)))));
      activity[std::size_t(u)] = std::min<std::int64_t>(o.activityBands - 1, band);
    }
    userActivity_.copy_(longTensor(activity));
    itemCategory_.copy_(longTensor(categoryRows(data, categories)));
    itemPrice_.copy_(longTensor(priceBands(data.itemPrices, data.itemCount, o.priceBands)));
  }

  torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override {
    // A batch repeats each user 1 + negatives times and draws items from a small catalogue
    // part: each tower runs once per distinct id (sorted, so the result is deterministic).
    const auto [uniqueUsers, userRow] = torch::_unique(users, true, true);
    const auto [uniqueItems, itemRow] = torch::_unique(items, true, true);
    const torch::Tensor u = userVectors(uniqueUsers).index_select(0, userRow);
    const torch::Tensor i = itemVectorsOf(uniqueItems).index_select(0, itemRow);
    return (u * i).sum(1) + itemBias_->forward(items).squeeze(1);
  }

  void prepareScoring() override {
    const torch::Tensor all =
        torch::arange(itemId_->weight.size(0), itemId_->weight.options().dtype(torch::kLong));
    scoringItems_ = itemVectorsOf(all).t().contiguous();  // d x items
    scoringBias_ = itemBias_->weight.squeeze(1);
    meanUserId_ = userId_->weight.size(0) > 0 ? userId_->weight.mean(0)
                                              : torch::zeros({factors_}, userId_->weight.options());
  }

  /// The fold-in's start for a history of `items` distinct items: the user tower over the
  /// mean user id embedding and the activity band of that many training items. [d]
  torch::Tensor startVector(std::size_t items) {
    const auto bands = activity_->weight.size(0);
    const auto band =
        std::min<std::int64_t>(bands - 1, std::int64_t(std::floor(std::log2(1.0 + double(items)))));
    return userTower_->forward(torch::cat({meanUserId_, activity_->weight[band]}).unsqueeze(0))
        .squeeze(0);
  }
  /// The cached item side of scoring (prepareScoring): d x items vectors and items biases.
  const torch::Tensor& scoringItems() const { return scoringItems_; }
  const torch::Tensor& scoringBias() const { return scoringBias_; }

  torch::Tensor scoreUsers(const torch::Tensor& users, std::int64_t) override {
    return torch::matmul(userVectors(users), scoringItems_) + scoringBias_;
  }

  torch::Tensor itemVectors() override { return scoringItems_.t(); }

  // The user tower, then one row of the product with the cached item vectors.
  std::int64_t scoringFloatsPerUser(std::int64_t items) const override {
    return items + 4 * activationsPerSample();
  }

  std::int64_t activationsPerSample() const override {
    std::int64_t sum = 5 * factors_;
    for (const auto width : layers_) sum += 2 * 3 * width;  // both towers: linear, ReLU, dropout
    return sum + 2;
  }

 private:
  torch::nn::Sequential tower(const std::string& name, std::int64_t input) {
    torch::nn::Sequential stack;
    std::int64_t width = input;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      stack->push_back(torch::nn::Linear(width, layers_[l]));
      width = layers_[l];
      if (l + 1 < layers_.size()) {
        stack->push_back(torch::nn::Functional(torch::relu));
        if (dropout_ > 0) stack->push_back(torch::nn::Dropout(dropout_));
      }
    }
    return register_module(name, stack);
  }

  torch::Tensor userVectors(const torch::Tensor& users) {
    const torch::Tensor band = userActivity_.index_select(0, users);
    return userTower_->forward(torch::cat({userId_->forward(users), activity_->forward(band)}, 1));
  }
  torch::Tensor itemVectorsOf(const torch::Tensor& items) {
    const torch::Tensor category = itemCategory_.index_select(0, items);
    const torch::Tensor price = itemPrice_.index_select(0, items);
    return itemTower_->forward(torch::cat(
        {itemId_->forward(items), category_->forward(category), price_->forward(price)}, 1));
  }

  double dropout_;
  std::int64_t factors_;
  std::vector<std::int64_t> layers_;
  torch::nn::Embedding userId_{nullptr}, activity_{nullptr}, itemId_{nullptr}, category_{nullptr},
      price_{nullptr}, itemBias_{nullptr};
  torch::nn::Sequential userTower_{nullptr}, itemTower_{nullptr};
  torch::Tensor userActivity_, itemCategory_, itemPrice_;
  torch::Tensor scoringItems_, scoringBias_, meanUserId_;  // the scoring state (prepareScoring)
};

class MlpModel final : public DeepModel {
 public:
  MlpModel(MlpOptions options, ComputeOptions compute)
      : DeepModel(kName, options.trainer, compute),
        options_(std::move(options)),
        layers_(parseLayers(options_.layers, kName, "layers")) {}

  std::string_view foldInMethod() const override { return "gradient fold-in"; }

 protected:
  /// Gradient fold-in of the user vector (see the file comment); deterministic for a
  /// given history. An empty history keeps the start: the mean user's scores.
  void scoreNewHistory(std::span<const ItemIndex> history, std::span<float> out) const override {
    auto& net = static_cast<MlpNet&>(this->net());
    const std::vector<std::int32_t> items = distinctHistory(history, itemCount());
    torch::Tensor start;
    {
      torch::NoGradGuard noGrad;
      start = net.startVector(items.size());
    }
    // [items, d] (a view of the cached d x items) and [items]: the frozen item side.
    const torch::Tensor vectors = net.scoringItems().detach().t(),
                        bias = net.scoringBias().detach();
    const torch::Tensor user =
        foldInUser(start, items, std::int64_t(itemCount()),
                   foldInOptions(trainerOptions(), kFoldInSteps, kFoldInStep),
                   [&](const torch::Tensor& u, const torch::Tensor& which) {
                     return linearScores(u, vectors, bias, which);
                   });
    torch::NoGradGuard noGrad;
    copyRow(torch::matmul(vectors, user) + bias, out);
  }

  NetShape shapeOf(const TrainingData& data) const override {
    return {data.userCount, data.itemCount, {categoryCount(data)}};
  }

  std::shared_ptr<PairNet> makeNet(const NetShape& shape, const TrainingData* data) const override {
    if (shape.extra.size() != 1 || shape.extra[0] < 0 || shape.extra[0] > (std::int64_t(1) << 24))
      throw Error(ErrorKind::Model, "mlp model file is corrupt: expected the category count");
    auto net =
        std::make_shared<MlpNet>(shape.users, shape.items, shape.extra[0], options_, layers_);
    if (data) net->setFeatures(*data, options_, shape.extra[0]);
    return net;
  }

 private:
  MlpOptions options_;
  std::vector<std::int64_t> layers_;
};

}  // namespace

void registerMlp(Registry& registry) {
  ModelInfo info = withOptionTable(
      kName, "deep",
      "MLP: user (id, activity) and item (id, category, price band) features through two MLP "
      "towers",
      MlpOptions::table(), [](MlpOptions options, const ComputeOptions& compute) {
        return std::make_unique<MlpModel>(std::move(options), compute);
      });
  info.deep = true;
  info.itemScope = ModelInfo::ItemScope::TrainedItems;
  registry.add(std::move(info));
}

}  // namespace reco::deep
