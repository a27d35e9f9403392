// reco train and reco eval: fitting models on a split and (re-)evaluating stored runs.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "app/cli/train_options.h"
#include "app/cli/train_progress.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/stored_run.h"

namespace reco::cli {

const char* const kHelpTrain =
    "usage: reco [--workspace FILE] train --dataset NAME --split NAME --model NAME[,NAME...]\n"
    "                                  [--set key=value ...] [--name RUN] [--seed S]\n"
    "                                  [--device auto|cpu|cuda] [--threads N] [--k 5,10,20,50]\n"
    "                                  [--sampled N] [--validate METRIC [--patience N]\n"
    "                                  [--validate-every N] [--validate-users N]]\n"
    "                                  [--fit-on train|train+valid]\n"
    "\n"
    "Fits each model on the split's training part, evaluates it with full ranking over all\n"
    "items (training items excluded) at every K, and stores the run: options, seed, timings,\n"
    "peak memory, per-epoch losses, metrics with 95% confidence intervals, per-user values,\n"
    "top-N lists and the model. Ctrl-C stops cleanly: the run being trained stores nothing,\n"
    "runs of earlier models in the same command are kept.\n"
    "\n"
    "  --model NAME       a registry model; several, comma-separated or repeated, train one\n"
    "                     after another (each is its own run)\n"
    "  --set key=value    a model option, checked against the registry (repeatable);\n"
    "                     `reco train --models` lists the models and their options\n"
    "  --name RUN         the run's name (default: the model's; with several models, RUN-model)\n"
    "  --seed S           the seed of the model's random draws (default 42)\n"
    "  --threads N        threads for training and evaluation (default: all cores)\n"
    "  --sampled N        also rank each test item among N sampled negatives (reported as\n"
    "                     sampled_*; full-ranking metrics are always computed)\n"
    "  --validate METRIC  after every epoch, score the model on the split's validation part\n"
    "                     (ndcg@10, recall@20, ...; one-shot models are scored once); the\n"
    "                     values are stored with the epochs. Needs a split made with --valid\n"
    "  --patience N       stop when N validations in a row did not improve on the best, and\n"
    "                     keep the best epoch's model (needs --validate)\n"
    "  --validate-every N validate every N-th epoch (default 1)\n"
    "  --validate-users N score at most N validation users per epoch, a seeded sample\n"
    "                     (default 10000)\n"
    "  --fit-on PART      train (default) or train+valid: fit on both parts (no validation)\n"
    "  --models           list the registry's models with their options and exit\n";

const char* const kHelpEval =
    "usage: reco [--workspace FILE] eval --run RUN [--k 5,10,20] [--sampled N] [--threads N]\n"
    "\n"
    "Re-evaluates a stored run's model on its split (for other cut-offs, or sampled metrics)\n"
    "and replaces the run's stored metrics, per-user values and top-N lists. The cut-offs\n"
    "of --k are added to those the run has, which are evaluated again too: nothing the run\n"
    "showed before goes missing, and its top-N lists keep at least their length.\n";

namespace {

std::vector<int> parseKs(const std::string& text) {
  std::vector<int> ks;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      std::size_t used = 0;
      const int k = std::stoi(item, &used);
      if (used != item.size() || k <= 0) throw std::invalid_argument(item);
      ks.push_back(k);
    } catch (const std::exception&) {
      throw Error(ErrorKind::Usage,
                  "--k expects positive integers separated by commas, found '" + item + "'");
    }
  }
  if (ks.empty()) throw Error(ErrorKind::Usage, "--k expects at least one cut-off");
  return ks;
}

std::vector<std::string> splitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::stringstream in(v);
    std::string item;
    while (std::getline(in, item, ','))
      if (!item.empty()) out.push_back(item);
  }
  return out;
}

