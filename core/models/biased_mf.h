#pragma once
/// BiasedMF / FunkSVD for explicit ratings (Koren, Bell and Volinsky 2009):
/// r_ui ~ mu + b_u + b_i + p_u . q_i, trained by SGD over TrainingData::ratings in a seeded
/// shuffled order. Refuses (Config) a dataset without ratings.

#include <cstdint>
#include <vector>

#include "core/models/factor_scoring.h"
#include "core/models/model_options.h"
#include "core/models/recommender.h"

namespace reco {

struct BiasedMfOptions {
  int factors = 64;
  int epochs = 20;
  double learningRate = 0.01;
  double regularization = 0.02;
  double initStd = 0.1;  ///< standard deviation of the normal start of the factors

  void validate() const;  ///< throws Config naming the bad field
  static std::vector<OptionSpec> specs();
  static BiasedMfOptions fromValues(const OptionValues& values);
};

class BiasedMfModel final : public Recommender {
 public:
  BiasedMfModel(BiasedMfOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "biasedmf"; }
  unsigned capabilities() const override { return kCanSimilarItems | kCanExplain | kHasItemEmbeddings; }
  /// Sequential SGD, O(epochs nnz factors). Loss per epoch: the training RMSE of the
  /// predictions met during the epoch (each taken just before its update). Throws Config
  /// without ratings, Model (naming the epoch) on NaN or divergence.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return users_; }
  std::size_t itemCount() const override { return items_; }
  /// Predicted ratings mu + b_u + b_i + p_u . q_i.
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  Explanation explain(UserIndex user, ItemIndex item, std::span<const ItemIndex> history) const override;
  std::size_t itemEmbeddings(std::vector<float>& out) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  float globalMean() const { return mean_; }

 private:
  /// Rebuilds the scorer from the factors and biases (item bias includes the mean).
  void refreshScoring();
  BiasedMfOptions options_;
  ComputeOptions compute_;
  bool fitted_ = false;
  std::size_t users_ = 0, items_ = 0, k_ = 0;
  float mean_ = 0;
  std::vector<float> userFactors_, itemFactors_, userBias_, itemBias_;
  factors::FactorScorer scorer_;  // item bias includes the mean
};

}  // namespace reco
