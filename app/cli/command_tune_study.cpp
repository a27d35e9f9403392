// reco tune --budget: an equal-budget study over several models (core/training/tuning_study.h),
// and --list / --show of the stored studies.
#include <cstdio>
#include <map>

#include "app/cli/text_format.h"
#include "app/cli/train_options.h"
#include "app/cli/train_progress.h"
#include "app/cli/tune_study.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/storage/study_store.h"
#include "core/training/tuning_study.h"

namespace reco::cli {
namespace {

// A stored option key: "als.factors" is als's factors, "factors" every model's that has it.
struct TargetedKey {
  std::string model;  // "" for every model with the option
  std::string option;
};

TargetedKey targetOf(const std::string& key, const std::vector<std::string>& models,
                     const char* flag) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) return {"", key};
  const std::string model = key.substr(0, dot);
  std::string names;
  for (const auto& name : models) {
    if (name == model) return {model, key.substr(dot + 1)};
    names += (names.empty() ? "" : ", ") + name;
  }
  throw Error(ErrorKind::Usage, std::string(flag) + " " + key + ": '" + model +
                                    "' is not one of the study's models (" + names + ")");
}

bool hasOption(const ModelInfo& info, const std::string& option) {
  for (const auto& spec : info.options) {
    if (spec.name == option) return true;
  }
  return false;
}

// Which models a key applies to: its model, or every model that has the option (at least one).
std::vector<std::size_t> modelsFor(const TargetedKey& key,
                                   const std::vector<const ModelInfo*>& infos, const char* flag) {
  std::vector<std::size_t> out;
  std::string names;
  for (std::size_t m = 0; m < infos.size(); ++m) {
    names += (names.empty() ? "" : ", ") + infos[m]->name;
    if (key.model.empty() ? hasOption(*infos[m], key.option) : key.model == infos[m]->name)
      out.push_back(m);
  }
  if (out.empty())
    throw Error(ErrorKind::Config, std::string(flag) + ": option '" + key.option +
                                       "' is not an option of any model of the study (" + names +
                                       ")");
  return out;
}

StudyOptions studyOptionsFrom(const Args& args) {
  StudyOptions options;
  const std::vector<std::string> models = commaList(args.require("model"));
  RECO_CHECK(!models.empty(), ErrorKind::Usage, "--model expects one or more names, a,b,c");
  std::vector<const ModelInfo*> infos;
  for (const auto& name : models) {
    const ModelInfo* info = findModel(name);
    infos.push_back(info ? info : &defaultRegistry().get(name));  // get() names the known ones
    options.models.push_back({infos.back()->name, {}, {}, {}});
  }
  for (const auto& [key, value] : parseOptionValues(args.values("set"))) {
    const TargetedKey target = targetOf(key, models, "--set");
    for (std::size_t m : modelsFor(target, infos, "--set"))
      options.models[m].fixed[target.option] = value;
  }
  for (const auto& text : args.values("grid")) {
    TuningAxis axis = parseTuningAxis(text);
    const TargetedKey target = targetOf(axis.option, models, "--grid");
    axis.option = target.option;
    for (std::size_t m : modelsFor(target, infos, "--grid")) options.models[m].axes.push_back(axis);
  }
  if (!args.has("budget"))
    throw Error(ErrorKind::Usage,
                "a tuning study needs --budget N (trials per model) or --budget Ns (seconds)");
  options.budget = parseStudyBudget(*args.value("budget"));
  const std::string search = args.valueOr("search", args.has("grid") ? "grid" : "smbo");
  const auto kind = parseSearchKind(search);
  if (!kind)
    throw Error(ErrorKind::Usage, "--search expects grid, random or smbo, found '" + search + "'");
  options.search = *kind;
  options.name = args.nonEmpty("study").value_or("");
  options.gridPoints = int(args.integerAtLeast("grid-points", 1).value_or(4));
  options.tpe.startupTrials = int(args.integerAtLeast("startup-trials", 1).value_or(0));
  options.metric = args.valueOr("metric", "ndcg@10");
  if (auto users = args.integerAtLeast("validate-users", 1))
    options.maxValidationUsers = int(*users);
  const std::string refit = args.valueOr("refit", "train+valid");
  if (refit != "train" && refit != "train+valid")
    throw Error(ErrorKind::Usage, "--refit expects train or train+valid, found '" + refit + "'");
  options.refitOnValidation = refit == "train+valid";
  options.seed = std::uint64_t(args.integerAtLeast("seed", 0).value_or(42));
  options.compute = computeFrom(args);
  options.eval = evalFrom(args);
  return options;
}

