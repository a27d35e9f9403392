#pragma once
/// The immutable snapshot behind a dataset's statistics page: made once on a worker
/// thread, then shared read-only by the panel and its item models.

#include <memory>

#include "core/data/dataset_info.h"

namespace reco::ui {

struct DatasetDetails {
  reco::DatasetStats stats;
  reco::ImportReport report;
};

using DatasetDetailsPtr = std::shared_ptr<const DatasetDetails>;

}  // namespace reco::ui
