// "sasrec": Self-Attentive Sequential Recommendation (Kang & McAuley, ICDM 2018). Each
// user's last max_length training items in time order (TrainingData::userSequence,
// left-padded) go through item + learned positional embeddings and `blocks` transformer
// blocks (causal multi-head self-attention, point-wise feed-forward, layer norm, residuals,
// dropout); the hidden state at a position scores the next item by its dot product with the
// (shared) item embeddings. Trained on every position of every sequence (the target is the
// item that follows) against sampled negatives with the trainer's loss (the paper's is bce
// with one negative); recommends from the state after the user's last item. An edited
// history (what-if, scoreHistory) takes the same forward pass: no fitting, the order counts.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <torch/nn/init.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/optim/adam.h>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/models/train_observer.h"
#include "core/torch/detail/checkpoint.h"
#include "core/torch/detail/deep_model.h"
#include "core/torch/detail/deep_models.h"

namespace reco::deep {
namespace {

constexpr const char* kName = "sasrec";

struct SasRecOptions {
  int factors = 64;
  int maxLength = 50;
  int blocks = 2;
  int heads = 1;
  double dropout = 0.2;
  TrainerOptions trainer = trainerDefaults();

  static TrainerOptions trainerDefaults() {
    TrainerOptions t;
    // The paper's bce with one negative per position, Adam at 1e-3 and batch 128. The
    // paper's 200 epochs overfit ML-100K: on its validation item (leave-last-one-out by
    // time, --valid 1, validated every 5 epochs) NDCG@10 peaked at epoch 45, so 50.
    t.loss = "bce";
    t.negatives = 1;
    t.batchSize = 128;
    t.epochs = 50;
    t.learningRate = 1e-3;
    return t;
  }
  static const OptionTable<SasRecOptions>& table() {
    using O = SasRecOptions;
    static const OptionTable<O> table =
        OptionTable<O>{
            optionField("factors", &O::factors, 1, 1024,
                        "dimensions of the item and position embeddings and of every hidden state "
                        "(a multiple of heads)"),
            optionField("max_length", &O::maxLength, 1, 4096,
                        "the last items of each user's history the model reads (time order); 50 "
                        "suits ML-100K-like data (median history ~65), raise it for long "
                        "histories"),
            optionField("blocks", &O::blocks, 1, 16,
                        "transformer blocks (self-attention + feed-forward)"),
            optionField("heads", &O::heads, 1, 64,
                        "attention heads per block (must divide factors)"),
            optionField("dropout", &O::dropout, 0.0, 0.95,
                        "dropout on the embeddings, the attention weights and each sub-layer's "
                        "output while training"),
        }
            .include(&O::trainer, TrainerOptions::table());
    return table;
  }
  void validate() const {
    table().check(*this);
    trainer.validate(kName);
    if (factors % heads != 0)
      throw Error(ErrorKind::Config,
                  "sasrec: heads must divide factors, found factors = " + std::to_string(factors) +
                      " and heads = " + std::to_string(heads));
  }
};

struct Block {
  torch::nn::LayerNorm attentionNorm{nullptr}, feedForwardNorm{nullptr};
  torch::nn::Linear inProjection{nullptr}, outProjection{nullptr}, feedForward1{nullptr},
      feedForward2{nullptr};
};

class SasRecNet final : public PairNet {
 public:
  /// `forLoad`: the history buffer is left unwritten, as the archive replaces it (zeroing
  /// the 400 MB of a million users' histories took a second of every load).
  SasRecNet(std::int64_t users, std::int64_t items, const SasRecOptions& o, bool forLoad)
      : factors_(o.factors),
        length_(o.maxLength),
        heads_(o.heads),
        negatives_(o.trainer.negatives),
        dropout_(o.dropout) {
    // Row 0 pads a short history; item i is row i + 1.
    item_ = register_module(
        "item",
        torch::nn::Embedding(torch::nn::EmbeddingOptions(items + 1, factors_).padding_idx(0)));
    position_ = register_module("position", torch::nn::Embedding(length_, factors_));
    torch::nn::init::normal_(item_->weight, 0.0, 1.0 / std::sqrt(double(factors_)));
    torch::nn::init::normal_(position_->weight, 0.0, 1.0 / std::sqrt(double(factors_)));
    {
      torch::NoGradGuard noGrad;
      item_->weight[0].zero_();
    }
    for (int b = 0; b < o.blocks; ++b) {
      const std::string p = "block" + std::to_string(b) + "_";
      Block block;
      block.attentionNorm = register_module(
          p + "attention_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({factors_})));
      block.inProjection = register_module(p + "qkv", torch::nn::Linear(factors_, 3 * factors_));
      block.outProjection =
          register_module(p + "attention_out", torch::nn::Linear(factors_, factors_));
      block.feedForwardNorm = register_module(
          p + "feed_forward_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({factors_})));
      block.feedForward1 =
          register_module(p + "feed_forward1", torch::nn::Linear(factors_, factors_));
      block.feedForward2 =
          register_module(p + "feed_forward2", torch::nn::Linear(factors_, factors_));
      blocks_.push_back(block);
    }
    finalNorm_ = register_module("final_norm",
                                 torch::nn::LayerNorm(torch::nn::LayerNormOptions({factors_})));
    const auto historyOptions = torch::TensorOptions().dtype(torch::kLong);
    history_ = register_buffer("history", forLoad ? torch::empty({users, length_}, historyOptions)
                                                  : torch::zeros({users, length_}, historyOptions));
  }

  /// Fills the history buffer: each user's last max_length training items (rows + 1), in
  /// time order, left-padded with 0.
  void setHistories(const TrainingData& data) {
    const CsrMatrix& sequence = data.userSequence;
    if (sequence.rows() != data.userCount)
      throw Error(ErrorKind::Config,
                  "sasrec needs each user's training items in time order (the split's userSequence "
                  "has " +
                      std::to_string(sequence.rows()) + " rows for " +
                      std::to_string(data.userCount) + " users)");
    auto rows = history_.accessor<std::int64_t, 2>();
    for (std::int32_t u = 0; u < data.userCount; ++u) {
      const auto items = sequence.rowCols(u);
      const auto take = std::min<std::size_t>(items.size(), std::size_t(length_));
      for (std::size_t j = 0; j < take; ++j)
        rows[u][length_ - std::int64_t(take) + std::int64_t(j)] =
            items[items.size() - take + j] + 1;
    }
  }

  /// Hidden states [B, L, d] of `sequences` [B, L] (item rows, 0 = padding, left-padded).
  /// A position attends to itself and the earlier non-padding positions only: padding is
  /// never attended to, and a padding position (an empty history) still has a defined state.
  /// `lastOnly` returns the last position's states only, [B, 1, d]: the last block then
  /// runs its queries, projection and feed-forward for that position alone (the keys and
  /// values still cover every position), which is all that scoring needs.
  torch::Tensor states(const torch::Tensor& sequences, bool lastOnly = false) {
    const std::int64_t b = sequences.size(0), l = sequences.size(1), d = factors_, h = heads_;
    torch::Tensor x = item_->forward(sequences) * std::sqrt(double(d)) +
                      position_->weight.slice(0, length_ - l).unsqueeze(0);
    x = torch::dropout(x, dropout_, is_training());
    const torch::Tensor present = sequences.ne(0);
    torch::Tensor keep = present.unsqueeze(-1).to(x.scalar_type());
    x = x * keep;
    const auto boolOptions = torch::TensorOptions().dtype(torch::kBool).device(sequences.device());
    const torch::Tensor causal = torch::ones({l, l}, boolOptions).tril();
    const torch::Tensor self = torch::eye(l, boolOptions);
    // [B, 1, L, L]: query t may read key s <= t when s holds an item, or s == t.
    torch::Tensor blocked = causal.unsqueeze(0)
                                .logical_and(present.unsqueeze(1).logical_or(self.unsqueeze(0)))
                                .logical_not()
                                .unsqueeze(1);
    const double scale = 1.0 / std::sqrt(double(d / h));
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      Block& block = blocks_[i];
      const torch::Tensor normed = block.attentionNorm->forward(x);
      const auto qkv =
          block.inProjection->forward(normed).view({b, l, 3, h, d / h}).permute({2, 0, 3, 1, 4});
      torch::Tensor query = qkv[0];  // [B, H, Lq, d/h]
      if (lastOnly && i + 1 == blocks_.size()) {
        query = query.slice(2, l - 1);
        blocked = blocked.slice(2, l - 1);
        x = x.slice(1, l - 1);
        keep = keep.slice(1, l - 1);
      }
      const std::int64_t queries = query.size(2);
      torch::Tensor weights =
          torch::matmul(query, qkv[1].transpose(-2, -1)) * scale;  // [B, H, Lq, L]
      weights =
          torch::softmax(weights.masked_fill(blocked, -std::numeric_limits<float>::infinity()), -1);
      weights = torch::dropout(weights, dropout_, is_training());
      torch::Tensor attended =
          torch::matmul(weights, qkv[2]).transpose(1, 2).reshape({b, queries, d});
      x = x + torch::dropout(block.outProjection->forward(attended), dropout_, is_training());
      torch::Tensor hidden =
          torch::relu(block.feedForward1->forward(block.feedForwardNorm->forward(x)));
      hidden = block.feedForward2->forward(torch::dropout(hidden, dropout_, is_training()));
      x = (x + torch::dropout(hidden, dropout_, is_training())) * keep;
    }
    return finalNorm_->forward(x);
  }

  /// Embeddings [..., d] of item rows (item + 1).
  torch::Tensor rows(const torch::Tensor& itemRows) { return item_->forward(itemRows); }

  torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override {
    // Each distinct user's sequence runs once (sorted ids: deterministic).
    const auto [uniqueUsers, userRow] = torch::_unique(users, true, true);
    const torch::Tensor last = lastStates(uniqueUsers).index_select(0, userRow);
    return (last * item_->forward(items + 1)).sum(-1);
  }

  torch::Tensor scoreUsers(const torch::Tensor& users, std::int64_t items) override {
    return torch::matmul(lastStates(users), item_->weight.slice(0, 1, items + 1).t());
  }

  /// Every item's score after `history` (oldest first): its last max_length items, left-
  /// padded, through the blocks as a stored history goes in scoreUsers(), [1, items].
  torch::Tensor scoreSequence(std::span<const ItemIndex> history, std::int64_t items) {
    std::vector<std::int64_t> rows(std::size_t(length_), 0);
    const auto take = std::min<std::size_t>(history.size(), std::size_t(length_));
    for (std::size_t j = 0; j < take; ++j)
      rows[std::size_t(length_) - take + j] = history[history.size() - take + j].value + 1;
    const torch::Tensor sequence =
        torch::tensor(at::ArrayRef<std::int64_t>(rows), torch::TensorOptions().dtype(torch::kLong))
            .view({1, length_})
            .to(item_->weight.device());
    const torch::Tensor last = states(sequence, /*lastOnly=*/true).select(1, 0);
    return torch::matmul(last, item_->weight.slice(0, 1, items + 1).t());
  }

  torch::Tensor itemVectors() override { return item_->weight.slice(0, 1).detach(); }

  std::int64_t activationsPerSample() const override {
    // Per position: the embeddings (sum, dropout mask), per block the norms, q/k/v, the
    // attention weights before and after softmax and dropout (per head, over the keys),
    // the attended values, the projection, the feed-forward layers and their masks; the
    // final norm and the target and negative embeddings with their logits.
    const std::int64_t d = factors_, perBlock = 14 * d + 3 * heads_ * length_;
    return 3 * d + std::int64_t(blocks_.size()) * perBlock + 2 * d + (1 + negatives_) * (d + 1);
  }
  // The user's sequence through the blocks (every position, no backward), then one row of
  // the product with the item embeddings.
  std::int64_t scoringFloatsPerUser(std::int64_t items) const override {
    const std::int64_t d = factors_, blocks = std::int64_t(blocks_.size());
    return items + length_ * (4 * d + blocks * (8 * d + 2 * heads_ * length_));
  }
  std::int64_t samplesPerBatch(const TrainerOptions& options) const override {
    return std::int64_t(options.batchSize) * length_;
  }

  std::int64_t length() const { return length_; }
  std::int64_t factors() const { return factors_; }

 private:
  // The state after each user's last item: [B, d].
  torch::Tensor lastStates(const torch::Tensor& users) {
    return states(history_.index_select(0, users), /*lastOnly=*/true).select(1, 0);
  }

  std::int64_t factors_, length_, heads_, negatives_;
  double dropout_;
  torch::nn::Embedding item_{nullptr}, position_{nullptr};
  std::vector<Block> blocks_;
  torch::nn::LayerNorm finalNorm_{nullptr};
  torch::Tensor history_;  // [users, max_length] item rows, left-padded (a buffer: saved)
};

// Trains on sequences: each epoch visits the users with at least two training items in a
// seeded random order, batch_size of them a batch. A user's input is their last
// max_length + 1 items without the last one, left-padded; at each position the target is
// the item that follows, against `negatives` items drawn among the user's non-positives.
int trainSequences(SasRecNet& net, const TrainingData& data, const TrainerOptions& options,
                   torch::Device device, std::string_view model, const EpochHooks& hooks,
                   TrainObserver* observer, std::stop_token stop, bool* stopped) {
  using Clock = std::chrono::steady_clock;
  *stopped = false;
  const CsrMatrix& sequence = data.userSequence;
  const CsrMatrix& userItems = data.userItems;
  const std::int64_t length = net.length();
  std::vector<std::size_t> order;  // users, as std::size_t: the checkpoints' order type
  std::size_t n = 0;               // training positions per epoch
  for (std::int32_t u = 0; u < sequence.rows(); ++u) {
    const auto size = std::size_t(sequence.rowSize(u));
    if (size < 2) continue;
    order.push_back(u);
    n += std::min(size - 1, std::size_t(length));
  }
  if (order.empty() || data.itemCount < 2)
    throw Error(
        ErrorKind::Config,
        std::string(model) + ": no user has two training items in time order to learn from");
  if (options.amp && !device.is_cuda())
    note(observer, std::string(model) + ": amp is ignored on the CPU");
  const bool amp = options.amp && device.is_cuda();

  // The trainer's whole state: the epoch, rng, the optimizer and the order.
  Random rng(data.seed);
  torch::optim::Adam optimizer(
      net.parameters(),
      torch::optim::AdamOptions(options.learningRate).weight_decay(options.weightDecay));
  const auto batch = std::size_t(options.batchSize);
  const auto k = std::size_t(options.negatives);
  const std::size_t users = order.size(), batches = (users + batch - 1) / batch;
  // Batches are drawn and copied to the device a chunk at a time (about 1M ids), not batch
  // by batch, as trainPairs does; the draws are in the same order either way.
  const std::size_t perBatch = std::min(batch, users) * std::size_t(length) * (3 + k);
  const std::size_t chunkBatches = std::max<std::size_t>(1, (std::size_t(1) << 20) / perBatch);
  struct Slice {
    std::int64_t sequences, sequenceAt, positions, positionAt;
  };
  std::vector<std::int64_t> inputs, where, targets, negatives;
  std::vector<Slice> slices;
  const auto itemCount = std::uint64_t(data.itemCount);
  // Appends batch b's sequences, the flat index of each training position, its target and
  // its negatives (item rows: item + 1).
  const auto drawBatch = [&](std::size_t b) {
    const std::size_t first = b * batch, m = std::min(batch, users - first);
    Slice slice{std::int64_t(m), std::int64_t(inputs.size()), 0, std::int64_t(targets.size())};
    for (std::size_t j = 0; j < m; ++j) {
      const auto u = std::int32_t(order[first + j]);
      const auto items = sequence.rowCols(u);
      const std::size_t positions = std::min(items.size() - 1, std::size_t(length));
      const std::size_t from = items.size() - 1 - positions;  // first input item
      const std::size_t pad = std::size_t(length) - positions;
      inputs.insert(inputs.end(), pad, 0);
      const auto seen = userItems.rowCols(u);
      for (std::size_t t = 0; t < positions; ++t) {
        inputs.push_back(items[from + t] + 1);
        where.push_back(std::int64_t(j) * length + std::int64_t(pad + t));
        targets.push_back(items[from + t + 1] + 1);
        const std::size_t at = negatives.size();
        negatives.resize(at + k);
        drawNegatives(rng, seen, itemCount, k, negatives.data() + at);
        for (std::size_t s = 0; s < k; ++s) ++negatives[at + s];
      }
      slice.positions += std::int64_t(positions);
    }
    return slice;
  };
  const auto toDevice = [&](std::vector<std::int64_t>& values) {
    return torch::from_blob(values.data(), {std::int64_t(values.size())},
                            torch::TensorOptions().dtype(torch::kLong))
        .to(device);
  };

  const TrainerState state{&net, &optimizer, &rng, &order};
  int completed = resumeIfAsked(options, model, data, device, state, observer);
  net.train();
  for (int epoch = completed + 1; epoch <= options.epochs; ++epoch) {
    const auto start = Clock::now();
    for (std::size_t i = users; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    const std::string stage = std::string(model) + " epoch " + std::to_string(epoch) + "/" +
                              std::to_string(options.epochs);
    torch::Tensor lossSum =
        torch::zeros({}, torch::TensorOptions().dtype(torch::kDouble).device(device));
    torch::Tensor inputChunk, whereChunk, targetChunk, negativeChunk;
    for (std::size_t b = 0; b < batches; ++b) {
      if (stop.stop_requested()) {
        *stopped = true;
        net.eval();
        return completed;
      }
      const std::size_t inChunk = b % chunkBatches;
      if (inChunk == 0) {
        inputs.clear();
        where.clear();
        targets.clear();
        negatives.clear();
        slices.clear();
        for (std::size_t c = b; c < std::min(batches, b + chunkBatches); ++c)
          slices.push_back(drawBatch(c));
        inputChunk = toDevice(inputs);
        whereChunk = toDevice(where);
        targetChunk = toDevice(targets);
        negativeChunk = toDevice(negatives);
      }
      const Slice& s = slices[inChunk];
      const torch::Tensor batchInputs =
          inputChunk.slice(0, s.sequenceAt, s.sequenceAt + s.sequences * length)
              .view({s.sequences, length});
      const torch::Tensor batchWhere =
          whereChunk.slice(0, s.positionAt, s.positionAt + s.positions);
      const torch::Tensor batchTargets =
          targetChunk.slice(0, s.positionAt, s.positionAt + s.positions);
      const torch::Tensor batchNegatives =
          negativeChunk
              .slice(0, s.positionAt * std::int64_t(k),
                     (s.positionAt + s.positions) * std::int64_t(k))
              .view({s.positions, std::int64_t(k)});
      optimizer.zero_grad();
      torch::Tensor positive, negative;
      {
        AutocastGuard autocast(amp);
        const torch::Tensor hidden = net.states(batchInputs)
                                         .reshape({s.sequences * length, net.factors()})
                                         .index_select(0, batchWhere);
        positive = (hidden * net.rows(batchTargets)).sum(-1);
        negative = torch::matmul(net.rows(batchNegatives), hidden.unsqueeze(2)).squeeze(2);
      }
      const torch::Tensor loss =
          lossOf(options.loss, positive.to(torch::kFloat), negative.to(torch::kFloat));
      step(optimizer, loss, lossSum, double(s.positions));
      report(observer, {stage, b + 1, batches});
    }
    ++completed;
    const bool stopEarly = endEpoch(net, hooks, observer, options, data, state, model, epoch,
                                    lossSum, double(n), start);
    if (stopEarly) break;
  }
  net.eval();
  return completed;
}

class SasRecModel final : public DeepModel {
 public:
  SasRecModel(SasRecOptions options, ComputeOptions compute)
      : DeepModel(kName, options.trainer, compute), options_(std::move(options)) {}

  std::string_view foldInMethod() const override { return "forward pass"; }

 protected:
  /// A forward pass over the edited history, exactly as score() runs a training user's
  /// stored sequence: scoreHistory(the user's training items in time order) is score(user)
  /// up to float rounding. The order counts; repeats stay (a sequence, not a set); an empty
  /// history is all padding, as a user with no training items.
  void scoreNewHistory(std::span<const ItemIndex> history, std::span<float> out) const override {
    torch::NoGradGuard noGrad;
    copyRow(static_cast<SasRecNet&>(net()).scoreSequence(history, std::int64_t(itemCount())), out);
  }

  std::shared_ptr<PairNet> makeNet(const NetShape& shape, const TrainingData* data) const override {
    auto net = std::make_shared<SasRecNet>(shape.users, shape.items, options_,
                                           /*forLoad=*/data == nullptr);
    if (data) net->setHistories(*data);
    return net;
  }

  int train(PairNet& net, const TrainingData& data, const EpochHooks& hooks,
            TrainObserver* observer, std::stop_token stop, bool* stopped) override {
    return trainSequences(static_cast<SasRecNet&>(net), data, trainerOptions(), device(), name(),
                          hooks, observer, stop, stopped);
  }

 private:
  SasRecOptions options_;
};

}  // namespace

void registerSasRec(Registry& registry) {
  ModelInfo info = withOptionTable(
      kName, "deep",
      "SASRec: causal self-attention over each user's ordered history; recommends the next items",
      SasRecOptions::table(), [](SasRecOptions options, const ComputeOptions& compute) {
        return std::make_unique<SasRecModel>(std::move(options), compute);
      });
  info.deep = true;
  info.itemScope = ModelInfo::ItemScope::TrainedItems;
  registry.add(std::move(info));
}

}  // namespace reco::deep
