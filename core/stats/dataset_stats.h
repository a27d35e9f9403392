#pragma once
/// Computing dataset statistics from counts.

#include <cstdint>
#include <vector>

#include "core/data/dataset_info.h"

namespace reco {

/// Quantiles by linear interpolation (numpy's default) over the counts; counts are
/// sorted in place. Cost O(n log n).
CountSummary summarizeCounts(std::vector<std::int64_t>& counts);

}  // namespace reco
