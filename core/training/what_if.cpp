#include "core/training/what_if.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/recommender.h"
#include "core/rerank/fallback_chain.h"
#include "core/rerank/reranked_model.h"

namespace reco {
namespace {

constexpr double kSecondsPerDay = 86400.0;

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Why a model without fold-in cannot score a history, in the words of the what-if column.
std::string cannotFoldIn(std::string_view model) {
  const std::string name(model);
  if (name == "bpr" || name == "biasedmf")
    return name + " learns one vector per training user; it cannot score a new history";
  if (name == "userknn")
    return name + " compares training users with each other; it cannot score a new history";
  return name + " cannot score a history that is not a training user's (no fold-in)";
}

std::vector<std::int32_t> distinctSorted(std::span<const ItemIndex> items) {
  std::vector<std::int32_t> out;
  out.reserve(items.size());
  for (const ItemIndex item : items) out.push_back(item.value);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// One scored row and its top n: what a list is made from.
struct RankedRow {
  std::vector<float> scores;
  std::vector<char> fallback;  // 1 where the fallback ranked the item (empty: none applied)
  std::vector<ScoredItem> top;
  std::size_t signals = 0;  // items the model said something about
};

// Applies the fallback (when there is one) and ranks the row without `exclude`.
void rank(RankedRow& row, const WhatIfFallback& fallback, std::span<const ItemIndex> exclude,
          std::size_t n) {
  if (!row.fallback.empty()) {  // marked by RowScorer: the model applied a fallback itself
    row.signals = std::size_t(std::count(row.fallback.begin(), row.fallback.end(), char(0)));
  } else if (!fallback.scores.empty()) {
    row.fallback.assign(row.scores.size(), 0);
    row.signals = applyFallback(row.scores, fallback.scores, row.fallback);
  } else {
    row.signals = std::size_t(std::count_if(row.scores.begin(), row.scores.end(), carriesSignal));
  }
  row.top = selectTopN(row.scores, exclude, n);
}

// Scores the rows of the run's model. A re-ranked model with a fallback of its own (`reco
// recommend --history --rerank`) fills the items without a signal before it chooses, so
// none of them is left at 0 for what-if to find: their marks come from its base's row, and
// rank() does not apply a second fallback.
struct RowScorer {
  const Recommender& model;
  const Recommender* markingBase = nullptr;

  explicit RowScorer(const Recommender& recommender) : model(recommender) {
    if (const auto* reranked = dynamic_cast<const RerankedModel*>(&recommender);
        reranked != nullptr && reranked->options().fallback == "popular")
      markingBase = &reranked->base();
  }

  // score(user) when `user` is set, else scoreHistory(history).
  void into(RankedRow& row, std::optional<UserIndex> user, std::span<const ItemIndex> history,
            std::size_t items) const {
    row.scores.assign(items, 0.0f);
    row.fallback.clear();
    scoreWith(model, user, history, row.scores);
    if (markingBase == nullptr) return;
    std::vector<float> base(items, 0.0f);
    scoreWith(*markingBase, user, history, base);
    row.fallback.assign(items, 0);
    for (std::size_t i = 0; i < items; ++i)
      row.fallback[i] = !carriesSignal(base[i]) && !std::isinf(base[i]) ? 1 : 0;
  }

 private:
  static void scoreWith(const Recommender& m, std::optional<UserIndex> user,
                        std::span<const ItemIndex> history, std::span<float> out) {
    if (user) {
      const UserIndex users[] = {*user};
      m.score(users, out);
    } else {
      m.scoreHistory(history, out);
    }
  }
};

bool isFallback(const RankedRow& row, ItemIndex item) {
  return !row.fallback.empty() && row.fallback[std::size_t(item.value)] != 0;
}

bool sameItems(const std::vector<ScoredItem>& a, const std::vector<ScoredItem>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const ScoredItem& x, const ScoredItem& y) { return x.item == y.item; });
}

// An item of a list before its metadata and reason are resolved.
struct Pending {
  WhatIfItem item;
  Explanation explanation;
  bool explained = false;
};

}  // namespace

