// Deleting from the Datasets screen, offscreen, on a real workspace: the confirmation says
// what goes (interactions, splits by name, runs by count); a split goes with its runs and
// nothing else; a dataset goes with its splits and runs while the other dataset stays;
// both run in the background through the core, and the list is read again afterwards.

#include <QAction>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "core/data/synthetic.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/panels/datasets_panel.h"

using reco::storage::Workspace;
using reco::ui::DatasetsPanel;
using reco::ui::MainWindow;

namespace {

constexpr int kTimeoutMs = 20000;

reco::DatasetInfo importShop(Workspace& ws, const char* name, std::uint64_t seed) {
  reco::data::SyntheticOptions shop;
  shop.users = 60;
  shop.items = 30;
  shop.interactions = 900;
  shop.seed = seed;
  reco::io::ImportOptions options;
  options.name = name;
  return reco::storage::importRecords(ws, "synthetic", reco::data::syntheticRecipe(shop), options,
                                      [&](reco::io::RecordSink& sink) {
                                        return reco::data::generateShop(shop, sink, nullptr, {});
                                      },
                                      nullptr, {})
      .dataset;
}

void train(Workspace& ws, const reco::storage::SplitInfo& split, const char* name) {
  reco::ExperimentOptions options;
  options.model = "pop";
  options.runName = name;
  if (reco::runExperiment(ws, split, options, nullptr, {}).outcome != reco::Outcome::Completed)
    qFatal("training stopped");
}

}  // namespace

class TestDatasetDeletion : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
  }

  void deletesASplitThenADatasetWithWhatHangsOffThem() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("delete.reco"));
    reco::DatasetInfo shop;
    std::int64_t firstSplit = 0;
    {
      Workspace ws(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
      shop = importShop(ws, "a-shop", 1);
      importShop(ws, "b-shop", 2);
      const auto first = reco::storage::createSplit(ws, shop, "first", {}, nullptr, {}).split;
      reco::SplitOptions other;
      other.seed = 7;
      const auto second = reco::storage::createSplit(ws, shop, "second", other, nullptr, {}).split;
      train(ws, first, "pop-1");
      train(ws, first, "pop-2");
      train(ws, second, "pop-3");
      firstSplit = first.id;
    }

    MainWindow window;
    window.resize(1280, 860);
    window.show();
    DatasetsPanel* panel = window.datasetsPanel();
    QSignalSpy shown(panel, &DatasetsPanel::detailsShown);
    window.openWorkspace(path);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);
    QVERIFY(panel->selectDataset(QStringLiteral("a-shop")));
    QTRY_VERIFY_WITH_TIMEOUT(
        !panel->datasetDeletionQuestion().isEmpty() &&
            panel->datasetDeletionQuestion().contains(QStringLiteral("a-shop")),
        kTimeoutMs);

    // The confirmation says what goes.
    const QString question = panel->datasetDeletionQuestion();
    QVERIFY2(question.contains(QStringLiteral("“a-shop”")), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("2 splits (first, second)")), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("3 runs")), qPrintable(question));
    QVERIFY2(question.contains(QStringLiteral("%1 interactions").arg(shop.interactions)),
             qPrintable(question));
    QVERIFY2(panel->splitDeletionQuestion(firstSplit).contains(QStringLiteral("2 runs")),
             qPrintable(panel->splitDeletionQuestion(firstSplit)));
    // The Delete button's menu offers the dataset and each split.
    auto* button = panel->findChild<QPushButton*>(QStringLiteral("deleteButton"));
    QVERIFY(button && button->isEnabled() && button->menu());
    QVERIFY(button->menu()->findChild<QAction*>(QStringLiteral("deleteDatasetAction")));
    QVERIFY(button->menu()->actions().size() >= 4);  // the dataset, a section, two splits

    // A split goes with its runs; the other split and its run stay.
    QSignalSpy finished(panel, &DatasetsPanel::deletionFinished);
    QSignalSpy changed(panel, &DatasetsPanel::datasetsChanged);
    QVERIFY(panel->deleteSplit(firstSplit));
    QVERIFY(panel->isDeleting());
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.front().at(0).toBool(), true);
    QCOMPARE(changed.count(), 1);
    {
      Workspace ws(path.toStdString(), Workspace::OpenMode::OpenExisting);
      const auto splits = reco::storage::listSplits(ws, shop.id);
      QCOMPARE(splits.size(), std::size_t(1));
      QCOMPARE(splits.front().name, std::string("second"));
      const auto runs = reco::storage::listRuns(ws);
      QCOMPARE(runs.size(), std::size_t(1));
      QCOMPARE(runs.front().name, std::string("pop-3"));
    }
    // The details are read again: the question now counts one split and one run.
    QTRY_VERIFY_WITH_TIMEOUT(
        panel->datasetDeletionQuestion().contains(QStringLiteral("1 split (second)")), kTimeoutMs);
    QVERIFY(panel->datasetDeletionQuestion().contains(QStringLiteral("1 run ")));

    // The dataset goes with the rest; the other dataset stays and is shown.
    finished.clear();
    QVERIFY(panel->deleteSelectedDataset());
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.front().at(0).toBool(), true);
    auto* table = panel->findChild<QTableView*>(QStringLiteral("datasetTable"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, kTimeoutMs);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("b-shop"));
    Workspace ws(path.toStdString(), Workspace::OpenMode::OpenExisting);
    QCOMPARE(ws.datasets().size(), std::size_t(1));
    QVERIFY(reco::storage::listRuns(ws).empty());
    QVERIFY(reco::storage::listSplits(ws, shop.id).empty());
  }
};

QTEST_MAIN(TestDatasetDeletion)
#include "test_dataset_deletion.moc"
