// reco bench similarity: what the Items screen computes, timed where the issue sets goals
// (issue 13): the similarity heatmap of 500 and 1,000 items, PCA of every item vector, the
// neighbour layout, and who is shown an item over every user's stored list; first on
// MovieLens-100K with real trained runs, then on a generated shop of 10M interactions
// (1M users x 100k items). Each figure is the best of a few repetitions, with the process's
// peak memory so far.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/synthetic.h"
#include "core/models/registry.h"
#include "core/similarity/projection.h"
#include "core/storage/dataset_import.h"
#include "core/storage/item_counts.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"
#include "core/training/item_map.h"
#include "core/training/model_file.h"
#include "core/training/similarity_matrix.h"
#include "core/training/stored_run.h"

namespace reco::cli {

namespace {

namespace fs = std::filesystem;

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The best wall time of `repeat` calls of `work`, in seconds.
double bestOf(int repeat, const std::function<void()>& work) {
  double best = 1e300;
  for (int r = 0; r < repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work();
    best = std::min(best, since(start));
  }
  return best;
}

double peakMiB() {
  return double(peakResidentBytes()) / (1024.0 * 1024.0);
}

void line(const char* what, double seconds, double goal) {
  if (goal > 0)
    std::printf("  %-52s %9.3f s   goal < %.1f s  %s   peak %6.0f MiB\n", what, seconds, goal,
                seconds < goal ? "met" : "MISSED", peakMiB());
  else
    std::printf("  %-52s %9.3f s                        peak %6.0f MiB\n", what, seconds,
                peakMiB());
  std::fflush(stdout);
}

/// Times the heatmaps, the map and the reverse lookup of one stored run.
/// The popularity pass is left out of the heatmap's time: the window makes it once per dataset
/// and passes it (SimilarityMatrixOptions::itemCounts).
void benchRun(storage::Workspace& ws, const storage::RunInfo& run, const storage::SplitInfo& split,
              const std::shared_ptr<const std::vector<std::int64_t>>& counts, int repeat,
              bool neighbour) {
  const auto start = std::chrono::steady_clock::now();
  const LoadedModel model = loadRunModel(ws, run.id);
  std::printf("\n  run %s (%s): %zu users x %zu items, model read in %.2f s\n", run.name.c_str(),
              run.model.c_str(), model.model->userCount(), model.model->itemCount(), since(start));
  for (const std::size_t n : {std::size_t(500), std::size_t(1000)}) {
    for (const auto order : {SimilarityOrder::Listed, SimilarityOrder::Cluster}) {
      SimilarityMatrixOptions options;
      options.selection.kind = SimilaritySelection::Kind::TopItems;
      options.selection.count = std::int32_t(n);
      options.order = order;
      options.itemCounts = counts;
      std::size_t size = 0;
      const double seconds = bestOf(repeat, [&] {
        size = computeSimilarityMatrix(ws, run, model, split, options, nullptr, {})->size();
      });
      const std::string what = "heatmap " + std::to_string(size) + " x " + std::to_string(size) +
                               (order == SimilarityOrder::Cluster ? ", clustered" : ", as listed");
      line(what.c_str(), seconds, 0.2);
    }
  }
  if (model.model->capabilities() & kHasItemEmbeddings) {
    std::vector<float> vectors;
    const std::size_t dim = model.model->itemEmbeddings(vectors);
    const std::size_t items = model.model->itemCount();
    const double seconds =
        bestOf(repeat, [&] { similarity::principalComponents(vectors, items, dim, nullptr, {}); });
    const std::string what =
        "PCA of " + std::to_string(items) + " x " + std::to_string(dim) + " item vectors";
    line(what.c_str(), seconds, 2.0);
  }
  {
    ItemMapOptions options;
    std::size_t points = 0;
    const double seconds = bestOf(
        1, [&] { points = computeItemMap(ws, run, model, split, options, nullptr, {})->size(); });
    const std::string what = "item map (PCA, " + std::to_string(points) + " items, with labels)";
    line(what.c_str(), seconds, 0);
  }
  if (neighbour) {
    ItemMapOptions options;
    options.method = ItemMapMethod::Neighbour;
    std::size_t points = 0;
    const double seconds = bestOf(
        1, [&] { points = computeItemMap(ws, run, model, split, options, nullptr, {})->size(); });
    const std::string what = "item map (neighbour layout, " + std::to_string(points) + " items)";
    line(what.c_str(), seconds, 0);
  }
  const auto popular = storage::mostPopularItems(*counts, 1);
  if (!popular.empty()) {
    std::size_t members = 0;
    std::int64_t listed = 0;
    const double seconds = bestOf(repeat, [&] {
      const auto audience = storage::runItemAudience(ws, run.id, popular.front(), {});
      members = audience->members.size();
      listed = audience->listedUsers;
    });
    const std::string what = "who is shown the top item (" + std::to_string(members) + " of " +
                             std::to_string(listed) + " lists)";
    line(what.c_str(), seconds, 1.0);
  }
}

void benchMovieLens(const std::string& movielens, int threads, int repeat) {
  char pattern[] = "/tmp/reco-bench-similarity-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  std::printf("MovieLens-100K (%s), %d threads\n", movielens.c_str(), threads);
  {
    storage::Workspace ws(dir + "/ml.reco", storage::Workspace::OpenMode::CreateIfMissing);
    io::ImportOptions importOptions;
    importOptions.name = "ml100k";
    const auto dataset = storage::importFile(ws, movielens, importOptions, nullptr, {}).dataset;
    const auto split =
        storage::createSplit(ws, dataset, "random-42", SplitOptions{}, nullptr, {}).split;
    const auto counts = std::make_shared<const std::vector<std::int64_t>>(
        storage::itemInteractionCounts(ws, dataset.id));
    for (const char* model : {"itemknn", "ease", "als"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = threads;
      options.eval.ks = {10};
      const auto result = runExperiment(ws, split, options, nullptr, {});
      benchRun(ws, result.run, split, counts, repeat, std::string(model) == "als");
    }
  }
  fs::remove_all(dir);
}

/// A run of `model` fitted on the split and stored with a list of `listLength` items for every
/// user (drawn by popularity with a fixed seed: scoring a million users would take minutes
/// and the reverse lookup's cost does not depend on what the lists hold).
storage::RunInfo storeScaleRun(storage::Workspace& ws, const storage::SplitInfo& split,
                               const std::string& model, const std::vector<std::string>& sets,
                               const std::vector<std::int64_t>& counts, int threads,
                               std::size_t listLength) {
  const auto loaded = storage::loadSplit(ws, split, 42);
  const ModelInfo& info = defaultRegistry().get(model);
  const OptionReader reader(info.options, parseOptionValues(sets));
  ComputeOptions compute;
  compute.threads = threads;
  auto fitted = info.factory(reader.effectiveValues(), compute);
  auto start = std::chrono::steady_clock::now();
  fitted->fit(*loaded.train, nullptr, {});
  std::printf("  %s fitted in %.1f s\n", model.c_str(), since(start));

  storage::RunRecord record;
  record.info.name = storage::uniqueRunName(ws, model + "-bench");
  record.info.datasetId = split.datasetId;
  record.info.splitId = split.id;
  record.info.model = model;
  record.info.optionsJson = "{}";
  record.info.status = "done";
  record.info.threads = threads;
  const auto popular = storage::mostPopularItems(counts, counts.size());
  Random rng(7);
  const std::size_t users = fitted->userCount();
  record.recommendations.reserve(users);
  for (std::size_t u = 0; u < users; ++u) {
    storage::TopNList list;
    list.user = std::int32_t(u);
    list.items.reserve(listLength);
    list.scores.reserve(listLength);
    for (std::size_t r = 0; r < listLength; ++r) {
      // Skewed towards the head, like real lists: the minimum of two uniform ranks.
      const auto a = rng.below(popular.size()), b = rng.below(popular.size());
      list.items.push_back(popular[std::min(a, b)]);
      list.scores.push_back(float(listLength - r));
    }
    record.recommendations.push_back(std::move(list));
  }
  ModelFileHeader header{info.name, reader.effectiveValues(),
                         storage::userExternalIds(ws, split.datasetId),
                         storage::itemExternalIds(ws, split.datasetId)};
  record.model = writeModelFile(header, *fitted);
  start = std::chrono::steady_clock::now();
  storage::saveRun(ws, record);
  std::printf("  stored with %zu lists of %zu items in %.1f s\n", users, listLength, since(start));
  return storage::requireRun(ws, record.info.name);
}

void benchScale(const data::SyntheticOptions& shop, int threads, int repeat) {
  char pattern[] = "/tmp/reco-bench-similarity-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  std::printf(
      "\nA generated power-law shop: %lld users x %lld items, %lld interactions, %d threads\n",
      static_cast<long long>(shop.users), static_cast<long long>(shop.items),
      static_cast<long long>(shop.interactions), threads);
  {
    storage::Workspace ws(dir + "/scale.reco", storage::Workspace::OpenMode::CreateIfMissing);
    auto start = std::chrono::steady_clock::now();
    io::ImportOptions importOptions;
    importOptions.name = "scale";
    const auto dataset =
        storage::importRecords(
            ws, "synthetic", data::syntheticRecipe(shop), importOptions,
            [&](io::RecordSink& sink) { return data::generateShop(shop, sink, nullptr, {}); },
            nullptr, {})
            .dataset;
    std::printf("  generate and import: %.1f s\n", since(start));
    start = std::chrono::steady_clock::now();
    const auto split =
        storage::createSplit(ws, dataset, "random-42", SplitOptions{}, nullptr, {}).split;
    std::printf("  split: %.1f s\n", since(start));
    start = std::chrono::steady_clock::now();
    const auto counts = std::make_shared<const std::vector<std::int64_t>>(
        storage::itemInteractionCounts(ws, dataset.id));
    line("popularity pass (once per dataset)", since(start), 0);
    const auto run =
        storeScaleRun(ws, split, "als", {"factors=64", "iterations=1"}, *counts, threads, 20);
    benchRun(ws, run, split, counts, repeat, false);
  }
  fs::remove_all(dir);
}

}  // namespace

int runBenchSimilarity(const std::vector<std::string>& argv) {
  const Args args(argv, {"movielens", "threads", "repeat", "users", "items", "interactions"},
                  {"no-scale"});
  const std::string movielens = args.valueOr("movielens", "../shared/datasets/movielens-100k");
  if (!fs::exists(movielens + "/u.data"))
    throw Error(ErrorKind::Io, "cannot open " + movielens +
                                   "/u.data: give the MovieLens-100K folder with --movielens DIR");
  const int threads = int(args.integerAtLeast("threads", 1).value_or(2));
  const int repeat = int(args.integerAtLeast("repeat", 1).value_or(3));
  benchMovieLens(movielens, threads, repeat);
  if (!args.flag("no-scale")) {
    data::SyntheticOptions shop;
    shop.users = args.integerAtLeast("users", 1).value_or(1000000);
    shop.items = args.integerAtLeast("items", 1).value_or(100000);
    shop.interactions = args.integerAtLeast("interactions", 1).value_or(10000000);
    shop.seed = 1;
    benchScale(shop, threads, repeat);
  }
  return 0;
}

}  // namespace reco::cli
