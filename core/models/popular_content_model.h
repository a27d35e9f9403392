#pragma once
/// Popular items like the user's (`popcontent`): a bestseller list in each user's taste, the
/// model to try first on basket data, where customers buy a few lines of many products and
/// collaborative models rarely beat plain popularity. score(u, i) = w_i * (blend +
/// cos(u, i)), where cos is the content model's (TF-IDF over title tokens and category path,
/// content_model.h) and w_i = (buyers of i / buyers of the most bought item)^popularity.
/// With popularity 0 it ranks as the content model; a large blend tends to plain
/// popularity; a user with no history, or nothing in common with an item, gets the item's
/// popularity alone. Items nobody bought in training score 0 (below every bought item,
/// whatever their content): with popularity > 0 it recommends what sells.

#include <cstdint>
#include <vector>

#include "core/models/content_model.h"

namespace reco {

struct PopularContentOptions {
  double popularity = 1.0;  ///< the exponent of the buyers' share
  double blend = 0.05;      ///< the share of plain popularity: w_i * blend when cos = 0
  Feedback feedback = Feedback::Binary;  ///< as the content model's
  std::int32_t minDf = 1;                ///< as the content model's

  ContentOptions content() const { return {feedback, minDf}; }

  static const OptionTable<PopularContentOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

class PopularContentModel final : public Recommender {
 public:
  explicit PopularContentModel(const PopularContentOptions& options);

  std::string_view modelName() const override { return "popcontent"; }
  unsigned capabilities() const override { return kCanFoldIn | kCanSimilarItems | kCanExplain; }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return content_.userCount(); }
  std::size_t itemCount() const override { return content_.itemCount(); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  /// The content model's: items by the cosine of their profiles.
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  /// The content model's contributions scaled by w_i, and the item's buyers in the reason.
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  void weigh(float* row) const;
  Explanation weighed(Explanation explanation, ItemIndex item) const;

  PopularContentOptions options_;
  ContentModel content_;
  bool fitted_ = false;
  std::vector<float> weights_;        ///< w_i per item
  std::vector<std::int32_t> buyers_;  ///< training users per item (for the reasons)
};

}  // namespace reco
