#pragma once
/// PureSVD (Cremonesi et al. 2010): a truncated SVD X ~ U S V' of the user x item matrix by
/// randomized SVD (Halko, Martinsson and Tropp 2011) with power iterations, seeded.
/// score(u, .) = (x_u V) V': the user's row projected onto the item factors.

#include <cstdint>
#include <vector>

#include "core/models/classic_support.h"
#include "core/models/factor_model.h"
#include "core/models/option_table.h"

namespace reco {

struct PureSvdOptions {
  int factors = 64;
  int powerIterations = 3;
  int oversampling = 10;
  Feedback feedback = Feedback::Binary;

  /// Every option's key, bounds, choices and help (option_table.h); the defaults are above.
  static const OptionTable<PureSvdOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

/// The user factors are x_u V (users x k), the item factors V (items x k).
class PureSvdModel final : public FactorModel {
 public:
  PureSvdModel(PureSvdOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "puresvd"; }
  unsigned capabilities() const override {
    return FactorModel::capabilities() | kCanFoldIn | kRanksOnDevice;
  }
  /// Cost O((2 q + 2) nnz l + (users + items) l^2) with l = factors + oversampling; memory
  /// (users + items) l doubles. factors is capped at min(users, items). One EpochReport whose
  /// loss is the relative residual |X - X V V'|_F^2 / |X|_F^2.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  /// Exact: score = sum_j x_uj (v_j . v_i) over the history (weights taken as 1).
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  /// score = sum_j v_j . v_i over the distinct history items (scoreHistory()'s vector).
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;

  std::size_t rank() const { return k_; }
  const std::vector<float>& singularValues() const { return singularValues_; }

 private:
  /// The singular values follow the factors.
  void saveRest(std::ostream& out) const override;
  void loadRest(std::istream& in, const factors::FactorMatrices& file) override;

  PureSvdOptions options_;
  std::vector<float> singularValues_;
};

}  // namespace reco
