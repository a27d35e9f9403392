#pragma once
/// A run's stored model file read as a stream: the bytes come from the workspace as the
/// model reads on (run_models.data, then each of run_model_parts in order), so the whole
/// file never exists in memory next to the model it becomes. A 300 MB ALS model of a
/// million users read whole cost a second copy of 300 MB and its page faults; a stream
/// holds one stored value (at most kModelPartBytes) at a time. runModel (run_store.h) reads
/// the same file whole, for those that need the bytes.

#include <cstdint>
#include <functional>
#include <istream>

#include "core/storage/run_store.h"
#include "core/storage/workspace.h"

namespace reco::storage {

/// Calls `read` with a stream over the model file of `run`. The stream seeks (tellg, and
/// seekg anywhere in the file: a seek outside the value being read fetches the value
/// that holds it again), so binary::bytesLeft works on it. Throws Workspace before
/// `read` is called when the run has no model or its stored sizes disagree (runModel's
/// words), and after it when a value went missing while it was read (the run was deleted
/// meanwhile): that error replaces whatever the reader made of the short stream. A reader
/// may stop before the end.
void readRunModel(Workspace& workspace, RunId run, const std::function<void(std::istream&)>& read);

/// The size of the run's model file in bytes (0 when it has none): what a cache of loaded
/// models weighs them by, without reading them.
std::int64_t runModelBytes(Workspace& workspace, RunId run);

}  // namespace reco::storage
