// Equal-budget tuning studies (core/training/tuning_study.h, search_space.h, tpe.h,
// core/storage/study_store.h). Three test models make the study's promises checkable:
// "test-spy" records every pair it is fitted on and every validation pair it could be scored
// on (the test part must be in neither), "test-peak" has a validation score that depends on
// one option only (a 1-D objective with a known optimum at x = 3), "test-slow" takes
// 60 ms per fit (the seconds budget), and "test-fragile" fails to fit for x >= 10.

#include <chrono>
#include <cmath>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/study_store.h"
#include "core/training/tuning_study.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;
using PairSet = std::set<std::pair<std::int32_t, std::int32_t>>;

std::mutex spyMutex;
PairSet spyFitPairs, spyValidationPairs;  // everything any test-spy instance was handed
std::vector<std::int64_t> spyFitSizes;    // training pairs per fit, in order

void addPairs(const CsrMatrix& m, PairSet& out) {
  for (std::int32_t u = 0; u < m.rows(); ++u)
    for (std::int32_t i : m.rowCols(u)) out.insert({u, i});
}

double hash01(std::int32_t u, std::int32_t i) {
  std::uint64_t z = std::uint64_t(u) * 1000003u + std::uint64_t(i) + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return double((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

/// kind: "spy" records its data, "peak" ranks validation items by how close x is to 3,
/// "slow" sleeps 60 ms in fit. Otherwise the items score by training popularity.
class TestModel final : public Recommender {
 public:
  TestModel(std::string kind, double x) : kind_(std::move(kind)), x_(x) {}
  std::string_view modelName() const override { return kind_; }
  Outcome fit(const TrainingData& data, TrainObserver*, std::stop_token stop) override {
    if (stop.stop_requested()) return Outcome::Stopped;
    data_ = &data;
    if (kind_ == "test-spy") {
      std::lock_guard lock(spyMutex);
      addPairs(data.userItems, spyFitPairs);
      addPairs(data.validation, spyValidationPairs);
      spyFitSizes.push_back(data.userItems.nnz());
    }
    if (kind_ == "test-slow") std::this_thread::sleep_for(std::chrono::milliseconds(60));
    if (kind_ == "test-fragile" && x_ >= 10) throw Error(ErrorKind::Model, "diverged at x >= 10");
    return Outcome::Completed;
  }
  bool isFitted() const override { return data_ != nullptr; }
  std::size_t userCount() const override { return std::size_t(data_->userCount); }
  std::size_t itemCount() const override { return std::size_t(data_->itemCount); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    const std::size_t items = itemCount();
    // The peak: 1 at x = 3, falling off on the log scale. It lifts validation items above
    // the noise in [0, 1): all of them only at the peak, so every step closer scores better.
    const double lift = std::exp(-std::pow(std::log(x_) - std::log(3.0), 2.0));
    for (std::size_t r = 0; r < users.size(); ++r) {
      float* row = out.data() + r * items;
      const std::int32_t u = users[r].value;
      for (std::size_t i = 0; i < items; ++i)
        row[i] = kind_ == "test-peak" ? float(hash01(u, std::int32_t(i)))
                                      : float(data_->itemUsers.rowCols(std::int32_t(i)).size());
      if (kind_ == "test-peak" && u < data_->validation.rows())
        for (std::int32_t i : data_->validation.rowCols(u)) row[i] += float(lift);
    }
  }
  void save(std::ostream& out) const override {
    out.write(reinterpret_cast<const char*>(&x_), sizeof x_);
  }
  void load(std::istream& in) override { in.read(reinterpret_cast<char*>(&x_), sizeof x_); }

 private:
  std::string kind_;
  double x_;
  const TrainingData* data_ = nullptr;
};

void registerTestModels() {
  if (findModel("test-spy")) return;
  for (const char* kind : {"test-spy", "test-peak", "test-slow", "test-fragile"}) {
    ModelInfo info;
    info.name = kind;
    info.family = "baselines";
    info.summary = "a test model of the tuning study";
    // test-peak's x has no default range (it is not a known option name): tests give one.
    info.options = {{"factors", OptionType::Int, "8", 1.0, 1024.0, {}, "a searched option"},
                    {"x", OptionType::Double, "1", 0.001, 1000.0, {}, "the peak's option"}};
    info.factory = [name = std::string(kind)](
                       const OptionValues& values,
                       const ComputeOptions&) -> std::unique_ptr<Recommender> {
      const auto x = values.find("x");
      return std::make_unique<TestModel>(name, x == values.end() ? 1.0 : *parseNumber(x->second));
    };
    defaultRegistry().add(std::move(info));
  }
}

SearchSpace peakSpace() {
  SearchSpace space;
  SearchDimension x;
  x.option = "x";
  x.kind = SearchDimension::Kind::Real;
  x.low = 0.001;
  x.high = 1000;
  x.log = true;
  space.dimensions.push_back(x);
  return space;
}

StudyOptions peakStudy(const std::string& name, SearchKind search, std::uint64_t seed, int trials) {
  StudyOptions options;
  options.name = name;
  options.models = {{"test-peak", {}, {}, peakSpace()}};
  options.budget.trials = trials;
  options.search = search;
  options.seed = seed;
  options.compute.threads = 1;
  return options;
}

class TuningStudy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registerTestModels();
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("study.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 200, 60, 7000, 11);
    SplitOptions options;
    options.test = 0.2;
    options.valid = 0.2;
    withValid_ = storage::createSplit(ws, dataset, "tv", options, nullptr, {}).split;
    options.valid = 0;
    withoutValid_ = storage::createSplit(ws, dataset, "t", options, nullptr, {}).split;
    ASSERT_GT(withValid_.validPairs, 0);
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo withValid_, withoutValid_;
};

TEST_F(TuningStudy, TwoModelsWithBudgetThreeStoreSixTrialsTwoRunsAndNeverReadTheTestPart) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  {
    std::lock_guard lock(spyMutex);
    spyFitPairs.clear();
    spyValidationPairs.clear();
    spyFitSizes.clear();
  }
  StudyOptions options;
  options.name = "two-models";
  options.models = {{"test-spy", {}, {}, {}}, {"itemknn", {}, {}, {}}};
  options.budget.trials = 3;
  options.compute.threads = 2;
  const StudyResult result = runTuningStudy(ws, withValid_, options, nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  // test-spy is no known model: the generic range of "factors" is its space.
  ASSERT_EQ(result.spaces[0].dimensions.size(), 1u);
  EXPECT_EQ(result.spaces[0].dimensions[0].option, "factors");

  const auto stored = storage::findStudy(ws, "two-models");
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->trials.size(), 6u);
  ASSERT_EQ(stored->models.size(), 2u);
  for (std::size_t t = 0; t < 6; ++t) {
    SCOPED_TRACE("trial " + std::to_string(t));
    EXPECT_EQ(stored->trials[t].model, t / 3);  // each model's trials in turn
    EXPECT_EQ(stored->trials[t].index, int(t % 3));
    EXPECT_EQ(stored->trials[t].options, result.record.trials[t].options);
    ASSERT_TRUE(stored->trials[t].validation.has_value());
    EXPECT_EQ(*stored->trials[t].validation, *result.record.trials[t].validation);
  }
  std::set<std::int64_t> runs;
  for (std::size_t m = 0; m < 2; ++m) {
    ASSERT_TRUE(stored->models[m].run.has_value());
    EXPECT_EQ(*stored->models[m].run, result.finals[m].run.id);
    runs.insert(*stored->models[m].run);
    const auto& protocol = result.finals[m].run.protocolJson;
    EXPECT_NE(protocol.find("\"tuning\":{\"study\":\"two-models\""), std::string::npos) << protocol;
    EXPECT_NE(protocol.find("\"fit_on\":\"train+valid\""), std::string::npos) << protocol;
    EXPECT_FALSE(storage::runMetrics(ws, *stored->models[m].run).empty());
    // The chosen options are the best trial's, and the curve ends at its value.
    ASSERT_TRUE(stored->models[m].best.has_value());
    const auto curve = bestSoFar(*stored, m);
    ASSERT_EQ(curve.size(), 3u);
    EXPECT_EQ(curve.back(), *stored->trials[*stored->models[m].best].validation);
    EXPECT_LE(curve[0], curve[1]);
    EXPECT_LE(curve[1], curve[2]);
  }
  EXPECT_EQ(runs.size(), 2u);
  EXPECT_EQ(storage::requireRun(ws, "two-models-itemknn").id, result.finals[1].run.id);

  // The test part: in no pair any trial (or the final refit) was fitted on, in no validation
  // set any trial was scored on.
  const auto loaded = storage::loadSplit(ws, withValid_, 42);
  PairSet test;
  addPairs(loaded.test, test);
  ASSERT_FALSE(test.empty());
  std::lock_guard lock(spyMutex);
  ASSERT_EQ(spyFitSizes.size(), 4u);  // 3 trials and the final refit
  for (int t = 0; t < 3; ++t) EXPECT_EQ(spyFitSizes[std::size_t(t)], withValid_.trainPairs);
  EXPECT_EQ(spyFitSizes[3], withValid_.trainPairs + withValid_.validPairs);
  EXPECT_EQ(std::int64_t(spyValidationPairs.size()), withValid_.validPairs);
  for (const auto& pair : test) {
    EXPECT_FALSE(spyFitPairs.contains(pair)) << pair.first << "," << pair.second;
    EXPECT_FALSE(spyValidationPairs.contains(pair)) << pair.first << "," << pair.second;
  }
}

TEST_F(TuningStudy, TpeIsDeterministicForASeedAndBeatsRandomSearchOnAOneDimensionalObjective) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto trialsOf = [](const StudyResult& r) {
    std::vector<std::string> out;
    for (const auto& t : r.record.trials) out.push_back(t.options.at("x"));
    return out;
  };
  const auto first =
      runTuningStudy(ws, withValid_, peakStudy("tpe-a", SearchKind::Smbo, 7, 12), nullptr, {});
  const auto again =
      runTuningStudy(ws, withValid_, peakStudy("tpe-b", SearchKind::Smbo, 7, 12), nullptr, {});
  const auto other =
      runTuningStudy(ws, withValid_, peakStudy("tpe-c", SearchKind::Smbo, 8, 12), nullptr, {});
  EXPECT_EQ(trialsOf(first), trialsOf(again));
  EXPECT_NE(trialsOf(first), trialsOf(other));

  // Same budget, same seeds: the best validation value found, averaged over the seeds.
  double tpe = 0, random = 0;
  const int seeds = 6;
  for (int s = 0; s < seeds; ++s) {
    for (SearchKind kind : {SearchKind::Smbo, SearchKind::Random}) {
      const std::string name = std::string(searchKindName(kind)) + "-peak-" + std::to_string(s);
      const auto r =
          runTuningStudy(ws, withValid_, peakStudy(name, kind, 100 + s, 15), nullptr, {});
      const double best = *r.record.trials[*r.record.models[0].best].validation;
      (kind == SearchKind::Smbo ? tpe : random) += best / seeds;
    }
  }
  std::printf("mean best validation over %d seeds: tpe %.4f, random %.4f\n", seeds, tpe, random);
  EXPECT_GT(tpe, random);
}

TEST_F(TuningStudy, TpeSearchBeatsRandomSearchOnAFunction) {
  // The searches alone, on f(x) = -(log10 x - 0.5)^2 over [0.001, 1000]: many seeds, no model.
  const SearchSpace space = peakSpace();
  double tpe = 0, random = 0;
  const int seeds = 30;
  for (int s = 0; s < seeds; ++s) {
    for (SearchKind kind : {SearchKind::Smbo, SearchKind::Random}) {
      SearchOptions options;
      options.kind = kind;
      options.seed = std::uint64_t(s);
      options.trials = 20;
      const auto search = makeSearch(space, options);
      double best = -1e9;
      for (int t = 0; t < 20; ++t) {
        const auto point = search->next();
        ASSERT_TRUE(point);
        const double x = *parseNumber(point->at("x"));
        ASSERT_GE(x, 0.001);
        ASSERT_LE(x, 1000);
        const double value = -std::pow(std::log10(x) - 0.5, 2.0);
        search->tell(*point, value);
        best = std::max(best, value);
      }
      (kind == SearchKind::Smbo ? tpe : random) += best / seeds;
    }
  }
  std::printf("mean best f over %d seeds: tpe %.5f, random %.5f\n", seeds, tpe, random);
  EXPECT_GT(tpe, random);
}

TEST_F(TuningStudy, TheSecondsBudgetStopsStartingTrials) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  StudyOptions options;
  options.name = "seconds";
  options.models = {{"test-slow", {}, {}, {}}, {"test-spy", {}, {}, {}}};
  options.budget.seconds = 0.25;
  options.search = SearchKind::Random;
  const auto start = std::chrono::steady_clock::now();
  const StudyResult result = runTuningStudy(ws, withValid_, options, nullptr, {});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(result.outcome, Outcome::Completed);
  std::size_t slow = 0;
  double before = 0, all = 0;  // seconds of the slow model's trials but the last, and of all
  for (const auto& t : result.record.trials) {
    if (t.model != 0) continue;
    ++slow;
    before = all;
    all += t.seconds;
  }
  // Every trial started before the budget was spent, and the model stopped because it was.
  EXPECT_GE(slow, 1u);
  EXPECT_LT(before, 0.25);
  EXPECT_GE(all, 0.2);
  EXPECT_LE(slow, 6u);  // 60 ms a fit: at most 5 can start within 0.25 s
  EXPECT_LT(seconds, 30.0);
  const auto stored = storage::requireStudy(ws, "seconds");
  EXPECT_EQ(stored.info.budgetSeconds.value_or(0), 0.25);
  EXPECT_FALSE(stored.info.budgetTrials.has_value());
}

