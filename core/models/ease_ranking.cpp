#include "core/models/ease_ranking.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/models/chunked_ranking.h"
#include "core/models/classic_support.h"
#include "core/models/ease_model.h"
#include "core/models/factor_scoring.h"

namespace reco {
namespace {

class EaseChunks final : public ChunkedScores {
 public:
  EaseChunks(const CsrMatrix& history, std::span<const float> weights, std::size_t items,
             std::span<const UserIndex> users, std::size_t width)
      : history_(history), weights_(weights), items_(items), users_(users), width_(width) {}
  std::size_t items() const override { return items_; }
  std::size_t chunkWidth() const override { return width_; }
  void scoreChunk(std::size_t chunk, float* out, std::size_t outStride) const override {
    const std::size_t first = chunk * width_, length = std::min(width_, items_ - first);
    for (std::size_t u = 0; u < users_.size(); ++u) {
      float* row = out + u * outStride;
      std::fill(row, row + length, 0.0f);
      const auto cols = history_.rowCols(users_[u].value);
      const auto values = history_.rowValues(users_[u].value);
      for (std::size_t e = 0; e < cols.size(); ++e)
        factors::axpy(values[e], weights_.data() + std::size_t(cols[e]) * items_ + first, row,
                      length);
    }
  }
  // The same terms in the same order as axpy's y += a * x from y = 0.
  float scoreOne(std::size_t u, std::size_t item) const override {
    const auto cols = history_.rowCols(users_[u].value);
    const auto values = history_.rowValues(users_[u].value);
    float score = 0.0f;
    for (std::size_t e = 0; e < cols.size(); ++e)
      score += values[e] * weights_[std::size_t(cols[e]) * items_ + item];
    return score;
  }

 private:
  const CsrMatrix& history_;
  std::span<const float> weights_;
  std::size_t items_;
  std::span<const UserIndex> users_;
  std::size_t width_;
};

}  // namespace

void rankEase(const CsrMatrix& history, std::span<const float> weights, std::size_t items,
              DeviceRanking& block, std::size_t chunkItems) {
  checkDeviceRanking(block, items, "rankEase");
  RECO_CHECK(
      chunkItems > 0 && weights.size() == items * items && std::size_t(history.cols()) == items,
      ErrorKind::Internal,
      "rankEase: " + std::to_string(weights.size()) + " weights and " +
          std::to_string(history.cols()) + " history columns for " + std::to_string(items) +
          " items, chunks of " + std::to_string(chunkItems));
  for (const UserIndex user : block.users)
    RECO_CHECK(user.value >= 0 && user.value < history.rows(), ErrorKind::Internal,
               "rankEase: user " + std::to_string(user.value) + " outside the " +
                   std::to_string(history.rows()) + " training rows");
  // The block in passes of kEaseUsersPerPass users, each over its slice of the lists.
  const std::size_t n = block.users.size();
  std::vector<std::int64_t> excludeStart, relevantStart;  // one pass's, reused
  for (std::size_t u0 = 0; u0 < n; u0 += kEaseUsersPerPass) {
    const std::size_t u1 = std::min(n, u0 + kEaseUsersPerPass);
    const auto e0 = std::size_t(block.excludeStart[u0]), r0 = std::size_t(block.relevantStart[u0]);
    excludeStart.clear();
    relevantStart.clear();
    for (std::size_t u = u0; u <= u1; ++u) {
      excludeStart.push_back(block.excludeStart[u] - std::int64_t(e0));
      relevantStart.push_back(block.relevantStart[u] - std::int64_t(r0));
    }
    const auto relevant = std::size_t(relevantStart.back());
    DeviceRanking pass{block.users.subspan(u0, u1 - u0),
                       excludeStart,
                       block.exclude.subspan(e0, std::size_t(excludeStart.back())),
                       relevantStart,
                       block.relevant.subspan(r0, relevant),
                       block.n,
                       block.top.subspan(u0 * block.n, (u1 - u0) * block.n),
                       block.below.subspan(r0, relevant),
                       block.ties.subspan(r0, relevant)};
    rankInChunks(EaseChunks(history, weights, items, pass.users, chunkItems), pass);
  }
}

bool EaseModel::rankOnDevice(DeviceRanking& block) const {
  checkRankUsers(modelName(), fitted_, block.users, std::size_t(history_.rows()));
  rankEase(history_, weights_, items_, block);
  return true;
}

}  // namespace reco
