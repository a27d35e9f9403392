#include "core/models/sparse_ranking.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "core/common/error.h"
#include "core/models/top_selection.h"

namespace reco {
void SparseScoreRow::rankAndClear(DeviceRanking& block, std::size_t u) {
  const auto e0 = std::size_t(block.excludeStart[u]), e1 = std::size_t(block.excludeStart[u + 1]);
  const auto r0 = std::size_t(block.relevantStart[u]), r1 = std::size_t(block.relevantStart[u + 1]);
  for (std::size_t k = e0; k < e1; ++k) mark_[std::size_t(block.exclude[k])] |= kExcluded;
  for (std::size_t k = r0; k < r1; ++k) mark_[std::size_t(block.relevant[k])] |= kRelevant;

  // Top n: the touched items that are not excluded, and the first n untouched ones, which
  // score +0 and beat every later untouched item on the tie (lower index first).
  const std::size_t n = block.n, items = values_.size();
  keys_.clear();
  for (const std::int32_t item : touched_)
    if (!(mark_[std::size_t(item)] & kExcluded))
      keys_.push_back(orderKey(values_[std::size_t(item)], item));
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < items && zeros < n; ++i)
    if (!(mark_[i] & (kTouched | kExcluded))) {
      keys_.push_back(orderKey(0.0f, std::int32_t(i)));
      ++zeros;
    }
  const std::size_t kept = std::min(n, keys_.size());
  std::partial_sort(keys_.begin(), keys_.begin() + std::ptrdiff_t(kept), keys_.end(),
                    std::greater<>());
  for (std::size_t j = 0; j < kept; ++j) {
    const std::int32_t item = itemOfKey(keys_[j]);
    block.top[u * n + j] = {ItemIndex{item}, values_[std::size_t(item)]};
  }

  // AUC's counts: against the touched negatives one by one (NaN apart, as -infinity), and
  // against the untouched negatives at once, all at +0.
  if (r1 > r0) {
    negatives_.clear();
    std::size_t untouchedMarked = 0;  // excluded or relevant items no add() reached
    for (const std::int32_t item : touched_)
      if (!(mark_[std::size_t(item)] & (kExcluded | kRelevant)))
        negatives_.push_back(values_[std::size_t(item)]);
    for (std::size_t k = e0; k < e1; ++k) {
      auto& mark = mark_[std::size_t(block.exclude[k])];
      if (!(mark & (kTouched | kCounted))) {
        ++untouchedMarked;
        mark |= kCounted;
      }
    }
    for (std::size_t k = r0; k < r1; ++k) {
      auto& mark = mark_[std::size_t(block.relevant[k])];
      if (!(mark & (kTouched | kCounted))) {
        ++untouchedMarked;
        mark |= kCounted;
      }
    }
    const std::int64_t nans = countNans(negatives_.data(), negatives_.size());
    const auto untouched = std::int64_t(items - touched_.size() - untouchedMarked);
    for (std::size_t k = r0; k < r1; ++k) {
      const float p = nanAsLowest(values_[std::size_t(block.relevant[k])]);
      std::int64_t below = 0, ties = 0;
      countBelowAndTies(p, negatives_.data(), negatives_.size(), below, ties);
      if (p > kLowestScore) below += nans;
      if (p == kLowestScore) ties += nans;
      if (0.0f < p) below += untouched;
      if (0.0f == p) ties += untouched;
      block.below[k] = below;
      block.ties[k] = ties;
    }
  }

  for (const std::int32_t item : touched_) {
    values_[std::size_t(item)] = 0.0f;
    mark_[std::size_t(item)] = 0;
  }
  touched_.clear();
  for (std::size_t k = e0; k < e1; ++k) mark_[std::size_t(block.exclude[k])] = 0;
  for (std::size_t k = r0; k < r1; ++k) mark_[std::size_t(block.relevant[k])] = 0;
}

}  // namespace reco
