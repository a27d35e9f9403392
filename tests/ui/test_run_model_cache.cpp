// The panels' cache of loaded run models (ui/workers/run_model_cache.h): a model asked for
// again is the one already loaded; the least recently asked for goes first once the cache
// holds more models, or more bytes of model files, than its bounds; getOrRead uses a cached
// model but never keeps one it had to read. Identity of the shared pointers says what was
// kept: a model read again is a new object.
#include <QTemporaryDir>
#include <QtTest>
#include <string>
#include <vector>

#include "core/storage/run_store.h"
#include "core/storage/stored_model.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "tests/support/shop_workspace.h"
#include "ui/workers/run_model_cache.h"

using reco::storage::RunInfo;
using reco::storage::Workspace;
using reco::ui::RunModelCache;

class TestRunModelCache : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    path_ = (dir_.path() + QStringLiteral("/cache.reco")).toStdString();
    Workspace ws(path_, Workspace::OpenMode::CreateIfMissing);
    const auto dataset = reco::testing::importSyntheticShop(ws, 80, 30, 900, 3);
    const auto split = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* k : {"2", "3", "4", "5"}) {
      reco::ExperimentOptions options;
      options.runName = std::string("knn-") + k;
      options.model = "itemknn";
      options.options = {{"k", k}};
      const auto result = reco::runExperiment(ws, split, options, nullptr, {});
      QCOMPARE(result.outcome, reco::Outcome::Completed);
      runs_.push_back(result.run);
    }
  }

  void aModelAskedForAgainIsTheOneLoaded() {
    Workspace ws(path_, Workspace::OpenMode::OpenExisting);
    RunModelCache cache;
    const auto first = cache.get(ws, runs_[0]);
    QVERIFY(first && first->model);
    QCOMPARE(cache.get(ws, runs_[0]).get(), first.get());
    QCOMPARE(cache.getOrRead(ws, runs_[0]).get(), first.get());
    QVERIFY(cache.get(ws, runs_[1]).get() != first.get());
  }

  void theLeastRecentlyAskedForGoesFirstByCount() {
    Workspace ws(path_, Workspace::OpenMode::OpenExisting);
    RunModelCache cache(2);
    const auto a = cache.get(ws, runs_[0]);
    const auto b = cache.get(ws, runs_[1]);
    QCOMPARE(cache.get(ws, runs_[0]).get(), a.get());  // a is now the newest
    cache.get(ws, runs_[2]);                           // drops b, the least recent
    QCOMPARE(cache.get(ws, runs_[0]).get(), a.get());
    QVERIFY(cache.get(ws, runs_[1]).get() != b.get());  // read again
  }

  void theBytesOfTheModelFilesBoundTheCache() {
    Workspace ws(path_, Workspace::OpenMode::OpenExisting);
    std::int64_t twoModels = 0;
    for (int r : {0, 1}) twoModels += reco::storage::runModelBytes(ws, runs_[std::size_t(r)].id);
    QVERIFY(twoModels > 0);
    RunModelCache cache(RunModelCache::kMaxModels, twoModels);
    const auto a = cache.get(ws, runs_[0]);
    const auto b = cache.get(ws, runs_[1]);
    QCOMPARE(cache.get(ws, runs_[1]).get(), b.get());
    QCOMPARE(cache.get(ws, runs_[0]).get(), a.get());
    cache.get(ws, runs_[2]);  // over the bytes: b, the least recent, goes
    QVERIFY(cache.get(ws, runs_[1]).get() != b.get());
    // Even a model over the bound alone stays while it is the newest.
    RunModelCache tiny(RunModelCache::kMaxModels, 1);
    const auto only = tiny.get(ws, runs_[3]);
    QCOMPARE(tiny.get(ws, runs_[3]).get(), only.get());
  }

  void getOrReadNeverKeepsWhatItRead() {
    Workspace ws(path_, Workspace::OpenMode::OpenExisting);
    RunModelCache cache;
    const auto read = cache.getOrRead(ws, runs_[3]);
    QVERIFY(read && read->model);
    QVERIFY(cache.getOrRead(ws, runs_[3]).get() != read.get());
    const auto kept = cache.get(ws, runs_[3]);
    QVERIFY(kept.get() != read.get());
    QCOMPARE(cache.getOrRead(ws, runs_[3]).get(), kept.get());
  }

 private:
  QTemporaryDir dir_;
  std::string path_;
  std::vector<RunInfo> runs_;
};

QTEST_GUILESS_MAIN(TestRunModelCache)
#include "test_run_model_cache.moc"
