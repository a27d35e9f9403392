// "neumf": Neural Collaborative Filtering (He et al., WWW 2017). A GMF branch (the
// element-wise product of user and item embeddings) and an MLP branch (user and item
// embeddings concatenated through ReLU layers) meet in one final linear layer, trained on
// sampled negatives with the trainer's loss (the paper's is bce with 4 negatives).
//
// An edited history (what-if, scoreHistory) has no user embeddings: both (GMF and MLP) are
// folded in together by gradient steps (fold_in.h), from the training users' means, on the
// model's own loss with the history as positives against sampled negatives, the item
// embeddings and every layer frozen. The MLP branch makes the fit non-convex; from the mean
// and with a few steps it moves the user towards the history's items, which is what a list
// for a new history needs.

#include <torch/nn/init.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/torch/detail/deep_model.h"
#include "core/torch/detail/deep_models.h"
#include "core/torch/detail/fold_in.h"

namespace reco::deep {
namespace {

constexpr const char* kName = "neumf";
// The fold-in (fold_in.h): on ML-100K, 30 steps of 0.02 kept 75% of the stored top 10 with
// the stored lists' AUC (0.01: 76% at a lower AUC; 40 steps of 0.05: 62%).
constexpr int kFoldInSteps = 30;
constexpr double kFoldInStep = 0.02;

struct NeuMfOptions {
  int factors = 32;
  std::string mlpLayers = "64-32-16";
  double dropout = 0.0;
  TrainerOptions trainer = trainerDefaults();

  static TrainerOptions trainerDefaults() {
    TrainerOptions t;
    // The paper's bce with 4 negatives; the step size and epochs chosen on ML-100K's
    // validation part (random 80/20 + --valid 0.1, seed 42): at 1e-3 it overfits after
    // ~8 epochs, at 5e-4 validation NDCG@10 climbs to ~0.185 by epochs 18-20.
    t.loss = "bce";
    t.negatives = 4;
    t.batchSize = 256;
    t.epochs = 20;
    t.learningRate = 5e-4;
    return t;
  }
  static const OptionTable<NeuMfOptions>& table() {
    using O = NeuMfOptions;
    static const OptionTable<O> table =
        OptionTable<O>{
            optionField("factors", &O::factors, 1, 1024,
                        "dimensions of the GMF branch's embeddings"),
            optionField("mlp_layers", &O::mlpLayers,
                        "MLP branch widths: the first is the concatenated user and item "
                        "embeddings (even), then ReLU layers"),
            optionField("dropout", &O::dropout, 0.0, 0.95,
                        "dropout after each MLP layer while training"),
        }
            .include(&O::trainer, TrainerOptions::table());
    return table;
  }
  void validate() const {
    table().check(*this);
    trainer.validate(kName);
    if (parseLayers(mlpLayers, kName, "mlp_layers").front() % 2 != 0)
      throw Error(
          ErrorKind::Config,
          "neumf: the first of mlp_layers is the user and item embeddings together and must be "
          "even, found '" +
              mlpLayers + "'");
  }
};

class NeuMfNet final : public PairNet {
 public:
  NeuMfNet(std::int64_t users, std::int64_t items, std::int64_t factors,
           const std::vector<std::int64_t>& layers, double dropout)
      : dropout_(dropout), factors_(factors), layers_(layers) {
    const std::int64_t half = layers.front() / 2;
    gmfUser_ = register_module("gmf_user", torch::nn::Embedding(users, factors));
    gmfItem_ = register_module("gmf_item", torch::nn::Embedding(items, factors));
    mlpUser_ = register_module("mlp_user", torch::nn::Embedding(users, half));
    mlpItem_ = register_module("mlp_item", torch::nn::Embedding(items, half));
    for (const auto& table : {gmfUser_, gmfItem_, mlpUser_, mlpItem_})
      torch::nn::init::normal_(table->weight, 0.0, 0.01);
    for (std::size_t l = 1; l < layers.size(); ++l) {
      hidden_.push_back(
          register_module("mlp_" + std::to_string(l), torch::nn::Linear(layers[l - 1], layers[l])));
    }
    output_ = register_module("output", torch::nn::Linear(factors + layers.back(), 1));
  }

  torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override {
    const torch::Tensor gmf = gmfUser_->forward(users) * gmfItem_->forward(items);
    if (hidden_.empty())
      return output(gmf, torch::cat({mlpUser_->forward(users), mlpItem_->forward(items)}, 1));
    // The first layer over [user; item] is W_u user + W_i item + b: each half runs once per
    // distinct id of the batch (sorted ids: deterministic), then the sums are gathered.
    const auto [uniqueUsers, userRow] = torch::_unique(users, true, true);
    const auto [uniqueItems, itemRow] = torch::_unique(items, true, true);
    const torch::Tensor userPart =
        firstUserPart(mlpUser_->forward(uniqueUsers)).index_select(0, userRow);
    const torch::Tensor itemPart =
        firstItemPart(mlpItem_->forward(uniqueItems)).index_select(0, itemRow);
    return output(gmf, hiddenFrom(userPart + itemPart));
  }

  void prepareScoring() override {
    scoringItemPart_ = hidden_.empty() ? torch::Tensor() : firstItemPart(mlpItem_->weight);
    const torch::Tensor both = torch::cat({gmfUser_->weight, mlpUser_->weight}, 1);
    meanUser_ = both.size(0) > 0 ? both.mean(0) : torch::zeros({both.size(1)}, both.options());
  }

  /// The mean training user, GMF embedding then MLP embedding: the fold-in's start.
  torch::Tensor meanUser() const { return meanUser_.detach(); }

  /// forward()'s scores of one free user vector (meanUser()'s layout) with each of `items`,
  /// every weight detached so that gradients reach `user` alone (fold_in.h). Eval mode: no
  /// dropout. [n]
  torch::Tensor scoreUserVector(const torch::Tensor& user, const torch::Tensor& items) {
    const std::int64_t half = layers_.front() / 2;
    const torch::Tensor gmf =
        user.slice(0, 0, factors_).unsqueeze(0) * gmfItem_->weight.detach().index_select(0, items);
    const torch::Tensor mlpUser = user.slice(0, factors_);
    torch::Tensor x;
    if (hidden_.empty()) {
      x = torch::cat({mlpUser.unsqueeze(0).expand({items.size(0), half}),
                      mlpItem_->weight.detach().index_select(0, items)},
                     1);
    } else {
      // The first layer as prepareScoring splits it: the cached item half plus the user's.
      x = torch::relu(
          scoringItemPart_.detach().index_select(0, items) +
          torch::matmul(mlpUser, hidden_.front()->weight.detach().slice(1, 0, half).t()));
      for (std::size_t l = 1; l < hidden_.size(); ++l)
        x = torch::relu(torch::linear(x, hidden_[l]->weight.detach(), hidden_[l]->bias.detach()));
    }
    return torch::linear(torch::cat({gmf, x}, 1), output_->weight.detach(), output_->bias.detach())
        .squeeze(-1);
  }

  torch::Tensor scoreUsers(const torch::Tensor& users, std::int64_t items) override {
    // [users, 1, d] against [1, items, d]: every op works on the last dimension.
    const torch::Tensor gmf = gmfUser_->forward(users).unsqueeze(1) * gmfItem_->weight.unsqueeze(0);
    const torch::Tensor mlpUser = mlpUser_->forward(users).unsqueeze(1);
    if (hidden_.empty()) {
      const auto b = users.size(0);
      return output(gmf, torch::cat({mlpUser.expand({b, items, -1}),
                                     mlpItem_->weight.unsqueeze(0).expand({b, -1, -1})},
                                    2));
    }
    return output(gmf, hiddenFrom(scoringItemPart_.unsqueeze(0) + firstUserPart(mlpUser)));
  }

  torch::Tensor itemVectors() override {
    return torch::cat({gmfItem_->weight, mlpItem_->weight}, 1).detach();
  }

  std::int64_t activationsPerSample() const override {
    std::int64_t sum = 3 * factors_ + layers_.front();
    for (std::size_t l = 1; l < layers_.size(); ++l) sum += 3 * layers_[l];
    return sum + factors_ + layers_.back() + 1;
  }

