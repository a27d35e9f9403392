// reco bench deep: the deep models of the reco_torch module on MovieLens-100K (the evaluation
// issue's protocol: every rating an interaction, per-user random 80/20, seed 42, full
// ranking, K=10), with our bpr beside them: epoch time, training pairs per second, full
// ranking evaluation of all test users, and quality.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <string_view>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/eval/evaluator.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/models/train_observer.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"

namespace reco::cli {

namespace {

namespace fs = std::filesystem;

// Keeps each epoch's wall time.
class EpochTimes final : public TrainObserver {
 public:
  void onEpoch(const EpochReport& report) override { seconds.push_back(report.seconds); }
  std::vector<double> seconds;
};

void printHeader() {
  std::printf("  %-7s %-7s %6s %8s %10s %8s %7s %24s %24s\n", "model", "device", "epochs",
              "s/epoch", "samples/s", "fit s", "eval s", "NDCG@10 [95% CI]", "HR@10 [95% CI]");
}

double mean(const std::vector<double>& values);

// Fits `name` with its defaults (deep models: `epochs` when given), evaluates it with full
// ranking at K=10 and prints one row.
void benchModel(const char* name, const TrainingData& train, const CsrMatrix& test,
                const ComputeOptions& compute, const std::optional<std::string>& epochs) {
  const ModelInfo* info = findModel(name);
  if (!info) {
    std::printf("  %-7s not in this build's registry\n", name);
    return;
  }
  OptionValues options;
  if (epochs && info->deep) options["epochs"] = *epochs;
  const OptionReader reader(info->options, options);
  auto model = info->factory(reader.effectiveValues(), compute);
  EpochTimes times;
  const auto start = std::chrono::steady_clock::now();
  model->fit(train, &times, {});
  const double fit =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EvalOptions eval;
  eval.ks = {10};
  eval.threads = compute.threads;
  const EvalResult result = evaluate(*model, train, test, eval);
  const double perEpoch = mean(times.seconds);
  // Samples of an epoch: sasrec trains on every position of each user's sequence but the first.
  double samples = double(train.userItems.nnz());
  if (std::string_view(name) == "sasrec") samples -= double(train.userCount);
  const auto cell = [](const MetricSummary* m) {
    char text[64];
    std::snprintf(text, sizeof text, "%.4f [%.4f, %.4f]", m->mean, m->ciLow, m->ciHigh);
    return std::string(text);
  };
  char epochCells[64] = "       -          -";  // one-shot models have no epochs
  if (!times.seconds.empty())
    std::snprintf(epochCells, sizeof epochCells, "%8.3f %10.0f", perEpoch, samples / perEpoch);
  std::printf("  %-7s %-7s %6zu %s %8.2f %7.3f %24s %24s\n", name, model->computeDevice().c_str(),
              times.seconds.size(), epochCells, fit, result.seconds,
              cell(result.aggregate("ndcg@10")).c_str(), cell(result.aggregate("hit@10")).c_str());
  if (model->capabilities() & kRanksOnDevice) {
    // The same evaluation from score rows copied to the host: the device's top-K must agree.
    eval.ranking = EvalOptions::Ranking::Host;
    const EvalResult rows = evaluate(*model, train, test, eval);
    const bool same =
        rows.topItems == result.topItems && rows.perUser.size() == result.perUser.size();
    std::printf("  %-7s ranked from rows on the host: eval %.3f s, top-10 lists %s, NDCG@10 %.4f\n",
                "", rows.seconds, same ? "identical" : "DIFFER", rows.aggregate("ndcg@10")->mean);
  }
  std::fflush(stdout);
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? std::numeric_limits<double>::quiet_NaN() : sum / double(values.size());
}

}  // namespace

int runBenchDeep(const std::vector<std::string>& argv) {
  const Args args(argv, {"movielens", "threads", "device", "epochs", "models"}, {});
  const std::string movielens = args.valueOr("movielens", "../shared/datasets/movielens-100k");
  if (!fs::exists(movielens + "/u.data"))
    throw Error(ErrorKind::Io, "cannot open " + movielens +
                                   "/u.data: give the MovieLens-100K folder with --movielens DIR");
  ComputeOptions compute;
  compute.threads = int(args.integer("threads").value_or(1));
  const std::string device = args.valueOr("device", "auto");
  if (device == "cpu")
    compute.device = ComputeOptions::Device::Cpu;
  else if (device == "cuda")
    compute.device = ComputeOptions::Device::Cuda;
  else if (device != "auto")
    throw Error(ErrorKind::Usage, "--device expects auto, cpu or cuda, found '" + device + "'");
  const auto epochs = args.value("epochs");
  std::set<std::string> models;
  if (const auto list = args.value("models")) {
    std::string_view rest = *list;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      models.insert(std::string(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }

  const TorchModuleStatus& module = loadTorchModule(defaultRegistry());
  if (!module.loaded)
    throw Error(ErrorKind::Config, "the deep-model module is not available: " + module.error);

  char pattern[] = "/tmp/reco-bench-deep-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  storage::Workspace ws(dir + "/bench.reco", storage::Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions importOptions;
  importOptions.name = "ml100k";
  const auto dataset = storage::importFile(ws, movielens, importOptions, nullptr, {}).dataset;
  const auto split =
      storage::createSplit(ws, dataset, "random-42", SplitOptions{}, nullptr, {}).split;

  std::printf("reco bench deep: MovieLens-100K; LibTorch %s, %s; %d thread%s\n\n",
              module.torchVersion.c_str(), module.deviceName.c_str(), compute.threads,
              compute.threads == 1 ? "" : "s");
  const auto wanted = [&](const char* name) { return models.empty() || models.count(name) > 0; };
  const auto loaded = storage::loadSplit(ws, split, 42);
  std::printf(
      "Per-user random 80/20 (seed 42): %lld training pairs, %lld test users; full ranking, K=10\n",
      static_cast<long long>(loaded.train->userItems.nnz()),
      static_cast<long long>(split.testUsers));
  printHeader();
  for (const char* name : {"bpr", "neumf", "mlp", "sasrec", "hybrid"})
    if (wanted(name)) benchModel(name, *loaded.train, loaded.test, compute, epochs);
  std::printf(
      "\n  pairs/s: training pairs (sasrec: sequence positions) per second of an epoch, each with\n"
      "  its sampled negatives; eval s: full ranking of all test users. Goals on a GPU: under 1 s\n"
      "  per epoch for neumf and sasrec, evaluation of all users under 0.5 s.\n\n");

  if (!wanted("sasrec")) {
    fs::remove_all(dir);
    return 0;
  }
  SplitOptions leaveLast;
  leaveLast.protocol = SplitProtocol::LeaveLast;
  leaveLast.test = 1;
  const auto last = storage::createSplit(ws, dataset, "leave-last-1", leaveLast, nullptr, {}).split;
  const auto lastLoaded = storage::loadSplit(ws, last, 42);
  std::printf(
      "Leave-last-one-out by time: %lld training pairs, %lld test users (each user's last item)\n",
      static_cast<long long>(lastLoaded.train->userItems.nnz()),
      static_cast<long long>(last.testUsers));
  printHeader();
  for (const char* name : {"pop", "itemknn", "sasrec"})
    benchModel(name, *lastLoaded.train, lastLoaded.test, compute, epochs);
  std::printf(
      "\n  The goal: sasrec above pop and itemknn on HR@10 and NDCG@10 (95%% intervals in "
      "brackets).\n");
  fs::remove_all(dir);
  return 0;
}

}  // namespace reco::cli
