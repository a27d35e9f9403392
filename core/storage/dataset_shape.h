#pragma once
/// How many users and items a stored dataset has, checked, and the check every scan of its
/// stored indices makes. The import writes user and item indices dense (0..n-1) and every
/// interaction, split pair and model row within them; a workspace where that no longer holds
/// was damaged (a bad disk, a broken copy, an edit by hand). Reading one must end in a clear
/// Error(Workspace), never in a vector sized by a wild index or a write past one.

#include <cstdint>
#include <string>

#include "core/data/dataset_info.h"

namespace reco::storage {

class Workspace;

struct DatasetShape {
  std::int32_t users = 0;
  std::int32_t items = 0;
};

/// The dataset's user and item counts. Throws Error(Workspace) naming the dataset when the
/// indices of either table are not 0..n-1. Time: two index range scans.
DatasetShape datasetShape(Workspace& workspace, DatasetId dataset);

/// Throws Error(Workspace): "the workspace is damaged: dataset D WHAT".
[[noreturn]] void throwDamaged(DatasetId dataset, const std::string& what);

/// Checks 0 <= index < count for an index read from the workspace; `what` names it ("user
/// index", "item index of an interaction").
inline void requireStoredIndex(DatasetId dataset, std::int64_t index, std::int64_t count,
                               const char* what) {
  if (index < 0 || index >= count)
    throwDamaged(dataset, std::string("holds ") + what + " " + std::to_string(index) +
                              ", outside 0.." + std::to_string(count - 1));
}

}  // namespace reco::storage
