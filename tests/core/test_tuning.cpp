// Validation during training, early stopping and tuning (core/training/validation_monitor.h,
// tuning.h, core/data/holdout.h). A scripted model whose quality on the validation part
// peaks at a known epoch makes early stopping's decisions exact: it must stop `patience`
// validations after the peak and put the peak's state back.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <istream>
#include <ostream>
#include <set>

#include "core/common/error.h"
#include "core/data/holdout.h"
#include "core/data/synthetic.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/storage/dataset_import.h"
#include "core/training/experiment.h"
#include "core/models/train_observer.h"
#include "core/training/tuning.h"

using namespace reco;

namespace {

constexpr int kPeakEpoch = 3;
std::int64_t lastFitPairs = 0;          // the training pairs the scripted model last saw
std::atomic<int> lastScoredState{0};    // the state the scripted model last scored with

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
      for (std::int32_t item : data_->validation.rowCols(users[r].value)) row[item] = state_ == kPeakEpoch ? 1.0f : -1.0f;
    }
  }
  void save(std::ostream& out) const override { out.write(reinterpret_cast<const char*>(&state_), sizeof state_); }
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
  info.factory = [](const OptionValues& values, const ComputeOptions&) -> std::unique_ptr<Recommender> {
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
  for (std::int64_t k = 0; k < data.userItems.nnz(); ++k) data.ratings.push_back(float(data.userItems.colIndex()[std::size_t(k)]));
  return data;
}

}  // namespace

