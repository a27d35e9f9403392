#pragma once
/// Named what-if scenarios (issue 14): an edited history saved by the user, listed and
/// reloaded in the Users panel. Nothing else writes a what-if to the workspace.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/storage/workspace.h"

namespace reco::storage {

struct Scenario {
  std::int64_t id = 0;
  DatasetId datasetId = 0;
  std::string name;                   ///< unique per dataset
  std::optional<std::int32_t> user;   ///< the user it started from; nullopt: a new visitor
  std::vector<std::int32_t> history;  ///< dataset item indices, oldest first
  std::int64_t createdAt = 0;         ///< Unix seconds
};

/// Stores a scenario (one transaction) and returns its id; `id` is ignored, `createdAt` 0
/// means now. Throws Config when the dataset already has a scenario of that name
/// ("scenario 'NAME' exists in dataset 'D'"), the name is empty, or the dataset, the user
/// or a history item is not in the workspace. The caller has called
/// Workspace::prepareForWriting (a write like any other).
std::int64_t saveScenario(Workspace& workspace, const Scenario& scenario);
/// The dataset's scenarios, by name (byte order).
std::vector<Scenario> listScenarios(Workspace& workspace, DatasetId dataset);
/// Throws Config when there is no scenario `id`.
void deleteScenario(Workspace& workspace, std::int64_t id);

}  // namespace reco::storage
