#include "core/training/experiment.h"

#include <chrono>
#include <cmath>
#include <optional>

#include <sys/resource.h>

#include "core/common/clock.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/parallel.h"
#include "core/eval/segments.h"
#include "core/models/registry.h"
#include "core/models/trained_items_model.h"
#include "core/storage/model_room.h"
#include "core/training/model_file.h"
#include "core/training/validation_monitor.h"

namespace reco {

namespace {

// Keeps every epoch for the run record and passes everything on.
class EpochCollector final : public TrainObserver {
 public:
  explicit EpochCollector(TrainObserver* next) : next_(next) {}
  void onProgress(const Progress& progress) override {
    if (next_) next_->onProgress(progress);
  }
  void onMessage(const std::string& message) override {
    if (next_) next_->onMessage(message);
  }
  void onEpoch(const EpochReport& report) override {
    epochs.push_back(report);
    if (next_) next_->onEpoch(report);
  }
  std::vector<EpochReport> epochs;

 private:
  TrainObserver* next_;
};

std::string optionsJson(const OptionValues& values) {
  JsonWriter json;
  json.beginObject();
  for (const auto& [key, value] : values) json.field(key, value);
  return json.endObject().str();
}

}  // namespace

std::int64_t peakResidentBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return std::int64_t(usage.ru_maxrss) * 1024;
}

void fillEvaluation(const EvalResult& eval, const TrainingData& train, const CsrMatrix& test,
                    storage::RunRecord& record) {
  record.metrics.clear();
  for (const auto& a : eval.aggregates) {
    storage::MetricAggregate m;
    m.metric = a.name;
    m.mean = a.mean;
    if (std::isfinite(a.ciLow)) m.ciLow = a.ciLow;
    if (std::isfinite(a.ciHigh)) m.ciHigh = a.ciHigh;
    m.n = std::int64_t(a.n);
    m.sampled = a.name.rfind("sampled_", 0) == 0;
    record.metrics.push_back(m);
  }
  // Head and tail recall are per-user metrics too, so they get CIs and significance.
  const ItemPopularitySplit headTail = splitHeadTail(train);
  std::vector<std::pair<std::string, std::vector<double>>> extra;
  for (const int k : eval.ks) {
    const HeadTailRecall recall = headTailRecall(eval, train, test, k, headTail);
    for (const auto* part : {&recall.headSummary, &recall.tailSummary}) {
      storage::MetricAggregate m{
          part->name, part->mean, std::nullopt, std::nullopt, std::int64_t(part->n), false};
      if (std::isfinite(part->ciLow)) m.ciLow = part->ciLow;
      if (std::isfinite(part->ciHigh)) m.ciHigh = part->ciHigh;
      record.metrics.push_back(m);
    }
    extra.emplace_back(recall.headSummary.name, recall.head);
    extra.emplace_back(recall.tailSummary.name, recall.tail);
  }
  for (const auto& [name, value] : eval.catalogue)
    record.metrics.push_back(
        {name, value, std::nullopt, std::nullopt, std::int64_t(eval.userCount()), false});
  record.evalUsers.clear();
  for (const auto& u : eval.users) record.evalUsers.push_back(u.value);
  record.userValues.clear();
  for (std::size_t m = 0; m < eval.metricNames.size(); ++m) {
    const auto column = eval.column(m);
    record.userValues.emplace_back(eval.metricNames[m],
                                   std::vector<double>(column.begin(), column.end()));
  }
  for (auto& values : extra) record.userValues.push_back(std::move(values));
  record.recommendations.clear();
  for (std::size_t r = 0; r < eval.userCount(); ++r) {
    storage::TopNList list;
    list.user = eval.users[r].value;
    for (const auto& scored : eval.topFor(r)) {
      list.items.push_back(scored.item.value);
      list.scores.push_back(scored.score);
    }
    record.recommendations.push_back(std::move(list));
  }
  record.info.evalSeconds = eval.seconds;
}