std::string shown(const OptionValues& values) {
  std::string text;
  for (const auto& [key, value] : values) text += (text.empty() ? "" : " ") + key + "=" + value;
  return text.empty() ? "(defaults)" : text;
}

std::string metricOr(const std::vector<storage::MetricAggregate>& metrics,
                     const std::string& name) {
  for (const auto& m : metrics) {
    if (m.metric == name && !m.sampled) return fixed(m.mean, 4);
  }
  return "-";
}

// One line per finished trial, as it finishes; the final runs' epochs on the progress bar.
class StudyPrinter final : public StudyObserver {
 public:
  StudyPrinter(const StudyOptions& options, TrainProgress& progress)
      : options_(options), progress_(progress), best_(options.models.size()) {}
  void onTrialStarted(std::size_t model, int index, const OptionValues&) override {
    progress_.onProgress(
        Progress{options_.models[model].model + " trial " + std::to_string(index + 1),
                 std::uint64_t(index), std::uint64_t(options_.budget.trials.value_or(0))});
  }
  void onTrialFinished(const storage::StudyTrial& trial, std::size_t) override {
    const std::string count = options_.budget.trials ? std::to_string(trial.index + 1) + "/" +
                                                           std::to_string(*options_.budget.trials)
                                                     : std::to_string(trial.index + 1);
    auto& best = best_[trial.model];
    if (trial.validation && (!best || *trial.validation > *best)) best = trial.validation;
    std::string line = "  " + options_.models[trial.model].model + " trial " + count + "  ";
    if (trial.validation)
      line += options_.metric + " " + fixed(*trial.validation, 4) + "  best " + fixed(*best, 4) +
              "  fit " + fixed(trial.fitSeconds, 2) + " s  " + shown(trial.options);
    else
      line += "failed: " + trial.error + "  (" + shown(trial.options) + ")";
    progress_.finish();  // clears the bar on a terminal before the line
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
  void onFinalRunStarted(std::size_t model, const OptionValues& values) override {
    progress_.finish();
    std::printf("  %s final run: %s, refitted on %s, evaluated once on the test part\n",
                options_.models[model].model.c_str(), shown(values).c_str(),
                options_.refitOnValidation ? "train+valid" : "train");
    std::fflush(stdout);
  }
  TrainObserver* finalRunObserver() override { return &progress_; }

 private:
  const StudyOptions& options_;
  TrainProgress& progress_;
  std::vector<std::optional<double>> best_;
};

// The table of a study: per model its trials, best validation, the test metrics of its
// final run and the chosen options.
void printStudyTable(storage::Workspace& workspace, const storage::StudyRecord& record) {
  const auto& info = record.info;
  const std::string metric = info.metric;
  std::printf("  %-10s %6s %14s %14s %14s  %-18s %s\n", "model", "trials",
              ("valid " + metric).c_str(), ("test " + metric).c_str(), "test recall@10", "run",
              "chosen options");
  std::map<std::int64_t, std::string> runNames;
  for (const auto& run : storage::listRuns(workspace)) runNames[run.id] = run.name;
  for (std::size_t m = 0; m < record.models.size(); ++m) {
    const auto& model = record.models[m];
    std::size_t trials = 0;
    for (const auto& trial : record.trials) trials += trial.model == m ? 1 : 0;
    const auto* best = model.best ? &record.trials[*model.best] : nullptr;
    std::vector<storage::MetricAggregate> metrics;
    std::string run = "-";
    if (model.run && runNames.contains(*model.run)) {
      run = runNames[*model.run];
      metrics = storage::runMetrics(workspace, *model.run);
    }
    std::printf("  %-10s %6zu %14s %14s %14s  %-18s %s\n", model.model.c_str(), trials,
                best ? fixed(*best->validation, 4).c_str() : "-", metricOr(metrics, metric).c_str(),
                metricOr(metrics, "recall@10").c_str(), run.c_str(),
                best ? shown(best->options).c_str() : "(no trial completed)");
  }
}

std::string budgetText(const storage::StudyInfo& info) {
  if (info.budgetTrials) return std::to_string(*info.budgetTrials) + " trials";
  return fixed(info.budgetSeconds.value_or(0), 1) + " s";
}

int printStudyList(storage::Workspace& workspace) {
  const auto studies = storage::listStudies(workspace);
  if (studies.empty()) {
    std::printf("No studies (reco tune --model a,b --budget N makes one).\n");
    return 0;
  }
  std::printf("%-18s %-14s %-14s %-7s %-11s %6s  %-10s %s\n", "study", "dataset", "split", "search",
              "budget", "trials", "created", "models");
  for (const auto& info : studies) {
    const auto record = storage::findStudy(workspace, info.name);
    std::string models;
    for (const auto& model : record->models) models += (models.empty() ? "" : ",") + model.model;
    const auto dataset = workspace.findDataset(info.datasetId);
    const auto split = storage::findSplit(workspace, info.splitId);
    std::printf("%-18s %-14s %-14s %-7s %-11s %6zu  %-10s %s\n", info.name.c_str(),
                dataset ? dataset->name.c_str() : "?", split ? split->name.c_str() : "?",
                info.search.c_str(), budgetText(info).c_str(), info.trialCount,
                dateOrDash(info.createdAt).c_str(), models.c_str());
  }
  return 0;
}

int showStudy(storage::Workspace& workspace, const std::string& name) {
  const storage::StudyRecord record = storage::requireStudy(workspace, name);
  const auto& info = record.info;
  std::printf("Study '%s': %s search, %s per model, %s on the validation part (%.1f s)\n",
              info.name.c_str(), info.search.c_str(), budgetText(info).c_str(), info.metric.c_str(),
              info.seconds);
  for (std::size_t t = 0; t < record.trials.size(); ++t) {
    const auto& trial = record.trials[t];
    const std::string model = record.models[trial.model].model;
    if (trial.validation)
      std::printf("  %3zu %-10s %.4f  fit %.2f s  %s\n", t + 1, model.c_str(), *trial.validation,
                  trial.fitSeconds, shown(trial.options).c_str());
    else
      std::printf("  %3zu %-10s failed: %s\n", t + 1, model.c_str(), trial.error.c_str());
  }
  printStudyTable(workspace, record);
  return 0;
}

}  // namespace