TEST_F(TuningStudy, AFailedTrialIsStoredAndCountsAgainstTheBudget) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  StudyOptions options;
  options.name = "fragile";
  options.models = {{"test-fragile", {{"factors", "4"}}, {parseTuningAxis("x=10,1,100")}, {}}};
  options.budget.trials = 3;
  options.search = SearchKind::Grid;
  const StudyResult result = runTuningStudy(ws, withValid_, options, nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  const auto stored = storage::requireStudy(ws, "fragile");
  ASSERT_EQ(stored.trials.size(), 3u);
  int failed = 0;
  for (const auto& trial : stored.trials) {
    SCOPED_TRACE(pointText(trial.options));
    EXPECT_EQ(trial.options.at("factors"), "4");  // the fixed option is in every trial
    const bool fails = trial.options.at("x") != "1";
    EXPECT_EQ(trial.validation.has_value(), !fails);
    EXPECT_EQ(trial.error, fails ? "diverged at x >= 10" : "");
    failed += fails ? 1 : 0;
  }
  EXPECT_EQ(failed, 2);
  ASSERT_TRUE(stored.models[0].best.has_value());
  EXPECT_EQ(stored.trials[*stored.models[0].best].options.at("x"), "1");
  EXPECT_NE(result.finals[0].run.optionsJson.find("\"x\":\"1\""), std::string::npos)
      << result.finals[0].run.optionsJson;
}

