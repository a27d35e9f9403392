#pragma once
/// A stored run made usable again: the run, its split and its model read back. Every command
/// that looks inside a run (`reco recommend`, `similar`, `shown`, `explain`, `similarity`,
/// `embed`, `eval`) opens it here, so they refuse unfinished runs with the same words.

#include <string>

#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"

namespace reco {

struct StoredRun {
  storage::RunInfo run;
  storage::SplitInfo split;
  LoadedModel model;
};

/// The split of a finished run. Throws Config when the run did not finish ("run 'NAME'
/// failed: ERROR"), Workspace when its split is gone.
storage::SplitInfo requireRunSplit(storage::Workspace& workspace, const storage::RunInfo& run);

/// The model of a stored run, read as a stream (storage::readRunModel) through the default
/// registry: the whole file is never held beside the model. Throws what readRunModel and
/// readModelFile throw.
LoadedModel loadRunModel(storage::Workspace& workspace, storage::RunId run);

/// The run called `name`, its split (requireRunSplit) and its model (readModelFile through
/// the default registry). Throws Config for an unknown run (storage::requireRun's message).
StoredRun openStoredRun(storage::Workspace& workspace, const std::string& name);

}  // namespace reco
