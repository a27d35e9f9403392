#include "core/storage/item_attributes.h"

#include "core/storage/database.h"

namespace reco::storage {

std::vector<std::string> itemAttributeKeys(Workspace& workspace, DatasetId dataset) {
  Statement st(workspace.db(),
               "SELECT DISTINCT key FROM item_attributes WHERE dataset_id = ?1 ORDER BY key");
  st.bind(1, dataset);
  std::vector<std::string> keys;
  while (st.step()) keys.push_back(st.columnText(0));
  return keys;
}

std::vector<std::int32_t> itemsWithAttribute(Workspace& workspace, DatasetId dataset,
                                             const std::string& key, const std::string& value) {
  Statement st(workspace.db(),
               "SELECT item_idx FROM item_attributes WHERE dataset_id = ?1 AND key = ?2 AND "
               "value = ?3 ORDER BY item_idx");
  st.bind(1, dataset).bind(2, key).bind(3, value);
  std::vector<std::int32_t> items;
  while (st.step()) items.push_back(std::int32_t(st.columnInt(0)));
  return items;
}

}  // namespace reco::storage
