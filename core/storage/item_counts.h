#pragma once
/// How popular each item of a dataset is: the one measure of popularity that the Items screen
/// lists, the similarity heatmap's "top N" picks and the item map sizes its points by
/// (issue 13), so that the three agree.

#include <cstdint>
#include <stop_token>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/workspace.h"

namespace reco::storage {

/// Interactions (every event row) of each dataset item index: out[i] for item i, 0 for an
/// item without any; the size is the largest item index + 1 (0 for a dataset without items).
/// Read from the counts the import stored with the items: O(items), not O(interactions).
/// Empty when `stop` is requested (checked first and every 65,536 items).
std::vector<std::int64_t> itemInteractionCounts(Workspace& workspace, DatasetId dataset,
                                                std::stop_token stop = {});

/// The item indices with the most interactions, most first (ties: lower index first), at
/// most `n`, from itemInteractionCounts' result; items without interactions never appear.
std::vector<std::int32_t> mostPopularItems(const std::vector<std::int64_t>& counts, std::size_t n);

}  // namespace reco::storage
