// reco tune: options chosen on the validation part, then one honest run on the test part.
#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/train_options.h"
#include "app/cli/train_progress.h"
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
    "  --refit PART       train+valid (default) or train: what the final run is fitted on\n";

int runTune(CommandContext& context) {
  const Args args(context.args,
                  {"dataset", "split", "model", "grid", "set", "metric", "folds", "validate-users",
                   "refit", "name", "seed", "device", "threads", "k"},
                  {});
  TuningOptions options;
  options.experiment.model = args.require("model");
  options.experiment.options = parseOptionValues(args.values("set"));
  options.experiment.compute = computeFrom(args);
  options.experiment.eval = evalFrom(args);
  options.experiment.seed = std::uint64_t(args.integerAtLeast("seed", 0).value_or(42));
  options.experiment.runName = args.nonEmpty("name").value_or("");
  for (const auto& text : args.values("grid")) options.grid.push_back(parseTuningAxis(text));
  if (options.grid.empty())
    throw Error(ErrorKind::Usage, "tune expects at least one --grid key=v1,v2,...");
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
