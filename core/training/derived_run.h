#pragma once
/// Derived runs (issue 14): a re-ranker (rerank/rerank_options.h) applied on top of a stored
/// run, evaluated with the same evaluator on the same split and cut-offs as the base run, and
/// stored as a run of its own (model "rerank"), so that the Compare panel and `reco compare`
/// show what diversity and business rules cost in accuracy, with CIs and significance
/// against the plain run. `reco rerank` and the Compare panel's "Re-rank..." dialog both
/// call this.
///
/// A derived run stores:
///   info.model        "rerank"
///   info.optionsJson  the re-rank settings (RerankOptions::settings()) plus "base_model"
///   info.protocolJson {"derived_from": "<base run name>", "base_run_id": N,
///                      "rerank": {<settings, every value a string>}, "label": "<label()>"}
///   the model file    the base run's whole model file followed by the re-ranker's state
///                     (model_file.h), so it opens like any run's (`reco recommend`).
/// A stop leaves nothing in the workspace.

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/rerank/rerank_options.h"
#include "core/storage/run_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"

namespace reco {

struct RerankRunOptions {
  std::string baseRun;  ///< the name of a finished run (not itself a derived run)
  RerankOptions rerank;
  /// The derived run's name; empty: "<base> + <label>", made unique (-2, -3...). A given
  /// name must be unused (Config).
  std::string name;
  int threads = 0;  ///< evaluation threads; 0: the hardware concurrency
};

/// Opens the base run, loads its split's training and test parts (as `reco eval` does),
/// resolves the rules against the dataset (unknown item ids, categories: Config naming
/// them), wraps the base model in a RerankedModel, evaluates it with the base run's
/// cut-offs (read from its stored metrics; Config when the depth is below the largest) and
/// stores the derived run. Outcome Stopped: nothing stored. Cost: one evaluation of the
/// base model plus O(users * candidates * depth) for the re-ranking.
ExperimentResult rerankRun(storage::Workspace& workspace, const RerankRunOptions& options,
                           JobObserver* observer, std::stop_token stop);

/// One derived run per value of `parameter` ("lambda" or "beta": Config otherwise) set on
/// base.rerank, named "<base> + <label>" (base.name, when given, is used as a prefix:
/// "<name> λ=0.3"). The training data and the base model are loaded once; progress runs
/// over all values. Stopped: the runs finished before the stop are kept and returned with
/// Outcome Completed, the last entry is the Stopped one.
std::vector<ExperimentResult> rerankSweep(storage::Workspace& workspace,
                                          const RerankRunOptions& base,
                                          const std::string& parameter,
                                          const std::vector<double>& values, JobObserver* observer,
                                          std::stop_token stop);

/// Wraps the loaded model of stored run `run` (on `split`) in a re-ranker for ad-hoc lists
/// (`reco recommend --rerank`, with or without --history): the rules resolved against the
/// run's dataset and the training items from its split, as rerankRun does; nothing is
/// stored. model.header is kept. Config for bad rules or a run that is re-ranked already;
/// then `model` is left as it was.
void rerankLoadedModel(storage::Workspace& workspace, const storage::RunInfo& run,
                       const storage::SplitInfo& split, LoadedModel& model,
                       const RerankOptions& options);

/// What a derived run's protocolJson says (the shape above), or nullopt for a run that is
/// not derived (any other protocol).
struct DerivedRunProtocol {
  std::string derivedFrom;  ///< the base run's name when the derived run was made
  storage::RunId baseRunId = 0;
  OptionValues rerank;  ///< the settings
  std::string label;
};
std::optional<DerivedRunProtocol> readDerivedProtocol(std::string_view protocolJson);

/// The message for anything that would retrain or rebuild a run of model "rerank" through
/// the registry: "run 'X' is a re-ranked run (rerank); a re-ranked run is made with
/// `reco rerank`".
std::string derivedRunRefusal(const storage::RunInfo& run);

}  // namespace reco
