// reco bench models: our classic models on MovieLens-100K (the protocol: every rating
// an interaction, per-user random 80/20 holdout, seed 42, full ranking, K=10) beside the
// reference libraries' figures, and numpy's EASE timed in the same run.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "core/common/error.h"
#include "core/eval/evaluator.h"
#include "core/models/registry.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"
#include "core/training/tuning.h"

namespace reco::cli {

namespace {

namespace fs = std::filesystem;

struct Reference {
  const char* run;
  const char* model;
  OptionValues options;
  double p, r, ndcg, hr, coverage,
      fitSeconds;  // as the issue gives them (implicit 0.7.3, cornac 2.3.5, numpy)
  const char* source;
  double fitGoal = 0;  // the largest fit/ref the issues ask for; 0: none
};

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// numpy's EASE on the same training matrix, best of `repeat`, in a child python3, with the
// BLAS numpy ran on ("OpenBLAS Haswell", or the library's file): numpy is only as fast as
// the BLAS Debian's alternatives give it. On `threads` threads, as ours (OMP_NUM_THREADS:
// Debian's OpenBLAS is the OpenMP build). NaN when numpy is not installed.
struct NumpyTiming {
  double seconds = std::numeric_limits<double>::quiet_NaN();
  double ndcg = std::numeric_limits<double>::quiet_NaN();  ///< NDCG@10 on our test part
  std::string blas;
};
NumpyTiming numpyEase(const TrainingData& train, const CsrMatrix& test, const std::string& dir,
                      int repeat, int threads) {
  const std::string pairs = dir + "/train_idx.tsv", script = dir + "/ease.py",
                    out = dir + "/ease.txt", held = dir + "/test_idx.tsv";
  {
    std::ofstream f(pairs);
    for (std::int32_t u = 0; u < train.userCount; ++u)
      for (const auto i : train.userItems.rowCols(u)) f << u << '\t' << i << '\n';
    std::ofstream t(held);
    for (std::int32_t u = 0; u < test.rows(); ++u)
      for (const auto i : test.rowCols(u)) t << u << '\t' << i << '\n';
  }
  std::ofstream(script)
      << "import sys, time, ctypes, os\nimport numpy as np\n"
         "u, i = np.loadtxt(sys.argv[1], dtype=np.int64, unpack=True)\n"
         "X = np.zeros(("
      << train.userCount << ", " << train.itemCount
      << "), dtype=np.float64)\n"
         "X[u, i] = 1.0\nbest = 1e9\n"
         "for _ in range("
      << repeat
      << "):\n"
         "    t = time.perf_counter()\n"
         "    G = X.T @ X\n    G[np.diag_indices_from(G)] += 500.0\n    P = np.linalg.inv(G)\n"
         "    B = P / (-np.diag(P))\n    B[np.diag_indices_from(B)] = 0.0\n"
         "    best = min(best, time.perf_counter() - t)\n"
         // NDCG@10 of numpy's B on our test part: training items excluded, ties by item
         // index (a stable sort), binary relevance, ideal DCG over min(|test|, 10).
         "tu, ti = np.loadtxt(sys.argv[3], dtype=np.int64, unpack=True)\n"
         "S = X @ B\nS[X > 0] = -np.inf\n"
         "disc = 1.0 / np.log2(np.arange(2, 12))\nndcg = []\n"
         "for user in np.unique(tu):\n"
         "    rel = set(ti[tu == user].tolist())\n"
         "    top = np.argsort(-S[user], kind='stable')[:10]\n"
         "    dcg = sum(disc[r] for r, i in enumerate(top) if int(i) in rel)\n"
         "    ndcg.append(dcg / disc[:min(len(rel), 10)].sum())\n"
         "blas = 'unknown BLAS'\n"
         "for line in open('/proc/self/maps'):\n"
         "    path = line.split()[-1]\n"
         "    if 'blas' not in os.path.basename(path): continue\n"
         "    blas = path\n"
         "    if 'openblas' in path:\n"
         "        core = ctypes.CDLL(path).openblas_get_corename\n"
         "        core.restype = ctypes.c_char_p\n"
         "        blas = 'OpenBLAS ' + core().decode()\n"
         "    break\n"
         "open(sys.argv[2], 'w').write(str(best) + ' ' + repr(float(np.mean(ndcg))) + ' numpy ' +\n"
         "                            np.__version__ + ', ' + blas)\n";
  const std::string command = "OMP_NUM_THREADS=" + std::to_string(threads) + " /usr/bin/python3 " +
                              script + " " + pairs + " " + out + " " + held + " 2>/dev/null";
  NumpyTiming timing;
  if (std::system(command.c_str()) != 0) return timing;
  std::ifstream in(out);
  in >> timing.seconds >> timing.ndcg;
  std::getline(in >> std::ws, timing.blas);
  return timing;
}

}  // namespace

int runBenchModels(const std::vector<std::string>& argv) {
  if (std::find(argv.begin(), argv.end(), "--scale") != argv.end() ||
      std::find(argv.begin(), argv.end(), "--scale-child") != argv.end())
    return runBenchScale(argv);
  const Args args(argv, {"movielens", "repeat", "threads"}, {});
  const std::string movielens = args.valueOr("movielens", "../shared/datasets/movielens-100k");
  if (!fs::exists(movielens + "/u.data"))
    throw Error(ErrorKind::Io, "cannot open " + movielens +
                                   "/u.data: give the MovieLens-100K folder with --movielens DIR");
  const int repeat = int(args.integer("repeat").value_or(3));
  const int threads = int(args.integer("threads").value_or(2));
  char pattern[] = "/tmp/reco-bench-models-XXXXXX";
  const std::string dir = mkdtemp(pattern);

  storage::Workspace ws(dir + "/bench.reco", storage::Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions importOptions;
  importOptions.name = "ml100k";
  const auto dataset = storage::importFile(ws, movielens, importOptions, nullptr, {}).dataset;
  SplitOptions splitOptions;  // random per-user 80/20, seed 42, binary
  const auto split =
      storage::createSplit(ws, dataset, "random-42", splitOptions, nullptr, {}).split;
  const auto loaded = storage::loadSplit(ws, split, 42);
  const TrainingData& train = *loaded.train;

  const std::vector<Reference> references = {
      {"pop", "pop", {}, 0.188, 0.112, 0.214, 0.758, 0.028, 0.000, "implicit"},
      {"knn",
       "itemknn",
       {{"k", "100"}, {"similarity", "cosine"}},
       0.282,
       0.184,
       0.343,
       0.877,
       0.099,
       0.071,
       "implicit",
       1.0},
      {"bm25",
       "itemknn",
       {{"k", "100"}, {"similarity", "bm25"}},
       0.314,
       0.202,
       0.368,
       0.905,
       0.158,
       0.054,
       "implicit"},
      {"als",
       "als",
       {{"factors", "64"}, {"iterations", "15"}, {"regularization", "0.01"}},
       0.291,
       0.205,
       0.349,
       0.915,
       0.328,
       0.219,
       "implicit",
       0.8},
      {"bpr",
       "bpr",
       {{"factors", "64"},
        {"epochs", "100"},
        {"learning_rate", "0.01"},
        {"regularization", "0.01"}},
       0.319,
       0.192,
       0.373,
       0.890,
       0.190,
       1.10,
       "cornac",
       1.0},
      {"bpr-i",
       "bpr",
       {{"factors", "64"},
        {"epochs", "100"},
        {"learning_rate", "0.01"},
        {"regularization", "0.01"},
        {"negative_sampling", "popularity"}},
       0.242,
       0.157,
       0.287,
       0.863,
       0.520,
       0.948,
       "implicit",
       1.0},
      {"ease", "ease", {{"lambda", "500"}}, 0.367, 0.236, 0.438, 0.936, 0.185, 0.496, "numpy", 0.5},
  };
  std::printf(
      "reco bench models: MovieLens-100K, per-user random 80/20 (seed 42), full ranking, K=10, %d "
      "threads\n",
      threads);
  std::printf(
      "  %d users, %d items, %lld training pairs, %lld test pairs; fit and eval seconds: best of "
      "%d\n\n",
      train.userCount, train.itemCount, static_cast<long long>(train.userItems.nnz()),
      static_cast<long long>(loaded.test.nnz()), repeat);
  std::printf("  %-5s %-8s %6s %6s %7s %6s %6s %8s %7s | %7s %8s %-10s | %9s %9s %6s\n", "run",
              "model", "P@10", "R@10", "NDCG@10", "HR@10", "cov@10", "fit s", "eval s", "ref NDCG",
              "ref fit", "harness", "NDCG/ref", "fit/ref", "goal");
  ComputeOptions compute;
  compute.threads = threads;
  EvalOptions eval;
  eval.ks = {10};
  eval.threads = threads;
  double oursEase = std::numeric_limits<double>::quiet_NaN(), oursEaseFit = oursEase;
  double slowestEval = 0;
  for (const auto& ref : references) {
    const ModelInfo* info = defaultRegistry().find(ref.model);
    if (!info) {
      std::printf("  %-5s %-8s not in this build's registry\n", ref.run, ref.model);
      continue;
    }
    double fitBest = 1e300, evalBest = 1e300;
    EvalResult result;
    for (int r = 0; r < repeat; ++r) {
      auto model = info->factory(ref.options, compute);
      const auto start = std::chrono::steady_clock::now();
      model->fit(train, nullptr, {});
      fitBest = std::min(fitBest, seconds(start));
      result = evaluate(*model, train, loaded.test, eval);
      evalBest = std::min(evalBest, result.seconds);
    }
    auto mean = [&](const char* name) {
      const auto* a = result.aggregate(name);
      return a ? a->mean : std::numeric_limits<double>::quiet_NaN();
    };
    const double ndcg = mean("ndcg@10");
    if (std::string(ref.run) == "ease") {
      oursEase = ndcg;
      oursEaseFit = fitBest;
    }
    slowestEval = std::max(slowestEval, evalBest);
    const double ratio = ref.fitSeconds > 0 ? fitBest / ref.fitSeconds : 0;
    const std::string goal =
        ref.fitGoal > 0 ? "<=" + fixed(ref.fitGoal, 1) + (ratio <= ref.fitGoal ? " met" : " MISSED")
                        : "-";
    std::printf(
        "  %-5s %-8s %6.3f %6.3f %7.3f %6.3f %6.3f %8.3f %7.3f | %7.3f %8.3f %-10s | %8.1f%% %9s "
        "%s\n",
        ref.run, ref.model, mean("precision@10"), mean("recall@10"), ndcg, mean("hit@10"),
        result.catalogueValue("coverage@10"), fitBest, evalBest, ref.ndcg, ref.fitSeconds,
        ref.source, 100.0 * ndcg / ref.ndcg, ratio > 0 ? (fixed(ratio, 2) + "x").c_str() : "-",
        goal.c_str());
  }
  // Tuning on a validation part (never the test part): the same split with 10% of the
  // training pairs held out (the test part is identical), EASE's lambda by 5-fold mean.
  {
    SplitOptions withValid;
    withValid.valid = 0.1;
    const auto tv =
        storage::createSplit(ws, dataset, "random-42-valid", withValid, nullptr, {}).split;
    TuningOptions tuning;
    tuning.experiment.model = "ease";
    tuning.experiment.runName = "ease-tuned";
    tuning.experiment.compute = compute;
    tuning.experiment.eval = eval;
    tuning.grid = {parseTuningAxis("lambda=100,200,300,400,500,700,1000")};
    tuning.folds = 5;
    const auto start = std::chrono::steady_clock::now();
    const TuningResult tuned = tune(ws, tv, tuning, nullptr, {});
    double ndcg = std::numeric_limits<double>::quiet_NaN();
    for (const auto& m : tuned.final.metrics)
      if (m.metric == "ndcg@10") ndcg = m.mean;
    std::printf(
        "\n  tuned: ease, lambda in {100..1000} chosen on 5 validation draws of the training part\n"
        "         (split random 80/20 seed 42 plus --valid 0.1; the test part is the same): "
        "lambda=%s,\n"
        "         refitted on train+valid, test NDCG@10 %.4f (goal >= 0.45); the search took %.1f "
        "s\n",
        tuned.candidates[tuned.best].options.at("lambda").c_str(), ndcg, seconds(start));
  }
  const NumpyTiming numpy = numpyEase(train, loaded.test, dir, repeat, threads);
  std::printf("\n  numpy EASE (lambda=500) on the same training matrix, this run: %s\n",
              std::isnan(numpy.seconds)
                  ? "not measured (python3-numpy is not installed)"
                  : (fixed(numpy.seconds, 3) + " s (" + numpy.blas + "); ours " +
                     fixed(oursEaseFit, 3) + " s (OpenBLAS), both on " + std::to_string(threads) +
                     " thread" + (threads == 1 ? "" : "s") + ": " +
                     fixed(oursEaseFit / numpy.seconds, 2) + "x numpy (goal <= 0.5, " +
                     (oursEaseFit <= 0.5 * numpy.seconds ? "met" : "MISSED") + ")")
                        .c_str());
  if (!std::isnan(numpy.ndcg))
    std::printf(
        "  numpy EASE on the same split (our test part, training items excluded): "
        "NDCG@10 %.4f; ours %.4f (%.1f%%)\n",
        numpy.ndcg, oursEase, 100.0 * oursEase / numpy.ndcg);
  std::printf(
      "  The implicit and cornac figures were taken on the reference harness's own\n"
      "  split, which forces one test item for a user with two pairs where ours rounds 0.4 to\n"
      "  none: NDCG/ref mixes that split difference into the model difference. Same-split peer\n"
      "  figures: README, Which model for which shop (implicit and cornac are not Debian\n"
      "  packages and cannot be installed here).\n");
  std::printf(
      "  evaluation: all %d test users, full ranking, in at most %.3f s per model (the slowest "
      "above);\n  implicit's ranking_metrics_at_k took ~0.06 s (the issue): %.2fx\n",
      int(split.testUsers), slowestEval, slowestEval / 0.06);
  fs::remove_all(dir);
  return 0;
}

}  // namespace reco::cli