ExperimentResult runExperiment(storage::Workspace& workspace, const storage::SplitInfo& split,
                               const ExperimentOptions& options, TrainObserver* observer,
                               std::stop_token stop) {
  // Re-ranked runs are not in the registry (training/derived_run.h): say where they are made.
  RECO_CHECK(options.model != "rerank", ErrorKind::Config,
             "model 'rerank' is not trained: a re-ranked run is made with `reco rerank --run "
             "RUN ...` on top of a stored run");
  const ModelInfo* info = findModel(options.model);
  if (!info) defaultRegistry().get(options.model);  // throws Config naming the known models
  const OptionReader reader(info->options, options.options);
  const auto dataset = workspace.findDataset(split.datasetId);
  RECO_CHECK(dataset.has_value(), ErrorKind::Workspace, "the split's dataset is gone");

  storage::RunRecord record;
  storage::RunInfo& run = record.info;
  run.name =
      storage::uniqueRunName(workspace, options.runName.empty() ? options.model : options.runName);
  if (!options.runName.empty() && run.name != options.runName)
    throw Error(ErrorKind::Config,
                "a run named '" + options.runName + "' exists already: choose another --name");
  run.datasetId = split.datasetId;
  run.splitId = split.id;
  run.model = info->name;
  run.optionsJson = optionsJson(reader.effectiveValues());
  run.seed = options.seed;
  run.datasetHash = dataset->contentHash;
  run.threads = resolveThreads(options.compute.threads);
  run.device =
      info->deep ? (options.compute.device == ComputeOptions::Device::Cpu ? "cpu" : "auto") : "cpu";
  run.startedAt = unixNow();

  const bool fitOnValid = options.fitOn == FitOn::TrainAndValid;
  if (fitOnValid && options.validation.enabled)
    throw Error(ErrorKind::Config,
                "validation needs the validation part held out: it cannot be combined with fitting "
                "on train+valid");
  if (!options.validation.enabled && options.validation.patience > 0)
    throw Error(ErrorKind::Config, "early stopping (patience " +
                                       std::to_string(options.validation.patience) +
                                       ") needs validation: enable it with a validation metric");
  if ((fitOnValid || options.validation.enabled) && split.validPairs == 0)
    throw Error(ErrorKind::Config,
                "split '" + split.name +
                    "' has no validation part: create one with reco split ... --valid 0.1");

  report(observer, Progress{"loading the split", 0, 0});
  const storage::LoadedSplit loaded =
      storage::loadSplit(workspace, split, options.seed, fitOnValid);
  // Before fitting: a model the workspace's disk cannot hold is refused now, not after training.
  storage::requireRoomToStore(workspace, split.datasetId, *info, reader.effectiveValues(),
                              *loaded.train);
  auto model = info->factory(reader.effectiveValues(), options.compute);
  EpochCollector collector(observer);
  std::optional<ValidationMonitor> monitor;
  if (options.validation.enabled)
    monitor.emplace(*loaded.train, options.validation, run.threads, &collector);
  try {
    const auto fitStart = std::chrono::steady_clock::now();
    TrainObserver* fitObserver = monitor ? static_cast<TrainObserver*>(&*monitor) : &collector;
    if (model->fit(*loaded.train, fitObserver, stop) == Outcome::Stopped || stop.stop_requested())
      return {Outcome::Stopped, {}, {}, {}};
    JsonWriter protocol;
    protocol.beginObject().field("fit_on", fitOnValid ? "train+valid" : "train");
    // Which items the model can rank: collaborative models only those with a training
    // interaction (models/trained_items_model.h); content-capable ones every item.
    protocol.key("items").beginObject().field("catalogue", std::int64_t(model->itemCount()));
    if (const auto* scoped = dynamic_cast<const TrainedItemsModel*>(model.get()))
      protocol.field("ranked", "bought in training")
          .field("learned", std::int64_t(scoped->learnedItemCount()));
    else
      protocol.field("ranked", "all");
    protocol.endObject();
    if (const OptionValues resolved = model->resolvedOptions(); !resolved.empty()) {
      protocol.key("resolved").beginObject();
      for (const auto& [key, value] : resolved) protocol.field(key, value);
      protocol.endObject();
    }
    if (monitor) {
      if (const auto value = monitor->validateFinal(*model); value && !collector.epochs.empty()) {
        collector.epochs.back().validation = value;
        collector.epochs.back().validationMetric = options.validation.metric;
      }
      const bool restored = monitor->restoreBest(*model);
      protocol.key("validation").raw(monitor->json());
      protocol.field("restored_best_epoch", restored);
    }
    if (!options.tuningJson.empty()) protocol.key("tuning").raw(options.tuningJson);
    run.protocolJson = protocol.endObject().str();
    run.trainSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - fitStart).count();
    run.device = model->computeDevice();
    record.epochs = collector.epochs;

    report(observer, Progress{"evaluating", 0, 0});
    EvalOptions eval = options.eval;
    if (eval.threads == 0) eval.threads = options.compute.threads;
    FrozenNegatives negatives;
    if (eval.sampledNegatives && !eval.negatives) {
      negatives = storage::splitNegatives(workspace, split, loaded, *eval.sampledNegatives);
      eval.negatives = &negatives;
    }
    const EvalResult result = evaluate(*model, *loaded.train, loaded.test, eval, observer, stop);
    if (result.outcome == Outcome::Stopped) return {Outcome::Stopped, {}, {}, {}};
    fillEvaluation(result, *loaded.train, loaded.test, record);
    if ((model->capabilities() & kPredictsRatings) && loaded.testRatings.nnz() > 0) {
      const RatingErrors errors =
          evaluateRatings(*model, loaded.testRatings, eval.threads, eval.batchUsers);
      record.metrics.push_back({"rmse", errors.rmse, std::nullopt, std::nullopt,
                                std::int64_t(loaded.testRatings.nnz()), false});
      record.metrics.push_back({"mae", errors.mae, std::nullopt, std::nullopt,
                                std::int64_t(loaded.testRatings.nnz()), false});
    }
    ModelFileHeader header{info->name, reader.effectiveValues(),
                           storage::userExternalIds(workspace, split.datasetId),
                           storage::itemExternalIds(workspace, split.datasetId)};
    record.model = writeModelFile(header, *model);
  } catch (const Error& error) {
    // The failure is a result too: stored (without metrics) so that it can be read later.
    storage::RunRecord failed;
    failed.info = run;
    failed.info.status = "failed";
    failed.info.error = error.what();
    failed.info.finishedAt = unixNow();
    failed.epochs = collector.epochs;
    storage::saveRun(workspace, failed, storage::TakenName::NextFree);
    throw;
  }
  run.status = "done";
  run.finishedAt = unixNow();
  run.peakMemory = peakResidentBytes();
  // Another process may have stored a run of this name while this one trained: stored
  // under the next free name then (run is record.info: the result says which).
  run.id = storage::saveRun(workspace, record, storage::TakenName::NextFree);
  return {Outcome::Completed, run, record.metrics, model->resolvedOptions()};
}

}  // namespace reco
