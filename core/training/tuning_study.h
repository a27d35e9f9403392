#pragma once
/// An equal-budget tuning study (issue 18; Dacrema et al. 2019 and Rendle et al. 2020 on
/// untuned baselines): several models, each given the same budget (a number of trials, or
/// seconds), searched the same way (grid, random, or a Tree-structured Parzen Estimator),
/// every trial fitted on the split's training part and scored on its validation part only.
/// Then the best options of each model are refitted (on training + validation by default) and
/// evaluated once on the test part, as an ordinary stored run through runExperiment whose
/// protocol holds the study under "tuning". Last, the study itself is stored
/// (study_store.h): its settings, every trial in order, each model's best trial and run.
///
/// Cancel and failure: a stopped study stores nothing (no study, and the final runs it had
/// stored already are deleted); a study whose final run fails deletes the final runs it had
/// stored, keeps that failed run (as `reco train` keeps one) and rethrows. A failed *trial*
/// (a Config or Model error from the model, e.g. a combination its validate() refuses) is
/// recorded as failed and counts against the budget. `reco tune` and the GUI's "Tune..."
/// call runTuningStudy on a worker thread with their own Workspace.

#include <cstddef>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/storage/study_store.h"
#include "core/training/experiment.h"
#include "core/training/search_space.h"
#include "core/training/search_strategy.h"
#include "core/training/tuning.h"

namespace reco {

/// One model of a study.
struct StudyModelOptions {
  std::string model;                 ///< registry name
  OptionValues fixed;                ///< options every trial and the final run use
  std::vector<TuningAxis> axes;      ///< explicit values, replacing the default dimensions
  std::optional<SearchSpace> space;  ///< instead of the default space (axes still apply)
};

/// Exactly one of the two is set. Seconds: no new trial of a model starts once its trials
/// have taken that long (a trial in progress finishes), and each model runs at least one.
struct StudyBudget {
  std::optional<int> trials;      ///< >= 1
  std::optional<double> seconds;  ///< > 0
};

/// "20" is 20 trials, "90s" 90 seconds ("1.5s" too). Throws Usage naming the text otherwise.
StudyBudget parseStudyBudget(const std::string& text);

struct StudyOptions {
  std::string name;  ///< unique in the workspace; empty: "study", "study-2", ...
  std::vector<StudyModelOptions> models;  ///< at least one, each model once
  StudyBudget budget;                     ///< per model
  SearchKind search = SearchKind::Smbo;
  int gridPoints = 4;  ///< values per numeric dimension of a grid
  TpeOptions tpe;
  std::string metric = "ndcg@10";    ///< maximised on the validation part
  int maxValidationUsers = 1 << 30;  ///< validation users scored per trial (a seeded sample)
  bool refitOnValidation = true;     ///< the final runs fit on train+valid (else on train)
  /// The models' seed (TrainingData::seed) in every trial and final run; each model's search
  /// draws from its own stream of it, so adding a model changes no other model's trials.
  std::uint64_t seed = 42;
  ComputeOptions compute;
  EvalOptions eval;  ///< of the final runs
};

/// Hears a study as it goes, on the thread that runs it. Every method has an empty default.
class StudyObserver {
 public:
  virtual ~StudyObserver() = default;
  /// Before a trial's fit: `model` indexes StudyOptions::models, `index` counts its trials.
  virtual void onTrialStarted(std::size_t /*model*/, int /*index*/,
                              const OptionValues& /*options*/) {}
  /// After every trial, failed ones included; `order` is its place among all the study's
  /// trials (the best-so-far curve of a model is its trials' running maximum in order).
  virtual void onTrialFinished(const storage::StudyTrial& /*trial*/, std::size_t /*order*/) {}
  /// Before a model's final run (the refit of its best options and the test evaluation).
  virtual void onFinalRunStarted(std::size_t /*model*/, const OptionValues& /*options*/) {}
  /// Hears the final runs' epochs and progress; nullptr for none.
  virtual TrainObserver* finalRunObserver() { return nullptr; }
};

struct StudyResult {
  Outcome outcome = Outcome::Completed;  ///< Stopped: nothing was stored
  storage::StudyRecord record;           ///< as stored (record.info.id set)
  /// Per model, its final run; outcome Completed and an empty run (id 0) for a model none
  /// of whose trials completed.
  std::vector<ExperimentResult> finals;
  std::vector<SearchSpace> spaces;  ///< per model, the space that was searched
};

/// Runs the study. Throws, before anything trains: Config for no model, an unknown model or
/// one given twice, a budget that is not exactly one of trials >= 1 or seconds > 0, bad
/// fixed options or axes, a search space outside the options' specs, a split without a
/// validation part, a metric the evaluator does not report, a study name that is taken.
StudyResult runTuningStudy(storage::Workspace& workspace, const storage::SplitInfo& split,
                           const StudyOptions& options, StudyObserver* observer,
                           std::stop_token stop);

/// The best validation value so far after each trial of `model`, in order (failed trials
/// repeat the previous value; NaN before the first completed one).
std::vector<double> bestSoFar(const storage::StudyRecord& study, std::size_t model);

}  // namespace reco
