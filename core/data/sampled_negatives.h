#pragma once
/// The negatives of sampled evaluation (EvalOptions::sampledNegatives), frozen: drawn once
/// for a split and a count, stored in the workspace (storage::splitNegatives) and read by
/// every run on the split, so that sampled metrics of different runs rank each test item
/// among the same items.
///
/// The draw: for user u, with Random(seed).split(u), and for each of u's relevant test items
/// in turn (test items that are not training items, ascending), m = min(count, available)
/// items drawn uniformly without replacement from the `available` items the user has in no
/// part of the split (training, validation or test).

#include <cstdint>
#include <span>
#include <vector>

namespace reco {

class CsrMatrix;
struct TrainingData;

struct FrozenNegatives {
  int count = 0;                    ///< negatives requested per test item
  std::vector<std::int64_t> start;  ///< users + 1 offsets into items
  std::vector<std::int32_t> items;  ///< per user: one list of m items per relevant test item

  std::int32_t users() const { return start.empty() ? 0 : std::int32_t(start.size() - 1); }
  /// User u's lists, concatenated (empty for users without relevant test items).
  std::span<const std::int32_t> forUser(std::int32_t u) const {
    return {items.data() + start[std::size_t(u)],
            std::size_t(start[std::size_t(u) + 1] - start[std::size_t(u)])};
  }
};

/// Draws the negatives for every user of `test` (rows <= train.userCount). count > 0.
/// Deterministic for a seed, whatever `threads`. Memory: relevant test pairs x count int32.
FrozenNegatives drawNegatives(const TrainingData& train, const CsrMatrix& test, int count,
                              std::uint64_t seed, int threads);

}  // namespace reco
