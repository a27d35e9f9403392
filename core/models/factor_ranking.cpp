#include "core/models/factor_ranking.h"

#include "core/common/error.h"
#include "core/models/chunked_ranking.h"

namespace reco::factors {
namespace {

// A block's user vectors against the scorer's items, in the scorer's chunks.
class FactorChunks final : public ChunkedScores {
 public:
  FactorChunks(const FactorScorer& scorer, std::span<const float> users)
      : scorer_(scorer), users_(users) {}
  std::size_t items() const override { return scorer_.items(); }
  std::size_t chunkWidth() const override { return FactorScorer::kChunkItems; }
  void scoreChunk(std::size_t chunk, float* out, std::size_t outStride) const override {
    scorer_.scoreChunk(users_.data(), users_.size() / scorer_.dim(), chunk, out, outStride);
  }
  float scoreOne(std::size_t u, std::size_t item) const override {
    return scorer_.scoreOne(users_.data() + u * scorer_.dim(), item);
  }

 private:
  const FactorScorer& scorer_;
  std::span<const float> users_;
};

}  // namespace

void rankFused(const FactorScorer& scorer, std::span<const float> users, DeviceRanking& block) {
  RECO_CHECK(users.size() == block.users.size() * scorer.dim(), ErrorKind::Internal,
             "rankFused: " + std::to_string(users.size()) + " floats of user vectors for " +
                 std::to_string(block.users.size()) + " users of " + std::to_string(scorer.dim()) +
                 " factors");
  rankInChunks(FactorChunks(scorer, users), block);
}

}  // namespace reco::factors
