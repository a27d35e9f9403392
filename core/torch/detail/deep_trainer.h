#pragma once
/// The training base shared by the deep models of reco_torch (mlp, neumf): the device, the
/// trainer's options, the network contract and mini-batch training over (user, positive
/// item) pairs with sampled negatives. Includes torch: only for core/torch/*.cpp.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include "core/common/progress.h"
#include "core/common/random.h"
#include "core/models/option_table.h"
#include "core/models/recommender.h"

namespace reco {
struct TrainingData;
class TrainObserver;
}  // namespace reco

namespace reco::deep {

/// Training options every deep model takes (`--set loss=softmax`), with per-model defaults.
struct TrainerOptions {
  std::string loss = "bce";  ///< "bpr" | "bce" | "softmax" (sampled softmax over the negatives)
  int negatives = 4;         ///< negatives drawn per positive pair
  int batchSize = 256;       ///< positive pairs per batch
  int epochs = 20;
  double learningRate = 1e-3;  ///< Adam's step size
  double weightDecay = 0;      ///< Adam's L2 penalty
  double maxMemoryGb = 0;      ///< refuse to train above this estimate; 0: available memory only
  bool amp = false;            ///< mixed precision (bfloat16 autocast) on CUDA; ignored on the CPU
  int checkpointEvery = 0;     ///< write a checkpoint every N epochs (and after the last); 0: none
  std::string checkpointDir;   ///< where checkpoints go (needed when checkpointEvery > 0)
  std::string resumeFrom;      ///< a checkpoint to go on from ("": start afresh)

  /// Every option's key, bounds, choices and help (option_table.h). A deep model's table
  /// includes it for its `trainer` member, whose initializer gives the model's defaults.
  static const OptionTable<TrainerOptions>& table();
  /// The table's check, then checkpoint_every > 0 needs checkpoint_dir. Throws Config
  /// naming `model` and the bad option.
  void validate(std::string_view model) const;
};

/// Parses layer widths "64-32-16" or "64,32,16" (each in [1, 4096], at least one); throws
/// Config naming `model` and `option` on anything else. '-' is the form to use: `--set`
/// and `--grid` split their values at commas.
std::vector<std::int64_t> parseLayers(std::string_view text, std::string_view model,
                                      std::string_view option);

/// Auto: CUDA when torch::cuda::is_available(), else the CPU. Cuda without a usable CUDA
/// device throws Config ("CUDA was requested but ..."), never crashes.
torch::Device resolveDevice(const ComputeOptions& compute, std::string_view model);

/// Sets torch's intra-op threads from ComputeOptions::threads (0: hardware concurrency).
/// Process-wide, as torch's setting is.
void applyThreads(const ComputeOptions& compute);

/// What a deep model's network provides to the trainer and the scorer. Parameters and
/// buffers registered in it are what save()/load() store.
class PairNet : public torch::nn::Module {
 public:
  /// `users`, `items`: 1-D int64 tensors of equal length on the net's device; returns their
  /// 1-D float scores (logits: higher is better).
  virtual torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) = 0;
  /// Every item's score for each of `users` (1-D int64 on the device): [users, items].
  /// Called after prepareScoring(), with gradients off and the net in eval mode. DeepModel
  /// always passes the same number of users (a fixed block, padded), so the shapes of every
  /// op are the same whichever users are scored together, and a row does not depend on the
  /// other rows: batch scoring equals single scoring. The default runs forward() over every
  /// (user, item) pair.
  virtual torch::Tensor scoreUsers(const torch::Tensor& users, std::int64_t items);
  /// Caches what scoring reuses for every user (item-side vectors); called whenever the
  /// model becomes scorable (after an epoch that is validated, after fit, after load).
  virtual void prepareScoring() {}
  /// items x d item vectors for similarItems, explain and the 2-D map (on any device).
  virtual torch::Tensor itemVectors() = 0;
  /// Floats of activations one sample keeps for backward (memory estimate): a (user, item)
  /// pair for the pair trainer, a sequence position for a sequence trainer.
  virtual std::int64_t activationsPerSample() const = 0;
  /// Floats that scoring one user against `items` items holds at once: sizes the blocks
  /// of DeepModel::score. The default runs the network per (user, item) pair; nets that
  /// score with one product against cached item vectors need far less.
  virtual std::int64_t scoringFloatsPerUser(std::int64_t items) const {
    return items * activationsPerSample();
  }
  /// Samples of one training batch (memory estimate); the default is the pair trainer's
  /// batch_size x (1 + negatives) pairs.
  virtual std::int64_t samplesPerBatch(const TrainerOptions& options) const {
    return std::int64_t(options.batchSize) * (1 + options.negatives);
  }
};

