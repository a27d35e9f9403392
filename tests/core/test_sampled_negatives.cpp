// Frozen negatives of sampled evaluation (core/data/sampled_negatives.h, storage::
// splitNegatives): drawn once per split and count, stored, read back identically by later
// runs, never one of the user's pairs in any part, and labelled sampled in the run.
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "core/data/synthetic.h"
#include "core/data/sampled_negatives.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"

using namespace reco;

class TestSampledNegatives : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path_;
  storage::SplitInfo split_;

  std::int64_t storedRows(storage::Workspace& ws) {
    return ws.db().queryInt("SELECT count(*) FROM split_negatives WHERE split_id = " + std::to_string(split_.id)).value_or(-1);
  }

 private slots:
  void initTestCase() {
    path_ = dir_.filePath("sampled.reco").toStdString();
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    data::SyntheticOptions shop;
    shop.users = 150;
    shop.items = 80;
    shop.interactions = 5000;
    shop.seed = 3;
    io::ImportOptions importOptions;
    importOptions.name = "shop";
    const auto imported = storage::importRecords(
        ws, "synthetic", data::syntheticRecipe(shop), importOptions,
        [&](io::RecordSink& sink) { return data::generateShop(shop, sink, nullptr, {}); }, nullptr, {});
    SplitOptions options;
    options.valid = 0.15;
    split_ = storage::createSplit(ws, imported.dataset, "tv", options, nullptr, {}).split;
  }

  void negativesAvoidEveryPartOfTheSplit() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    const auto loaded = storage::loadSplit(ws, split_, 42);
    const FrozenNegatives frozen = drawNegatives(*loaded.train, loaded.test, 20, 42, 2);
    QCOMPARE(frozen.users(), loaded.test.rows());
    for (std::int32_t u = 0; u < frozen.users(); ++u) {
      std::set<std::int32_t> pairs;
      for (auto i : loaded.train->userItems.rowCols(u)) pairs.insert(i);
      for (auto i : loaded.train->validation.rowCols(u)) pairs.insert(i);
      std::size_t relevant = 0;
      for (auto i : loaded.test.rowCols(u)) relevant += pairs.insert(i).second ? 1 : 0;
      const auto list = frozen.forUser(u);
      const std::size_t perItem = std::min<std::size_t>(20, std::size_t(loaded.train->itemCount) - pairs.size());
      QCOMPARE(list.size(), relevant * perItem);
      for (std::size_t j = 0; j < relevant; ++j) {
        std::set<std::int32_t> distinct;
        for (std::size_t k = 0; k < perItem; ++k) {
          const auto item = list[j * perItem + k];
          QVERIFY2(!pairs.contains(item), "a negative is one of the user's pairs");
          QVERIFY(distinct.insert(item).second);
        }
      }
    }
    // The thread count does not change the draw.
    QCOMPARE(drawNegatives(*loaded.train, loaded.test, 20, 42, 1).items, frozen.items);
  }

  void storedOnceAndSharedByRuns() {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    QCOMPARE(storedRows(ws), std::int64_t(0));
    ExperimentOptions options;
    options.model = "pop";
    options.eval.ks = {10};
    options.eval.sampledNegatives = 30;
    const auto first = runExperiment(ws, split_, options, nullptr, {});
    const std::int64_t rows = storedRows(ws);
    QVERIFY(rows > 0);
    options.model = "itemknn";
    runExperiment(ws, split_, options, nullptr, {});
    QCOMPARE(storedRows(ws), rows);  // the second run read them back

    const auto loaded = storage::loadSplit(ws, split_, 42);
    const FrozenNegatives stored = storage::splitNegatives(ws, split_, loaded, 30);
    QCOMPARE(stored.items, drawNegatives(*loaded.train, loaded.test, 30, split_.options.seed, 0).items);
    QCOMPARE(stored.start, drawNegatives(*loaded.train, loaded.test, 30, split_.options.seed, 0).start);
    // A run fitted on train+valid ranks against the same negatives.
    const auto merged = storage::loadSplit(ws, split_, 42, true);
    QCOMPARE(storage::splitNegatives(ws, split_, merged, 30).items, stored.items);

    bool sawSampled = false;
    for (const auto& m : storage::runMetrics(ws, first.run.id)) {
      QCOMPARE(m.sampled, m.metric.rfind("sampled_", 0) == 0);
      sawSampled = sawSampled || m.sampled;
    }
    QVERIFY(sawSampled);
    // Deleting the split's dataset takes the negatives with it (ON DELETE CASCADE).
    ws.db().exec("DELETE FROM splits WHERE id = " + std::to_string(split_.id));
    QCOMPARE(storedRows(ws), std::int64_t(0));
  }
};

QTEST_APPLESS_MAIN(TestSampledNegatives)
#include "test_sampled_negatives.moc"
