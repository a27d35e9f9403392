#include "core/training/tuning_study.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <new>
#include <set>

#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/common/random.h"
#include "core/models/registry.h"
#include "core/storage/model_room.h"
#include "core/training/validation_monitor.h"

namespace reco {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string optionsJson(const OptionValues& values) {
  JsonWriter json;
  json.beginObject();
  for (const auto& [key, value] : values) json.field(key, value);
  return json.endObject().str();
}

// The model of a study's entry, with the messages of tune() and runExperiment.
const ModelInfo& modelOf(const std::string& name) {
  RECO_CHECK(name != "rerank", ErrorKind::Config,
             "model 'rerank' is not trained: a re-ranked run is made with `reco rerank --run "
             "RUN ...` on top of a stored run");
  if (const ModelInfo* info = findModel(name)) return *info;
  return defaultRegistry().get(name);  // throws Config naming the known models
}

std::string studyName(storage::Workspace& workspace, const std::string& wanted) {
  std::set<std::string> taken;
  for (const auto& study : storage::listStudies(workspace)) taken.insert(study.name);
  if (!wanted.empty()) {
    RECO_CHECK(!taken.contains(wanted), ErrorKind::Config,
               "study '" + wanted + "' exists already: choose another --study name");
    return wanted;
  }
  std::string name = "study";
  for (int n = 2; taken.contains(name); ++n) name = "study-" + std::to_string(n);
  return name;
}

// The study's settings beyond its columns, and the protocol's "tuning" of a final run.
std::string settingsJson(const StudyOptions& options) {
  JsonWriter json;
  json.beginObject()
      .field("grid_points", options.gridPoints)
      .field("tpe_startup_trials", options.tpe.startupTrials)
      .field("tpe_gamma", options.tpe.gamma)
      .field("tpe_candidates", options.tpe.candidates)
      .field("validation_users", std::int64_t(options.maxValidationUsers))
      .field("refit", options.refitOnValidation ? "train+valid" : "train");
  return json.endObject().str();
}

std::string finalTuningJson(const storage::StudyRecord& record, std::size_t model,
                            std::size_t validationUsers) {
  const auto& info = record.info;
  JsonWriter json;
  json.beginObject()
      .field("study", info.name)
      .field("search", info.search)
      .field("metric", info.metric)
      .field("folds", std::int64_t(1))
      .field("validation_users", std::int64_t(validationUsers));
  json.key("budget").beginObject();
  if (info.budgetTrials) json.field("trials", *info.budgetTrials);
  if (info.budgetSeconds) json.field("seconds", *info.budgetSeconds);
  json.endObject().key("candidates").beginArray();
  for (const auto& trial : record.trials) {
    if (trial.model != model) continue;
    json.beginObject().key("options").raw(optionsJson(trial.options)).key("validation");
    if (trial.validation)
      json.value(*trial.validation);
    else
      json.null();
    json.field("fit_seconds", trial.fitSeconds).endObject();
  }
  json.endArray();
  const auto best = record.models[model].best;
  json.key("chosen").raw(optionsJson(record.trials[*best].options));
  return json.endObject().str();
}

// Deletes the final runs a study stored before it was stopped or failed (best effort: a
// run another process deleted meanwhile is gone already).
void deleteFinalRuns(storage::Workspace& workspace, const std::vector<ExperimentResult>& finals) {
  for (const auto& final : finals) {
    if (final.run.id == 0) continue;
    try {
      storage::deleteRun(workspace, final.run);
    } catch (const Error&) {  // NOLINT(bugprone-empty-catch): already gone is what we want
    }
  }
}

}  // namespace

StudyBudget parseStudyBudget(const std::string& text) {
  StudyBudget budget;
  const bool seconds = !text.empty() && text.back() == 's';
  const std::string number = seconds ? text.substr(0, text.size() - 1) : text;
  const auto value = parseNumber(number);
  if (seconds && value && *value > 0 && std::isfinite(*value)) {
    budget.seconds = *value;
    return budget;
  }
  if (!seconds && value && *value >= 1 && *value <= 1e6 && *value == std::floor(*value)) {
    budget.trials = int(*value);
    return budget;
  }
  throw Error(ErrorKind::Usage,
              "--budget expects a number of trials (5) or of seconds (90s), found '" + text + "'");
}

