#include "core/data/holdout.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/random.h"

namespace reco {

TrainingData holdOutValidation(const TrainingData& full, double fraction, std::uint64_t seed) {
  RECO_CHECK(fraction > 0 && fraction < 1, ErrorKind::Config,
             "a validation fraction must be in (0, 1), found " + formatNumber(fraction));
  const CsrMatrix& x = full.userItems;
  const Random root(seed);
  std::vector<std::int64_t> trainStart{0}, validStart{0}, sequenceStart{0};
  std::vector<std::int32_t> trainCols, validCols, sequenceCols;
  std::vector<float> trainValues, validValues, ratings, sequenceValues;
  std::vector<char> held;
  for (std::int32_t u = 0; u < x.rows(); ++u) {
    const auto cols = x.rowCols(u);
    const auto values = x.rowValues(u);
    const std::size_t n = cols.size();
    held.assign(n, 0);
    const auto take =
        std::min<std::size_t>(n == 0 ? 0 : n - 1, std::size_t(std::llround(fraction * double(n))));
    if (take > 0) {
      std::vector<std::size_t> order(n);
      for (std::size_t i = 0; i < n; ++i) order[i] = i;
      Random rng = root.split(std::uint64_t(u));
      for (std::size_t j = 0; j < take; ++j) {
        const std::size_t pick = j + std::size_t(rng.below(std::uint64_t(n - j)));
        std::swap(order[j], order[pick]);
        held[order[j]] = 1;
      }
    }
    const std::size_t base = std::size_t(x.rowStart()[std::size_t(u)]);
    for (std::size_t i = 0; i < n; ++i) {
      if (held[i]) {
        validCols.push_back(cols[i]);
        validValues.push_back(1.0f);
      } else {
        trainCols.push_back(cols[i]);
        trainValues.push_back(values[i]);
        if (full.hasRatings) ratings.push_back(full.ratings[base + i]);
      }
    }
    // The time-ordered history keeps the pairs that stay in training (cols are sorted in
    // the training row, so membership is a binary search).
    if (full.userSequence.rows() > u) {
      const auto seqCols = full.userSequence.rowCols(u);
      const auto seqValues = full.userSequence.rowValues(u);
      for (std::size_t i = 0; i < seqCols.size(); ++i) {
        const auto at = std::lower_bound(cols.begin(), cols.end(), seqCols[i]);
        if (at != cols.end() && *at == seqCols[i] && held[std::size_t(at - cols.begin())]) continue;
        sequenceCols.push_back(seqCols[i]);
        sequenceValues.push_back(seqValues[i]);
      }
      sequenceStart.push_back(std::int64_t(sequenceCols.size()));
    }
    trainStart.push_back(std::int64_t(trainCols.size()));
    validStart.push_back(std::int64_t(validCols.size()));
  }
  TrainingData out;
  out.userCount = full.userCount;
  out.itemCount = full.itemCount;
  out.userItems = CsrMatrix::fromParts(x.rows(), x.cols(), std::move(trainStart),
                                       std::move(trainCols), std::move(trainValues));
  out.itemUsers = out.userItems.transposed();
  out.hasRatings = full.hasRatings;
  out.ratings = std::move(ratings);
  if (full.userSequence.rows() == x.rows())
    out.userSequence = CsrMatrix::fromParts(x.rows(), x.cols(), std::move(sequenceStart),
                                            std::move(sequenceCols), std::move(sequenceValues));
  out.validation = CsrMatrix::fromParts(x.rows(), x.cols(), std::move(validStart),
                                        std::move(validCols), std::move(validValues));
  out.itemCategory = full.itemCategory;
  out.categoryNames = full.categoryNames;
  out.itemTitles = full.itemTitles;
  out.itemPrices = full.itemPrices;
  out.seed = full.seed;
  return out;
}

}  // namespace reco
