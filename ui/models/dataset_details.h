#pragma once
/// The immutable snapshot behind a dataset's statistics page: made once on a worker
/// thread, then shared read-only by the panel and its item models.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/data/dataset_info.h"
#include "core/storage/distributions.h"

namespace reco::ui {

/// One split of the dataset with the number of runs trained on it (what deleting it takes).
struct SplitSummary {
  std::int64_t id = 0;
  std::string name;
  std::int64_t createdAt = 0;  ///< Unix seconds: with id and name, what a deletion checks
  std::int64_t runs = 0;
};

struct DatasetDetails {
  reco::DatasetStats stats;
  reco::ImportReport report;
  std::vector<SplitSummary> splits;  ///< in the order they were made
  std::int64_t runs = 0;             ///< runs of the dataset, on all its splits
};

using DatasetDetailsPtr = std::shared_ptr<const DatasetDetails>;

/// The distributions behind the statistics plots (long tail, activity, weeks): read
/// separately from the details because they scan the interactions, so the figures above
/// them appear at once and the plots follow.
using DistributionsPtr = std::shared_ptr<const reco::DatasetDistributions>;

}  // namespace reco::ui
