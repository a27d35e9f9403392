#pragma once
/// The item map (issue 13): every item of a run's model placed in the plane from its vectors,
/// with what the map colours, sizes and labels it by. `reco embed` and the workbench's map
/// both call computeItemMap, so their coordinates agree.

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/similarity/projection.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"

namespace reco {

enum class ItemMapMethod { Pca, Neighbour };
/// "pca", "neighbour" (also "neighbor", "umap"); throws Config otherwise.
ItemMapMethod parseItemMapMethod(const std::string& text);

struct ItemMapOptions {
  ItemMapMethod method = ItemMapMethod::Pca;
  /// The neighbour layout's options; its `threads` also serves PCA and the similarity rows.
  similarity::NeighbourLayoutOptions neighbour;
};

/// The items of the map, column-wise (a million items cost ~40 bytes each plus their text).
struct ItemMap {
  /// Where the vectors came from, in words: "item vectors (64 dimensions)", "rows of the
  /// itemknn similarity matrix (1,682 items)".
  std::string source;
  similarity::Layout2d layout;             ///< one point per entry of `items`
  std::vector<std::int32_t> items;         ///< dataset item index of each point
  std::vector<std::string> externalIds;    ///< parallel to items
  std::vector<std::string> titles;         ///< "" when none
  std::vector<std::int32_t> categoryCode;  ///< index into categories, -1 for none
  std::vector<std::string> categories;     ///< sorted by item count descending
  std::vector<std::int64_t> popularity;    ///< interactions (storage::itemInteractionCounts)

  std::size_t size() const { return items.size(); }
};

/// The most items whose similarity rows (kNN, EASE, content) are projected: beyond it the map
/// says why not (the rows are items x items).
inline constexpr std::size_t kMaxSimilarityRowItems = 20000;

/// The map of every item of `model` (a done run of `split`):
/// - models with kHasItemEmbeddings: the item vectors;
/// - models with kCanSimilarItems but no vectors (itemknn, ease, content): the rows of their
///   item-item similarity (Recommender::itemSimilarities), up to kMaxSimilarityRowItems items;
/// - otherwise Config, saying why ("model 'pop' has no item vectors or item similarities").
/// The neighbour method refuses more than similarity::kMaxNeighbourLayoutRows items (Config,
/// suggesting PCA). The points are the items below the model's itemCount() that the dataset
/// knows, by item index ascending; the similarity rows are projected by a fixed-seed Gaussian
/// matrix, so the PCA map of a run is always the same. Progress under "vectors", then the
/// layout's stages; nullopt when stopped. Reads the workspace only.
std::optional<ItemMap> computeItemMap(storage::Workspace& workspace, const storage::RunInfo& run,
                                      const LoadedModel& model, const storage::SplitInfo& split,
                                      const ItemMapOptions& options, JobObserver* observer,
                                      std::stop_token stop);

}  // namespace reco
