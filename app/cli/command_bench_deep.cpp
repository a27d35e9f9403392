// reco bench deep: the deep models of the reco_torch module on MovieLens-100K (the evaluation
// issue's protocol: every rating an interaction, per-user random 80/20, seed 42, full
// ranking, K=10), with our bpr beside them: epoch time, training pairs per second, full
// ranking evaluation of all test users, and quality.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/eval/evaluator.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/training/train_observer.h"

namespace reco::cli {

namespace {

namespace fs = std::filesystem;

// Keeps each epoch's wall time.
class EpochTimes final : public TrainObserver {
 public:
  void onEpoch(const EpochReport& report) override { seconds.push_back(report.seconds); }
  std::vector<double> seconds;
};

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? std::numeric_limits<double>::quiet_NaN() : sum / double(values.size());
}

}  // namespace

int runBenchDeep(const std::vector<std::string>& argv) {
  const Args args(argv, {"movielens", "threads", "device", "epochs"}, {});
  const std::string movielens = args.valueOr("movielens", "../shared/datasets/movielens-100k");
  if (!fs::exists(movielens + "/u.data"))
    throw Error(ErrorKind::Io, "cannot open " + movielens + "/u.data: give the MovieLens-100K folder with --movielens DIR");
  ComputeOptions compute;
  compute.threads = int(args.integer("threads").value_or(1));
  const std::string device = args.valueOr("device", "auto");
  if (device == "cpu") compute.device = ComputeOptions::Device::Cpu;
  else if (device == "cuda") compute.device = ComputeOptions::Device::Cuda;
  else if (device != "auto") throw Error(ErrorKind::Usage, "--device expects auto, cpu or cuda, found '" + device + "'");
  const auto epochs = args.value("epochs");

  const TorchModuleStatus& module = loadTorchModule(defaultRegistry());
  if (!module.loaded) throw Error(ErrorKind::Config, "the deep-model module is not available: " + module.error);

  char pattern[] = "/tmp/reco-bench-deep-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  storage::Workspace ws(dir + "/bench.reco", storage::Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions importOptions;
  importOptions.name = "ml100k";
  const auto dataset = storage::importFile(ws, movielens, importOptions, nullptr, {}).dataset;
  const auto split = storage::createSplit(ws, dataset, "random-42", SplitOptions{}, nullptr, {}).split;
  const auto loaded = storage::loadSplit(ws, split, 42);
  const TrainingData& train = *loaded.train;

  std::printf("reco bench deep: MovieLens-100K, per-user random 80/20 (seed 42), full ranking, K=10\n");
  std::printf("  %lld training pairs, %lld test users; LibTorch %s, %s; %d thread%s\n\n",
              static_cast<long long>(train.userItems.nnz()), static_cast<long long>(split.testUsers),
              module.torchVersion.c_str(), module.deviceName.c_str(), compute.threads, compute.threads == 1 ? "" : "s");
  std::printf("  %-6s %-8s %6s %9s %12s %8s %8s %8s %7s\n", "model", "device", "epochs", "s/epoch", "pairs/s", "fit s",
              "eval s", "NDCG@10", "HR@10");
  EvalOptions eval;
  eval.ks = {10};
  eval.threads = compute.threads;
  for (const char* name : {"bpr", "neumf", "mlp"}) {
    const ModelInfo* info = findModel(name);
    if (!info) {
      std::printf("  %-6s not in this build's registry\n", name);
      continue;
    }
    OptionValues options;
    if (epochs && info->deep) options["epochs"] = *epochs;
    const OptionReader reader(info->options, options);
    auto model = info->factory(reader.effectiveValues(), compute);
    EpochTimes times;
    const auto start = std::chrono::steady_clock::now();
    model->fit(train, &times, {});
    const double fit = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const EvalResult result = evaluate(*model, train, loaded.test, eval);
    const double perEpoch = mean(times.seconds);
    std::printf("  %-6s %-8s %6zu %9.3f %12.0f %8.2f %8.3f %8.4f %7.4f\n", name, model->computeDevice().c_str(),
                times.seconds.size(), perEpoch, double(train.userItems.nnz()) / perEpoch, fit, result.seconds,
                result.aggregate("ndcg@10")->mean, result.aggregate("hit@10")->mean);
    std::fflush(stdout);
  }
  std::printf("\n  pairs/s: positive training pairs per second of an epoch (each with its sampled negatives);\n"
              "  eval s: full ranking of all test users. Goals on a GPU: under 1 s per epoch for neumf,\n"
              "  evaluation of all users under 0.5 s.\n");
  fs::remove_all(dir);
  return 0;
}

}  // namespace reco::cli
