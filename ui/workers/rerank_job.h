#pragma once
/// The Compare panel's "Re-rank…" work: one derived run (core/training/derived_run.h
/// rerankRun) or a sweep over λ or β (rerankSweep), on a Workspace of its own. The panel
/// runs it through a ProgressTask (progress, Cancel, a newer request stopping an older
/// one); this is the part that runs in the pool, callable from any thread.

#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/storage/run_store.h"
#include "core/training/derived_run.h"

namespace reco::ui {

/// What the Re-rank dialog asks for.
struct RerankRequest {
  reco::RerankRunOptions run;
  std::string sweepParameter;  ///< "lambda" or "beta" for a sweep; "" for one run
  std::vector<double> values;  ///< the sweep's values (ignored without a parameter)
};

/// What was stored: the derived runs in order, and whether a stop cut the work short (the
/// runs finished before it stay stored).
struct RerankOutcome {
  std::vector<reco::storage::RunInfo> runs;
  bool stopped = false;
};

/// Opens the workspace at `path` for writing and runs the request. Throws reco::Error
/// (Config for bad settings, an unknown base run or a name in use).
RerankOutcome runRerankRequest(const std::string& path, const RerankRequest& request,
                               reco::JobObserver* observer, std::stop_token stop);

}  // namespace reco::ui
