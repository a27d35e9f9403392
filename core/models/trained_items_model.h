#pragma once
/// A collaborative model fitted on, and scoring, only the items that have at least one
/// training interaction (ModelInfo::ItemScope::TrainedItems; Registry::add wraps such
/// models' factories in it). A shop's catalogue often lists many products nobody bought in
/// the training period: a collaborative model cannot learn anything about them, yet they
/// would cost it memory (EASE's dense item x item matrix), negative samples (BPR, the deep
/// models) and ranking slots (random or zero scores). Here the inner model sees a compact
/// TrainingData over the learned items only; everything the rest of the workbench calls
/// uses the dataset's item indices, and the items the model never learned score -infinity.
///
/// When every item has a training interaction (MovieLens) the inner model is fitted on the
/// data as given and every call goes straight through.
///
/// A user with no training interaction (a customer first seen in the test period) tells a
/// collaborative model nothing: such users get the bestseller list (each learned item
/// scores its number of training users, as `pop` does), not the model's guess from an empty
/// history, which for neighbourhood and linear models is all zeros, ranked by item index.
///
/// The saved state starts with the learned items, then the inner model's own bytes. A state
/// without that header (model files stored before this wrapper existed, or an inner model's
/// own save() as the validation monitor keeps it) loads as "every item learned".

#include <cstdint>
#include <memory>
#include <vector>

#include "core/data/training_data.h"
#include "core/models/recommender.h"

namespace reco {

class TrainedItemsModel final : public Recommender {
 public:
  explicit TrainedItemsModel(std::unique_ptr<Recommender> inner);

  /// The wrapped model (the registry's model class: EaseModel, BprModel...).
  const Recommender& inner() const { return *inner_; }
  Recommender& inner() { return *inner_; }
  /// How many of itemCount() items the fitted model learned (had a training interaction).
  std::size_t learnedItemCount() const;
  /// How many users had no training interaction (they get the bestseller list).
  std::size_t coldUserCount() const { return coldUsers_.size(); }

  std::string_view modelName() const override { return inner_->modelName(); }
  unsigned capabilities() const override { return inner_->capabilities(); }
  std::string computeDevice() const override { return inner_->computeDevice(); }
  std::string_view foldInMethod() const override { return inner_->foldInMethod(); }

  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return inner_->isFitted(); }
  OptionValues resolvedOptions() const override { return inner_->resolvedOptions(); }
  std::size_t userCount() const override { return inner_->userCount(); }
  std::size_t itemCount() const override;

  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  /// Rows of items the model never learned are zero.
  std::size_t itemEmbeddings(std::vector<float>& out) const override;
  /// 0 wherever a row or column is an item the model never learned.
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  std::size_t userEmbeddings(std::vector<float>& out) const override;
  /// Translates the block to the learned items and back. The items the model never learned
  /// score -infinity: they fill the top lists after every learned item, by index, and count
  /// as ties of each other and below every learned item (the inner model's scores are
  /// taken as finite, as the deep models' are).
  bool rankOnDevice(DeviceRanking& block) const override;

  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  bool allLearned() const { return !translating_; }
  /// The learned items of `items` as inner indices, in order; the others dropped.
  std::vector<ItemIndex> toInner(std::span<const ItemIndex> items) const;
  /// Spreads the rows of inner scores at the front of `out` (rows x learned, packed) into
  /// full rows (rows x items) in place, -infinity for the items never learned.
  void scatterRows(std::span<float> out) const;
  Explanation neverLearned(ItemIndex item) const;
  bool isCold(UserIndex user) const;
  /// Rows of cold users (users[r]) become the bestseller list.
  void fillCold(std::span<const UserIndex> users, std::span<float> out) const;
  /// Ranks the block's cold users from the bestseller list, on the host.
  void rankColdOnHost(DeviceRanking& block) const;
  bool rankLearnedOnDevice(DeviceRanking& block) const;
  void requireItem(ItemIndex item) const;

  std::unique_ptr<Recommender> inner_;
  std::int32_t itemCount_ = 0;
  bool translating_ = false;  ///< some items were never learned: indices are translated
  /// Empty when every item is learned; else the dataset index of each inner item, ascending.
  std::vector<std::int32_t> learned_;
  /// The inner index of each dataset item, -1 for items never learned (empty like learned_).
  std::vector<std::int32_t> innerIndex_;
  /// Users with no training interaction, ascending; and, when there are any, the training
  /// users of each dataset item (-infinity for the items never learned).
  std::vector<std::int32_t> coldUsers_;
  std::vector<float> bestsellers_;
};

/// The training part restricted to `items` (dataset indices, ascending): item indices become
/// positions in `items`; user indices, values, the ratings, sequences and item side
/// information follow; validation pairs of other items are dropped. Every training pair's
/// item must be in `items`.
TrainingData compactItems(const TrainingData& data, const std::vector<std::int32_t>& items);

}  // namespace reco
