#pragma once
/// The random baseline: every (user, item) gets a uniform score in [0, 1) drawn from
/// Random(TrainingData::seed).split(user), so a seed always gives the same scores and a
/// batch equals single scoring. The floor every model must beat.

#include <cstdint>

#include "core/models/option_table.h"
#include "core/models/recommender.h"

namespace reco {

/// No options: the seed comes from the training data.
struct RandomOptions {
  /// The empty table: any key is refused.
  static const OptionTable<RandomOptions>& table();
  void validate() const {}
};

class RandomModel final : public Recommender {
 public:
  explicit RandomModel(const RandomOptions& options = {}) { options.validate(); }

  std::string_view modelName() const override { return "random"; }
  unsigned capabilities() const override { return kCanFoldIn; }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return fitted_; }
  std::size_t userCount() const override { return users_; }
  std::size_t itemCount() const override { return items_; }
  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// An ad-hoc history draws from one fixed stream of its own (the history is ignored).
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  void fillRow(std::uint64_t stream, float* row) const;

  bool fitted_ = false;
  std::uint64_t seed_ = 0;
  std::size_t users_ = 0, items_ = 0;
};

}  // namespace reco
