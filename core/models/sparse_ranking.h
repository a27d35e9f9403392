#pragma once
/// Ranking where a user's score row is sparse (Recommender::rankOnDevice for the
/// neighbourhood models): itemknn's row is the sum of a few items' neighbour lists, userknn's
/// of a few neighbours' histories, so most of a 100k-item row is exactly +0. The row is
/// built in a dense scratch row that lists the items it touches; top-n and AUC's counts are
/// taken over the touched items plus one count for the untouched ones, and only the touched
/// entries are cleared. A user costs O(touched + n), not O(items): no pass over the row.
/// The result is what the evaluator computes from score() rows, bit for bit, as long as the
/// model adds the same values in the same order (share one accumulation function).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/models/recommender.h"

namespace reco {

/// One user's row under construction: values start at +0, add() accumulates.
class SparseScoreRow {
 public:
  explicit SparseScoreRow(std::size_t items) : values_(items, 0.0f), mark_(items, 0) {}

  std::size_t items() const { return values_.size(); }
  /// values[item] += value; the caller checks that item is in [0, items()).
  void add(std::int32_t item, float value) {
    auto& mark = mark_[std::size_t(item)];
    if (!(mark & kTouched)) {
      mark |= kTouched;
      touched_.push_back(item);
    }
    values_[std::size_t(item)] += value;
  }

  /// Fills block.top, block.below and block.ties for block user u from this row
  /// (DeviceRanking's contract), then clears the row for the next user.
  void rankAndClear(DeviceRanking& block, std::size_t u);

 private:
  // kCounted: an untouched excluded or relevant item already counted (lists may repeat).
  static constexpr std::uint8_t kTouched = 1, kExcluded = 2, kRelevant = 4, kCounted = 8;
  std::vector<float> values_;
  std::vector<std::uint8_t> mark_;
  std::vector<std::int32_t> touched_;
  std::vector<std::uint64_t> keys_;  // scratch: top-n candidates
  std::vector<float> negatives_;     // scratch: the touched negatives' scores, for AUC
};

/// Ranks every user of `block` whose row fill(user, row) builds through row.add().
template <class Fill>
void rankSparseRows(std::size_t items, DeviceRanking& block, Fill&& fill) {
  checkDeviceRanking(block, items, "rankSparseRows");
  SparseScoreRow row(items);
  for (std::size_t u = 0; u < block.users.size(); ++u) {
    fill(block.users[u], row);
    row.rankAndClear(block, u);
  }
}

}  // namespace reco