void printModels() {
  loadTorchModule(defaultRegistry());  // the deep models, when the module is there
  for (const ModelInfo* m : defaultRegistry().list()) {
    std::printf("%-10s %-22s %s\n", m->name.c_str(), m->family.c_str(), m->summary.c_str());
    for (const auto& o : m->options) {
      std::string range;
      if (o.type == OptionType::Choice) {
        for (const auto& c : o.choices) range += (range.empty() ? "" : "|") + c;
      } else if (o.min || o.max) {
        auto number = [](double v) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%g", v);
          return std::string(buf);
        };
        range = "[" + (o.min ? number(*o.min) : std::string("-inf")) + ", " +
                (o.max ? number(*o.max) : std::string("inf")) + "]";
      }
      std::printf("    %-18s %-7s default %-10s %-22s %s\n", o.name.c_str(), optionTypeName(o.type),
                  o.defaultValue.c_str(), range.c_str(), o.help.c_str());
    }
  }
}

}  // namespace

void printRunSummary(const ExperimentResult& result) {
  const auto& r = result.run;
  std::printf("Run '%s' (%s): trained in %.3f s, evaluated in %.3f s\n", r.name.c_str(),
              r.model.c_str(), r.trainSeconds.value_or(0), r.evalSeconds.value_or(0));
  // Collaborative models rank the items bought in training only (the protocol's "items").
  const auto count = [&](const char* key) -> long long {
    const auto at = r.protocolJson.find(std::string("\"") + key + "\":");
    return at == std::string::npos ? -1
                                   : std::atoll(r.protocolJson.c_str() + at + std::strlen(key) + 3);
  };
  if (const long long learned = count("learned"), all = count("catalogue");
      learned >= 0 && learned < all)
    std::printf("  ranks the %lld of %lld items bought in training; the other %lld never\n",
                learned, all, all - learned);
  for (const auto& [key, value] : result.resolved)
    std::printf("  chose %s %s from the training data (auto)\n", key.c_str(), value.c_str());
  if (r.protocolJson.find("\"validation\"") != std::string::npos ||
      r.protocolJson.find("train+valid") != std::string::npos)
    std::printf("  protocol %s\n", r.protocolJson.c_str());
  for (const auto& m : result.metrics) {
    const bool atTen = m.metric.size() > 3 && m.metric.compare(m.metric.size() - 3, 3, "@10") == 0;
    if (!atTen && m.metric != "auc" && m.metric != "rmse" && m.metric != "mae") continue;
    if (m.ciLow && m.ciHigh)
      std::printf("  %-22s %.4f  [%.4f, %.4f]\n", m.metric.c_str(), m.mean, *m.ciLow, *m.ciHigh);
    else
      std::printf("  %-22s %.4f\n", m.metric.c_str(), m.mean);
  }
}

ComputeOptions computeFrom(const Args& args) {
  ComputeOptions compute;
  const std::string device = args.valueOr("device", "auto");
  if (device == "cpu")
    compute.device = ComputeOptions::Device::Cpu;
  else if (device == "cuda")
    compute.device = ComputeOptions::Device::Cuda;
  else if (device != "auto")
    throw Error(ErrorKind::Usage, "--device expects auto, cpu or cuda, found '" + device + "'");
  compute.threads =
      int(args.integerAtLeast("threads", 1).value_or(0));  // 0 tells the core: all cores
  return compute;
}

ValidationOptions validationFrom(const Args& args) {
  ValidationOptions validation;
  if (auto metric = args.value("validate")) {
    validation.enabled = true;
    validation.metric = *metric;
  }
  validation.patience = int(args.integerAtLeast("patience", 0).value_or(0));
  validation.every = int(args.integerAtLeast("validate-every", 1).value_or(1));
  validation.maxUsers = int(args.integerAtLeast("validate-users", 1).value_or(validation.maxUsers));
  if (!validation.enabled &&
      (args.value("patience") || args.value("validate-every") || args.value("validate-users")))
    throw Error(ErrorKind::Usage,
                "--patience, --validate-every and --validate-users need --validate METRIC");
  return validation;
}

