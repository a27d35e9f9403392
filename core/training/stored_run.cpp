#include "core/training/stored_run.h"

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/stored_model.h"

namespace reco {

storage::SplitInfo requireRunSplit(storage::Workspace& workspace, const storage::RunInfo& run) {
  if (run.status != "done")
    throw Error(ErrorKind::Config, "run '" + run.name + "' " + run.status + ": " + run.error);
  auto split = storage::findSplit(workspace, run.splitId);
  RECO_CHECK(split.has_value(), ErrorKind::Workspace,
             "the split of run '" + run.name + "' is gone");
  return *split;
}

LoadedModel loadRunModel(storage::Workspace& workspace, storage::RunId run) {
  LoadedModel loaded;
  storage::readRunModel(workspace, run,
                        [&](std::istream& in) { loaded = readModelFile(in, defaultRegistry()); });
  return loaded;
}

StoredRun openStoredRun(storage::Workspace& workspace, const std::string& name) {
  StoredRun stored;
  stored.run = storage::requireRun(workspace, name);
  stored.split = requireRunSplit(workspace, stored.run);
  stored.model = loadRunModel(workspace, stored.run.id);
  return stored;
}

}  // namespace reco