/// Requests a stop after `afterTrials` finished trials, or when model `finalOf`'s final run
/// starts.
class StopAt final : public StudyObserver {
 public:
  StopAt(std::stop_source& source, std::size_t afterTrials, std::size_t finalOf)
      : source_(source), afterTrials_(afterTrials), finalOf_(finalOf) {}
  void onTrialFinished(const storage::StudyTrial&, std::size_t order) override {
    if (order + 1 == afterTrials_) source_.request_stop();
  }
  void onFinalRunStarted(std::size_t model, const OptionValues&) override {
    if (model == finalOf_) source_.request_stop();
  }

 private:
  std::stop_source& source_;
  std::size_t afterTrials_, finalOf_;
};

TEST_F(TuningStudy, ACancelledStudyStoresNothing) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto runsBefore = storage::listRuns(ws).size();
  const auto studiesBefore = storage::listStudies(ws).size();
  StudyOptions options;
  options.name = "cancelled";
  options.models = {{"test-spy", {}, {}, {}}, {"test-peak", {}, {}, peakSpace()}};
  options.budget.trials = 3;
  {
    std::stop_source source;  // during the trials
    StopAt observer(source, 2, 99);
    EXPECT_EQ(runTuningStudy(ws, withValid_, options, &observer, source.get_token()).outcome,
              Outcome::Stopped);
  }
  {
    std::stop_source source;  // during the second final run: the first one is taken back
    StopAt observer(source, 99, 1);
    EXPECT_EQ(runTuningStudy(ws, withValid_, options, &observer, source.get_token()).outcome,
              Outcome::Stopped);
  }
  EXPECT_EQ(storage::listRuns(ws).size(), runsBefore);
  EXPECT_EQ(storage::listStudies(ws).size(), studiesBefore);
  EXPECT_FALSE(storage::findStudy(ws, "cancelled"));
}

