// reco bench quality: every classic model with its default options on five shapes of shop
// (issue 18): MovieLens-100K, Online Retail, Online Retail's sparse and basket stand-ins
// (reco derive), and a synthetic ratings site with 30 users per item and 1.25 pairs per user
// (gen-synthetic), each on its split; NDCG@10 with its 95% interval, and each model tested
// against pop on the same users (paired t-test, Holm-corrected over the models of a shape).
// What the README's "Which model for which shop" table is made of.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/io/import_options.h"
#include "core/storage/dataset_derive.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/training/comparison.h"
#include "core/training/experiment.h"

namespace reco::cli {

namespace {

namespace fs = std::filesystem;

struct Shape {
  std::string dataset;   ///< its name in the bench's workspace
  std::string protocol;  ///< how it is split
  DatasetInfo info;
  storage::SplitInfo split;
};

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

storage::SplitInfo makeSplit(storage::Workspace& ws, const DatasetInfo& dataset,
                             SplitProtocol protocol) {
  SplitOptions options;  // 20% test (leave-last: the last pair), seed 42, binary
  options.protocol = protocol;
  if (protocol == SplitProtocol::LeaveLast) options.test = 1;
  return storage::createSplit(ws, dataset, "bench", options, nullptr, {}).split;
}

}  // namespace

int runBenchQuality(const std::vector<std::string>& argv) {
  const Args args(argv, {"movielens", "retail", "models", "threads"}, {});
  const std::string movielens = args.valueOr("movielens", "../shared/datasets/movielens-100k");
  const std::string retail =
      args.valueOr("retail", "../shared/datasets/uci-online-retail/online_retail.csv");
  if (!fs::exists(movielens + "/u.data"))
    throw Error(ErrorKind::Io, "cannot open " + movielens +
                                   "/u.data: give the MovieLens-100K folder with --movielens DIR");
  if (!fs::exists(retail))
    throw Error(ErrorKind::Io,
                "cannot open " + retail + ": give the Online Retail CSV with --retail FILE");
  const auto models = splitList(
      args.valueOr("models", "pop,itemknn,userknn,puresvd,als,bpr,ease,content,popcontent"));
  if (std::find(models.begin(), models.end(), "pop") == models.end())
    throw Error(ErrorKind::Usage, "--models must include pop: every model is tested against it");
  const int threads = int(args.integerAtLeast("threads", 1).value_or(1));
  char pattern[] = "/tmp/reco-bench-quality-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  storage::Workspace ws(dir + "/quality.reco", storage::Workspace::OpenMode::CreateIfMissing);

  std::printf("reco bench quality: default options, seed 42, %d thread%s, NDCG@10 (full ranking)\n",
              threads, threads == 1 ? "" : "s");
  std::fflush(stdout);
  std::vector<Shape> shapes;
  {
    io::ImportOptions options;
    options.name = "ml100k";
    const auto ml = storage::importFile(ws, movielens, options, nullptr, {}).dataset;
    shapes.push_back({"ml100k", "random 80/20", ml, makeSplit(ws, ml, SplitProtocol::Random)});
    options.name = "retail";
    const auto full = storage::importFile(ws, retail, options, nullptr, {}).dataset;
    shapes.push_back({"retail", "random 80/20", full, makeSplit(ws, full, SplitProtocol::Random)});
    storage::DeriveOptions sparse;
    sparse.name = "retail-sparse";
    sparse.linesPerUserMin = 1;
    sparse.linesPerUserMax = 2;
    sparse.seed = 42;
    const auto thin = storage::deriveDataset(ws, full, sparse, nullptr, {}).dataset;
    shapes.push_back({"retail-sparse", "temporal, last 20%", thin,
                      makeSplit(ws, thin, SplitProtocol::Temporal)});
    storage::DeriveOptions basket;
    basket.name = "retail-basket";
    basket.basketFraction = 0.05;
    basket.seed = 42;
    const auto baskets = storage::deriveDataset(ws, full, basket, nullptr, {}).dataset;
    shapes.push_back(
        {"retail-basket", "random 80/20", baskets, makeSplit(ws, baskets, SplitProtocol::Random)});
    // The shape of issue 18's ratings site: 72k users, 2.4k items, 1.25 pairs per user,
    // activity heavy-tailed so that a few users have many pairs (co-occurrence to learn).
    data::SyntheticOptions site;
    site.users = 72000;
    site.items = 2400;
    site.interactions = 90000;
    site.activitySpread = 2.0;
    options.name = "ratings-site";
    const auto sites = storage::importRecords(ws, "synthetic", "memory", options,
                                              [&](io::RecordSink& sink) {
                                                return data::generateShop(site, sink, nullptr, {});
                                              },
                                              nullptr, {})
                           .dataset;
    shapes.push_back(
        {"ratings-site", "leave-last 1", sites, makeSplit(ws, sites, SplitProtocol::LeaveLast)});
  }

  // model -> shape -> "0.4502 [0.4336, 0.4668] +"
  std::map<std::string, std::map<std::string, std::string>> cells;
  std::map<std::string, std::string> best;
  for (const Shape& shape : shapes) {
    std::printf("  %s (%s): %s users, %s items bought, %s training pairs\n", shape.dataset.c_str(),
                shape.protocol.c_str(), std::to_string(shape.info.users).c_str(),
                std::to_string(shape.info.items).c_str(),
                std::to_string(shape.split.trainPairs).c_str());
    std::fflush(stdout);
    std::vector<storage::RunInfo> runs;
    for (const auto& model : models) {
      ExperimentOptions options;
      options.model = model;
      options.runName = shape.dataset + "-" + model;
      options.compute.threads = threads;
      options.eval.ks = {10};
      options.eval.threads = threads;
      runs.push_back(runExperiment(ws, shape.split, options, nullptr, {}).run);
    }
    ComparisonOptions compare;
    compare.baseline = shape.dataset + "-pop";
    compare.diversityColumns = false;
    const Comparison result = compareRuns(ws, runs, compare);
    double top = -1;
    for (std::size_t r = 0; r < result.runs.size(); ++r) {
      const auto* ndcg = result.runs[r].metric("ndcg@10");
      if (!ndcg) continue;
      char text[96];
      std::snprintf(text, sizeof text, "%.4f [%.4f, %.4f]%s", ndcg->mean, ndcg->ciLow.value_or(0),
                    ndcg->ciHigh.value_or(0),
                    result.significantlyBetter(r, "ndcg@10")  ? " +"
                    : result.significantlyWorse(r, "ndcg@10") ? " -"
                                                              : "  ");
      cells[models[r]][shape.dataset] = text;
      if (ndcg->mean > top) {
        top = ndcg->mean;
        best[shape.dataset] = models[r];
      }
    }
  }
  std::printf("\n  %-11s", "model");
  for (const Shape& shape : shapes) std::printf(" | %-25s", shape.dataset.c_str());
  std::printf("\n");
  for (const auto& model : models) {
    std::printf("  %-11s", model.c_str());
    for (const Shape& shape : shapes) std::printf(" | %-25s", cells[model][shape.dataset].c_str());
    std::printf("\n");
  }
  std::printf("  %-11s", "best");
  for (const Shape& shape : shapes) std::printf(" | %-25s", best[shape.dataset].c_str());
  std::printf(
      "\n\n  + / -: better / worse than pop on the same users (paired t-test, Holm-corrected over "
      "the models, p < 0.05)\n");
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}

}  // namespace reco::cli
