// "hybrid": the seeds' weighted fusion of collaborative filtering and item content,
//   score(u, i) = w1 * (<userEmb(u), itemEmb(i)> + bias(i)) + w2 * <itemContentEmb(i),
//   userBehaviourEmb(u)>.
// userEmb and itemEmb are id embeddings. itemContentEmb(i) is a linear projection of the
// item's category embedding, price-band embedding and the mean of its title-token
// embeddings (the vocabulary built at fit time from every item's title, trained or not).
// userBehaviourEmb(u) is the mean of itemContentEmb over the user's training items through
// a square projection (no bias, starting as the identity), zeros for a user with no
// history. w1 (cf_weight) and w2 (content_weight) are fixed options, not learned: the
// embeddings' scales are learned anyway, so a learned w would only rescale them.
//
// Cold start: an item with no training pairs never gets a positive gradient on its id
// embedding and bias (only pushes down as a sampled negative), so by default (cold_content)
// its id part is left out, in training and in scoring: such an item is ranked by its
// content alone. While training, a positive pair's own item is left out of the user's
// behaviour mean, so the model learns to score an item from the rest of the history (the
// way it meets a held-out or new item), not from the item's own content.
//
// An edited history (what-if, scoreHistory): the content part is a forward pass, the
// behaviour mean over the history's distinct items exactly as score() computes it for a
// training user's items. The id part has no user embedding for a new history, so it is
// folded in by gradient steps (fold_in.h): from the mean user id embedding, on the model's
// own loss with the history as positives against sampled negatives, the content part and
// the whole item side frozen (scores are linear in the embedding: a convex fit). With
// cf_weight = 0 there is no id part and scoreHistory(a user's training items) is score(user)
// up to float rounding. An empty history has a zero behaviour vector (no content signal) and
// the mean user's id part: the warm items by the average user's taste and the item bias;
// cold items then score 0, which the what-if fallback ranks (fallback_chain.h).

#include <algorithm>

#include <torch/nn/init.h>
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

constexpr const char* kName = "hybrid";
constexpr int kMaxTokensPerItem = 16;  // title tokens an item keeps (the first distinct ones)
// The id part's fold-in (fold_in.h): on ML-100K, steps of 0.01 kept 79% of the stored top 10
// (0.02: 69%, 0.03: 62%), at the stored lists' AUC.
constexpr int kFoldInSteps = 30;
constexpr double kFoldInStep = 0.01;

struct HybridOptions {
  int factors = 64;
  int contentFactors = 32;
  int minTokenItems = 2;
  int maxTokens = 5000;
  int priceBands = 10;
  double cfWeight = 1.0;
  double contentWeight = 1.0;
  bool coldContent = true;
  double dropout = 0.0;
  TrainerOptions trainer = trainerDefaults();

  static TrainerOptions trainerDefaults() {
    TrainerOptions t;
    // Chosen on ML-100K's validation part (random 80/20 + --valid 0.1, seed 42, fitted on
    // the 70%): neumf's bce with 4 negatives at 5e-4 peaks at epoch 19 of 20 (validation
    // NDCG@10 0.169; test 0.314 against bpr's 0.322 on the same part). mlp's softmax with
    // 64 negatives at 3e-3 peaked at 0.174 by epoch 5 and then overfit (test 0.233 at 20);
    // bpr with 1 negative at 1e-3 reached 0.171 at epoch 24 of 30 (test 0.303).
    t.loss = "bce";
    t.negatives = 4;
    t.batchSize = 256;
    t.epochs = 20;
    t.learningRate = 5e-4;
    return t;
  }
  static const OptionTable<HybridOptions>& table() {
    using O = HybridOptions;
    static const OptionTable<O> table =
        OptionTable<O>{
            optionField("factors", &O::factors, 1, 1024,
                        "dimensions of the user and item id embeddings (the cf part)"),
            optionField("content_factors", &O::contentFactors, 1, 1024,
                        "dimensions of the item content and user behaviour vectors (and of each "
                        "feature embedding)"),
            optionField("min_token_items", &O::minTokenItems, 1, 1e9,
                        "title tokens in fewer items than this are left out"),
            optionField("max_tokens", &O::maxTokens, 0, 1e7,
                        "the vocabulary keeps at most this many most frequent tokens"),
            optionField("price_bands", &O::priceBands, 1, 1000,
                        "price quantile bands (unknown prices get none)"),
            optionField("cf_weight", &O::cfWeight, 0.0, 1000.0,
                        "w1, the fixed weight of the id part <userEmb, itemEmb> + item bias"),
            optionField("content_weight", &O::contentWeight, 0.0, 1000.0,
                        "w2, the fixed weight of the content part <itemContentEmb, "
                        "userBehaviourEmb>"),
            optionField("cold_content", &O::coldContent,
                        "items with no training pairs are scored by content alone (their "
                        "untrained id part left out)"),
            optionField("dropout", &O::dropout, 0.0, 0.95,
                        "dropout on the item content features while training"),
        }
            .include(&O::trainer, TrainerOptions::table());
    return table;
  }
  void validate() const {
    table().check(*this);
    trainer.validate(kName);
    if (cfWeight == 0 && contentWeight == 0)
      throw Error(ErrorKind::Config,
                  "hybrid: cf_weight and content_weight are both 0; at least one part must count");
  }
};

