#include "core/models/knn_options.h"

namespace reco {
namespace {

// The neighbourhood options, worded for `who` ("item" or "user") and its similarity help.
OptionTable<KnnOptions> knnTable(const std::string& who, std::string similarityHelp) {
  using O = KnnOptions;
  using similarity::Measure;
  return {
      choiceField(
          "similarity", &O::similarity,
          {Measure::Cosine, Measure::Jaccard, Measure::Pearson, Measure::Bm25, Measure::Tfidf},
          similarity::measureName, std::move(similarityHelp)),
      optionField("k", &O::k, 1, 100000, "neighbours kept per " + who),
      optionField("shrink", &O::shrink, 0.0, 1e9, "shrinkage: similarity = dot / (norms + shrink)"),
      feedbackField(&O::feedback, "binary: 1 for every training pair; weighted: the pair weights"),
  };
}

}  // namespace

const OptionTable<KnnOptions>& KnnOptions::itemTable() {
  static const OptionTable<KnnOptions> table =
      knnTable("item",
               "cosine, jaccard, pearson (adjusted cosine: ratings centred by the user's mean), "
               "bm25 or tfidf (implicit's weightings)");
  return table;
}

const OptionTable<KnnOptions>& KnnOptions::userTable() {
  static const OptionTable<KnnOptions> table = knnTable(
      "user", "cosine, jaccard, pearson (ratings centred by the user's mean), bm25 or tfidf");
  return table;
}

}  // namespace reco