bool wantsStudy(const Args& args) {
  for (const char* option : kStudyValueOptions)
    if (args.has(option)) return true;
  return args.flag("list") || args.valueOr("model", "").find(',') != std::string::npos;
}

int runTuneStudy(CommandContext& context, const Args& args) {
  if (args.flag("list") || args.has("show")) {
    storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
    return args.flag("list") ? printStudyList(workspace)
                             : showStudy(workspace, *args.value("show"));
  }
  for (const char* legacy : {"folds", "name"})
    if (args.has(legacy))
      throw Error(ErrorKind::Usage, std::string("--") + legacy +
                                        " is for --grid tuning of one model; a study scores "
                                        "on the split's validation part and names its runs "
                                        "STUDY-MODEL (--study NAME)");
  const StudyOptions options = studyOptionsFrom(args);
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  prepareForWriting(workspace, context);
  const DatasetInfo dataset = workspace.resolveDataset(args.valueOr("dataset", ""));
  const storage::SplitInfo split =
      storage::requireSplit(workspace, dataset.id, args.require("split"));
  TrainProgress progress(context.stderrIsTerminal);
  StudyPrinter printer(options, progress);
  const StudyResult result = runTuningStudy(workspace, split, options, &printer, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco tune: cancelled; nothing was stored\n");
    return kExitCancelled;
  }
  const auto& info = result.record.info;
  std::printf("Study '%s' on split '%s': %s search, %s per model, %s on the validation part:\n",
              info.name.c_str(), split.name.c_str(), info.search.c_str(), budgetText(info).c_str(),
              info.metric.c_str());
  printStudyTable(workspace, result.record);
  std::size_t runs = 0;
  for (const auto& final : result.finals) runs += final.run.id != 0 ? 1 : 0;
  std::printf("Stored study '%s': %zu trials, %zu final runs (%.1f s).\n", info.name.c_str(),
              result.record.trials.size(), runs, info.seconds);
  return 0;
}

}  // namespace reco::cli
