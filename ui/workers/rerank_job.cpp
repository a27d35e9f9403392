#include "ui/workers/rerank_job.h"

#include "core/storage/workspace.h"

namespace reco::ui {

RerankOutcome runRerankRequest(const std::string& path, const RerankRequest& request,
                               reco::JobObserver* observer, std::stop_token stop) {
  reco::storage::Workspace workspace(path, reco::storage::Workspace::OpenMode::OpenExisting);
  workspace.prepareForWriting(observer, stop);
  RerankOutcome out;
  std::vector<reco::ExperimentResult> results;
  if (request.sweepParameter.empty())
    results.push_back(reco::rerankRun(workspace, request.run, observer, stop));
  else
    results = reco::rerankSweep(workspace, request.run, request.sweepParameter, request.values,
                                observer, stop);
  for (const auto& result : results) {
    if (result.outcome == reco::Outcome::Stopped)
      out.stopped = true;
    else
      out.runs.push_back(result.run);
  }
  return out;
}

}  // namespace reco::ui
