#pragma once
/// The options of a re-ranker applied on top of a run (issue 14: diversity, novelty and
/// business rules), as a plain struct with defaults and validate(), read from and written
/// back to key=value settings (what `reco rerank --set` takes, what a derived run stores).
///
/// The per-user pipeline (reranker.h): base score row -> fallback (optional) -> the top
/// `candidates` items, without the user's training items and the excluded items -> boosts
/// -> the method, choosing `depth` items greedily with the per-category cap enforced while
/// choosing.
///
/// Relevance inside the pool: the base scores normalised to (0, 1], the best pool score
/// being 1 and the first score below the pool being 0, so that a boost (relevance times
/// the factor) moves every boosted item up and keeps the others' order.
///
/// Methods (lambda in [0, 1] for both diversity methods):
/// - mmr (maximal marginal relevance): pick argmax of
///   lambda * relevance - (1 - lambda) * similarity to the items already chosen.
///   lambda = 1 gives the plain list, lambda = 0 the most diverse one. By embedding that
///   similarity is the largest one (Carbonell and Goldstein's MMR); by category it is the
///   share of the chosen items in the item's category, i.e. one minus what the item adds
///   to the list's ild_category (the largest, 0 or 1, would make every lambda <= 0.5 give
///   the same list).
/// - calibration (Steck 2018): pick argmax of
///   (1 - lambda) * sum of relevance - lambda * KL(p_history || q~_list), where p is the
///   category mix of the user's history, q that of the list so far and
///   q~ = (1 - alpha) q + alpha p with alpha = 0.01. NOTE: lambda weighs the calibration
///   here, so lambda = 0 is the plain list (the opposite end from mmr).
/// - popularity (a novelty penalty): relevance - beta * log(1 + pop) / log(1 + maxPop),
///   pop being the item's training interaction count.
/// - none: the plain list (the rules and the fallback still apply).
///
/// Similarity for mmr (`by`): category counts two items of the same category as alike (an
/// item without a category is like nothing); embedding gives the cosine of the
/// model's item vectors (kHasItemEmbeddings), else the model's itemSimilarities()
/// (kCanSimilarItems) scaled by the pool's largest value, else a Config error naming the
/// model.

#include <string>
#include <vector>

#include "core/models/model_options.h"

namespace reco {

enum class RerankMethod { None, Mmr, Calibration, Popularity };
enum class RerankSimilarity { Category, Embedding };

/// "none", "mmr", "calibration", "popularity" / "category", "embedding".
const char* rerankMethodName(RerankMethod method);
const char* rerankSimilarityName(RerankSimilarity by);

/// An item attribute test (the dataset's item_attributes table): key == value.
struct AttributeMatch {
  std::string key;
  std::string value;
  friend bool operator==(const AttributeMatch&, const AttributeMatch&) = default;
};

/// Multiplies the relevance of the matching items by `factor` (> 0; < 1 demotes).
struct CategoryBoost {
  std::string category;
  double factor = 1;
  friend bool operator==(const CategoryBoost&, const CategoryBoost&) = default;
};
struct AttributeBoost {
  AttributeMatch match;
  double factor = 1;
  friend bool operator==(const AttributeBoost&, const AttributeBoost&) = default;
};

struct RerankOptions {
  RerankMethod method = RerankMethod::None;
  double lambda = 0.5;  ///< mmr and calibration, in [0, 1] (see above for its direction)
  RerankSimilarity by = RerankSimilarity::Category;  ///< mmr only
  double beta = 0.5;                                 ///< popularity only, >= 0
  int depth = 50;        ///< items produced per user (>= 1); must be >= the evaluation's max K
  int candidates = 200;  ///< pool size from the base model's top (>= depth)

  // Business rules, by external names; resolved against a dataset by the training layer.
  std::vector<std::string> excludeItems;          ///< external item ids
  std::vector<AttributeMatch> excludeAttributes;  ///< e.g. in_stock=0
  std::vector<std::string> excludeCategories;
  std::vector<CategoryBoost> categoryBoosts;
  std::vector<AttributeBoost> attributeBoosts;
  int capPerCategory = 0;  ///< at most this many items of one category in a list; 0 = none

  /// "" (none) or "popular": items where the base model has no signal (fallback_chain.h)
  /// are ranked by training popularity below every item with one.
  std::string fallback;

  /// Throws Config naming the field, what was expected and what was found.
  void validate() const;

  /// Reads settings (keys below), validated; unknown keys, bad values: Config naming the key.
  ///   method=none|mmr|calibration|popularity   lambda=0.3   by=category|embedding
  ///   beta=0.5   depth=50   candidates=200   cap=3   fallback=popular
  ///   exclude_items=ID;ID;...        exclude_attribute=in_stock=0;colour=red
  ///   exclude_category=Books;Toys    boost_category=Books:1.5;Toys:0.8
  ///   boost_attribute=brand=Acme:1.3;in_stock=1:1.1
  /// Lists are ';'-separated because ',' separates settings on the command line.
  static RerankOptions fromSettings(const OptionValues& settings);
  /// Every setting with its effective value (lists only when not empty); fromSettings of
  /// the result gives back an equal struct.
  OptionValues settings() const;
  /// "method=mmr,lambda=0.3,..." (settings() joined), for logs and the CLI.
  std::string settingsText() const;
  /// A short name for run names and legends, without a comma (run names are listed with
  /// commas on the command line): "mmr(λ=0.3)" (by category), "mmr(λ=0.3; by=embedding)",
  /// "calibration(λ=0.5)", "popularity(β=0.2)", "rules" (method none with rules), "none";
  /// rules and the fallback are appended ("mmr(λ=0.3) + rules", "+ fallback").
  std::string label() const;

  /// True when any exclusion, boost or cap is set.
  bool hasRules() const;

  friend bool operator==(const RerankOptions&, const RerankOptions&) = default;
};

/// The settings' specs (names, types, defaults, bounds, one-line help) for forms such as
/// the Compare panel's "Re-rank..." dialog and `reco rerank --help`. The list-valued rules
/// are OptionType::String in the ';'-separated forms above.
const std::vector<OptionSpec>& rerankOptionSpecs();

}  // namespace reco
