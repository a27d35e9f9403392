#pragma once
/// The content model: TF-IDF item profiles over title tokens and the category, and a user
/// profile that sums their training items' profiles; score = cosine(user, item). Items
/// without training users still have a profile, so new items are recommended; ad-hoc
/// histories fold in (new users).
///
/// Tokens: the title lower-cased (ASCII), split on characters that are not letters or
/// digits (bytes >= 0x80 count as letters, so UTF-8 words stay whole), tokens shorter than 2
/// bytes dropped; the category as "cat:" + each level of its "A > B" path as a prefix
/// ("cat:a", "cat:a > b"), lower-cased. Weight = tf * log(N / df), N = itemCount, tokens
/// in fewer than min_df items dropped; each item's profile is normalised to length 1.

#include <cstdint>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/data/sparse_matrix.h"
#include "core/models/classic_support.h"
#include "core/models/option_table.h"
#include "core/models/recommender.h"

namespace reco {

struct ContentOptions {
  Feedback feedback = Feedback::Binary;  ///< weighted: history items count by pair weight
  std::int32_t minDf = 1;                ///< tokens in fewer items than this are dropped

  /// Every option's key, bounds, choices and help (option_table.h); the defaults are above.
  static const OptionTable<ContentOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

/// The tokens of one item as described above (title tokens repeat as often as they occur).
std::vector<std::string> contentTokens(const std::string& title, const std::string& category);

class ContentModel final : public Recommender {
 public:
  explicit ContentModel(const ContentOptions& options) : options_(options) { options_.validate(); }

  std::string_view modelName() const override { return "content"; }
  unsigned capabilities() const override { return kCanFoldIn | kCanSimilarItems | kCanExplain; }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return std::size_t(feedback_.rows()); }
  std::size_t itemCount() const override { return std::size_t(profiles_.rows()); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// Every distinct history item counts with weight 1.
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  /// Items by cosine between profiles, only those > 0.
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// The cosine of the profiles as similarItems() computes it (1 on the diagonal for an item
  /// with a profile, 0 for one without). One pass over the items per row: O(|rows| items).
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  /// Contributions: history item j gives x_uj * cos(p_j, p_item) / |user profile|.
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  /// explain() for an ad-hoc history (every item weight 1), without scoring a whole row:
  /// O(history tokens log) per item.
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// items x tokens, rows of length 1 (or empty).
  const CsrMatrix& profiles() const { return profiles_; }

 private:
  using Weighted = std::vector<std::pair<std::int32_t, float>>;  // (item, weight)
  using Profile = std::vector<std::pair<std::int32_t, double>>;  // (token, weight), by token
  /// The history's token weights merged by token (the user profile, not normalised).
  Profile mergedProfile(const Weighted& history) const;
  void scoreProfile(const Weighted& history, float* row) const;
  Weighted userHistory(UserIndex user) const;
  Weighted adHocHistory(std::span<const ItemIndex> history) const;

  ContentOptions options_;
  bool fitted_ = false;
  CsrMatrix feedback_;  // users x items
  CsrMatrix profiles_;  // items x tokens
  CsrMatrix postings_;  // tokens x items (the transpose)
};

}  // namespace reco