TEST_F(TuningStudy, BadStudiesFailBeforeAnythingTrains) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto runsBefore = storage::listRuns(ws).size();
  const auto fails = [&](const StudyOptions& options, const storage::SplitInfo& split,
                         const std::string& message) {
    try {
      runTuningStudy(ws, split, options, nullptr, {});
      ADD_FAILURE() << "no error; expected: " << message;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Config) << error.what();
      EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
    }
  };
  StudyOptions good;
  good.models = {{"test-spy", {}, {}, {}}};
  good.budget.trials = 2;
  StudyOptions bad = good;
  bad.models = {{"no-such-model", {}, {}, {}}};
  fails(bad, withValid_, "unknown model 'no-such-model'");
  bad = good;
  bad.models.clear();
  fails(bad, withValid_, "at least one model");
  bad = good;
  bad.budget = {};
  fails(bad, withValid_, "one budget per model");
  bad.budget.trials = 0;
  fails(bad, withValid_, "at least 1 trial");
  bad.budget = {std::nullopt, -1.0};
  fails(bad, withValid_, "more than 0 seconds");
  fails(good, withoutValid_, "split 't' has no validation part to tune on");
  bad = good;
  bad.models.push_back(good.models[0]);
  fails(bad, withValid_, "in the study twice");
  bad = good;
  bad.models[0].axes = {parseTuningAxis("colour=1,2")};
  fails(bad, withValid_, "unknown option 'colour'");
  bad.models[0].axes = {parseTuningAxis("factors=0,5")};
  fails(bad, withValid_, "expected an integer in [1, 1024], found '0'");
  bad.models[0].axes = {parseTuningAxis("factors=4,5")};
  bad.models[0].fixed = {{"factors", "4"}};
  fails(bad, withValid_, "both fixed (--set) and tuned (--grid)");
  bad = good;
  bad.metric = "taste@10";
  fails(bad, withValid_, "taste@10");
  bad = good;
  bad.name = "two-models-taken";
  runTuningStudy(ws, withValid_, bad, nullptr, {});
  fails(bad, withValid_, "study 'two-models-taken' exists already");
  EXPECT_EQ(storage::listRuns(ws).size(), runsBefore + 1);  // the one good study's run
  EXPECT_THROW(parseStudyBudget("0"), Error);
  EXPECT_THROW(parseStudyBudget("s"), Error);
  EXPECT_THROW(parseStudyBudget("2.5"), Error);
  EXPECT_EQ(parseStudyBudget("5").trials.value_or(0), 5);
  EXPECT_EQ(parseStudyBudget("1.5s").seconds.value_or(0), 1.5);
}

