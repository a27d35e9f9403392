#include "core/models/knn_options.h"

#include <algorithm>
#include <vector>

#include "core/common/number_text.h"

namespace reco {
namespace {

// The neighbourhood options, worded for `who` ("item" or "user") and its similarity help.
OptionTable<KnnOptions> knnTable(const std::string& who, std::string similarityHelp) {
  using O = KnnOptions;
  using similarity::Measure;
  OptionTable<KnnOptions> table{
      choiceField(
          "similarity", &O::similarity,
          {Measure::Cosine, Measure::Jaccard, Measure::Pearson, Measure::Bm25, Measure::Tfidf},
          similarity::measureName, std::move(similarityHelp)),
      optionField("k", &O::k, 1, 100000, "neighbours kept per " + who),
      optionField("shrink", &O::shrink, 0.0, 1e9, "shrinkage: similarity = dot / (norms + shrink)"),
      feedbackField(&O::feedback, "binary: 1 for every training pair; weighted: the pair weights"),
  };
  if (who == "item") {
    // userknn has no such option: shrinking user-user similarities measured no better on
    // the short-history shapes (retail-basket 0.0189 against 0.0196).
    table.add(choiceField("short_history_shrink", &O::shortHistoryShrink, {"auto", "none"},
                          "auto: add 100 / (median pairs per user) to shrink, which damps the "
                          "rare-item similarities that short histories are scored by; none: "
                          "shrink as given"));
  }
  return table;
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

double effectiveShrink(const KnnOptions& options, const CsrMatrix& userItems) {
  if (options.shortHistoryShrink != "auto") return options.shrink;
  std::vector<std::int64_t> lengths;
  for (std::int32_t u = 0; u < userItems.rows(); ++u) {
    if (const auto n = std::int64_t(userItems.rowCols(u).size()); n > 0) lengths.push_back(n);
  }
  if (lengths.empty()) return options.shrink;
  const auto middle = lengths.begin() + std::ptrdiff_t(lengths.size() / 2);
  std::nth_element(lengths.begin(), middle, lengths.end());
  // Three significant digits, so that the text the run shows, given by hand with
  // short_history_shrink=none, fits the same model.
  return roundToSignificant(options.shrink + 100.0 / double(*middle), 3);
}

}  // namespace reco
