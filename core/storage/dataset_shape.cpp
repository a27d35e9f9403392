#include "core/storage/dataset_shape.h"

#include <algorithm>
#include <cstdint>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/workspace.h"

namespace reco::storage {
namespace {

std::int64_t rowsRead(Workspace& workspace, DatasetId dataset) {
  Statement st(workspace.db(), "SELECT rows_read FROM import_reports WHERE dataset_id = ?1");
  st.bind(1, dataset);
  return st.step() ? std::max<std::int64_t>(0, st.columnInt(0)) : 0;
}

std::int32_t indexBound(Workspace& workspace, DatasetId dataset, const char* table,
                        std::int64_t read) {
  Statement st(workspace.db(), std::string("SELECT count(*), min(idx), max(idx) FROM ") + table +
                                   " WHERE dataset_id = ?1");
  st.bind(1, dataset);
  if (!st.step()) return 0;
  const std::int64_t count = st.columnInt(0);
  if (count == 0) return 0;
  const std::int64_t first = st.columnInt(1), last = st.columnInt(2);
  // Gaps are ids the import read and then dropped (a k-core, a date or rating filter, a user
  // of u.user without a kept rating): never more than the rows it read plus those it kept.
  // Four times that, and a million, leaves every real import far inside; a damaged index
  // (two billion in a shop of a thousand rows) far outside.
  const std::int64_t limit =
      std::min<std::int64_t>(INT32_MAX, 4 * (count + read) + (std::int64_t(1) << 20));
  if (first < 0 || last >= limit)
    throwDamaged(dataset, std::string("has ") + std::to_string(count) + " " + table +
                              " with indices " + std::to_string(first) + ".." +
                              std::to_string(last) + ", expected indices from 0 below " +
                              std::to_string(limit));
  return std::int32_t(last + 1);
}

}  // namespace

DatasetShape datasetShape(Workspace& workspace, DatasetId dataset) {
  const std::int64_t read = rowsRead(workspace, dataset);
  return {indexBound(workspace, dataset, "users", read),
          indexBound(workspace, dataset, "items", read)};
}

void throwDamaged(DatasetId dataset, const std::string& what) {
  throw Error(ErrorKind::Workspace, "the workspace is damaged: dataset " + std::to_string(dataset) +
                                        " " + what +
                                        " (restore a copy, or import the dataset again)");
}

}  // namespace reco::storage
