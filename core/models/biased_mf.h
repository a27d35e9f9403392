#pragma once
/// BiasedMF / FunkSVD for explicit ratings (Koren, Bell and Volinsky 2009):
/// r_ui ~ mu + b_u + b_i + p_u . q_i, trained by SGD over TrainingData::ratings in a seeded
/// shuffled order. Refuses (Config) a dataset without ratings.

#include <cstdint>
#include <vector>

#include "core/models/factor_model.h"
#include "core/models/option_table.h"

namespace reco {

struct BiasedMfOptions {
  int factors = 64;
  int epochs = 20;
  double learningRate = 0.01;
  double regularization = 0.02;
  double initStd = 0.1;  ///< standard deviation of the normal start of the factors

  /// Every option's key, bounds, choices and help (option_table.h); the defaults are above.
  static const OptionTable<BiasedMfOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

class BiasedMfModel final : public FactorModel {
 public:
  BiasedMfModel(BiasedMfOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "biasedmf"; }
  /// It predicts ratings, so runs on rated data also get RMSE and MAE.
  unsigned capabilities() const override { return FactorModel::capabilities() | kPredictsRatings; }
  /// Sequential SGD, O(epochs nnz factors). Loss per epoch: the training RMSE of the
  /// predictions met during the epoch (each taken just before its update). Throws Config
  /// without ratings, Model (naming the epoch) on NaN or divergence.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  /// Predicted ratings mu + b_u + b_i + p_u . q_i.
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;

  float globalMean() const { return mean_; }

 private:
  /// The scorer with mean + b_i as its item bias (score() adds b_u).
  void refreshScoring() override;
  /// The mean, the user biases and the item biases follow the factors.
  void saveRest(std::ostream& out) const override;
  void loadRest(std::istream& in, const factors::FactorMatrices& file) override;

  BiasedMfOptions options_;
  float mean_ = 0;
  std::vector<float> userBias_, itemBias_;
};

}  // namespace reco
