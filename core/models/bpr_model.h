#pragma once
/// BPR-MF (Rendle et al. 2009) with an item bias as in cornac: x_uij = b_i - b_j + p_u . (q_i -
/// q_j), trained by SGD on triples (user, positive, negative), the negative drawn uniformly among
/// the user's non-positives.
///
/// Threads: users and items are cut into T blocks each (T = ComputeOptions::threads, balanced
/// by training pairs); an epoch runs T rounds, and in round s thread t trains on the pairs of
/// user block t with item block (t + s) mod T, its negatives drawn from that item block. No two
/// threads ever touch the same row, so there are no races, and the same (seed, threads) gives
/// the same model bit for bit; threads = 1 is plain sequential SGD over all items.

#include <cstdint>
#include <string>
#include <vector>

#include "core/models/factor_model.h"
#include "core/models/option_table.h"

namespace reco {

struct BprOptions {
  int factors = 64;
  int epochs = 100;
  /// 0.02, not cornac's 0.01: at 0.01 the factors of users with few pairs barely move in 100
  /// epochs (Online Retail NDCG@10 0.117 against 0.159; README, Defaults that hold).
  double learningRate = 0.02;
  double regularization = 0.01;
  bool itemBias = true;
  /// "uniform" (cornac; the default) draws negatives uniformly among items; "popularity"
  /// (the implicit library's sampler) in proportion to their training interactions, which
  /// pushes popular items down and spreads recommendations over the catalogue.
  std::string negativeSampling = "uniform";
  /// "auto" multiplies the step by clamp(users / (2 * items), 1, 10), counting the users
  /// and items with a training pair; "none" keeps learning_rate as given. An epoch updates
  /// a user's vector pairs/users times and an item's pairs/items times, so where users
  /// outnumber items many times over (a ratings site: 72k users, 2.4k items, 1.2 pairs
  /// each) the user vectors hardly leave their tiny start at a step sized for the items,
  /// the item bias learns popularity alone, and BPR falls below a bestseller list (README,
  /// Defaults that hold). Below 2 users per item (MovieLens, Online Retail, baskets) the
  /// step is learning_rate; a larger one measured worse there.
  std::string learningRateScale = "auto";

  /// Every option's key, bounds, choices and help (option_table.h); the defaults are above.
  static const OptionTable<BprOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

class BprModel final : public FactorModel {
 public:
  BprModel(BprOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "bpr"; }
  unsigned capabilities() const override { return FactorModel::capabilities() | kRanksOnDevice; }
  /// One epoch draws as many triples as there are training pairs (the user of a triple is
  /// drawn in proportion to their pairs). Loss per epoch: the mean of -log sigmoid(x_uij)
  /// over the epoch's triples (before each update) plus regularization/2 (|P|^2 + |Q|^2 +
  /// |b|^2) divided by the number of pairs. Throws Model naming the epoch on NaN.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  /// The largest factor products in the reason; `because` holds the history items nearest
  /// to the item (cosine of item factors), the score shared out in proportion (approximate).
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;

  /// One per item, or empty without item_bias.
  const std::vector<float>& itemBiases() const { return itemBias_; }
  /// With learning_rate_scale=auto, the step the last fit used ("learning_rate").
  OptionValues resolvedOptions() const override { return resolved_; }

 private:
  /// The scorer with the item biases.
  void refreshScoring() override;
  /// The item biases follow the factors.
  void saveRest(std::ostream& out) const override;
  void loadRest(std::istream& in, const factors::FactorMatrices& file) override;

  BprOptions options_;
  std::vector<float> itemBias_;
  OptionValues resolved_;
};

}  // namespace reco
