#include "core/storage/item_counts.h"

#include <algorithm>

#include "core/storage/database.h"
#include "core/storage/dataset_shape.h"

namespace reco::storage {

std::vector<std::int64_t> itemInteractionCounts(Workspace& workspace, DatasetId dataset,
                                                std::stop_token stop) {
  if (stop.stop_requested()) return {};
  // The import stores each item's count of interaction rows (items.n_interactions, the
  // GROUP BY of DatasetWriter::finish), and a dataset never changes after its import: one
  // pass over the items, not over the interactions (100k rows rather than 10M).
  const std::int32_t items = datasetShape(workspace, dataset).items;
  std::vector<std::int64_t> counts(std::size_t(items), 0);
  Statement st(workspace.db(), "SELECT idx, n_interactions FROM items WHERE dataset_id = ?1");
  st.bind(1, dataset);
  std::size_t row = 0;
  while (st.step()) {
    if ((++row & 0xFFFF) == 0 && stop.stop_requested()) return {};
    const auto item = st.columnInt(0);
    requireStoredIndex(dataset, item, items, "item index");
    counts[std::size_t(item)] = st.columnInt(1);
  }
  return counts;
}

std::vector<std::int32_t> mostPopularItems(const std::vector<std::int64_t>& counts, std::size_t n) {
  std::vector<std::int32_t> items;
  items.reserve(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) items.push_back(std::int32_t(i));
  const auto before = [&counts](std::int32_t a, std::int32_t b) {
    const auto ca = counts[std::size_t(a)];
    const auto cb = counts[std::size_t(b)];
    return ca != cb ? ca > cb : a < b;
  };
  const std::size_t keep = std::min(n, items.size());
  std::partial_sort(items.begin(), items.begin() + std::ptrdiff_t(keep), items.end(), before);
  items.resize(keep);
  return items;
}

}  // namespace reco::storage
