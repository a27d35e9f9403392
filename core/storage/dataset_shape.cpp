#include "core/storage/dataset_shape.h"

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/workspace.h"

namespace reco::storage {
namespace {

std::int32_t denseCount(Workspace& workspace, DatasetId dataset, const char* table) {
  Statement st(workspace.db(), std::string("SELECT count(*), min(idx), max(idx) FROM ") + table +
                                   " WHERE dataset_id = ?1");
  st.bind(1, dataset);
  if (!st.step()) return 0;
  const std::int64_t count = st.columnInt(0);
  if (count == 0) return 0;
  const std::int64_t first = st.columnInt(1), last = st.columnInt(2);
  if (first != 0 || last != count - 1 || count > INT32_MAX)
    throwDamaged(dataset, std::string("has ") + std::to_string(count) + " " + table +
                              " with indices " + std::to_string(first) + ".." +
                              std::to_string(last) + ", expected 0.." + std::to_string(count - 1));
  return std::int32_t(count);
}

}  // namespace

DatasetShape datasetShape(Workspace& workspace, DatasetId dataset) {
  return {denseCount(workspace, dataset, "users"), denseCount(workspace, dataset, "items")};
}

void throwDamaged(DatasetId dataset, const std::string& what) {
  throw Error(ErrorKind::Workspace, "the workspace is damaged: dataset " + std::to_string(dataset) +
                                        " " + what +
                                        " (restore a copy, or import the dataset again)");
}

}  // namespace reco::storage