// NetShape::extra of a hybrid network.
enum Extra { kCategories, kVocabulary, kTokenWidth, kHistoryPairs, kExtraCount };

class HybridNet final : public PairNet {
 public:
  HybridNet(const NetShape& shape, const HybridOptions& o)
      : o_(o),
        items_(shape.items),
        width_(shape.extra[kTokenWidth]),
        avgHistory_(shape.users > 0 ? double(shape.extra[kHistoryPairs]) / double(shape.users)
                                    : 0.0) {
    const std::int64_t f = o.factors, c = o.contentFactors;
    const auto table = [&](const char* name, std::int64_t rows, std::int64_t dim, bool padded) {
      auto options = torch::nn::EmbeddingOptions(rows, dim);
      if (padded) options.padding_idx(0);
      auto module = register_module(name, torch::nn::Embedding(options));
      torch::NoGradGuard noGrad;
      torch::nn::init::normal_(module->weight, 0.0, 0.1);
      if (padded) module->weight[0].zero_();
      return module;
    };
    userId_ = table("user_id", shape.users, f, false);
    itemId_ = table("item_id", shape.items, f, false);
    itemBias_ = register_module("item_bias", torch::nn::Embedding(shape.items, 1));
    torch::nn::init::zeros_(itemBias_->weight);
    category_ = table("item_category", shape.extra[kCategories] + 1, c, true);
    price_ = table("item_price_band", o.priceBands + 1, c, true);
    token_ = table("title_token", shape.extra[kVocabulary] + 1, c, true);
    contentProjection_ = register_module("content_projection", torch::nn::Linear(3 * c, c));
    behaviourProjection_ = register_module(
        "behaviour_projection", torch::nn::Linear(torch::nn::LinearOptions(c, c).bias(false)));
    {
      torch::NoGradGuard noGrad;
      behaviourProjection_->weight.copy_(torch::eye(c));  // starts as the plain mean
    }
    // Features and histories: filled by setFeatures() on fit, read from the archive on load.
    const auto longs = [](std::vector<std::int64_t> sizes) {
      return torch::zeros(sizes, torch::kLong);
    };
    itemCategory_ = register_buffer("category_of_item", longs({shape.items}));
    itemPrice_ = register_buffer("price_band_of_item", longs({shape.items}));
    itemTokens_ = register_buffer("tokens_of_item", longs({shape.items, width_}));
    itemTokenCount_ = register_buffer("token_count_of_item", longs({shape.items}));
    historyOffsets_ = register_buffer("history_offsets", longs({shape.users + 1}));
    historyItems_ = register_buffer("history_items", longs({shape.extra[kHistoryPairs]}));
    warm_ = register_buffer("warm_item", torch::ones({shape.items}));
  }

  void setFeatures(const TrainingData& data, std::int64_t categories, const TitleTokens& tokens) {
    itemCategory_.copy_(longTensor(categoryRows(data, categories)));
    itemPrice_.copy_(longTensor(priceBands(data.itemPrices, data.itemCount, o_.priceBands)));
    if (width_ > 0) itemTokens_.copy_(longTensor(tokens.rows).view({items_, width_}));
    itemTokenCount_.copy_(longTensor(tokens.counts));
    const CsrMatrix& userItems = data.userItems;
    std::vector<std::int64_t> offsets{0}, history;
    history.reserve(std::size_t(userItems.nnz()));
    for (std::int32_t u = 0; u < userItems.rows(); ++u) {
      for (const std::int32_t i : userItems.rowCols(u)) history.push_back(i);
      offsets.push_back(std::int64_t(history.size()));
    }
    historyOffsets_.copy_(longTensor(offsets));
    historyItems_.copy_(longTensor(history));
    if (o_.coldContent) {
      std::vector<float> warm(static_cast<std::size_t>(items_));
      for (std::int32_t i = 0; i < data.itemCount; ++i)
        warm[std::size_t(i)] = data.itemUsers.rowSize(i) > 0 ? 1.f : 0.f;
      warm_.copy_(torch::tensor(warm));
    }
  }

  torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override {
    torch::Tensor score = torch::zeros({users.size(0)}, userId_->weight.options());
    if (o_.cfWeight > 0) score = score + o_.cfWeight * cfPart(users, items);
    if (o_.contentWeight > 0) score = score + o_.contentWeight * contentPart(users, items);
    return score;
  }

  void prepareScoring() override {
    const torch::Tensor all = torch::arange(items_, itemCategory_.options());
    const torch::Tensor content = itemContentOf(all);  // items x c
    const std::int64_t users = historyOffsets_.size(0) - 1;
    const torch::Tensor counts = historyOffsets_.slice(0, 1) - historyOffsets_.slice(0, 0, users);
    const torch::Tensor rowOf = torch::arange(users, counts.options()).repeat_interleave(counts);
    const torch::Tensor sums = torch::zeros({users, content.size(1)}, content.options())
                                   .index_add(0, rowOf, content.index_select(0, historyItems_));
    const torch::Tensor behaviour =
        behaviourProjection_->forward(sums / counts.clamp_min(1).unsqueeze(1).to(sums.dtype()));
    const torch::Tensor warmIds = itemId_->weight * warm_.unsqueeze(1);
    // One product per block: [w1 userEmb | w2 behaviour] . [itemEmb | content]^T + w1 bias.
    scoringUsers_ =
        torch::cat({o_.cfWeight * userId_->weight, o_.contentWeight * behaviour}, 1).contiguous();
    scoringItems_ = torch::cat({warmIds, content}, 1).t().contiguous();
    scoringBias_ = (o_.cfWeight * itemBias_->weight.squeeze(1) * warm_).contiguous();
    itemVectors_ = torch::cat({o_.cfWeight * warmIds, o_.contentWeight * content}, 1);
    itemContent_ = content;
    cfItems_ = (o_.cfWeight * warmIds).contiguous();
    meanUser_ = users > 0 ? userId_->weight.mean(0)
                          : torch::zeros({userId_->weight.size(1)}, userId_->weight.options());
  }

  /// w2 <itemContentEmb(i), userBehaviourEmb> of every item for a user whose training items
  /// are `history` (distinct): the content part of scoreUsers(). Zeros for an empty history.
  torch::Tensor contentScores(const torch::Tensor& history) {
    const std::int64_t c = itemContent_.size(1);
    torch::Tensor sum = torch::zeros({1, c}, itemContent_.options());
    if (history.numel() > 0) sum = itemContent_.index_select(0, history).sum(0, true);
    const torch::Tensor behaviour =
        behaviourProjection_->forward(sum / double(std::max<std::int64_t>(1, history.numel())));
    return o_.contentWeight * torch::matmul(behaviour, itemContent_.t()).squeeze(0);
  }
  /// The id part's item side, [items, factors] and [items]: w1 itemEmb (0 for cold items)
  /// and w1 bias (the same). Detached: the fold-in differentiates in the user alone.
  torch::Tensor cfItems() const { return cfItems_.detach(); }
  torch::Tensor cfBias() const { return scoringBias_.detach(); }
  /// The mean user id embedding: the fold-in's start. [factors]
  torch::Tensor meanUser() const { return meanUser_.detach(); }

  torch::Tensor scoreUsers(const torch::Tensor& users, std::int64_t) override {
    return torch::matmul(scoringUsers_.index_select(0, users), scoringItems_) + scoringBias_;
  }

  torch::Tensor itemVectors() override { return itemVectors_; }

  // One row of the product of the cached user and item sides.
  std::int64_t scoringFloatsPerUser(std::int64_t items) const override {
    return items + o_.factors + o_.contentFactors;
  }

  std::int64_t activationsPerSample() const override {
    const std::int64_t f = o_.factors, c = o_.contentFactors;
    // The id part: both embeddings, their product, the bias and the masked sum.
    std::int64_t sum = 3 * f + 3;
    // The item's content (token rows, the features, dropout, projection) and the user's
    // behaviour (sum, mean, projection) and their product.
    const std::int64_t content = (width_ + 5) * c;
    sum += content + 4 * c + 2;
    // Each distinct user of a batch gathers its history's content and sums it; a user comes
    // with 1 + negatives samples.
    sum += std::int64_t(avgHistory_ * double(content + c) / double(1 + o_.trainer.negatives)) + 1;
    return sum;
  }

