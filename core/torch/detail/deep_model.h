#pragma once
/// The Recommender side shared by the deep models over (user, item) pairs: fit through
/// trainPairs, scoring user by user on the device, save/load of the network's parameters
/// and buffers with a checked header, and similar items, explanations and the 2-D map from
/// the network's item vectors. A model supplies its network (makeNet) and its shape.
/// Includes torch: only for core/torch/*.cpp.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/torch/detail/deep_trainer.h"

namespace reco::deep {

/// The sizes a network is built for; stored in the model file and checked on load.
struct NetShape {
  std::int64_t users = 0, items = 0;
  std::vector<std::int64_t> extra;  ///< model-specific sizes (mlp: the category count)
};

class DeepModel : public Recommender {
 public:
  std::string_view modelName() const override { return name_; }
  /// kRanksOnDevice on CUDA only: on the CPU, score() rows are as cheap as ranking here.
  /// Every deep model folds in a history (scoreNewHistory).
  unsigned capabilities() const override {
    return kCanFoldIn | kCanSimilarItems | kCanExplain | kHasItemEmbeddings |
           (device_.is_cuda() ? kRanksOnDevice : 0u);
  }
  /// Seeds torch (TrainingData::seed), sets the threads, builds the net, checks the memory
  /// estimate (Config), then trains (see trainPairs). A stop within an epoch keeps the
  /// batches done so far; the model is fitted when at least one epoch completed.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return std::size_t(shape_.users); }
  std::size_t itemCount() const override { return std::size_t(shape_.items); }
  /// Users in fixed blocks on the device (PairNet::scoreUsers), copied into `out`. Every
  /// block has the same shape (short ones are padded) and user u always sits at row
  /// u % block, so batch scoring equals single scoring bit for bit on the CPU, whatever the
  /// BLAS. Thread-safe.
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// The checks, then scoreNewHistory(); the row of the last history scored is kept (one,
  /// under a lock) and served again for the same history: what-if explains every listed
  /// item over the one edited history (explainHistory's default scores a whole row), which
  /// is then one fold-in, not one per item. Thread-safe.
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const final;
  /// By cosine of the network's item vectors (itemEmbeddings()).
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// "similar to {item} you chose": the history items nearest to `item` by cosine of the
  /// item vectors, the score shared out in proportion (approximate: the score is not
  /// additive over the history).
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  /// explain() over an ad-hoc history: the scoreHistory() score (its row kept: one fold-in
  /// for all the items of a what-if list), shared out over the history's distinct items by
  /// cosine of the item vectors; "similar to {item} in the history".
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  std::size_t itemEmbeddings(std::vector<float>& out) const override;
  /// The cosine of the item vectors, read in place (factors::cosineSimilarities).
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  /// The scoring blocks of score(), ranked where they are computed: a stable descending
  /// sort for the top items (ties by item index), a sort of each row's negatives and a
  /// binary search of each relevant score for AUC's counts. Works on any device.
  bool rankOnDevice(DeviceRanking& block) const override;
  /// Header (RECO, name, version), the NetShape, then torch's archive of the parameters
  /// and buffers as one length-prefixed block.
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  torch::Device device() const { return device_; }
  /// "cpu" or "cuda:N": the device resolved from ComputeOptions when the model was built.
  std::string computeDevice() const override;

 protected:
  /// Resolves the device now: CUDA requested without CUDA throws Config.
  DeepModel(std::string name, TrainerOptions trainer, ComputeOptions compute);
  /// A fresh network for `shape` on the CPU (parameters drawn from torch's seeded
  /// generator). `data` is the training data on fit (to fill feature buffers), null on load
  /// (the buffers come from the archive).
  virtual std::shared_ptr<PairNet> makeNet(const NetShape& shape,
                                           const TrainingData* data) const = 0;
  /// The shape for `data`; the default has no extra sizes.
  virtual NetShape shapeOf(const TrainingData& data) const;
  /// Trains the built net (on device()) and returns the completed epochs; *stopped tells
  /// whether `stop` ended it. The default is trainPairs over (user, item) pairs with the
  /// trainer's options; a model with another kind of sample (sequences) overrides it.
  virtual int train(PairNet& net, const TrainingData& data, const EpochHooks& hooks,
                    TrainObserver* observer, std::stop_token stop, bool* stopped);
  const TrainerOptions& trainerOptions() const { return trainer_; }
  const std::string& name() const { return name_; }
  /// The model's scoreHistory(), called with `history` checked (fitted, every item in
  /// range) and `out` itemCount() floats. Thread-safe, like score().
  virtual void scoreNewHistory(std::span<const ItemIndex> history, std::span<float> out) const = 0;
  /// The fitted network, for scoreNewHistory(): in eval mode, read only (const members run
  /// concurrently: no gradient may land in it, nothing cached in it).
  PairNet& net() const { return *net_; }
  /// One row of scores ([items] or [1, items], any device and float type) into `out`.
  void copyRow(const torch::Tensor& row, std::span<float> out) const;

 private:
  void becomeScorable();

  std::string name_;
  TrainerOptions trainer_;
  ComputeOptions compute_;
  torch::Device device_;
  NetShape shape_;
  std::shared_ptr<PairNet> net_;
  std::int64_t scoreBlock_ = 1;     // users per scoring block (becomeScorable)
  std::vector<float> itemVectors_;  // items x dim_, on the CPU
  std::size_t dim_ = 0;
  bool fitted_ = false;
  // The last history scoreHistory() scored and its row (scoreHistory); cleared whenever
  // the model becomes scorable again.
  mutable std::mutex historyMutex_;
  mutable std::vector<ItemIndex> lastHistory_;
  mutable std::vector<float> lastRow_;
};

}  // namespace reco::deep