TEST_F(TuningStudy, DefaultSpacesGridsAndDeletion) {
  // Default spaces: within the specs, log where the literature searches on log scales.
  const ModelInfo& ease = defaultRegistry().get("ease");
  const SearchSpace easeSpace = defaultSearchSpace(ease);
  ASSERT_EQ(easeSpace.dimensions.size(), 1u);
  EXPECT_EQ(easeSpace.dimensions[0].option, "lambda");
  EXPECT_TRUE(easeSpace.dimensions[0].log);
  EXPECT_EQ(easeSpace.dimensions[0].low, 1);
  EXPECT_EQ(easeSpace.dimensions[0].high, 10000);
  EXPECT_TRUE(defaultSearchSpace(defaultRegistry().get("pop")).dimensions.empty());
  for (const char* name : {"bpr", "als", "itemknn", "userknn", "biasedmf", "puresvd"}) {
    SCOPED_TRACE(name);
    const ModelInfo& info = defaultRegistry().get(name);
    const SearchSpace space = defaultSearchSpace(info);
    EXPECT_GE(space.dimensions.size(), 1u);
    EXPECT_NO_THROW(checkSearchSpace(space, info));
  }
  EXPECT_EQ(
      defaultSearchSpace(defaultRegistry().get("bpr"), {{"factors", "32"}}).dimensions[0].option,
      "epochs");  // a fixed option is not searched

  // A grid with a smaller trial budget: distinct points in a seeded shuffled order.
  SearchSpace space = defaultSearchSpace(defaultRegistry().get("itemknn"));
  SearchOptions grid;
  grid.kind = SearchKind::Grid;
  grid.trials = 5;
  const auto a = makeSearch(space, grid);
  const auto b = makeSearch(space, grid);
  std::set<std::string> seen;
  for (int t = 0; t < 5; ++t) {
    const auto p = a->next(), q = b->next();
    ASSERT_TRUE(p && q);
    EXPECT_EQ(*p, *q);
    EXPECT_TRUE(seen.insert(pointText(*p)).second) << pointText(*p);
  }
  // A model with nothing to tune gets one trial, whatever the search.
  for (SearchKind kind : {SearchKind::Grid, SearchKind::Random, SearchKind::Smbo}) {
    SearchOptions options;
    options.kind = kind;
    const auto search = makeSearch(SearchSpace{}, options);
    EXPECT_TRUE(search->next());
    EXPECT_FALSE(search->next()) << searchKindName(kind);
  }

  // Deleting the split deletes its studies; deleting a study keeps its runs.
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const DatasetInfo dataset = ws.requireDataset("shop");
  SplitOptions splitOptions;
  splitOptions.valid = 0.2;
  splitOptions.seed = 9;
  const auto doomed = storage::createSplit(ws, dataset, "doomed", splitOptions, nullptr, {}).split;
  StudyOptions options;
  options.name = "on-doomed";
  options.models = {{"pop", {}, {}, {}}};
  options.budget.trials = 4;
  const auto result = runTuningStudy(ws, doomed, options, nullptr, {});
  EXPECT_EQ(result.record.trials.size(), 1u);  // pop has nothing to tune
  options.name = "kept-runs";
  const auto second = runTuningStudy(ws, doomed, options, nullptr, {});
  storage::deleteStudy(ws, second.record.info);
  EXPECT_FALSE(storage::findStudy(ws, "kept-runs"));
  EXPECT_TRUE(storage::findRun(ws, second.finals[0].run.name));
  storage::deleteRun(ws, result.finals[0].run);
  EXPECT_FALSE(storage::requireStudy(ws, "on-doomed").models[0].run.has_value());
  storage::deleteSplit(ws, storage::requireSplit(ws, dataset.id, "doomed"));
  EXPECT_FALSE(storage::findStudy(ws, "on-doomed"));
}

}  // namespace