 private:
  torch::Tensor cfPart(const torch::Tensor& users, const torch::Tensor& items) {
    torch::Tensor cf = (userId_->forward(users) * itemId_->forward(items)).sum(1) +
                       itemBias_->forward(items).squeeze(1);
    return o_.coldContent ? cf * warm_.index_select(0, items) : cf;
  }

  // <itemContentEmb(i), userBehaviourEmb(u)> per pair. Each distinct user's history and each
  // distinct item run once (sorted ids: deterministic), then the rows are gathered.
  torch::Tensor contentPart(const torch::Tensor& users, const torch::Tensor& items) {
    const auto [uniqueUsers, userRow] = torch::_unique(users, true, true);
    const auto [uniqueItems, itemRow] = torch::_unique(items, true, true);
    const torch::Tensor starts = historyOffsets_.index_select(0, uniqueUsers);
    const torch::Tensor counts = historyOffsets_.index_select(0, uniqueUsers + 1) - starts;
    const torch::Tensor segment =
        torch::arange(uniqueUsers.size(0), counts.options()).repeat_interleave(counts);
    const torch::Tensor firstOfSegment = counts.cumsum(0) - counts;
    const torch::Tensor position = torch::arange(segment.size(0), counts.options()) -
                                   firstOfSegment.index_select(0, segment) +
                                   starts.index_select(0, segment);
    const torch::Tensor history = historyItems_.index_select(0, position);
    // The content of every item needed (the batch's and the histories'), each once.
    const auto [needed, neededRow] = torch::_unique(torch::cat({uniqueItems, history}), true, true);
    const torch::Tensor content = itemContentOf(needed);
    const std::int64_t n = uniqueItems.size(0);
    const torch::Tensor itemContent =
        content.index_select(0, neededRow.slice(0, 0, n)).index_select(0, itemRow);
    const torch::Tensor historyContent = content.index_select(0, neededRow.slice(0, n));
    const torch::Tensor sums =
        torch::zeros({uniqueUsers.size(0), content.size(1)}, content.options())
            .index_add(0, segment, historyContent);
    torch::Tensor sum = sums.index_select(0, userRow);
    torch::Tensor count = counts.index_select(0, userRow).to(sum.dtype());
    if (is_training()) {
      // A positive's own item leaves the user's mean: scored from the rest of the history.
      const torch::Tensor own = inHistory(users, items).to(sum.dtype());
      sum = sum - own.unsqueeze(1) * itemContent;
      count = count - own;
    }
    const torch::Tensor behaviour =
        behaviourProjection_->forward(sum / count.clamp_min(1).unsqueeze(1));
    return (behaviour * itemContent).sum(1);
  }

  // 1 where the pair is a training pair (u * items + i among the sorted history keys).
  torch::Tensor inHistory(const torch::Tensor& users, const torch::Tensor& items) {
    if (!historyKeys_.defined() || historyKeys_.device() != historyItems_.device()) {
      const std::int64_t n = historyOffsets_.size(0) - 1;
      const torch::Tensor counts = historyOffsets_.slice(0, 1) - historyOffsets_.slice(0, 0, n);
      historyKeys_ =
          torch::arange(n, counts.options()).repeat_interleave(counts) * items_ + historyItems_;
    }
    if (historyKeys_.numel() == 0) return torch::zeros_like(users, torch::kBool);
    const torch::Tensor keys = users * items_ + items;
    const torch::Tensor at =
        torch::searchsorted(historyKeys_, keys).clamp_max(historyKeys_.size(0) - 1);
    return historyKeys_.index_select(0, at) == keys;
  }

  // itemContentEmb of `items`: [n, c].
  torch::Tensor itemContentOf(const torch::Tensor& items) {
    const torch::Tensor category = category_->forward(itemCategory_.index_select(0, items));
    const torch::Tensor price = price_->forward(itemPrice_.index_select(0, items));
    torch::Tensor tokens = torch::zeros_like(category);
    if (width_ > 0) {
      const torch::Tensor counts =
          itemTokenCount_.index_select(0, items).clamp_min(1).unsqueeze(1).to(category.dtype());
      tokens = token_->forward(itemTokens_.index_select(0, items)).sum(1) / counts;
    }
    torch::Tensor x = torch::cat({category, price, tokens}, 1);
    if (o_.dropout > 0) x = torch::dropout(x, o_.dropout, is_training());
    return contentProjection_->forward(x);
  }

