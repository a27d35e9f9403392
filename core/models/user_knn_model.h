#pragma once
/// UserKNN: user-user similarities (core/similarity), the top k kept per user; the score of
/// item i for user u is sum over u's neighbours v of sim(u, v) * x_vi (x = the feedback
/// values). Capabilities: explain (no fold-in: a new user has no neighbourhood yet).

#include "core/data/sparse_matrix.h"
#include "core/models/knn_options.h"
#include "core/models/recommender.h"

namespace reco {

class UserKnnModel final : public Recommender {
 public:
  /// `options` must have passed validate(); `threads` 0 = hardware concurrency.
  UserKnnModel(const KnnOptions& options, int threads);

  std::string_view modelName() const override { return "userknn"; }
  unsigned capabilities() const override { return kCanExplain | kRanksOnDevice; }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return std::size_t(feedback_.rows()); }
  std::size_t itemCount() const override { return std::size_t(feedback_.cols()); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// What the evaluator computes from score() rows, from the items the user's neighbours
  /// have (sparse_ranking.h), in O(their histories + n) per user.
  bool rankOnDevice(DeviceRanking& block) const override;
  /// Reason "users like you chose it"; contributions: the user's history items shared with
  /// the neighbours who chose `item`, each neighbour's share sim(u, v) * x_v,item split
  /// evenly over the history items it shares with u.
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// The pruned user x user similarity matrix (row u = u's neighbours, columns ascending).
  const CsrMatrix& neighbours() const { return neighbours_; }

 private:
  KnnOptions options_;
  int threads_;
  bool fitted_ = false;
  CsrMatrix feedback_;    // users x items
  CsrMatrix neighbours_;  // users x users
};

}  // namespace reco
