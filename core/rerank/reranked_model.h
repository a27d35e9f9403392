#pragma once
/// A re-ranked run's model: a fitted base model wrapped with a re-ranker (reranker.h), so
/// that the evaluator, `reco recommend` and the GUI use a derived run like any other run.
///
/// score() returns, per user, the base row rewritten so that the top of it is exactly the
/// re-ranked list: the listed items score above every other item, in list order; excluded
/// items (the rules) are -infinity; every other item keeps the base order below the list (so
/// AUC and deeper cut-offs stay meaningful). recommend() and the evaluator's selectTopN thus
/// return the re-ranked list first.
///
/// Not in the registry (it is not trainable): a derived run is made by training/derived_run.h
/// and its model file is read by training/model_file.h, which nests the base run's file.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/data/sparse_matrix.h"
#include "core/models/model_options.h"
#include "core/models/recommender.h"
#include "core/rerank/rerank_options.h"
#include "core/rerank/reranker.h"

namespace reco {

class RerankedModel final : public Recommender {
 public:
  /// `seen` is the training user x item matrix (users' items excluded in score() and used
  /// as the history for calibration and explanations); its shape must match the base
  /// model. `side` must match the base model's itemCount() (Internal otherwise). Validates
  /// `options` (Config).
  RerankedModel(std::unique_ptr<Recommender> base, RerankOptions options, RerankSideInfo side,
                CsrMatrix seen);
  /// For load(): the base model read from its nested file, the rest from load().
  explicit RerankedModel(std::unique_ptr<Recommender> base);

  std::string_view modelName() const override { return "rerank"; }
  /// The base's kCanFoldIn, kCanSimilarItems and kHasItemEmbeddings (kCanExplain always:
  /// the re-ranker's effect is explained); never kRanksOnDevice (rows are rewritten here).
  unsigned capabilities() const override;
  std::string computeDevice() const override { return base_->computeDevice(); }

  /// Throws Model: a derived run is made with `reco rerank`, not trained.
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override;
  bool isFitted() const override { return loaded_; }
  std::size_t userCount() const override { return base_->userCount(); }
  std::size_t itemCount() const override { return base_->itemCount(); }

  void score(std::span<const UserIndex> users, std::span<float> out) const override;
  /// Only when the base can fold in: the base's history row, re-ranked for `history`.
  void scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const override;
  std::vector<ScoredItem> similarItems(ItemIndex item, std::size_t n) const override;
  /// The base's explanation, its reason extended by the re-ranker's effect ("; moved up by
  /// mmr", "; boosted ×1.5 (Books)"). Its score is the base model's, on purpose: the
  /// re-ranked row's values only encode the new order (listed items above the rest), and a
  /// person reading the reason wants the model's judgement of the item.
  Explanation explain(UserIndex user, ItemIndex item,
                      std::span<const ItemIndex> history) const override;
  /// The base's explanation over the history, extended as explain()'s.
  Explanation explainHistory(std::span<const ItemIndex> history, ItemIndex item) const override;
  std::string_view foldInMethod() const override { return base_->foldInMethod(); }
  std::size_t itemEmbeddings(std::vector<float>& out) const override;
  void itemSimilarities(std::span<const ItemIndex> rows, std::span<const ItemIndex> columns,
                        std::span<float> out) const override;
  std::size_t userEmbeddings(std::vector<float>& out) const override;

  /// The re-ranker's own state (options, side info, training history), not the base's:
  /// model_file.h writes the base as a nested model file before it.
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

  const Recommender& base() const { return *base_; }
  /// Hands the base model back (a sweep wraps one loaded base in turn); this model is
  /// unusable afterwards.
  std::unique_ptr<Recommender> releaseBase() {
    loaded_ = false;
    return std::move(base_);
  }
  /// The base run's model options as its model file holds them: model_file.h writes the
  /// base's nested file with them (the ids are the derived file's own).
  const OptionValues& baseOptions() const { return baseOptions_; }
  void setBaseOptions(OptionValues options) { baseOptions_ = std::move(options); }
  const RerankOptions& options() const { return options_; }
  const RerankSideInfo& sideInfo() const { return side_; }

  /// The re-ranked list of a row already scored by the base (rerankRow with this model's
  /// side info and options), for callers that show both lists.
  std::vector<ScoredItem> rerankBaseRow(std::span<float> row, std::span<const ItemIndex> seen,
                                        std::span<const ItemIndex> history) const;

 private:
  void rewrite(std::span<float> row, std::span<const ItemIndex> seen,
               std::span<const ItemIndex> history) const;
  void prepareSimilarity();
  /// What the re-ranker did to `item` in a base row ("; moved up by mmr"), "" for nothing.
  std::string effect(std::span<float> row, std::span<const ItemIndex> seen, ItemIndex item) const;

  std::unique_ptr<Recommender> base_;
  RerankOptions options_;
  RerankSideInfo side_;
  CsrMatrix seen_;
  OptionValues baseOptions_;
  bool loaded_ = false;
};

/// Builds the side info's similarity for options.by == Embedding from `base` (unit item
/// vectors when it has kHasItemEmbeddings, else its itemSimilarities() when it has
/// kCanSimilarItems); Config naming the model otherwise. Nothing for by == Category.
void attachItemSimilarity(const Recommender& base, const RerankOptions& options,
                          RerankSideInfo& side);

}  // namespace reco