 private:
  // The first hidden layer's weight is [out, user half | item half].
  torch::Tensor firstUserPart(const torch::Tensor& embeddings) {
    return torch::matmul(embeddings, hidden_.front()->weight.slice(1, 0, layers_.front() / 2).t());
  }
  torch::Tensor firstItemPart(const torch::Tensor& embeddings) {
    return torch::matmul(embeddings, hidden_.front()->weight.slice(1, layers_.front() / 2).t()) +
           hidden_.front()->bias;
  }
  // ReLU (and dropout) after the first layer's pre-activation, then the other layers.
  torch::Tensor hiddenFrom(torch::Tensor x) {
    for (std::size_t l = 0; l < hidden_.size(); ++l) {
      if (l > 0) x = hidden_[l]->forward(x);
      x = torch::relu(x);
      if (dropout_ > 0) x = torch::dropout(x, dropout_, is_training());
    }
    return x;
  }
  // [..., factors] and [..., last width] to [...] scores.
  torch::Tensor output(const torch::Tensor& gmf, const torch::Tensor& mlp) {
    return output_->forward(torch::cat({gmf, mlp}, -1)).squeeze(-1);
  }

  double dropout_;
  std::int64_t factors_;
  std::vector<std::int64_t> layers_;
  torch::nn::Embedding gmfUser_{nullptr}, gmfItem_{nullptr}, mlpUser_{nullptr}, mlpItem_{nullptr};
  std::vector<torch::nn::Linear> hidden_;
  torch::nn::Linear output_{nullptr};
  torch::Tensor scoringItemPart_;  // items x first hidden width (prepareScoring)
  torch::Tensor meanUser_;         // [factors + first width / 2] (prepareScoring)
};

class NeuMfModel final : public DeepModel {
 public:
  NeuMfModel(NeuMfOptions options, ComputeOptions compute)
      : DeepModel(kName, options.trainer, compute),
        options_(std::move(options)),
        layers_(parseLayers(options_.mlpLayers, kName, "mlp_layers")) {}

  std::string_view foldInMethod() const override { return "gradient fold-in"; }

 protected:
  /// Gradient fold-in of the user embeddings (see the file comment); deterministic for a
  /// given history. An empty history keeps the start: the mean user's scores.
  void scoreNewHistory(std::span<const ItemIndex> history, std::span<float> out) const override {
    auto& net = static_cast<NeuMfNet&>(this->net());
    const std::vector<std::int32_t> items = distinctHistory(history, itemCount());
    const auto scoreOf = [&net](const torch::Tensor& u, const torch::Tensor& which) {
      return net.scoreUserVector(u, which);
    };
    const torch::Tensor user =
        foldInUser(net.meanUser(), items, std::int64_t(itemCount()),
                   foldInOptions(trainerOptions(), kFoldInSteps, kFoldInStep), scoreOf);
    torch::NoGradGuard noGrad;
    const auto all = torch::arange(std::int64_t(itemCount()),
                                   torch::TensorOptions().dtype(torch::kLong).device(device()));
    copyRow(scoreOf(user, all), out);
  }

  std::shared_ptr<PairNet> makeNet(const NetShape& shape, const TrainingData*) const override {
    return std::make_shared<NeuMfNet>(shape.users, shape.items, options_.factors, layers_,
                                      options_.dropout);
  }

 private:
  NeuMfOptions options_;
  std::vector<std::int64_t> layers_;
};

}  // namespace

void registerNeuMf(Registry& registry) {
  ModelInfo info = withOptionTable(
      kName, "deep",
      "NeuMF: GMF and MLP branches over user and item embeddings (Neural Collaborative "
      "Filtering)",
      NeuMfOptions::table(), [](NeuMfOptions options, const ComputeOptions& compute) {
        return std::make_unique<NeuMfModel>(std::move(options), compute);
      });
  info.deep = true;
  info.itemScope = ModelInfo::ItemScope::TrainedItems;
  registry.add(std::move(info));
}

}  // namespace reco::deep
