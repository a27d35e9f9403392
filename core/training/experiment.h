#pragma once
/// One run from start to stored result: the split is loaded, the model built from the
/// registry, fitted (epochs reported), evaluated with full ranking, and everything stored
/// in one transaction. The CLI's `reco train` and the workbench's Experiments panel both
/// call this. A stop leaves nothing in the workspace; a failure stores the run as failed
/// (with its error) and rethrows.

#include <stop_token>
#include <string>

#include "core/eval/evaluator.h"
#include "core/models/model_options.h"
#include "core/models/recommender.h"
#include "core/models/train_observer.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"

namespace reco {

/// The validation part of a split during training (the split must have one when these
/// are used). After every `every`-th epoch of an iterative model the runner evaluates the
/// model's current state on the validation part (full ranking, training items excluded)
/// for at most `maxUsers` validation users (a seeded sample when there are more), and
/// reports `metric` with the epoch. With patience > 0, training stops once `patience`
/// validations in a row did not improve on the best, and the model is restored to the
/// best validated epoch.
struct ValidationOptions {
  bool enabled = false;            ///< false: no validation metric (patience must be 0)
  std::string metric = "ndcg@10";  ///< any per-user metric evaluate() reports ("recall@20")
  int patience = 0;                ///< 0: no early stopping
  int every = 1;                   ///< validate every n-th epoch (>= 1)
  int maxUsers = 10000;            ///< validation users evaluated per epoch (>= 1)
};

/// What the model is fitted on. Train: the training part only (the validation part is held
/// out for validation). TrainAndValid: training and validation parts together (the final
/// refit after tuning: `reco tune`); no validation metric is possible then.
enum class FitOn { Train, TrainAndValid };

struct ExperimentOptions {
  std::string runName;  ///< unique in the workspace; empty: the model's name (-2, -3... when taken)
  std::string model;    ///< registry name
  OptionValues options;  ///< checked against the registry's specs (Config error on bad ones)
  ComputeOptions compute;
  EvalOptions eval;
  std::uint64_t seed = 42;  ///< TrainingData::seed: the model's random draws
  ValidationOptions validation;
  FitOn fitOn = FitOn::Train;
  /// A JSON object stored as the run protocol's "tuning" (tuning.h); empty: none.
  std::string tuningJson;
};

struct ExperimentResult {
  Outcome outcome = Outcome::Completed;
  storage::RunInfo run;  ///< as stored (Completed only)
  std::vector<storage::MetricAggregate> metrics;
  /// What the model's `auto` options chose (Recommender::resolvedOptions; also in the run's
  /// protocol under "resolved").
  OptionValues resolved;
};

/// Opens nothing itself: `workspace` must be this thread's connection. Cost: the model's
/// fit plus evaluate()'s (see evaluator.h); memory: the training data, the model, and one
/// score block per thread.
ExperimentResult runExperiment(storage::Workspace& workspace, const storage::SplitInfo& split,
                               const ExperimentOptions& options, TrainObserver* observer,
                               std::stop_token stop);

/// Converts an evaluation into the metric rows, per-user values and top-N lists a run
/// stores (shared by runExperiment and `reco eval`), adding recall on the popular head and
/// the long tail of the catalogue ("recall_head@K", "recall_tail@K"; segments.h) per user.
void fillEvaluation(const EvalResult& eval, const TrainingData& train, const CsrMatrix& test,
                    storage::RunRecord& record);

/// The process's peak resident memory in bytes (getrusage).
std::int64_t peakResidentBytes();

}  // namespace reco
