// Validation during training, early stopping and tuning (core/training/validation_monitor.h,
// tuning.h, core/data/holdout.h). A scripted model whose quality on the validation part
// peaks at a known epoch makes early stopping's decisions exact: it must stop `patience`
// validations after the peak and put the peak's state back.

#include <algorithm>
#include <atomic>
#include <istream>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/data/holdout.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/models/train_observer.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"
#include "core/training/tuning.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;

constexpr int kPeakEpoch = 3;
std::int64_t lastFitPairs = 0;        // the training pairs the scripted model last saw
std::atomic<int> lastScoredState{0};  // the state the scripted model last scored with

/// After epoch e its state is e. In state kPeakEpoch it ranks each user's validation items
/// first (validation ndcg 1); in every other state it ranks them last (ndcg 0).
class ScriptedModel final : public Recommender {
 public:
  explicit ScriptedModel(int epochs) : epochs_(epochs) {}
  std::string_view modelName() const override { return "test-scripted"; }
  Outcome fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) override {
    data_ = &data;
    lastFitPairs = data.userItems.nnz();
    for (int e = 1; e <= epochs_ && !stop.stop_requested(); ++e) {
      state_ = e;
      if (finishEpoch(observer, *this, {e, epochs_, 1.0 / e, std::nullopt, "", 0.0})) break;
    }
    return Outcome::Completed;
  }
  bool isFitted() const override { return state_ > 0; }
  std::size_t userCount() const override { return std::size_t(data_->userCount); }
  std::size_t itemCount() const override { return std::size_t(data_->itemCount); }
  void score(std::span<const UserIndex> users, std::span<float> out) const override {
    lastScoredState = state_;
    const std::size_t items = itemCount();
    for (std::size_t r = 0; r < users.size(); ++r) {
      float* row = out.data() + r * items;
      std::fill(row, row + items, 0.0f);
      for (std::int32_t item : data_->validation.rowCols(users[r].value))
        row[item] = state_ == kPeakEpoch ? 1.0f : -1.0f;
    }
  }
  void save(std::ostream& out) const override {
    out.write(reinterpret_cast<const char*>(&state_), sizeof state_);
  }
  void load(std::istream& in) override { in.read(reinterpret_cast<char*>(&state_), sizeof state_); }

 private:
  int epochs_;
  int state_ = 0;
  const TrainingData* data_ = nullptr;
};

void registerScripted() {
  if (findModel("test-scripted")) return;
  ModelInfo info;
  info.name = "test-scripted";
  info.family = "baselines";
  info.summary = "validation peaks at epoch 3";
  info.options = {{"epochs", OptionType::Int, "10", 1.0, 100.0, {}, "epochs"}};
  info.factory = [](const OptionValues& values,
                    const ComputeOptions&) -> std::unique_ptr<Recommender> {
    return std::make_unique<ScriptedModel>(std::stoi(values.at("epochs")));
  };
  defaultRegistry().add(std::move(info));
}

/// A TrainingData of `users` users with `perUser` items each (user u holds items u..u+perUser-1)
/// and a rating per pair.
TrainingData handMade(std::int32_t users, std::int32_t perUser) {
  std::vector<Triplet> entries;
  for (std::int32_t u = 0; u < users; ++u)
    for (std::int32_t j = 0; j < perUser; ++j) entries.push_back({u, u + j, 1.0f});
  TrainingData data;
  data.userCount = users;
  data.itemCount = users + perUser;
  data.userItems = CsrMatrix::fromTriplets(users, data.itemCount, entries);
  data.itemUsers = data.userItems.transposed();
  data.hasRatings = true;
  for (std::int64_t k = 0; k < data.userItems.nnz(); ++k)
    data.ratings.push_back(float(data.userItems.colIndex()[std::size_t(k)]));
  return data;
}

