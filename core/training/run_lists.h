#pragma once
/// A stored run's list for one user, as a person reads it: the items the run's model
/// recommends, with their titles, categories and prices, their scores, whether each is in
/// the user's held-out test part, and the model's reason in words. `reco recommend` (text
/// and --json) and the workbench's Users panel both make their lists here, so they agree.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/models/recommender.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"

namespace reco {

/// One recommended item.
struct RunListItem {
  storage::ItemMeta meta;  ///< the item's dataset index, external id, title, category, price
  float score = 0;         ///< the model's score
  bool inTest = false;     ///< in the user's held-out test part of the split
  std::string reason;      ///< resolveReason() of the model's explanation; "" until known
};

/// A run's list for one user.
struct RunList {
  std::string userId;              ///< the user's external id (from the model file)
  std::size_t trainingItems = 0;   ///< the user's training items, excluded from the list
  std::vector<RunListItem> items;  ///< best first
};

/// The run's top-`n` list for dataset user index `user`, made by the run's loaded `model`:
/// - the user's parts are read from `split` (storage::loadUserSplitParts: training items
///   at the split's rating threshold, validation and test items);
/// - `model.model->recommend(user, training items, n)` gives the items and scores, in its
///   order (fewer than n when fewer items are left; none when n is 0);
/// - each item carries its metadata from the items of `run.datasetId`
///   (storage::loadItemMeta), its test mark, and
///   resolveReason(model.model->explain(user, item, training items)).
/// Reads the workspace only (a few statements for one user, one lookup per listed item)
/// and calls only the model's const members.
/// Throws Config when `user` is not a user of the model file ("the user is not in the data
/// run 'NAME' was trained on"); storage and model errors pass through.
RunList runListForUser(storage::Workspace& workspace, const storage::RunInfo& run,
                       const LoadedModel& model, const storage::SplitInfo& split, std::int32_t user,
                       std::size_t n);

/// One item like another, by a run's model.
struct SimilarItem {
  storage::ItemMeta meta;  ///< the item's dataset index, external id, title, category, price
  float similarity = 0;    ///< the model's similarity (Recommender::similarItems' score)
};

/// The `n` items most similar to dataset item index `item` by the run's loaded `model`
/// (Recommender::similarItems: most similar first, never the item itself; fewer when fewer
/// are left), each with its metadata from the items of `run.datasetId`. The one home of
/// "an item's nearest items with metadata", for `reco similar` and the window alike.
/// Reads the workspace only (one lookup per listed item) and calls only const members.
/// Throws Config when the model has no notion of similar items (no kCanSimilarItems:
/// "model 'NAME' has no notion of similar items") or `item` is not an item of the model
/// file ("the item is not in the data run 'NAME' was trained on").
std::vector<SimilarItem> similarItemsOf(storage::Workspace& workspace, const storage::RunInfo& run,
                                        const LoadedModel& model, std::int32_t item, std::size_t n);

/// The explanation's reason as shown to a person: the first "{item}" is replaced by the
/// title of the first contributing item (`explanation.because.front()`, looked up in the
/// items of `dataset`), or by its external id when it has no title, or by "an item" when
/// nothing contributed. A reason without "{item}" is returned as it is.
std::string resolveReason(storage::Workspace& workspace, DatasetId dataset,
                          const Explanation& explanation);

}  // namespace reco