WhatIfFallback popularityFallback(storage::Workspace& workspace, const storage::SplitInfo& split,
                                  std::size_t itemCount, const PopularityFallbackOptions& options) {
  RECO_CHECK(options.windowDays >= 0, ErrorKind::Config,
             "the fallback's window must be 0 (all time) or a number of days, found " +
                 std::to_string(options.windowDays));
  const storage::LoadedSplit loaded = storage::loadSplit(workspace, split, split.options.seed);
  const TrainingData& data = *loaded.train;
  std::int32_t category = -1;
  if (!options.category.empty()) {
    const auto& names = data.categoryNames;
    const auto at = std::find(names.begin(), names.end(), options.category);
    RECO_CHECK(at != names.end(), ErrorKind::Config,
               "category '" + options.category + "' is not a category of the dataset of split '" +
                   split.name + "'");
    category = std::int32_t(at - names.begin());
  }
  WhatIfFallback fallback;
  fallback.scores.assign(itemCount, 0.0f);
  const std::size_t items = std::min(itemCount, std::size_t(data.itemCount));
  if (options.windowDays == 0) {
    for (std::size_t i = 0; i < items; ++i)
      fallback.scores[i] = float(data.itemUsers.rowSize(std::int32_t(i)));
  } else {
    // As pop with window_days counts: training pairs at most windowDays before the latest.
    const CsrMatrix& seq = data.userSequence;
    double latest = -std::numeric_limits<double>::infinity();
    for (const float t : seq.values())
      if (!std::isnan(t)) latest = std::max(latest, double(t));
    RECO_CHECK(std::isfinite(latest), ErrorKind::Config,
               "a fallback window of " + std::to_string(options.windowDays) +
                   " days needs interaction times, but split '" + split.name + "' has none");
    const double cutoff = latest - options.windowDays * kSecondsPerDay;
    for (std::size_t k = 0; k < seq.values().size(); ++k) {
      const float t = seq.values()[k];
      const auto item = std::size_t(seq.colIndex()[k]);
      if (!std::isnan(t) && double(t) >= cutoff && item < items) fallback.scores[item] += 1.0f;
    }
  }
  if (category >= 0) {
    for (std::size_t i = 0; i < items; ++i)
      if (data.itemCategory[i] != category) fallback.scores[i] = 0.0f;
    for (std::size_t i = items; i < itemCount; ++i) fallback.scores[i] = 0.0f;
  }
  fallback.label = "popular";
  if (options.windowDays > 0)
    fallback.label += " in the last " + std::to_string(options.windowDays) + " days";
  if (!options.category.empty()) fallback.label += " in " + options.category;
  return fallback;
}

