#pragma once
/// ItemKNN: item-item similarities (core/similarity), the top k kept per item; the score of
/// item i for user u is the user's feedback row times the pruned item-item matrix:
/// sum over u's training items j of x_uj * sim(j, i), where i is among j's top k (the
/// `implicit` library's convention). Capabilities: fold-in, similar items, explain, and
/// ranking a user from the touched items only (sparse_ranking.h: rows are mostly +0).

#include "core/data/sparse_matrix.h"
#include "core/models/knn_options.h"
#include "core/models/recommender.h"

namespace reco {

class ItemKnnModel final : public Recommender {
 public:
  /// `options` must have passed validate(); `threads` 0 = hardware concurrency.
  ItemKnnModel(const KnnOptions& options, int threads);

  std::string_view modelName() const override { return "itemknn"; }
  unsigned capabilities() const override {
    return kCanFoldIn | kCanSimilarItems | kCanExplain | kRanksOnDevice;
  }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  /// With short_history_shrink=auto, the shrinkage the last fit used ("shrink").
  OptionValues resolvedOptions() const override { return resolved_; }
  std::size_t userCount() const override { return std::size_t(feedback_.rows()); }
  std::size_t itemCount() const override { return std::size_t(neighbours_.rows()); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// What the evaluator computes from score() rows, in O(u's neighbour lists + n) per user.
  bool rankOnDevice(DeviceRanking& block) const override;
  /// Every distinct history item counts with weight 1.
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// The kept weight neighbours()(rows[r], columns[c]) that similarItems(rows[r]) lists, 0
  /// outside rows[r]'s top k (and on the diagonal). O(|rows| |columns| log k).
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  /// Contributions: the history items j with sim(j, item) > 0, weight x_uj * sim(j, item)
  /// (x_uj = the user's training feedback on j, 1 when j is not in their training row).
  /// The explanation over an ad-hoc history (what-if): explain() with every history item
  /// weighted 1, as scoreHistory() scores it.
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// The pruned item x item similarity matrix (row j = j's neighbours, columns ascending).
  const CsrMatrix& neighbours() const { return neighbours_; }

 private:
  KnnOptions options_;
  int threads_;
  bool fitted_ = false;
  CsrMatrix feedback_;    // users x items, the feedback values x_uj
  CsrMatrix neighbours_;  // items x items
  OptionValues resolved_;
};

}  // namespace reco
