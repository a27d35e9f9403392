#pragma once
/// Item attributes (the item_attributes table: key=value per item, e.g. in_stock=0,
/// brand=Acme) looked up for business rules (issue 14: re-ranking's exclusions and boosts).

#include <cstdint>
#include <string>
#include <vector>

#include "core/storage/workspace.h"

namespace reco::storage {

/// The attribute keys the dataset's items have, ascending.
std::vector<std::string> itemAttributeKeys(Workspace& workspace, DatasetId dataset);

/// The item indices (ascending) whose attribute `key` has exactly `value`.
std::vector<std::int32_t> itemsWithAttribute(Workspace& workspace, DatasetId dataset,
                                             const std::string& key, const std::string& value);

}  // namespace reco::storage