FitOn fitOnFrom(const Args& args) {
  const std::string part = args.valueOr("fit-on", "train");
  if (part == "train") return FitOn::Train;
  if (part == "train+valid") return FitOn::TrainAndValid;
  throw Error(ErrorKind::Usage, "--fit-on expects train or train+valid, found '" + part + "'");
}

EvalOptions evalFrom(const Args& args) {
  EvalOptions eval;
  if (auto k = args.value("k")) eval.ks = parseKs(*k);
  if (auto sampled = args.integerAtLeast("sampled", 1)) eval.sampledNegatives = int(*sampled);
  eval.validate();
  return eval;
}

namespace {

// The options of one model out of --set: "model.key=value" for that model only, "key=value"
// for every model that has the key. A key that no listed model has is an error.
OptionValues optionsFor(const ModelInfo& info, const OptionValues& given) {
  OptionValues out;
  for (const auto& [key, value] : given) {
    const auto dot = key.find('.');
    if (dot != std::string::npos) {
      if (key.substr(0, dot) == info.name) out[key.substr(dot + 1)] = value;
      continue;
    }
    for (const auto& spec : info.options)
      if (spec.name == key) out[key] = value;
  }
  return out;
}

void checkEveryKeyIsUsed(const std::vector<const ModelInfo*>& models, const OptionValues& given) {
  for (const auto& [key, value] : given) {
    const auto dot = key.find('.');
    const std::string model = dot == std::string::npos ? "" : key.substr(0, dot);
    const std::string name = dot == std::string::npos ? key : key.substr(dot + 1);
    bool used = false;
    for (const ModelInfo* info : models) {
      if (!model.empty() && info->name != model) continue;
      for (const auto& spec : info->options) used = used || spec.name == name;
    }
    if (!used)
      throw Error(ErrorKind::Config, "--set " + key + "=" + value +
                                         ": no model being trained has an option '" + name + "'" +
                                         (model.empty() ? "" : " (for " + model + ")") +
                                         "; reco train --models lists them");
  }
}

// --device cuda asks for a GPU, which only the deep models use: refused when no model being
// trained is deep, a warning for the classic ones among deep ones.
void checkDevice(const std::vector<const ModelInfo*>& models, const ComputeOptions& compute) {
  if (compute.device != ComputeOptions::Device::Cuda) return;
  std::string classic;
  bool anyDeep = false;
  for (const ModelInfo* info : models) {
    anyDeep = anyDeep || info->deep;
    if (!info->deep) classic += (classic.empty() ? "" : ", ") + info->name;
  }
  if (!anyDeep)
    throw Error(ErrorKind::Usage,
                "--device cuda applies to the deep models (reco train --models marks them); " +
                    classic + " always runs on the CPU: leave --device out");
  if (!classic.empty())
    std::fprintf(stderr,
                 "reco train: --device cuda: %s runs on the CPU (only deep models use the GPU)\n",
                 classic.c_str());
}

}  // namespace

