#pragma once
/// EASE (Steck 2019): an item x item weight matrix B in closed form,
/// B = I - P diag(1 / diag(P)) with P = (X'X + lambda I)^-1, so diag(B) = 0, and
/// score(u, i) = sum_j x_uj B[j, i]. Dense: items^2 floats, refused (Config) past a budget.

#include <cstdint>
#include <vector>

#include "core/data/sparse_matrix.h"
#include "core/models/classic_support.h"
#include "core/models/option_table.h"
#include "core/models/recommender.h"

namespace reco {

struct EaseOptions {
  double lambda = 500.0;
  /// EDLAE (Steck 2020, "Autoencoders that don't overfit towards the identity"): the
  /// penalty of item i grows with its own Gram entry, p/(1-p) * G_ii, as dropout of the
  /// input with probability p would make it. 0: plain EASE.
  double dropout = 0.0;
  double maxMemoryGb = 0.0;  ///< 0: 60% of the physical memory (sysconf)
  Feedback feedback = Feedback::Binary;

  /// Every option's key, bounds, choices and help (option_table.h); the defaults are above.
  static const OptionTable<EaseOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
  /// The budget in bytes: maxMemoryGb GiB, or 60% of the physical memory when 0.
  double budgetBytes() const;
};

/// Bytes EASE needs for `items` items: the items x items float matrix plus the panels of
/// the blocked inversion.
double easeMemoryBytes(std::int64_t items);

class EaseModel final : public Recommender {
 public:
  EaseModel(EaseOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "ease"; }
  unsigned capabilities() const override {
    return kCanFoldIn | kCanSimilarItems | kCanExplain | kRanksOnDevice;
  }
  /// Gram matrix O(sum of squared user history lengths), then an in-place blocked
  /// symmetric sweep (Gauss-Jordan) inversion, O(items^3) flops in OpenBLAS (spotrf, ssyrk,
  /// strsm, spotri) on compute.threads threads; stop is polled between pivot blocks of 256
  /// items. The same bits for the same thread count; another count differs by rounding. Throws
  /// Config (before allocating) when easeMemoryBytes(items) exceeds the budget. One EpochReport
  /// (epoch 1) whose loss is the training squared error |X - XB|^2 / nnz.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return std::size_t(history_.rows()); }
  std::size_t itemCount() const override { return items_; }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// Scores and ranks a block chunk by chunk in cache, as score() rows would rank
  /// (ease_ranking.cpp, chunked_ranking.h).
  bool rankOnDevice(DeviceRanking& block) const override;
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  /// By B's column: the items j with the largest B[j, item].
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// B[columns[c], rows[r]]: the weight similarItems(rows[r]) ranks columns[c] by. Signed and
  /// not symmetric; 0 on the diagonal.
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  /// sum_j B[j, item] over the distinct history items, in scoreHistory()'s order (so the score
  /// is the same float); the items with B[j, item] > 0 by weight.
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  /// The history items j with the largest B[j, item] ("because you chose {item}").
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// B, items x items, row-major (for tests).
  const std::vector<float>& weights() const { return weights_; }

 private:
  EaseOptions options_;
  ComputeOptions compute_;
  bool fitted_ = false;
  std::size_t items_ = 0;
  CsrMatrix history_;           // the training matrix X as read under `feedback`
  std::vector<float> weights_;  // B, row-major
};

}  // namespace reco
