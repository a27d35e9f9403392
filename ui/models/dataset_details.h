#pragma once
/// The immutable snapshot behind a dataset's statistics page: made once on a worker
/// thread, then shared read-only by the panel and its item models.

#include <memory>

#include "core/data/dataset_info.h"
#include "core/stats/distributions.h"

namespace reco::ui {

struct DatasetDetails {
  reco::DatasetStats stats;
  reco::ImportReport report;
};

using DatasetDetailsPtr = std::shared_ptr<const DatasetDetails>;

/// The distributions behind the statistics plots (long tail, activity, weeks): read
/// separately from the details because they scan the interactions, so the figures above
/// them appear at once and the plots follow.
using DistributionsPtr = std::shared_ptr<const reco::DatasetDistributions>;

}  // namespace reco::ui