  HybridOptions o_;
  std::int64_t items_, width_;
  double avgHistory_;
  torch::nn::Embedding userId_{nullptr}, itemId_{nullptr}, itemBias_{nullptr}, category_{nullptr},
      price_{nullptr}, token_{nullptr};
  torch::nn::Linear contentProjection_{nullptr}, behaviourProjection_{nullptr};
  torch::Tensor itemCategory_, itemPrice_, itemTokens_, itemTokenCount_, historyOffsets_,
      historyItems_, warm_;
  torch::Tensor historyKeys_;  // training only (inHistory)
  torch::Tensor scoringUsers_, scoringItems_, scoringBias_, itemVectors_;  // prepareScoring
  torch::Tensor itemContent_, cfItems_, meanUser_;  // prepareScoring, for scoreHistory
};

class HybridModel final : public DeepModel {
 public:
  HybridModel(HybridOptions options, ComputeOptions compute)
      : DeepModel(kName, options.trainer, compute), options_(std::move(options)) {}

  /// The content part is a forward pass; the id part, when it counts, a gradient fold-in.
  std::string_view foldInMethod() const override {
    return options_.cfWeight > 0 ? "forward pass + gradient fold-in" : "forward pass";
  }

 protected:
  /// The content part by a forward pass, the id part by gradient fold-in (see the file
  /// comment); deterministic for a given history.
  void scoreNewHistory(std::span<const ItemIndex> history, std::span<float> out) const override {
    auto& net = static_cast<HybridNet&>(this->net());
    const std::vector<std::int32_t> items = distinctHistory(history, itemCount());
    torch::Tensor offset;  // the content part and the id part's bias: fixed while fitting
    {
      torch::NoGradGuard noGrad;
      offset = net.contentScores(itemTensor(items, device())) + net.cfBias();
    }
    const torch::Tensor cf = net.cfItems();
    torch::Tensor user = net.meanUser();
    if (options_.cfWeight > 0)
      user = foldInUser(user, items, std::int64_t(itemCount()),
                        foldInOptions(trainerOptions(), kFoldInSteps, kFoldInStep),
                        [&](const torch::Tensor& u, const torch::Tensor& which) {
                          return linearScores(u, cf, offset, which);
                        });
    torch::NoGradGuard noGrad;
    copyRow(torch::matmul(cf, user) + offset, out);
  }

  NetShape shapeOf(const TrainingData& data) const override {
    tokens_ = titleTokens(data.itemTitles, data.itemCount, options_.minTokenItems,
                          options_.maxTokens, kMaxTokensPerItem);
    return {data.userCount,
            data.itemCount,
            {categoryCount(data), tokens_.vocabulary, tokens_.width,
             std::int64_t(data.userItems.nnz())}};
  }

  std::shared_ptr<PairNet> makeNet(const NetShape& shape, const TrainingData* data) const override {
    const auto& e = shape.extra;
    if (e.size() != kExtraCount || e[kCategories] < 0 || e[kCategories] > (std::int64_t(1) << 24) ||
        e[kVocabulary] < 0 || e[kVocabulary] > (std::int64_t(1) << 26) || e[kTokenWidth] < 0 ||
        e[kTokenWidth] > kMaxTokensPerItem || e[kHistoryPairs] < 0 ||
        e[kHistoryPairs] > (std::int64_t(1) << 40))
      throw Error(ErrorKind::Model,
                  "hybrid model file is corrupt: expected the category, vocabulary, token and "
                  "history sizes");
    auto net = std::make_shared<HybridNet>(shape, options_);
    if (data) {
      net->setFeatures(*data, e[kCategories], tokens_);
      tokens_ = {};
    }
    return net;
  }

 private:
  HybridOptions options_;
  mutable TitleTokens tokens_;  // built by shapeOf for the makeNet of the same fit
};

}  // namespace

void registerHybrid(Registry& registry) {
  ModelInfo info = withOptionTable(
      kName, "deep",
      "Hybrid: w1 <user, item> id embeddings + w2 <item content, user behaviour> over category, "
      "price band and title tokens; new items scored by content",
      HybridOptions::table(), [](HybridOptions options, const ComputeOptions& compute) {
        return std::make_unique<HybridModel>(std::move(options), compute);
      });
  info.deep = true;
  registry.add(std::move(info));
}

}  // namespace reco::deep