/// The memory a run needs, in bytes.
struct MemoryEstimate {
  std::uint64_t parameters = 0, gradients = 0, optimizer = 0, activations = 0;
  std::uint64_t total() const { return parameters + gradients + optimizer + activations; }
};

MemoryEstimate estimateMemory(const PairNet& net, const TrainerOptions& options);
/// Throws Config naming the sizes when the estimate exceeds max_memory_gb (when set), the
/// memory available on the CPU (/proc/meminfo's MemAvailable), or on CUDA the card's total
/// memory (the driver's cuMemGetInfo; not checked when the driver does not answer).
void checkMemory(const MemoryEstimate& estimate, const TrainerOptions& options,
                 torch::Device device, std::string_view model);

/// Mixed precision for the forward pass on CUDA while alive: bfloat16 autocast, which needs
/// no loss scaling (LibTorch's C++ API has no GradScaler). Autocast state is thread-local.
class AutocastGuard {
 public:
  explicit AutocastGuard(bool on);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool on_;
};

/// The trainer's loss ("bpr" | "bce" | "softmax"): pos [m] logits of the positives, neg
/// [m, K] logits of their negatives.
torch::Tensor lossOf(const std::string& kind, const torch::Tensor& pos, const torch::Tensor& neg);

/// Draws `count` negatives for a user whose positives are `seen` (ascending) into `out`:
/// uniform over the items, an item redrawn up to 16 times while positive.
inline void drawNegatives(Random& rng, std::span<const std::int32_t> seen, std::uint64_t itemCount,
                          std::size_t count, std::int64_t* out) {
  for (std::size_t s = 0; s < count; ++s) {
    auto candidate = std::int32_t(rng.below(itemCount));
    for (int attempt = 1; attempt < 16 && std::binary_search(seen.begin(), seen.end(), candidate);
         ++attempt)
      candidate = std::int32_t(rng.below(itemCount));
    out[s] = candidate;
  }
}

struct TrainerState;  // checkpoint.h

/// What trainPairs needs from the model around each epoch.
struct EpochHooks {
  /// Makes the model scorable with the net's current state (the net is in eval mode).
  std::function<void()> makeScorable;
  const Recommender* model = nullptr;  ///< what finishEpoch() hands to the observer
};

/// One optimiser step: backward through `loss`, Adam's step, and `loss` times `weight` (the
/// batch's samples) added to the epoch's running sum, on the device (no synchronisation).
void step(torch::optim::Optimizer& optimizer, const torch::Tensor& loss, torch::Tensor& lossSum,
          double weight);

/// Ends an epoch of a trainer: the epoch's loss is lossSum / samples (read once, here) and
/// its time runs from `start`. Throws Model naming `epoch` when the loss is NaN or
/// infinite, puts the net in eval mode, makes the model scorable when the observer
/// validates, reports the epoch (finishEpoch), writes a checkpoint when options ask for
/// one (every checkpoint_every epochs, after the last and on an early stop) and puts the
/// net back in train mode. Returns whether the observer asks to stop early.
bool endEpoch(PairNet& net, const EpochHooks& hooks, TrainObserver* observer,
              const TrainerOptions& options, const TrainingData& data, const TrainerState& state,
              std::string_view model, int epoch, const torch::Tensor& lossSum, double samples,
              std::chrono::steady_clock::time_point start);

/// Restores `state` from options.resumeFrom when set (readCheckpoint) and returns the
/// epochs it had completed; 0 when there is nothing to resume.
int resumeIfAsked(const TrainerOptions& options, std::string_view model, const TrainingData& data,
                  torch::Device device, const TrainerState& state, TrainObserver* observer);

/// Trains `net` (already on `device`) with Adam over every training pair of `data`, in a
/// seeded random order per epoch (Random(data.seed)); each pair gets options.negatives
/// items drawn uniformly among the user's non-positives (seeded; an item is redrawn up to
/// 16 times while positive). `stop` is polled before every batch, progress is reported
/// every batch, and each epoch ends with finishEpoch() (the net in eval mode and the model
/// scorable first when the observer validates). Returns the number of completed epochs;
/// *stopped tells whether `stop` ended it. Throws Model naming the epoch on a NaN or
/// infinite loss. The caller seeds torch and builds the net before calling.
int trainPairs(PairNet& net, const TrainingData& data, const TrainerOptions& options,
               torch::Device device, std::string_view model, const EpochHooks& hooks,
               TrainObserver* observer, std::stop_token stop, bool* stopped);

}  // namespace reco::deep
