#pragma once
/// Options of the neighbourhood models (itemknn, userknn); their option tables are in
/// knn_options.cpp.

#include <cstdint>
#include <string>

#include "core/data/sparse_matrix.h"
#include "core/models/classic_support.h"
#include "core/models/option_table.h"
#include "core/similarity/weighting.h"

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
  /// itemknn only. "auto" adds 100 / (the median training pairs of a user with any) to
  /// `shrink`; "none" uses `shrink` as given. A user with one or two items is scored by one
  /// or two similarities, and a cosine between two rare items (one co-buyer each) is as
  /// large as any: unshrunk, such users are shown rare items and itemknn falls far below a
  /// bestseller list (retail-basket 0.0008 against pop's 0.0200). With 50 pairs per user
  /// the scores average many similarities, and it adds 2 (README, Defaults that hold).
  std::string shortHistoryShrink = "auto";

  /// Every option's key, bounds, choices and help (option_table.h), worded for itemknn or
  /// userknn; the keys, bounds and defaults are the same in both.
  static const OptionTable<KnnOptions>& itemTable();
  static const OptionTable<KnnOptions>& userTable();
  void validate() const { itemTable().check(*this); }  ///< throws Config naming the bad option
};

/// The user x item matrix the neighbourhoods of itemknn and userknn are computed on: the
/// feedback values, or for Pearson the ratings (hasRatings) or pair weights centred by each
/// user's mean. Throws Internal on inconsistent data, Model on values that are not finite.
CsrMatrix knnSimilarityInput(const TrainingData& data, const KnnOptions& options);

/// The shrinkage itemknn uses on `userItems`: options.shrink, plus 100 / the median row
/// length over the non-empty rows with short_history_shrink=auto.
double effectiveShrink(const KnnOptions& options, const CsrMatrix& userItems);

}  // namespace reco
