#pragma once
/// The workspace schema, versioned with PRAGMA user_version (kSchemaVersion in
/// workspace.h). Each version's script upgrades from the one before; a new workspace runs
/// them all.

#include <vector>

namespace reco::storage {

/// SQL scripts: element v-1 upgrades a workspace from user_version v-1 to v.
const std::vector<const char*>& schemaMigrations();

}  // namespace reco::storage
