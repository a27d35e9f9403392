#pragma once
/// The state and the thin methods that the factor models (puresvd, biasedmf, als, bpr)
/// share: users x k and items x k factors, the fitted flag, the scorer over the item
/// factors, and from them score(), similarItems(), itemEmbeddings(), the start of explain()
/// and the frame of save()/load(). Each model keeps its own fit(), explain() and options.
///
/// Model file: "RECO" + modelName() + the model's format version (binary::writeHeader),
/// the factors (factors::writeFactors), then whatever the model's saveRest() writes.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "core/models/factor_scoring.h"
#include "core/models/recommender.h"

namespace reco {

/// Thread safety as Recommender. Derived classes fill the protected state in fit() and then
/// call markFitted(); load() fills it from a file written by save().
class FactorModel : public Recommender {
 public:
  /// Every factor model finds similar items, explains and maps its items; the models that
  /// fold in a history (als, puresvd) add kCanFoldIn.
  unsigned capabilities() const override {
    return kCanSimilarItems | kCanExplain | kHasItemEmbeddings;
  }
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return users_; }
  std::size_t itemCount() const override { return items_; }

  /// Each user's factor row against every item through the scorer (with the item biases
  /// that refreshScoring() gave it). Batch equals single scoring bit for bit.
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// Cosine of the item factors, O(items k).
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// The item factors; the dimension is k.
  std::size_t itemEmbeddings(std::vector<float>& out) const override;
  /// The cosine of the item factors exactly as similarItems() computes it (0 where either
  /// vector is zero), read in place: O((|rows| + |columns|) k + |rows| |columns| k).
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  /// The user factors; the dimension is k.
  std::size_t userEmbeddings(std::vector<float>& out) const override;
  /// With kRanksOnDevice (als, bpr, puresvd: the models whose score() is the scorer's
  /// alone): factors::rankFused, the block scored and ranked chunk by chunk in cache, the
  /// same result as ranking score() rows. Returns false for the others.
  bool rankOnDevice(DeviceRanking& block) const override;
  /// Every factor model explains itself (kCanExplain); start from scoredExplanation().
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override = 0;

  /// Throws Model when unfitted. Writes the header, the factors, then saveRest().
  void save(std::ostream& out) const final;
  /// Checks the header (name and format version), reads the factors, lets loadRest() read
  /// and check the rest, then adopts the factors and calls markFitted(). Throws Model (or
  /// Io) naming what it expected; on a throw the model is left as it was.
  void load(std::istream& in) final;

  /// users x k and items x k, row-major; empty before fit() or load().
  const std::vector<float>& userFactors() const { return userFactors_; }
  const std::vector<float>& itemFactors() const { return itemFactors_; }

 protected:
  /// `formatVersion` goes into the header of save() and must match at load().
  FactorModel(ComputeOptions compute, std::uint32_t formatVersion)
      : compute_(compute), formatVersion_(formatVersion) {}

  /// Sets the counts and sizes the factors to users x k and items x k, drawing every user
  /// value and then every item value from `draw()` (this order fixes a seeded start).
  template <class Draw>
  void startFactors(std::size_t users, std::size_t items, std::size_t k, Draw&& draw) {
    users_ = users;
    items_ = items;
    k_ = k;
    userFactors_.resize(users_ * k_);
    itemFactors_.resize(items_ * k_);
    for (float& v : userFactors_) v = draw();
    for (float& v : itemFactors_) v = draw();
  }

  /// Rebuilds what scoring needs from the factors (and the model's own state), then marks
  /// the model fitted: the end of fit() and load(), and before a validation pass mid-fit.
  void markFitted() {
    refreshScoring();
    fitted_ = true;
  }
  /// Resets the scorer over the item factors without item biases; models with biases or
  /// more scoring state override it (and reset scorer_ themselves).
  virtual void refreshScoring();

  /// Writes the model's state that follows the factors in its file; nothing by default.
  virtual void saveRest(std::ostream& out) const;
  /// Reads what saveRest() wrote and checks it together with `file` against the options,
  /// throwing Model naming what it expected; only then keeps that state. Called before the
  /// factors are adopted, so it must not read the protected factors or counts.
  virtual void loadRest(std::istream& in, const factors::FactorMatrices& file) = 0;

  /// Throws Model unless fitted and Internal unless `out` holds itemCount() floats: the
  /// checks of scoreHistory().
  void checkScoreHistoryArgs(std::span<const float> out) const;
  /// An Explanation with the score of `item` for `user` (both checked) as score() gives it,
  /// no reason and no contributions yet.
  Explanation scoredExplanation(UserIndex user, ItemIndex item) const;
  /// factors::describeFactorProducts() of the user's and the item's factor rows.
  std::string describeFactorProducts(UserIndex user, ItemIndex item) const;
  const float* userRow(UserIndex user) const {
    return userFactors_.data() + std::size_t(user.value) * k_;
  }
  const float* itemRow(ItemIndex item) const {
    return itemFactors_.data() + std::size_t(item.value) * k_;
  }

  ComputeOptions compute_;
  bool fitted_ = false;
  std::size_t users_ = 0, items_ = 0, k_ = 0;
  std::vector<float> userFactors_, itemFactors_;  // row-major, k_ wide
  factors::FactorScorer scorer_;

 private:
  std::uint32_t formatVersion_;
};

}  // namespace reco
