#pragma once
/// PureSVD (Cremonesi et al. 2010): a truncated SVD X ~ U S V' of the user x item matrix by
/// randomized SVD (Halko, Martinsson and Tropp 2011) with power iterations, seeded.
/// score(u, .) = (x_u V) V': the user's row projected onto the item factors.

#include <cstdint>
#include <vector>

#include "core/models/classic_support.h"
#include "core/models/factor_scoring.h"
#include "core/models/model_options.h"
#include "core/models/recommender.h"

namespace reco {

struct PureSvdOptions {
  int factors = 64;
  int powerIterations = 3;
  int oversampling = 10;
  Feedback feedback = Feedback::Binary;

  void validate() const;  ///< throws Config naming the bad field
  static std::vector<OptionSpec> specs();
  static PureSvdOptions fromValues(const OptionValues& values);
};

class PureSvdModel final : public Recommender {
 public:
  PureSvdModel(PureSvdOptions options, ComputeOptions compute);

  std::string_view modelName() const override { return "puresvd"; }
  unsigned capabilities() const override {
    return kCanFoldIn | kCanSimilarItems | kCanExplain | kHasItemEmbeddings;
  }
  /// Cost O((2 q + 2) nnz l + (users + items) l^2) with l = factors + oversampling; memory
  /// (users + items) l doubles. factors is capped at min(users, items). One EpochReport whose
  /// loss is the relative residual |X - X V V'|_F^2 / |X|_F^2.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return users_; }
  std::size_t itemCount() const override { return items_; }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// Exact: score = sum_j x_uj (v_j . v_i) over the history (weights taken as 1).
  Explanation explain(UserIndex user, ItemIndex item, std::span<const ItemIndex> history) const override;
  std::size_t itemEmbeddings(std::vector<float>& out) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  std::size_t rank() const { return k_; }
  const std::vector<float>& itemFactors() const { return itemFactors_; }
  const std::vector<float>& singularValues() const { return singularValues_; }

 private:
  PureSvdOptions options_;
  ComputeOptions compute_;
  bool fitted_ = false;
  std::size_t users_ = 0, items_ = 0, k_ = 0;
  std::vector<float> userFactors_;  // x_u V, users x k
  std::vector<float> itemFactors_;  // V, items x k
  std::vector<float> singularValues_;
  factors::FactorScorer scorer_;
};

}  // namespace reco
