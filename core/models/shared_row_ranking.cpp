#include "core/models/shared_row_ranking.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "core/models/top_selection.h"

namespace reco {
SharedRowRanking::SharedRowRanking(std::vector<float> scores) : scores_(std::move(scores)) {
  const std::size_t n = scores_.size();
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = orderKey(scores_[i], std::int32_t(i));
  std::sort(keys.begin(), keys.end(), std::greater<>());
  order_.resize(n);
  for (std::size_t k = 0; k < n; ++k) order_[k] = itemOfKey(keys[k]);
  std::vector<float> ascending(n);
  std::transform(scores_.begin(), scores_.end(), ascending.begin(), nanAsLowest);
  std::sort(ascending.begin(), ascending.end());
  belowAll_.resize(n);
  tiesAll_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float s = nanAsLowest(scores_[i]);
    const auto [lo, hi] = std::equal_range(ascending.begin(), ascending.end(), s);
    belowAll_[i] = lo - ascending.begin();
    tiesAll_[i] = hi - lo;
  }
}

void SharedRowRanking::rank(DeviceRanking& block) const {
  checkDeviceRanking(block, scores_.size(), "SharedRowRanking");
  std::vector<std::uint8_t> excluded(scores_.size(), 0);
  std::vector<std::int32_t> distinct;  // one user's distinct excluded items, reused
  for (std::size_t u = 0; u < block.users.size(); ++u) {
    const auto e0 = std::size_t(block.excludeStart[u]), e1 = std::size_t(block.excludeStart[u + 1]);
    const auto r0 = std::size_t(block.relevantStart[u]),
               r1 = std::size_t(block.relevantStart[u + 1]);
    // Distinct excluded items (a list may repeat one), marked for the walk down the order.
    distinct.clear();
    for (std::size_t k = e0; k < e1; ++k) {
      const auto item = std::size_t(block.exclude[k]);
      if (!excluded[item]) distinct.push_back(block.exclude[k]);
      excluded[item] = 1;
    }
    std::size_t filled = 0;
    for (std::size_t k = 0; k < order_.size() && filled < block.n; ++k) {
      const std::int32_t item = order_[k];
      if (!excluded[std::size_t(item)])
        block.top[u * block.n + filled++] = {ItemIndex{item}, scores_[std::size_t(item)]};
    }
    for (std::size_t k = r0; k < r1; ++k) {
      const auto mine = std::size_t(block.relevant[k]);
      const float p = nanAsLowest(scores_[mine]);
      std::int64_t below = belowAll_[mine], ties = tiesAll_[mine];
      const auto takeOut = [&](std::int32_t item) {
        const float s = nanAsLowest(scores_[std::size_t(item)]);
        below -= s < p;
        ties -= s == p;
      };
      for (const std::int32_t item : distinct) takeOut(item);
      for (std::size_t q = r0; q < r1; ++q) takeOut(block.relevant[q]);
      block.below[k] = below;
      block.ties[k] = ties;
    }
    for (const std::int32_t item : distinct) excluded[std::size_t(item)] = 0;
  }
}

}  // namespace reco
