#pragma once
/// ALS / WRMF for implicit feedback (Hu, Koren and Volinsky 2008), solved with a few steps
/// of conjugate gradient per user and per item as in the `implicit` library (Takács et al.).
/// Minimises sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + regularization (|X|^2 + |Y|^2), with
/// p_ui = 1 for training pairs (0 elsewhere) and c_ui = 1 + alpha * w_ui (1 elsewhere).

#include <cstdint>
#include <string>
#include <vector>

#include "core/models/classic_support.h"
#include "core/models/factor_model.h"
#include "core/models/option_table.h"

namespace reco {

struct AlsOptions {
  int factors = 64;
  int iterations = 15;
  /// 40 and 6, not implicit's 0.01 and 1: measured on ML-100K, Online Retail and the sparse
  /// and basket stand-ins with the default factors and iterations (README, Which model for
  /// which shop), they gain on three shapes and tie on Online Retail; a plateau from 40 to 50.
  double regularization = 40.0;
  double alpha = 6.0;  ///< confidence = 1 + alpha * weight
  int cgSteps = 3;     ///< conjugate-gradient steps per solve (warm-started)
  Feedback feedback = Feedback::Binary;

  /// Every option's key, bounds, choices and help (option_table.h); the defaults are above.
  static const OptionTable<AlsOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

/// Thread safety as Recommender. Memory: (users + items) x factors floats, plus a transposed
/// copy of the item factors for scoring and a factors x factors Gram matrix.
class AlsModel final : public FactorModel {
 public:
  AlsModel(AlsOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "als"; }
  unsigned capabilities() const override {
    return FactorModel::capabilities() | kCanFoldIn | kRanksOnDevice;
  }
  /// Loss per iteration: the weighted objective above divided by the number of training
  /// pairs, computed exactly after the item step (O(nnz k + (users + items) k^2)).
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  /// Solves the user's least-squares problem exactly for the history (weight 1 each).
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  /// Hu et al.'s item-based explanation: score = sum_j s_ij c_uj with s_ij = y_i' W_u y_j,
  /// W_u = (Y' C_u Y + regularization I)^-1 (history weights taken as 1).
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  /// The same account for the user vector scoreHistory() solves: score = sum_j s_ij c, so
  /// the contributions add up to the fold-in score.
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;

  /// One warm-started conjugate-gradient solve of (G + sum_j (c_j - 1) y_j y_j') x =
  /// sum_j c_j y_j, as the fit runs it (exposed for tests). `gram` is G (k x k, including
  /// the regularization), `factors` the rows y_j (k each), `x` the start and the result.
  static void conjugateGradient(const float* gram, const float* factors, std::size_t k,
                                std::span<const std::int32_t> cols,
                                std::span<const float> confidence, int steps, float* x);

 private:
  /// The scorer and the item Gram matrix of fold-in and explain().
  void refreshScoring() override;
  /// Nothing follows the factors; checks that the file holds options.factors factors.
  void loadRest(std::istream& in, const factors::FactorMatrices& file) override;
  std::vector<float> foldIn(std::span<const ItemIndex> history) const;

  AlsOptions options_;
  std::vector<float> itemGram_;  // Y'Y, k x k (no regularization)
};

}  // namespace reco