class TestTuning : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path_;
  storage::SplitInfo withValid_, withoutValid_;

 private slots:
  void initTestCase() {
    registerScripted();
    path_ = dir_.filePath("tuning.reco").toStdString();
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    data::SyntheticOptions shop;
    shop.users = 200;
    shop.items = 60;
    shop.interactions = 7000;
    shop.seed = 11;
    io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = storage::importRecords(
        ws, "synthetic", data::syntheticRecipe(shop), importOptions,
        [&](io::RecordSink& sink) { return data::generateShop(shop, sink, nullptr, {}); }, nullptr, {});
    SplitOptions options;
    options.valid = 0.2;
    withValid_ = storage::createSplit(ws, imported.dataset, "tv", options, nullptr, {}).split;
    options.valid = 0;
    withoutValid_ = storage::createSplit(ws, imported.dataset, "t", options, nullptr, {}).split;
    QVERIFY(withValid_.validPairs > 0);
  }

  void holdOutDrawsPerUserAndKeepsRatingsAligned() {
    const TrainingData full = handMade(30, 10);
    const TrainingData part = holdOutValidation(full, 0.3, 5);
    QCOMPARE(part.userItems.nnz() + part.validation.nnz(), full.userItems.nnz());
    for (std::int32_t u = 0; u < full.userCount; ++u) {
      const auto kept = part.userItems.rowCols(u), held = part.validation.rowCols(u);
      QCOMPARE(held.size(), std::size_t(3));  // round(0.3 * 10)
      std::set<std::int32_t> all(kept.begin(), kept.end());
      for (auto i : held) QVERIFY2(all.insert(i).second, "an item is in both parts");
      const auto original = full.userItems.rowCols(u);
      QCOMPARE(all, std::set<std::int32_t>(original.begin(), original.end()));
      // Ratings follow their pairs: each rating was made equal to its item index.
      const std::size_t base = std::size_t(part.userItems.rowStart()[std::size_t(u)]);
      for (std::size_t k = 0; k < kept.size(); ++k) QCOMPARE(part.ratings[base + k], float(kept[k]));
    }
    // A user with one pair keeps it; the same seed draws the same parts.
    const TrainingData single = holdOutValidation(handMade(3, 1), 0.5, 5);
    QCOMPARE(single.validation.nnz(), std::int64_t(0));
    QCOMPARE(holdOutValidation(full, 0.3, 5).validation.colIndex(), part.validation.colIndex());
    QVERIFY(holdOutValidation(full, 0.3, 6).validation.colIndex() != part.validation.colIndex());
  }

  void earlyStoppingStopsAfterPatienceAndRestoresTheBest() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ExperimentOptions options;
    options.model = "test-scripted";
    options.runName = "scripted-patience";
    options.validation.enabled = true;
    options.validation.metric = "ndcg@5";
    options.validation.patience = 2;
    const auto result = runExperiment(ws, withValid_, options, nullptr, {});
    QCOMPARE(result.outcome, Outcome::Completed);
    const auto epochs = storage::runEpochs(ws, result.run.id);
    // Validations 0, 0, 1, 0, 0: the best is epoch 3, two non-improvements later it stops.
    QCOMPARE(epochs.size(), std::size_t(kPeakEpoch + 2));
    for (const auto& e : epochs) {
      QVERIFY(e.validation.has_value());
      QCOMPARE(e.validationMetric, std::string("ndcg@5"));
      QCOMPARE(*e.validation, e.epoch == kPeakEpoch ? 1.0 : 0.0);
    }
    QCOMPARE(lastScoredState.load(), kPeakEpoch);  // the test part was scored by the best epoch's state
    const std::string& protocol = result.run.protocolJson;
    QVERIFY2(protocol.find("\"best_epoch\":3") != std::string::npos, protocol.c_str());
    QVERIFY2(protocol.find("\"stopped_early\":true") != std::string::npos, protocol.c_str());
    QVERIFY2(protocol.find("\"restored_best_epoch\":true") != std::string::npos, protocol.c_str());
    QCOMPARE(storage::requireRun(ws, "scripted-patience").protocolJson, protocol);
  }

  void validationWithoutPatienceRunsEveryEpoch() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ExperimentOptions options;
    options.model = "test-scripted";
    options.runName = "scripted-every-2";
    options.validation.enabled = true;
    options.validation.every = 2;
    const auto result = runExperiment(ws, withValid_, options, nullptr, {});
    const auto epochs = storage::runEpochs(ws, result.run.id);
    QCOMPARE(epochs.size(), std::size_t(10));
    for (const auto& e : epochs) QCOMPARE(e.validation.has_value(), e.epoch % 2 == 0);
    QCOMPARE(lastScoredState.load(), 10);  // nothing restored without patience
  }

  void validationNeedsAValidationPart() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ExperimentOptions options;
    options.model = "test-scripted";
    options.validation.enabled = true;
    QVERIFY_THROWS_EXCEPTION(Error, runExperiment(ws, withoutValid_, options, nullptr, {}));
    options.validation.metric = "ndcg@0";
    QVERIFY_THROWS_EXCEPTION(Error, runExperiment(ws, withValid_, options, nullptr, {}));
    options.validation = {};
    options.validation.patience = 3;  // patience without validation
    QVERIFY_THROWS_EXCEPTION(Error, runExperiment(ws, withValid_, options, nullptr, {}));
    QVERIFY(!storage::findRun(ws, "test-scripted"));
  }

  void fittingOnTrainAndValidSeesBothParts() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    ExperimentOptions options;
    options.model = "test-scripted";
    options.runName = "scripted-refit";
    options.fitOn = FitOn::TrainAndValid;
    const auto result = runExperiment(ws, withValid_, options, nullptr, {});
    QCOMPARE(lastFitPairs, withValid_.trainPairs + withValid_.validPairs);
    QVERIFY(result.run.protocolJson.find("\"fit_on\":\"train+valid\"") != std::string::npos);
    options.runName = "scripted-train";
    options.fitOn = FitOn::Train;
    runExperiment(ws, withValid_, options, nullptr, {});
    QCOMPARE(lastFitPairs, withValid_.trainPairs);
  }

  void tuningPicksTheBestValidationScoreAndStoresTheSearch() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    TuningOptions options;
    options.experiment.model = "itemknn";
    options.experiment.runName = "knn-tuned";
    options.experiment.compute.threads = 2;
    options.grid = {parseTuningAxis("k=2,20,200")};
    options.folds = 3;
    const TuningResult result = tune(ws, withValid_, options, nullptr, {});
    QCOMPARE(result.outcome, Outcome::Completed);
    QCOMPARE(result.candidates.size(), std::size_t(3));
    for (std::size_t c = 0; c < 3; ++c) {
      QCOMPARE(result.candidates[c].perFold.size(), std::size_t(3));
      QVERIFY(result.candidates[result.best].validation >= result.candidates[c].validation);
    }
    const auto& chosen = result.candidates[result.best].options.at("k");
    QVERIFY2(result.final.run.optionsJson.find("\"k\":\"" + chosen + "\"") != std::string::npos, result.final.run.optionsJson.c_str());
    QVERIFY(result.final.run.protocolJson.find("\"tuning\"") != std::string::npos);
    QVERIFY(result.final.run.protocolJson.find("\"fit_on\":\"train+valid\"") != std::string::npos);
    // The stored run is an ordinary run: it has test metrics.
    QVERIFY(!storage::runMetrics(ws, result.final.run.id).empty());

    // Bad grids are refused before anything trains.
    QVERIFY_THROWS_EXCEPTION(Error, parseTuningAxis("k="));
    options.grid = {parseTuningAxis("k=0,5")};
    QVERIFY_THROWS_EXCEPTION(Error, tune(ws, withValid_, options, nullptr, {}));
    options.grid = {parseTuningAxis("k=5")};
    QVERIFY_THROWS_EXCEPTION(Error, tune(ws, withoutValid_, options, nullptr, {}));
  }
};

QTEST_APPLESS_MAIN(TestTuning)
#include "test_tuning.moc"