StudyResult runTuningStudy(storage::Workspace& workspace, const storage::SplitInfo& split,
                           const StudyOptions& options, StudyObserver* observer,
                           std::stop_token stop) {
  // Everything is checked before anything trains.
  RECO_CHECK(!options.models.empty(), ErrorKind::Config, "a tuning study needs at least one model");
  const StudyBudget& budget = options.budget;
  RECO_CHECK(budget.trials.has_value() != budget.seconds.has_value(), ErrorKind::Config,
             "a tuning study needs one budget per model: a number of trials or of seconds");
  RECO_CHECK(
      !budget.trials || *budget.trials >= 1, ErrorKind::Config,
      "the budget must be at least 1 trial, found " + std::to_string(budget.trials.value_or(0)));
  RECO_CHECK(
      !budget.seconds || (*budget.seconds > 0 && std::isfinite(*budget.seconds)), ErrorKind::Config,
      "the budget must be more than 0 seconds, found " + formatNumber(budget.seconds.value_or(0)));
  RECO_CHECK(options.gridPoints >= 1, ErrorKind::Config, "grid points must be at least 1");
  StudyResult result;
  std::vector<const ModelInfo*> infos;
  std::set<std::string> names;
  for (const auto& entry : options.models) {
    const ModelInfo& info = modelOf(entry.model);
    RECO_CHECK(names.insert(info.name).second, ErrorKind::Config,
               "model '" + info.name + "' is in the study twice");
    const OptionReader fixed(info.options, entry.fixed);  // Config on bad fixed options
    SearchSpace space = entry.space ? *entry.space : defaultSearchSpace(info, entry.fixed);
    applyAxes(space, info, entry.fixed, entry.axes);
    checkSearchSpace(space, info);
    for (const auto& d : space.dimensions)
      RECO_CHECK(!entry.fixed.contains(d.option), ErrorKind::Config,
                 "model '" + info.name + "': option '" + d.option +
                     "' is both fixed (--set) and searched");
    infos.push_back(&info);
    result.spaces.push_back(std::move(space));
  }
  if (split.validPairs == 0)
    throw Error(
        ErrorKind::Config,
        "split '" + split.name +
            "' has no validation part to tune on: create one with reco split ... --valid 0.1");

  storage::StudyRecord& record = result.record;
  storage::StudyInfo& info = record.info;
  info.name = studyName(workspace, options.name);
  info.datasetId = split.datasetId;
  info.splitId = split.id;
  info.search = searchKindName(options.search);
  if (budget.trials)
    info.budgetTrials = budget.trials;
  else
    info.budgetSeconds = budget.seconds;
  info.metric = options.metric;
  info.seed = options.seed;
  info.optionsJson = settingsJson(options);

  // The training part with its validation part; the test part is never handed to a trial.
  const auto train = storage::loadSplit(workspace, split, options.seed).train;
  ValidationOptions validation;
  validation.enabled = true;
  validation.metric = options.metric;
  validation.maxUsers = options.maxValidationUsers;
  const ValidationMonitor scorer(*train, validation, options.compute.threads, nullptr);

  const auto started = Clock::now();
  const Random streams(options.seed);
  for (std::size_t m = 0; m < infos.size(); ++m) {
    const ModelInfo& model = *infos[m];
    record.models.push_back({model.name, searchSpaceJson(result.spaces[m]), std::nullopt, {}});
    SearchOptions search;
    search.kind = options.search;
    search.seed = streams.split(m).state().words[0];
    search.trials = budget.trials;
    search.gridPoints = options.gridPoints;
    search.tpe = options.tpe;
    const auto searcher = makeSearch(result.spaces[m], search);
    const auto modelStart = Clock::now();
    for (int index = 0;; ++index) {
      if (budget.trials && index >= *budget.trials) break;
      if (budget.seconds && index > 0 && secondsSince(modelStart) >= *budget.seconds) break;
      if (stop.stop_requested()) return {Outcome::Stopped, {}, {}, {}};
      const auto point = searcher->next();
      if (!point) break;  // a finite space walked through
      storage::StudyTrial trial;
      trial.model = m;
      trial.index = index;
      trial.options = options.models[m].fixed;
      trial.options.insert(point->begin(), point->end());
      if (observer) observer->onTrialStarted(m, index, trial.options);
      const auto trialStart = Clock::now();
      try {
        // Any trial may become the stored run: one the disk cannot hold fails here, unfitted.
        storage::requireRoomToStore(workspace, split.datasetId, model,
                                    OptionReader(model.options, trial.options).effectiveValues(),
                                    *train);
        auto fitted = model.factory(trial.options, options.compute);
        const auto fitStart = Clock::now();
        if (fitted->fit(*train, nullptr, stop) == Outcome::Stopped || stop.stop_requested())
          return {Outcome::Stopped, {}, {}, {}};
        trial.fitSeconds = secondsSince(fitStart);
        trial.validation = scorer.measure(*fitted);
        if (!std::isfinite(*trial.validation)) {
          trial.validation.reset();
          trial.error = "the validation metric is not a number";
        }
      } catch (const Error& error) {
        if (error.kind() == ErrorKind::Internal || error.kind() == ErrorKind::Workspace ||
            error.kind() == ErrorKind::Sqlite)
          throw;  // a bug or the workspace, not these options
        trial.error = error.what();
      } catch (const std::bad_alloc&) {
        trial.error = "out of memory";
      }
      trial.seconds = secondsSince(trialStart);
      searcher->tell(*point, trial.validation);
      auto& best = record.models[m].best;
      if (trial.validation && (!best || *trial.validation > *record.trials[*best].validation))
        best = record.trials.size();
      record.trials.push_back(std::move(trial));
      if (observer) observer->onTrialFinished(record.trials.back(), record.trials.size() - 1);
    }
  }

  // The final runs: each model's best options, refitted and evaluated once on the test part.
  result.finals.resize(infos.size());
  for (std::size_t m = 0; m < infos.size(); ++m) {
    const auto best = record.models[m].best;
    if (!best) continue;
    ExperimentOptions final;
    final.model = infos[m]->name;
    final.runName = storage::uniqueRunName(workspace, info.name + "-" + infos[m]->name);
    final.options = record.trials[*best].options;
    final.compute = options.compute;
    final.eval = options.eval;
    final.seed = options.seed;
    final.fitOn = options.refitOnValidation ? FitOn::TrainAndValid : FitOn::Train;
    final.tuningJson = finalTuningJson(record, m, scorer.users());
    if (observer) observer->onFinalRunStarted(m, final.options);
    try {
      result.finals[m] = runExperiment(workspace, split, final,
                                       observer ? observer->finalRunObserver() : nullptr, stop);
    } catch (...) {
      deleteFinalRuns(workspace, result.finals);
      throw;
    }
    if (result.finals[m].outcome == Outcome::Stopped || stop.stop_requested()) {
      deleteFinalRuns(workspace, result.finals);
      return {Outcome::Stopped, {}, {}, {}};
    }
    record.models[m].run = result.finals[m].run.id;
  }

  info.seconds = secondsSince(started);
  try {
    storage::saveStudy(workspace, record);
  } catch (...) {
    deleteFinalRuns(workspace, result.finals);
    throw;
  }
  return result;
}

std::vector<double> bestSoFar(const storage::StudyRecord& study, std::size_t model) {
  std::vector<double> curve;
  double best = std::numeric_limits<double>::quiet_NaN();
  for (const auto& trial : study.trials) {
    if (trial.model != model) continue;
    if (trial.validation && (std::isnan(best) || *trial.validation > best))
      best = *trial.validation;
    curve.push_back(best);
  }
  return curve;
}

}  // namespace reco
