#pragma once
/// The popularity baseline: an item's score is the number of training users who chose it,
/// the same for every user (hence fold-in for new users: the cold-start fallback), and
/// ranked once for all of them (shared_row_ranking.h).

#include <cstdint>
#include <vector>

#include "core/models/option_table.h"
#include "core/models/recommender.h"
#include "core/models/shared_row_ranking.h"

namespace reco {

struct PopularityOptions {
  /// Count only pairs whose time (TrainingData::userSequence) is at most this many days
  /// before the latest training time; 0 counts all time. Pairs of unknown time (NaN) are
  /// left out of a window; data without any time fails a window with Config.
  std::int32_t windowDays = 0;

  /// Every option's key, bounds and help (option_table.h); the defaults are above.
  static const OptionTable<PopularityOptions>& table();
  void validate() const { table().check(*this); }  ///< throws Config naming the bad option
};

class PopularityModel final : public Recommender {
 public:
  explicit PopularityModel(const PopularityOptions& options) : options_(options) {
    options_.validate();
  }

  std::string_view modelName() const override { return "pop"; }
  unsigned capabilities() const override { return kCanFoldIn | kRanksOnDevice; }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return users_; }
  std::size_t itemCount() const override { return counts_.size(); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// From the items ordered once at fit or load: O(n + a user's training items) per user.
  bool rankOnDevice(DeviceRanking& block) const override;
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  /// "chosen by N users" (within the window); no contributions.
  /// The same as explain(): popularity does not depend on the history.
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  /// Users per item (within the window), itemCount() entries.
  const std::vector<float>& counts() const { return counts_; }

 private:
  PopularityOptions options_;
  bool fitted_ = false;
  std::size_t users_ = 0;
  std::vector<float> counts_;
  SharedRowRanking ranking_;  // counts_ ordered
};

}  // namespace reco
