// reco tune: options chosen on the validation part, then one honest run on the test part.
#include <cstdio>
#include <iterator>
#include <set>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/train_options.h"
#include "app/cli/train_progress.h"
#include "app/cli/tune_study.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/training/tuning.h"

namespace reco::cli {

const char* const kHelpTune =
    "usage: reco [--workspace FILE] tune --dataset NAME --split NAME --model NAME\n"
    "                                 --grid key=v1,v2,... [--grid ...] [--set key=value ...]\n"
    "                                 [--metric ndcg@10] [--folds N] [--validate-users N]\n"
    "                                 [--refit train|train+valid]\n"
    "                                 [--name RUN] [--seed S] [--threads N] [--k 5,10,20,50]\n"
    "       reco [--workspace FILE] tune --dataset NAME --split NAME --model A,B,...\n"
    "                                 --budget N|Ns [--search grid|random|smbo] [--study NAME]\n"
    "                                 [--grid [model.]key=v1,v2 ...] [--set [model.]key=value "
    "...]\n"
    "                                 [--metric M] [--validate-users N] [--refit PART]\n"
    "                                 [--grid-points N] [--startup-trials N] [--seed S] ...\n"
    "       reco [--workspace FILE] tune --list | --show STUDY\n"
    "\n"
    "Chooses the model's options on the split's validation part, never on the test part:\n"
    "every combination of the --grid values is fitted on the training part and scored on the\n"
    "validation part (full ranking, training items excluded). The best combination is then\n"
    "refitted, by default on training and validation together, evaluated once on the test\n"
    "part and stored as a run whose protocol lists every candidate and its score.\n"
    "The split must have a validation part (reco split ... --valid 0.1).\n"
    "\n"
    "  --grid key=v1,v2   values of one option to try (repeatable: the cartesian product)\n"
    "  --set key=value    an option fixed for every candidate\n"
    "  --metric M         what is maximised on the validation part (default ndcg@10)\n"
    "  --folds N          score each candidate on N validation parts and average: the split's\n"
    "                     own and N-1 more drawn the same way from its training and\n"
    "                     validation pairs (random splits; default 1)\n"
    "  --validate-users N score at most N validation users, a seeded sample (default all)\n"
    "  --refit PART       train+valid (default) or train: what the final run is fitted on\n"
    "\n"
    "An equal-budget study (--budget, several models, --search or --study) gives every model\n"
    "the same budget and search over its default search space (factors, learning rate and\n"
    "regularization on log scales, EASE's lambda, k and similarity of the kNN models, ALS's\n"
    "alpha, BPR's sampler and item bias; a model with nothing to tune runs once). It prints a\n"
    "line per finished trial, refits each model's best options and evaluates them once on the\n"
    "test part (runs STUDY-MODEL, marked as tuned), and stores the study with every trial.\n"
    "Ctrl-C stores nothing.\n"
    "\n"
    "  --budget N|Ns      per model: N trials, or N seconds (no trial starts after that;\n"
    "                     the one running finishes)\n"
    "  --search S         smbo (default; a Tree-structured Parzen Estimator after a few random\n"
    "                     trials), random, or grid (default when --grid is given; a budget\n"
    "                     smaller than the grid takes a seeded shuffle of it)\n"
    "  --study NAME       the study's name (default study, study-2, ...)\n"
    "  --grid, --set      as above; 'als.factors=...' targets one model, a plain key every\n"
    "                     model that has the option\n"
    "  --grid-points N    values per numeric option in a grid (default 4)\n"
    "  --startup-trials N random trials before smbo models (default budget/4, 3 to 10)\n"
    "  --list             list the stored studies\n"
    "  --show STUDY       a stored study's trials in order and its table\n";

int runTune(CommandContext& context) {
  std::set<std::string> valueOptions{"dataset", "split",  "model",          "grid",  "set",
                                     "metric",  "folds",  "validate-users", "refit", "name",
                                     "seed",    "device", "threads",        "k"};
  valueOptions.insert(std::begin(kStudyValueOptions), std::end(kStudyValueOptions));
  const Args args(context.args, valueOptions,
                  std::set<std::string>(std::begin(kStudyFlags), std::end(kStudyFlags)));
  if (wantsStudy(args)) return runTuneStudy(context, args);
  TuningOptions options;
  options.experiment.model = args.require("model");
  options.experiment.options = parseOptionValues(args.values("set"));
  options.experiment.compute = computeFrom(args);
  options.experiment.eval = evalFrom(args);
  options.experiment.seed = std::uint64_t(args.integerAtLeast("seed", 0).value_or(42));
  options.experiment.runName = args.nonEmpty("name").value_or("");
  for (const auto& text : args.values("grid")) options.grid.push_back(parseTuningAxis(text));
  if (options.grid.empty())
    throw Error(ErrorKind::Usage,
                "tune expects at least one --grid key=v1,v2,..., or a --budget N|Ns for a study "
                "over the model's default search space");
  options.metric = args.valueOr("metric", "ndcg@10");
  options.folds = int(args.integerAtLeast("folds", 1).value_or(1));
  if (auto users = args.integerAtLeast("validate-users", 1))
    options.maxValidationUsers = int(*users);
  const std::string refit = args.valueOr("refit", "train+valid");
  if (refit != "train" && refit != "train+valid")
    throw Error(ErrorKind::Usage, "--refit expects train or train+valid, found '" + refit + "'");
  options.refitOnValidation = refit == "train+valid";

  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  prepareForWriting(workspace, context);
  const DatasetInfo dataset = workspace.resolveDataset(args.valueOr("dataset", ""));
  const storage::SplitInfo split =
      storage::requireSplit(workspace, dataset.id, args.require("split"));
  TrainProgress progress(context.stderrIsTerminal);
  const TuningResult result = tune(workspace, split, options, &progress, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco tune: cancelled; nothing was stored\n");
    return kExitCancelled;
  }
  std::printf("Tuning %s on %d validation part%s of '%s' (%s, mean):\n",
              options.experiment.model.c_str(), options.folds, options.folds == 1 ? "" : "s",
              split.name.c_str(), options.metric.c_str());
  for (std::size_t c = 0; c < result.candidates.size(); ++c) {
    const auto& candidate = result.candidates[c];
    std::string shown;
    for (const auto& [key, value] : candidate.options)
      shown += (shown.empty() ? "" : " ") + key + "=" + value;
    std::printf("  %s %-40s %.4f  (fit %.2f s)\n", c == result.best ? "*" : " ", shown.c_str(),
                candidate.validation, candidate.fitSeconds);
  }
  std::printf("Chosen (*): refitted on %s and evaluated on the test part once.\n",
              options.refitOnValidation ? "train+valid" : "train");
  printRunSummary(result.final);
  return 0;
}

}  // namespace reco::cli
