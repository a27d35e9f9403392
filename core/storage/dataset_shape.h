#pragma once
/// How many user and item indices a stored dataset spans, checked, and the check every scan
/// of its stored indices makes. The import numbers users and items from 0 in the order it
/// meets them and keeps every interaction, split pair and model row within them; an id it
/// then drops (a k-core, a date or rating filter) leaves a gap. A workspace whose indices
/// lie outside what its import can have made was damaged (a bad disk, a broken copy, an edit
/// by hand). Reading one must end in a clear Error(Workspace), never in a vector sized by a
/// wild index or a write past one.

#include <cstdint>
#include <string>

#include "core/data/dataset_info.h"

namespace reco::storage {

class Workspace;

/// One past the largest user and item index (what arrays by index are sized to; gaps
/// included).
struct DatasetShape {
  std::int32_t users = 0;
  std::int32_t items = 0;
};

/// The dataset's index ranges. Throws Error(Workspace) naming the dataset when an index is
/// negative or beyond what an import of its size can number (four times its rows of that
/// table and the rows it read, plus a million). Time: two index range scans.
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
