#include "core/training/tuning.h"

#include <chrono>
#include <cstdio>

#include "core/common/error.h"
#include "core/common/json.h"
#include "core/data/holdout.h"
#include "core/models/registry.h"
#include "core/storage/model_room.h"
#include "core/training/validation_monitor.h"

namespace reco {

namespace {

std::string optionsJson(const OptionValues& values) {
  JsonWriter json;
  json.beginObject();
  for (const auto& [key, value] : values) json.field(key, value);
  return json.endObject().str();
}

// Every combination of the axes, the first axis varying slowest.
std::vector<OptionValues> expandGrid(const std::vector<TuningAxis>& grid) {
  std::vector<OptionValues> out{OptionValues{}};
  for (const auto& axis : grid) {
    std::vector<OptionValues> next;
    for (const auto& partial : out)
      for (const auto& value : axis.values) {
        OptionValues combined = partial;
        combined[axis.option] = value;
        next.push_back(std::move(combined));
      }
    out = std::move(next);
  }
  return out;
}

}  // namespace

TuningAxis parseTuningAxis(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw Error(ErrorKind::Usage, "--grid expects key=value1,value2,..., found '" + text + "'");
  TuningAxis axis;
  axis.option = text.substr(0, eq);
  std::size_t start = eq + 1;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string value =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (value.empty()) throw Error(ErrorKind::Usage, "--grid " + text + ": an empty value");
    axis.values.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return axis;
}

TuningResult tune(storage::Workspace& workspace, const storage::SplitInfo& split,
                  const TuningOptions& options, TrainObserver* observer, std::stop_token stop) {
  // Re-ranked runs are not in the registry (training/derived_run.h): say where they are made.
  RECO_CHECK(options.experiment.model != "rerank", ErrorKind::Config,
             "model 'rerank' is not trained: a re-ranked run is made with `reco rerank --run "
             "RUN ...` on top of a stored run");
  const ModelInfo* info = findModel(options.experiment.model);
  if (!info)
    defaultRegistry().get(options.experiment.model);  // throws Config naming the known models
  RECO_CHECK(!options.grid.empty(), ErrorKind::Config,
             "tuning needs at least one --grid option=values");
  for (std::size_t a = 0; a < options.grid.size(); ++a) {
    const std::string& option = options.grid[a].option;
    RECO_CHECK(!options.experiment.options.contains(option), ErrorKind::Config,
               "option '" + option + "' is both fixed (--set) and tuned (--grid)");
    // A second axis of one option would overwrite the first in every candidate, so its
    // values would be tried in place of the first's, silently.
    for (std::size_t b = 0; b < a; ++b)
      RECO_CHECK(options.grid[b].option != option, ErrorKind::Config,
                 "option '" + option + "' is tuned twice (--grid): expected its values once, as " +
                     option + "=v1,v2,...");
  }
  const std::vector<OptionValues> grid = expandGrid(options.grid);
  std::vector<OptionValues> full;
  for (const auto& candidate : grid) {
    OptionValues values = options.experiment.options;
    values.insert(candidate.begin(), candidate.end());
    OptionReader check(info->options, values);  // every candidate is valid before anything trains
    full.push_back(std::move(values));
  }
  if (split.validPairs == 0)
    throw Error(
        ErrorKind::Config,
        "split '" + split.name +
            "' has no validation part to tune on: create one with reco split ... --valid 0.1");

  RECO_CHECK(options.folds >= 1, ErrorKind::Config,
             "folds must be >= 1, found " + std::to_string(options.folds));
  if (options.folds > 1 && split.options.protocol != SplitProtocol::Random)
    throw Error(ErrorKind::Config, "more than one validation fold needs a random split; split '" +
                                       split.name + "' is " +
                                       splitProtocolName(split.options.protocol));

  // The validation parts: the split's own, then more draws from training + validation.
  std::vector<std::shared_ptr<const TrainingData>> parts{
      storage::loadSplit(workspace, split, options.experiment.seed).train};
  if (options.folds > 1) {
    const auto merged = storage::loadSplit(workspace, split, options.experiment.seed, true).train;
    for (int f = 1; f < options.folds; ++f)
      parts.push_back(std::make_shared<const TrainingData>(
          holdOutValidation(*merged, split.options.valid, split.options.seed + std::uint64_t(f))));
  }
  // Before any fit: any candidate may become the stored run, so each must fit on the disk.
  for (const auto& values : full)
    storage::requireRoomToStore(workspace, split.datasetId, *info,
                                OptionReader(info->options, values).effectiveValues(),
                                *parts.front());
  ValidationOptions validation;
  validation.enabled = true;
  validation.metric = options.metric;
  validation.maxUsers = options.maxValidationUsers;
  const int threads = options.experiment.compute.threads;
  std::vector<ValidationMonitor> scorers;
  scorers.reserve(parts.size());
  for (const auto& part : parts) scorers.emplace_back(*part, validation, threads, nullptr);

  TuningResult result;
  const std::size_t steps = full.size() * parts.size();
  for (std::size_t c = 0; c < full.size(); ++c) {
    TuningCandidate candidate;
    candidate.options = grid[c];
    if (observer)
      observer->onMessage("candidate " + std::to_string(c + 1) + "/" + std::to_string(full.size()) +
                          ": " + optionsJson(grid[c]));
    const OptionReader reader(info->options, full[c]);
    for (std::size_t f = 0; f < parts.size(); ++f) {
      if (stop.stop_requested()) return {Outcome::Stopped, {}, 0, {}};
      if (observer)
        observer->onProgress(Progress{"tuning " + info->name, c * parts.size() + f, steps});
      auto model = info->factory(reader.effectiveValues(), options.experiment.compute);
      const auto start = std::chrono::steady_clock::now();
      if (model->fit(*parts[f], nullptr, stop) == Outcome::Stopped || stop.stop_requested())
        return {Outcome::Stopped, {}, 0, {}};
      candidate.fitSeconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      candidate.perFold.push_back(scorers[f].measure(*model));
    }
    double sum = 0;
    for (double v : candidate.perFold) sum += v;
    candidate.validation = sum / double(candidate.perFold.size());
    if (result.candidates.empty() ||
        candidate.validation > result.candidates[result.best].validation)
      result.best = result.candidates.size();
    result.candidates.push_back(std::move(candidate));
  }

  JsonWriter tuning;
  tuning.beginObject().field("metric", options.metric).field("folds", std::int64_t(parts.size()));
  tuning.field("validation_users", std::int64_t(scorers.front().users()));
  tuning.key("candidates").beginArray();
  for (const auto& candidate : result.candidates) {
    tuning.beginObject().key("options").raw(optionsJson(candidate.options));
    tuning.field("validation", candidate.validation).key("per_fold").beginArray();
    for (double v : candidate.perFold) tuning.value(v);
    tuning.endArray().field("fit_seconds", candidate.fitSeconds).endObject();
  }
  tuning.endArray()
      .key("chosen")
      .raw(optionsJson(result.candidates[result.best].options))
      .endObject();

  ExperimentOptions final = options.experiment;
  final.options = full[result.best];
  final.fitOn = options.refitOnValidation ? FitOn::TrainAndValid : FitOn::Train;
  final.validation = ValidationOptions{};
  final.tuningJson = tuning.str();
  result.final = runExperiment(workspace, split, final, observer, stop);
  result.outcome = result.final.outcome;
  return result;
}

}  // namespace reco
