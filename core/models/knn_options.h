#pragma once
/// Options of the neighbourhood models (itemknn, userknn); their OptionSpecs live in
/// register_neighbourhood_models.cpp.

#include <cmath>
#include <cstdint>
#include <string>

#include "core/common/error.h"
#include "core/data/sparse_matrix.h"
#include "core/models/classic_support.h"
#include "core/similarity/weighting.h"
#include "core/common/number_text.h"

namespace reco {

struct TrainingData;

struct KnnOptions {
  /// cosine | jaccard | pearson (itemknn: adjusted cosine, ratings centred by the user's
  /// mean; userknn: the user's ratings centred by their mean; both on TrainingData::ratings
  /// when hasRatings, else on the pair weights) | bm25 | tfidf (implicit's weightings).
  similarity::Measure similarity = similarity::Measure::Cosine;
  std::int32_t k = 100;  ///< neighbours kept per item (itemknn) or user (userknn)
  double shrink = 0;     ///< sim = dot / (norms + shrink)
  Feedback feedback = Feedback::Binary;

  /// Throws Config naming the bad field.
  void validate() const {
    RECO_CHECK(k >= 1, ErrorKind::Config, "option 'k': expected at least 1, found " + std::to_string(k));
    RECO_CHECK(std::isfinite(shrink) && shrink >= 0, ErrorKind::Config,
               "option 'shrink': expected a finite number >= 0, found " + formatNumber(shrink));
  }
};

/// The user x item matrix the neighbourhoods of itemknn and userknn are computed on: the
/// feedback values, or for Pearson the ratings (hasRatings) or pair weights centred by each
/// user's mean. Throws Internal on inconsistent data, Model on values that are not finite.
CsrMatrix knnSimilarityInput(const TrainingData& data, const KnnOptions& options);

}  // namespace reco
