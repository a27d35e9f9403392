// Derived runs (core/training/derived_run.h) on a synthetic shop: the stored lists and
// metrics equal re-ranking the base run's score rows by hand; the model file nests the base
// run's and reads back to the same lists; the rules resolve against the dataset (attribute,
// category, item ids) and excluded items never appear; a sweep stores one run per value
// with the protocol the Compare panel reads; a stop stores nothing; bad input is refused.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/models/registry.h"
#include "core/rerank/reranked_model.h"
#include "core/rerank/reranker.h"
#include "core/storage/database.h"
#include "core/storage/item_attributes.h"
#include "core/storage/run_store.h"
#include "core/training/derived_run.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

class RerankRuns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("rerank.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 80, 4000, 5);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    ExperimentOptions options;
    options.model = "itemknn";
    options.compute.threads = 2;
    options.eval.ks = {5, 10};
    base_ = runExperiment(ws, split_, options, nullptr, {}).run;
    options.model = "pop";
    pop_ = runExperiment(ws, split_, options, nullptr, {}).run;
  }
  static void TearDownTestSuite() { dir_.reset(); }

  /// The most common brand: a rule that matches many items.
  static std::string commonBrand(storage::Workspace& ws) {
    storage::Statement st(ws.db(),
                          "SELECT value FROM item_attributes WHERE key = 'brand' GROUP BY value "
                          "ORDER BY COUNT(*) DESC, value LIMIT 1");
    EXPECT_TRUE(st.step());
    return st.columnText(0);
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo split_;
  static inline storage::RunInfo base_;
  static inline storage::RunInfo pop_;  // no item vectors, no item similarities
};

/// The ndcg@k of a list against a user's test items (not training items).
double ndcgOf(const std::vector<std::int32_t>& list, const std::set<std::int32_t>& relevant,
              int k) {
  double dcg = 0, ideal = 0;
  for (int r = 0; r < k && r < int(list.size()); ++r)
    if (relevant.count(list[std::size_t(r)])) dcg += 1.0 / std::log2(r + 2.0);
  for (int r = 0; r < k && r < int(relevant.size()); ++r) ideal += 1.0 / std::log2(r + 2.0);
  return dcg / ideal;
}

TEST_F(RerankRuns, ADerivedRunRepeatsItsBasesSampledEvaluation) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ExperimentOptions options;
  options.model = "pop";
  options.runName = "pop-sampled";
  options.eval.ks = {5, 10};
  options.eval.sampledNegatives = 20;
  const auto sampled = runExperiment(ws, split_, options, nullptr, {}).run;
  RerankRunOptions rerank;
  rerank.baseRun = sampled.name;
  rerank.rerank.method = RerankMethod::Mmr;
  rerank.rerank.lambda = 1.0;  // the plain list: its sampled metrics are the base's
  rerank.rerank.depth = 10;
  const auto derived = rerankRun(ws, rerank, nullptr, {});
  ASSERT_EQ(derived.outcome, Outcome::Completed);
  auto value = [&](storage::RunId run, const std::string& name) -> std::optional<double> {
    for (const auto& m : storage::runMetrics(ws, run))
      if (m.metric == name) return m.mean;
    return std::nullopt;
  };
  const auto base = value(sampled.id, "sampled_ndcg@10");
  ASSERT_TRUE(base.has_value());
  const auto again = value(derived.run.id, "sampled_ndcg@10");
  ASSERT_TRUE(again.has_value()) << "the derived run lost the sampled evaluation";
  EXPECT_CLOSE(*again, *base, 1e-12);
}

}  // namespace

