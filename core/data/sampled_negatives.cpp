#include "core/data/sampled_negatives.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/data/training_data.h"

namespace reco {

namespace {

// One thread's buffers: `taken` marks the user's pairs, `stamp` the negatives drawn for the
// current test item (a generation counter instead of clearing).
struct Drawer {
  std::vector<char> taken;
  std::vector<std::uint32_t> stamp;
  std::uint32_t stampValue = 0;
  std::vector<std::int32_t> candidates;

  // Appends min(wanted, available) negatives to `out`.
  void draw(std::int32_t items, std::size_t available, std::size_t wanted, Random& rng,
            std::vector<std::int32_t>& out) {
    if (available <= wanted) {
      for (std::int32_t i = 0; i < items; ++i)
        if (!taken[std::size_t(i)]) out.push_back(i);
      return;
    }
    if (available * 2 >= std::size_t(items) && wanted * 2 <= available) {
      // Rejection: at most 4 expected draws per negative here.
      if (++stampValue == 0) {
        std::fill(stamp.begin(), stamp.end(), 0u);
        stampValue = 1;
      }
      for (std::size_t got = 0; got < wanted;) {
        const auto i = std::int32_t(rng.below(std::uint64_t(items)));
        if (taken[std::size_t(i)] || stamp[std::size_t(i)] == stampValue) continue;
        stamp[std::size_t(i)] = stampValue;
        out.push_back(i);
        ++got;
      }
      return;
    }
    // Dense case: a partial Fisher-Yates shuffle over the candidates.
    candidates.clear();
    for (std::int32_t i = 0; i < items; ++i)
      if (!taken[std::size_t(i)]) candidates.push_back(i);
    for (std::size_t j = 0; j < wanted; ++j) {
      const std::size_t pick = j + std::size_t(rng.below(std::uint64_t(candidates.size() - j)));
      std::swap(candidates[j], candidates[pick]);
      out.push_back(candidates[j]);
    }
  }
};

}  // namespace

FrozenNegatives drawNegatives(const TrainingData& train, const CsrMatrix& test, int count,
                              std::uint64_t seed, int threads) {
  RECO_CHECK(count > 0, ErrorKind::Config,
             "sampled evaluation needs a count > 0 of negatives, found " + std::to_string(count));
  RECO_CHECK(test.rows() <= train.userCount, ErrorKind::Data,
             "the test part has more users than the training part");
  const std::int32_t items = train.itemCount;
  const std::int32_t users = test.rows();
  const bool hasValidation =
      train.validation.rows() == train.userItems.rows() && train.validation.nnz() > 0;
  std::vector<std::vector<std::int32_t>> perUser(static_cast<std::size_t>(users));
  const Random root(seed);
  parallelFor(users, threads, [&](std::int64_t begin, std::int64_t end, int) {
    Drawer d;
    d.taken.assign(std::size_t(items), 0);
    d.stamp.assign(std::size_t(items), 0u);
    for (std::int64_t u64 = begin; u64 < end; ++u64) {
      const auto u = std::int32_t(u64);
      const auto trainCols = train.userItems.rowCols(u);
      const auto testCols = test.rowCols(u);
      std::size_t takenCount = 0;
      auto take = [&](std::int32_t i) {
        if (!d.taken[std::size_t(i)]) ++takenCount;
        d.taken[std::size_t(i)] = 1;
      };
      for (std::int32_t i : trainCols) take(i);
      if (hasValidation)
        for (std::int32_t i : train.validation.rowCols(u)) take(i);
      std::size_t relevant = 0;
      for (std::int32_t i : testCols)
        if (!std::binary_search(trainCols.begin(), trainCols.end(), i)) ++relevant;
      for (std::int32_t i : testCols) take(i);
      const std::size_t available = std::size_t(items) - takenCount;
      Random rng = root.split(std::uint64_t(u));
      auto& out = perUser[std::size_t(u)];
      for (std::size_t t = 0; t < relevant; ++t)
        d.draw(items, available, std::size_t(count), rng, out);
      for (std::int32_t i : trainCols) d.taken[std::size_t(i)] = 0;
      if (hasValidation)
        for (std::int32_t i : train.validation.rowCols(u)) d.taken[std::size_t(i)] = 0;
      for (std::int32_t i : testCols) d.taken[std::size_t(i)] = 0;
    }
  });
  FrozenNegatives frozen;
  frozen.count = count;
  frozen.start.assign(std::size_t(users) + 1, 0);
  for (std::int32_t u = 0; u < users; ++u)
    frozen.start[std::size_t(u) + 1] =
        frozen.start[std::size_t(u)] + std::int64_t(perUser[std::size_t(u)].size());
  frozen.items.reserve(std::size_t(frozen.start.back()));
  for (auto& list : perUser) frozen.items.insert(frozen.items.end(), list.begin(), list.end());
  return frozen;
}

}  // namespace reco
