#pragma once
/// Ranking where every user's score row is one and the same vector (pop: an item scores its
/// popularity for everybody). The items are ordered once; a user's top n is the head of that
/// order without their excluded items, and AUC's counts of a relevant item are its counts
/// in the whole row less the user's excluded and relevant items. A user costs
/// O(n + |excluded| x |relevant|), not a pass over the row, and the result is what the
/// evaluator computes from the rows, bit for bit (the same orderKey order, NaN as -infinity).

#include <cstdint>
#include <vector>

#include "core/models/recommender.h"

namespace reco {

class SharedRowRanking {
 public:
  SharedRowRanking() = default;
  /// Orders `scores` (O(items log items)); keeps a copy for the top lists' scores.
  explicit SharedRowRanking(std::vector<float> scores);

  std::size_t items() const { return scores_.size(); }
  /// Fills block.top, block.below and block.ties (DeviceRanking's contract). Throws
  /// Internal on spans of the wrong sizes or items out of range. Thread-safe.
  void rank(DeviceRanking& block) const;

 private:
  std::vector<float> scores_;
  std::vector<std::int32_t> order_;  // items by orderKey descending (score, then index)
  // Per item: how many items score below it and equal to it (itself included), NaN as
  // -infinity.
  std::vector<std::int64_t> belowAll_, tiesAll_;
};

}  // namespace reco
