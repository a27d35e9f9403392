#pragma once
/// The rows of a similarity matrix (similarity_matrix.h): which items or users a selection
/// names, which of them the run's model knows, and their labels. Internal to
/// computeSimilarityMatrix, split from it to keep each file readable in one sitting.

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"
#include "core/training/similarity_matrix.h"

namespace reco::detail {

/// The selected entities in the selection's order (labels[r].index is the dataset index),
/// and what was left out, in words. Never empty: the selectors throw Config instead.
struct SimilarityEntities {
  std::vector<SimilarityLabel> labels;
  std::vector<std::string> skipped;
};

/// Throws Config when the selection asks for more than kMaxSimilarityEntities or for none.
void checkSelectionSize(const SimilaritySelection& selection);

/// The items of an item selection (TopItems, Category, ItemIds, UserList) that the model
/// file knows, labelled with their metadata and `counts` (itemInteractionCounts of the
/// run's dataset). Throws Config for an unknown category (naming a few that exist), an
/// unknown user, or a selection that leaves nothing.
SimilarityEntities selectSimilarityItems(storage::Workspace& workspace, const storage::RunInfo& run,
                                         const LoadedModel& model, const storage::SplitInfo& split,
                                         const SimilaritySelection& selection,
                                         const std::vector<std::int64_t>& counts);

/// The users of a user selection (TopUsers: most interactions first, ties by index;
/// UserIds) that the model file knows, labelled with their id, their most frequent category
/// and their interactions (storage::summarizeUsers: one pass, its progress, nullopt when
/// stopped). Throws Config when nothing is left.
std::optional<SimilarityEntities> selectSimilarityUsers(
    storage::Workspace& workspace, const storage::RunInfo& run, const LoadedModel& model,
    const SimilaritySelection& selection, JobObserver* observer, std::stop_token stop);

}  // namespace reco::detail