TEST_F(RerankRuns, StoredListsAndMetricsEqualReRankingTheBaseRowsByHand) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const std::string brand = commonBrand(ws);
  RerankRunOptions options;
  options.baseRun = base_.name;
  options.rerank = RerankOptions::fromSettings({{"method", "mmr"},
                                                {"lambda", "0.3"},
                                                {"depth", "10"},
                                                {"candidates", "40"},
                                                {"cap", "4"},
                                                {"exclude_attribute", "brand=" + brand}});
  options.threads = 2;
  const ExperimentResult result = rerankRun(ws, options, nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  EXPECT_EQ(result.run.name, base_.name + " + mmr(λ=0.3) + rules");
  EXPECT_EQ(result.run.model, "rerank");
  EXPECT_EQ(result.run.splitId, base_.splitId);

  // By hand: the base model's rows, the rule's items, the training items, rerankRow.
  const LoadedModel base = readModelFile(storage::runModel(ws, base_.id), defaultRegistry());
  const storage::LoadedSplit split = storage::loadSplit(ws, split_, base_.seed);
  const TrainingData& train = *split.train;
  RerankSideInfo side;
  side.itemCategory = train.itemCategory;
  side.categoryNames = train.categoryNames;
  for (std::int32_t i = 0; i < train.itemCount; ++i)
    side.popularity.push_back(float(train.itemUsers.rowSize(i)));
  side.excluded.assign(std::size_t(train.itemCount), 0);
  const auto branded = storage::itemsWithAttribute(ws, split_.datasetId, "brand", brand);
  ASSERT_GT(branded.size(), 2u);
  for (const auto i : branded) side.excluded[std::size_t(i)] = 1;

  const auto users = storage::runEvalUsers(ws, result.run.id);
  ASSERT_GT(users.size(), 50u);
  double ndcgSum = 0;
  for (const auto u : users) {
    std::vector<float> row(base.model->itemCount());
    const UserIndex user{u};
    base.model->score({&user, 1}, row);
    std::vector<ItemIndex> seen;
    for (const auto c : train.userItems.rowCols(u)) seen.push_back(ItemIndex{c});
    const auto expected = rerankRow(row, seen, seen, side, options.rerank);
    const auto stored = storage::runRecommendations(ws, result.run.id, u);
    ASSERT_TRUE(stored.has_value());
    std::vector<std::int32_t> mine;
    mine.reserve(expected.size());
    for (const auto& s : expected) mine.push_back(s.item.value);
    ASSERT_EQ(stored->items, mine) << "user " << u;
    for (const auto item : stored->items)
      EXPECT_FALSE(std::binary_search(branded.begin(), branded.end(), item)) << "excluded item";
    std::set<std::int32_t> relevant;
    for (const auto c : split.test.rowCols(u))
      if (!std::binary_search(train.userItems.rowCols(u).begin(), train.userItems.rowCols(u).end(),
                              c))
        relevant.insert(c);
    ndcgSum += ndcgOf(mine, relevant, 10);
  }
  const auto metrics = storage::runMetrics(ws, result.run.id);
  const auto ndcg = std::find_if(metrics.begin(), metrics.end(),
                                 [](const auto& m) { return m.metric == "ndcg@10"; });
  ASSERT_NE(ndcg, metrics.end());
  EXPECT_CLOSE(ndcg->mean, ndcgSum / double(users.size()), 1e-9);
  // The base run's cut-offs, nothing more.
  EXPECT_TRUE(std::none_of(metrics.begin(), metrics.end(),
                           [](const auto& m) { return m.metric == "ndcg@20"; }));
  // The protocol the Compare panel reads.
  const auto protocol = readDerivedProtocol(result.run.protocolJson);
  ASSERT_TRUE(protocol.has_value()) << result.run.protocolJson;
  EXPECT_EQ(protocol->derivedFrom, base_.name);
  EXPECT_EQ(protocol->baseRunId, base_.id);
  EXPECT_EQ(protocol->label, "mmr(λ=0.3) + rules");
  EXPECT_EQ(RerankOptions::fromSettings(protocol->rerank), options.rerank);
  EXPECT_FALSE(readDerivedProtocol(base_.protocolJson).has_value());
  EXPECT_NE(result.run.optionsJson.find("\"base_model\":\"itemknn\""), std::string::npos)
      << result.run.optionsJson;
}

TEST_F(RerankRuns, TheModelFileNestsTheBaseRunsFileAndReadsBackToTheSameLists) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  RerankRunOptions options;
  options.baseRun = base_.name;
  options.name = "calibrated";
  options.rerank = RerankOptions::fromSettings({{"method", "calibration"}, {"lambda", "0.6"}});
  options.rerank.categoryBoosts = {
      {storage::loadSplit(ws, split_, 42).train->categoryNames.at(0), 1.4}};
  const ExperimentResult result = rerankRun(ws, options, nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  EXPECT_EQ(result.run.name, "calibrated");

  const std::string bytes = storage::runModel(ws, result.run.id);
  const std::string baseBytes = storage::runModel(ws, base_.id);
  EXPECT_NE(bytes.find(baseBytes), std::string::npos) << "the base run's whole file is inside";
  const LoadedModel loaded = readModelFile(bytes, defaultRegistry());
  EXPECT_EQ(loaded.header.model, "rerank");
  EXPECT_EQ(loaded.model->modelName(), "rerank");
  const auto* reranked = dynamic_cast<const RerankedModel*>(loaded.model.get());
  ASSERT_NE(reranked, nullptr);
  EXPECT_EQ(reranked->base().modelName(), "itemknn");
  EXPECT_EQ(reranked->options(), options.rerank);
  EXPECT_EQ(writeModelFile(loaded.header, *loaded.model), bytes) << "written back unchanged";

  const storage::LoadedSplit split = storage::loadSplit(ws, split_, base_.seed);
  int compared = 0;
  for (const auto u : storage::runEvalUsers(ws, result.run.id)) {
    std::vector<ItemIndex> seen;
    for (const auto c : split.train->userItems.rowCols(u)) seen.push_back(ItemIndex{c});
    const auto list = loaded.model->recommend(UserIndex{u}, seen, 10);
    const auto stored = storage::runRecommendations(ws, result.run.id, u);
    ASSERT_TRUE(stored.has_value());
    std::vector<std::int32_t> items;
    items.reserve(list.size());
    for (const auto& s : list) items.push_back(s.item.value);
    EXPECT_EQ(items, stored->items) << "user " << u;
    ++compared;
  }
  EXPECT_GT(compared, 50);
  // The explanation says what the re-ranker did to a boosted item.
  const auto u = storage::runEvalUsers(ws, result.run.id).front();
  const auto stored = storage::runRecommendations(ws, result.run.id, u);
  bool sawBoost = false;
  for (const auto item : stored->items) {
    std::vector<ItemIndex> seen;
    for (const auto c : split.train->userItems.rowCols(u)) seen.push_back(ItemIndex{c});
    const Explanation e = loaded.model->explain(UserIndex{u}, ItemIndex{item}, seen);
    sawBoost |= e.reason.find("boosted ×1.4") != std::string::npos;
  }
  EXPECT_TRUE(sawBoost || std::none_of(stored->items.begin(), stored->items.end(), [&](auto i) {
                return split.train->itemCategory[std::size_t(i)] == 0;
              }));
}