int runTrain(CommandContext& context) {
  const Args args(context.args,
                  {"dataset", "split", "model", "set", "name", "seed", "device", "threads", "k",
                   "sampled", "validate", "patience", "validate-every", "validate-users", "fit-on"},
                  {"models"});
  if (args.flag("models")) {
    printModels();
    return 0;
  }
  const auto models = splitList(args.values("model"));
  if (models.empty())
    throw Error(ErrorKind::Usage, "train expects --model NAME (reco train --models lists them)");
  ExperimentOptions options;
  const OptionValues given = parseOptionValues(args.values("set"));
  options.compute = computeFrom(args);
  options.eval = evalFrom(args);
  options.seed = std::uint64_t(args.integerAtLeast("seed", 0).value_or(42));
  options.validation = validationFrom(args);
  options.fitOn = fitOnFrom(args);
  // Every option is checked against every model before anything trains.
  std::vector<const ModelInfo*> infos;
  for (const auto& model : models) {
    if (model == "rerank")
      throw Error(ErrorKind::Config,
                  "model 'rerank' is not trained: a re-ranked run is made with "
                  "`reco rerank --run RUN ...` on top of a stored run");
    const ModelInfo* info = findModel(model);
    if (!info) defaultRegistry().get(model);  // throws, naming the known models
    OptionReader check(info->options, optionsFor(*info, given));
    infos.push_back(info);
  }
  checkEveryKeyIsUsed(infos, given);
  checkDevice(infos, options.compute);
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const DatasetInfo dataset = workspace.resolveDataset(args.valueOr("dataset", ""));
  const storage::SplitInfo split =
      storage::requireSplit(workspace, dataset.id, args.require("split"));
  prepareForWriting(workspace, context);
  for (std::size_t m = 0; m < models.size(); ++m) {
    const std::string& model = models[m];
    options.model = model;
    options.options = optionsFor(*infos[m], given);
    const auto name = args.nonEmpty("name");
    options.runName = !name ? "" : models.size() == 1 ? *name : *name + "-" + model;
    TrainProgress progress(context.stderrIsTerminal);
    const ExperimentResult result =
        runExperiment(workspace, split, options, &progress, context.stop);
    progress.finish();
    if (result.outcome == Outcome::Stopped) {
      std::fprintf(stderr, "reco train: cancelled during '%s'; nothing of it was stored\n",
                   model.c_str());
      if (m > 0) {
        std::string kept;
        for (std::size_t f = 0; f < m; ++f) kept += (f ? ", " : "") + models[f];
        std::fprintf(stderr, "reco train: the runs that had finished are kept: %s\n", kept.c_str());
      }
      return kExitCancelled;
    }
    printRunSummary(result);
  }
  return 0;
}

int runEval(CommandContext& context) {
  const Args args(context.args, {"run", "k", "sampled", "threads"}, {});
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const storage::RunInfo run = storage::requireRun(workspace, args.require("run"));
  const storage::SplitInfo split = requireRunSplit(workspace, run);
  EvalOptions eval = evalFrom(args);
  eval.threads = int(args.integerAtLeast("threads", 1).value_or(0));
  // The run's own cut-offs stay ("ndcg@10" -> 10): --k 5 must not drop its @10 metrics
  // nor cut its lists to 5 items.
  for (const auto& metric : storage::runMetrics(workspace, run.id)) {
    const auto at = metric.metric.rfind('@');
    if (at == std::string::npos) continue;
    const std::string digits = metric.metric.substr(at + 1);
    if (digits.empty() || digits.size() > 6 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const int k = std::stoi(digits);
    if (k > 0 && std::find(eval.ks.begin(), eval.ks.end(), k) == eval.ks.end())
      eval.ks.push_back(k);
  }
  std::sort(eval.ks.begin(), eval.ks.end());
  const auto loaded = storage::loadSplit(workspace, split, run.seed);
  const LoadedModel model = loadRunModel(workspace, run.id);
  FrozenNegatives negatives;
  if (eval.sampledNegatives) {
    negatives = storage::splitNegatives(workspace, split, loaded, *eval.sampledNegatives);
    eval.negatives = &negatives;
  }
  TrainProgress progress(context.stderrIsTerminal);
  const EvalResult result =
      evaluate(*model.model, *loaded.train, loaded.test, eval, &progress, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco eval: cancelled; the run's stored metrics are unchanged\n");
    return kExitCancelled;
  }
  storage::RunRecord record;
  record.info = run;
  fillEvaluation(result, *loaded.train, loaded.test, record);
  storage::replaceEvaluation(workspace, run.id, record);
  ExperimentResult shown{Outcome::Completed, run, record.metrics, {}};
  shown.run.evalSeconds = result.seconds;
  printRunSummary(shown);
  return 0;
}

}  // namespace reco::cli