/// One workspace for the suite: a generated shop with a split "tv" that has a validation
/// part (20%) and a split "t" that has none; the scripted model is registered.
class Tuning : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registerScripted();
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("tuning.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 200, 60, 7000, 11);
    SplitOptions options;
    options.valid = 0.2;
    withValid_ = storage::createSplit(ws, dataset, "tv", options, nullptr, {}).split;
    options.valid = 0;
    withoutValid_ = storage::createSplit(ws, dataset, "t", options, nullptr, {}).split;
    // A failure here skips (and fails) every test of the suite.
    ASSERT_GT(withValid_.validPairs, 0);
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_;
  static inline storage::SplitInfo withValid_, withoutValid_;
};

TEST_F(Tuning, HoldOutDrawsPerUserAndKeepsRatingsAligned) {
  const TrainingData full = handMade(30, 10);
  const TrainingData part = holdOutValidation(full, 0.3, 5);
  EXPECT_EQ(part.userItems.nnz() + part.validation.nnz(), full.userItems.nnz());
  for (std::int32_t u = 0; u < full.userCount; ++u) {
    SCOPED_TRACE("user " + std::to_string(u));
    const auto kept = part.userItems.rowCols(u), held = part.validation.rowCols(u);
    EXPECT_EQ(held.size(), 3u);  // round(0.3 * 10)
    std::set<std::int32_t> all(kept.begin(), kept.end());
    for (auto i : held) EXPECT_TRUE(all.insert(i).second) << "an item is in both parts: " << i;
    const auto original = full.userItems.rowCols(u);
    EXPECT_EQ(all, std::set<std::int32_t>(original.begin(), original.end()));
    // Ratings follow their pairs: each rating was made equal to its item index.
    const std::size_t base = std::size_t(part.userItems.rowStart()[std::size_t(u)]);
    for (std::size_t k = 0; k < kept.size(); ++k)
      EXPECT_EQ(part.ratings[base + k], float(kept[k])) << "pair " << k;
  }
  // A user with one pair keeps it; the same seed draws the same parts.
  const TrainingData single = holdOutValidation(handMade(3, 1), 0.5, 5);
  EXPECT_EQ(single.validation.nnz(), 0);
  EXPECT_EQ(holdOutValidation(full, 0.3, 5).validation.colIndex(), part.validation.colIndex());
  EXPECT_NE(holdOutValidation(full, 0.3, 6).validation.colIndex(), part.validation.colIndex());
}

TEST_F(Tuning, EarlyStoppingStopsAfterPatienceAndRestoresTheBest) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ExperimentOptions options;
  options.model = "test-scripted";
  options.runName = "scripted-patience";
  options.validation.enabled = true;
  options.validation.metric = "ndcg@5";
  options.validation.patience = 2;
  const auto result = runExperiment(ws, withValid_, options, nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  const auto epochs = storage::runEpochs(ws, result.run.id);
  // Validations 0, 0, 1, 0, 0: the best is epoch 3, two non-improvements later it stops.
  EXPECT_EQ(epochs.size(), std::size_t(kPeakEpoch + 2));
  for (const auto& e : epochs) {
    SCOPED_TRACE("epoch " + std::to_string(e.epoch));
    ASSERT_TRUE(e.validation.has_value());
    EXPECT_EQ(e.validationMetric, "ndcg@5");
    EXPECT_CLOSE(*e.validation, e.epoch == kPeakEpoch ? 1.0 : 0.0, 1e-12);
  }
  EXPECT_EQ(lastScoredState.load(),
            kPeakEpoch);  // the test part was scored by the best epoch's state
  const std::string& protocol = result.run.protocolJson;
  EXPECT_NE(protocol.find("\"best_epoch\":3"), std::string::npos) << protocol;
  EXPECT_NE(protocol.find("\"stopped_early\":true"), std::string::npos) << protocol;
  EXPECT_NE(protocol.find("\"restored_best_epoch\":true"), std::string::npos) << protocol;
  EXPECT_EQ(storage::requireRun(ws, "scripted-patience").protocolJson, protocol);
}