WhatIfList whatIfList(storage::Workspace& workspace, const storage::RunInfo& run,
                      const LoadedModel& model, const storage::SplitInfo& split,
                      const WhatIfRequest& request, const WhatIfFallback& fallback,
                      std::stop_token stop) {
  const Recommender& recommender = *model.model;
  const std::size_t itemCount = recommender.itemCount();
  const auto& itemIds = model.header.itemIds;
  const auto& userIds = model.header.userIds;
  for (std::size_t p = 0; p < request.history.size(); ++p) {
    const std::int32_t item = request.history[p];
    if (item < 0 || std::size_t(item) >= itemCount || std::size_t(item) >= itemIds.size() ||
        itemIds[std::size_t(item)].empty())
      throw Error(ErrorKind::Config, "item index " + std::to_string(item) + " (position " +
                                         std::to_string(p + 1) + " of the history) is not in " +
                                         "the data run '" + run.name + "' was trained on");
  }
  if (request.user) {
    const std::int32_t user = *request.user;
    if (user < 0 || std::size_t(user) >= userIds.size() || userIds[std::size_t(user)].empty() ||
        std::size_t(user) >= recommender.userCount())
      throw Error(ErrorKind::Config, "user index " + std::to_string(user) + " is not in the data " +
                                         "run '" + run.name + "' was trained on");
  }
  RECO_CHECK(fallback.scores.empty() || fallback.scores.size() == itemCount, ErrorKind::Internal,
             "whatIfList: the fallback has " + std::to_string(fallback.scores.size()) +
                 " scores for a model of " + std::to_string(itemCount) + " items");
  if (stop.stop_requested()) return {};

  const auto started = Clock::now();
  const unsigned caps = recommender.capabilities();
  const bool foldsIn = (caps & kCanFoldIn) != 0;
  const bool hasFallback = !fallback.scores.empty();
  std::vector<ItemIndex> history;
  history.reserve(request.history.size());
  for (const std::int32_t item : request.history) history.push_back(ItemIndex{item});

  storage::UserSplitParts parts;
  if (request.user) parts = storage::loadUserSplitParts(workspace, split, *request.user);
  const std::unordered_set<std::int32_t> test(parts.test.begin(), parts.test.end());
  const bool unedited = distinctSorted(history) == distinctSorted(parts.train);

  // Without fold-in a model can show only the stored list of an unedited history, or the
  // fallback alone for an empty one.
  WhatIfList out;
  const bool stored = request.user && unedited;
  if (!foldsIn && !stored && (!history.empty() || !hasFallback)) {
    out.note = cannotFoldIn(recommender.modelName());
    if (history.empty()) out.note += ", and no fallback was chosen";
    out.seconds = secondsSince(started);
    return out;
  }

  // The unedited list: a known user's stored list (what the user sees now), or a new
  // visitor's. Its row is the fold-in of the stored history when that ranks as the stored
  // user does (exact models), so that an edit compares like with like; else score(user).
  const std::size_t n = request.n;
  RankedRow before;
  bool beforeFoldsIn = false;      // the unedited row is scoreHistory(stored), not score(user)
  bool approximateBefore = false;  // ... by a deep model's fold-in, not equal to score(user)
  // The history the unedited row was folded in over (the explanations of the items that
  // left read it): the stored items, in time order for a deep model.
  std::vector<ItemIndex> beforeHistory = parts.train;
  const RowScorer scorer(recommender);
  before.scores.assign(itemCount, 0.0f);
  if (request.user) {
    scorer.into(before, UserIndex{*request.user}, {}, itemCount);
    rank(before, fallback, parts.train, n);
    if (foldsIn && recommender.foldInMethod() != "fold-in" && !unedited) {
      // A forward pass or a gradient fold-in (deep models) reads the history in time order
      // and only approximates a trained user's vector: the edit is compared with the same
      // computation over the stored history, oldest first, so that an unchanged item does
      // not look moved because the fold-in differs from training.
      if (stop.stop_requested()) return {};
      beforeHistory =
          storage::trainingItemsInTimeOrder(workspace, split.datasetId, *request.user, parts.train);
      scorer.into(before, std::nullopt, beforeHistory, itemCount);
      rank(before, fallback, parts.train, n);
      beforeFoldsIn = true;
      approximateBefore = true;
    } else if (foldsIn && recommender.foldInMethod() == "fold-in") {
      if (stop.stop_requested()) return {};
      RankedRow folded;
      scorer.into(folded, std::nullopt, parts.train, itemCount);
      rank(folded, fallback, parts.train, n);
      if (sameItems(folded.top, before.top)) {
        before = std::move(folded);
        beforeFoldsIn = true;
      }
    }
  } else if (foldsIn) {
    scorer.into(before, std::nullopt, {}, itemCount);
    rank(before, fallback, {}, n);
    beforeFoldsIn = true;
  } else {
    rank(before, fallback, {}, n);  // zeros: the fallback alone
  }
  if (stop.stop_requested()) return {};

  // The edited list: the unedited one again when nothing changed; else the fold-in of the
  // edited history, or (no fold-in, empty history) zeros that the fallback ranks.
  RankedRow after;
  const bool afterIsStored = stored && !beforeFoldsIn;  // made by score(user)
  if (stored) {
    after = before;
  } else {
    after.scores.assign(itemCount, 0.0f);
    if (foldsIn) scorer.into(after, std::nullopt, history, itemCount);
    rank(after, fallback, history, n);
  }
  out.rescored = true;
  out.method = afterIsStored ? "stored"
               : foldsIn     ? std::string(recommender.foldInMethod())
                             : "fallback";
  if (!foldsIn && !stored)
    out.note = cannotFoldIn(recommender.modelName()) + "; the fallback (" + fallback.label +
               ") fills the list";
  if (approximateBefore && out.method.find("gradient") != std::string::npos)
    out.note = "moves are against the " + out.method +
               " of the stored history, not the stored list (the " + out.method +
               " only approximates training)";
  out.seconds = secondsSince(started);
  if (stop.stop_requested()) return {};

  // Why each item is there: the fallback, the explanation over the history that made its
  // row, or the stored user's explanation.
  const auto explainIn = [&](bool byUser, std::span<const ItemIndex> over, ItemIndex item) {
    return byUser ? recommender.explain(UserIndex{*request.user}, item, parts.train)
                  : recommender.explainHistory(over, item);
  };

  // Items, previous ranks, test marks, explanations.
  std::unordered_map<std::int32_t, int> oldRank;
  for (std::size_t r = 0; r < before.top.size(); ++r)
    oldRank.emplace(before.top[r].item.value, int(r + 1));
  std::unordered_set<std::int32_t> kept;
  const std::string fallbackReason = "fallback: " + fallback.label;
  std::vector<Pending> items, left;
  std::size_t filled = 0;
  for (const ScoredItem& scored : after.top) {
    Pending pending;
    pending.item.meta.item = scored.item.value;
    pending.item.score = scored.score;
    pending.item.inTest = test.count(scored.item.value) > 0;
    pending.item.fallback = isFallback(after, scored.item);
    const auto it = oldRank.find(scored.item.value);
    pending.item.previousRank = it == oldRank.end() ? 0 : it->second;
    if (pending.item.fallback) {
      pending.item.score = 0;  // the model's: nothing to say (the row holds the fallback's rank)
      pending.item.reason = fallbackReason;
      ++filled;
    } else {
      pending.explanation = explainIn(afterIsStored, history, scored.item);
      pending.explained = true;
    }
    kept.insert(scored.item.value);
    items.push_back(std::move(pending));
  }
  for (std::size_t r = 0; r < before.top.size(); ++r) {
    const ScoredItem& scored = before.top[r];
    if (kept.count(scored.item.value) > 0) continue;
    Pending pending;
    pending.item.meta.item = scored.item.value;
    pending.item.score = scored.score;
    pending.item.inTest = test.count(scored.item.value) > 0;
    pending.item.fallback = isFallback(before, scored.item);
    pending.item.previousRank = int(r + 1);
    if (pending.item.fallback) {
      pending.item.score = 0;  // the model's: nothing to say (the row holds the fallback's rank)
      pending.item.reason = fallbackReason;
    } else {
      pending.explanation = explainIn(request.user && !beforeFoldsIn, beforeHistory, scored.item);
      pending.explained = true;
    }
    left.push_back(std::move(pending));
  }
  if (filled > 0 && out.note.empty())
    out.note = std::to_string(filled) + " of " + std::to_string(after.top.size()) +
               " items from the fallback (" + fallback.label + "): the model had nothing to say " +
               "about them";

  // One metadata lookup for the listed items and the items their reasons name.
  std::vector<std::int32_t> lookup;
  for (const auto* list : {&items, &left})
    for (const Pending& pending : *list) {
      lookup.push_back(pending.item.meta.item);
      if (pending.explained && !pending.explanation.because.empty())
        lookup.push_back(pending.explanation.because.front().item.value);
    }
  auto meta = storage::loadItemMeta(workspace, run.datasetId, lookup);
  std::unordered_map<std::int32_t, const storage::ItemMeta*> byItem;
  for (const storage::ItemMeta& m : meta) byItem.emplace(m.item, &m);
  const auto resolve = [&](Pending& pending) {
    pending.item.meta = *byItem.at(pending.item.meta.item);
    if (!pending.explained) return;
    std::string reason = pending.explanation.reason;
    const auto at = reason.find("{item}");
    if (at != std::string::npos) {
      std::string title = "an item";
      if (!pending.explanation.because.empty()) {
        const storage::ItemMeta& named = *byItem.at(pending.explanation.because.front().item.value);
        title = named.title.empty() ? named.externalId : named.title;
      }
      reason.replace(at, 6, title);
    }
    pending.item.reason = std::move(reason);
  };
  out.items.reserve(items.size());
  for (Pending& pending : items) {
    resolve(pending);
    out.items.push_back(std::move(pending.item));
  }
  out.left.reserve(left.size());
  for (Pending& pending : left) {
    resolve(pending);
    out.left.push_back(std::move(pending.item));
  }
  return out;
}

}  // namespace reco