TEST_F(RerankRuns, ASweepStoresOneRunPerValueAndAStopStoresNothing) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  RerankRunOptions options;
  options.baseRun = base_.name;
  options.rerank.method = RerankMethod::Mmr;
  options.rerank.depth = 10;
  const auto before = storage::listRuns(ws).size();
  const auto results = rerankSweep(ws, options, "lambda", {1.0, 0.0}, nullptr, {});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(storage::listRuns(ws).size(), before + 2);
  EXPECT_EQ(results[0].run.name, base_.name + " + mmr(λ=1)");
  EXPECT_EQ(results[1].run.name, base_.name + " + mmr(λ=0)");
  auto metric = [&](const ExperimentResult& r, const std::string& name) {
    for (const auto& m : r.metrics)
      if (m.metric == name) return m.mean;
    ADD_FAILURE() << name << " missing";
    return 0.0;
  };
  const auto baseMetrics = storage::runMetrics(ws, base_.id);
  const auto baseNdcg = std::find_if(baseMetrics.begin(), baseMetrics.end(),
                                     [](const auto& m) { return m.metric == "ndcg@10"; });
  ASSERT_NE(baseNdcg, baseMetrics.end());
  EXPECT_CLOSE(metric(results[0], "ndcg@10"), baseNdcg->mean, 1e-12) << "lambda 1: the plain list";
  EXPECT_GT(metric(results[1], "ild_category@10"), metric(results[0], "ild_category@10"));

  // A sweep over a value the method ignores would store identical runs: refused, stored
  // nothing.
  RerankRunOptions popularity = options;
  popularity.rerank.method = RerankMethod::Popularity;
  auto sweepMessage = [&](const RerankRunOptions& sweep, const std::string& parameter) {
    try {
      rerankSweep(ws, sweep, parameter, {0.1, 0.2}, nullptr, {});
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config) << e.what();
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(sweepMessage(popularity, "lambda").find("runs over beta"), std::string::npos);
  EXPECT_NE(sweepMessage(options, "beta").find("runs over lambda"), std::string::npos);
  EXPECT_EQ(storage::listRuns(ws).size(), before + 2);

  std::stop_source stop;
  stop.request_stop();
  const auto stopped =
      rerankRun(ws, RerankRunOptions{base_.name, options.rerank, "", 1}, nullptr, stop.get_token());
  EXPECT_EQ(stopped.outcome, Outcome::Stopped);
  EXPECT_EQ(storage::listRuns(ws).size(), before + 2);
}

TEST_F(RerankRuns, BadRulesAndBasesAreRefusedWithTheirNames) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto message = [&](const std::string& base, const OptionValues& settings) -> std::string {
    try {
      RerankRunOptions options;
      options.baseRun = base;
      options.rerank = RerankOptions::fromSettings(settings);
      rerankRun(ws, options, nullptr, {});
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config) << e.what();
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_NE(
      message(base_.name, {{"exclude_category", "Nowhere"}}).find("unknown category 'Nowhere'"),
      std::string::npos);
  EXPECT_NE(message(base_.name, {{"exclude_attribute", "in_stock=0"}}).find("brand"),
            std::string::npos);
  EXPECT_NE(message(base_.name, {{"exclude_items", "no-such-item"}}).find("'no-such-item'"),
            std::string::npos);
  EXPECT_NE(message(base_.name, {{"depth", "5"}}).find("largest cut-off 10"), std::string::npos);
  EXPECT_NE(message(pop_.name, {{"method", "mmr"}, {"by", "embedding"}}).find("'pop' has neither"),
            std::string::npos);
  EXPECT_NE(message("no-such-run", {}).find("no-such-run"), std::string::npos);
  const auto derived = storage::listRuns(ws);
  const auto any = std::find_if(derived.begin(), derived.end(),
                                [](const auto& r) { return r.model == "rerank"; });
  ASSERT_NE(any, derived.end());
  EXPECT_NE(message(any->name, {}).find("re-ranked run already"), std::string::npos);
  EXPECT_NE(derivedRunRefusal(*any).find("reco rerank"), std::string::npos);
  // The registry never builds one: training one says where re-ranked runs are made.
  ExperimentOptions train;
  train.model = "rerank";
  try {
    runExperiment(ws, split_, train, nullptr, {});
    ADD_FAILURE() << "a 'rerank' model was trained";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("reco rerank"), std::string::npos) << e.what();
  }
}