TEST_F(Tuning, ValidationWithoutPatienceRunsEveryEpoch) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ExperimentOptions options;
  options.model = "test-scripted";
  options.runName = "scripted-every-2";
  options.validation.enabled = true;
  options.validation.every = 2;
  const auto result = runExperiment(ws, withValid_, options, nullptr, {});
  const auto epochs = storage::runEpochs(ws, result.run.id);
  EXPECT_EQ(epochs.size(), 10u);
  for (const auto& e : epochs)
    EXPECT_EQ(e.validation.has_value(), e.epoch % 2 == 0) << "epoch " << e.epoch;
  EXPECT_EQ(lastScoredState.load(), 10);  // nothing restored without patience
}

TEST_F(Tuning, ValidationNeedsAValidationPart) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ExperimentOptions options;
  options.model = "test-scripted";
  options.validation.enabled = true;
  EXPECT_THROW(runExperiment(ws, withoutValid_, options, nullptr, {}), Error);
  options.validation.metric = "ndcg@0";
  EXPECT_THROW(runExperiment(ws, withValid_, options, nullptr, {}), Error);
  options.validation = {};
  options.validation.patience = 3;  // patience without validation
  EXPECT_THROW(runExperiment(ws, withValid_, options, nullptr, {}), Error);
  EXPECT_FALSE(storage::findRun(ws, "test-scripted"));
}

TEST_F(Tuning, FittingOnTrainAndValidSeesBothParts) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ExperimentOptions options;
  options.model = "test-scripted";
  options.runName = "scripted-refit";
  options.fitOn = FitOn::TrainAndValid;
  const auto result = runExperiment(ws, withValid_, options, nullptr, {});
  EXPECT_EQ(lastFitPairs, withValid_.trainPairs + withValid_.validPairs);
  EXPECT_NE(result.run.protocolJson.find("\"fit_on\":\"train+valid\""), std::string::npos)
      << result.run.protocolJson;
  options.runName = "scripted-train";
  options.fitOn = FitOn::Train;
  runExperiment(ws, withValid_, options, nullptr, {});
  EXPECT_EQ(lastFitPairs, withValid_.trainPairs);
}

TEST_F(Tuning, PicksTheBestValidationScoreAndStoresTheSearch) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  TuningOptions options;
  options.experiment.model = "itemknn";
  options.experiment.runName = "knn-tuned";
  options.experiment.compute.threads = 2;
  options.grid = {parseTuningAxis("k=2,20,200")};
  options.folds = 3;
  const TuningResult result = tune(ws, withValid_, options, nullptr, {});
  ASSERT_EQ(result.outcome, Outcome::Completed);
  ASSERT_EQ(result.candidates.size(), 3u);
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(result.candidates[c].perFold.size(), 3u) << "candidate " << c;
    EXPECT_GE(result.candidates[result.best].validation, result.candidates[c].validation)
        << "candidate " << c;
  }
  const auto& chosen = result.candidates[result.best].options.at("k");
  EXPECT_NE(result.final.run.optionsJson.find("\"k\":\"" + chosen + "\""), std::string::npos)
      << result.final.run.optionsJson;
  EXPECT_NE(result.final.run.protocolJson.find("\"tuning\""), std::string::npos)
      << result.final.run.protocolJson;
  EXPECT_NE(result.final.run.protocolJson.find("\"fit_on\":\"train+valid\""), std::string::npos)
      << result.final.run.protocolJson;
  // The stored run is an ordinary run: it has test metrics.
  EXPECT_FALSE(storage::runMetrics(ws, result.final.run.id).empty());

  // Bad grids are refused before anything trains.
  EXPECT_THROW(parseTuningAxis("k="), Error);
  options.grid = {parseTuningAxis("k=0,5")};
  EXPECT_THROW(tune(ws, withValid_, options, nullptr, {}), Error);
  options.grid = {parseTuningAxis("k=5")};
  EXPECT_THROW(tune(ws, withoutValid_, options, nullptr, {}), Error);
}

}  // namespace
