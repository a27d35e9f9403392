// The Experiments panel, offscreen, on generated workspaces: the runs table model under
// QAbstractItemModelTester, with a tuned run marked "(tuned)" and its study in the tooltip;
// training from the form (live row, stored row with its key
// metric, the stored curve); a failing run's error in the table; deleting a run after the
// confirmation; a deep model (sasrec) trained from the form; drawing a split in the
// background; the first-start demo runs; and the curve's throttled replots.

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "core/data/synthetic.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/models/run_table_model.h"
#include "ui/panels/experiments_panel.h"
#include "ui/plots/loss_curve_plot.h"
#include "ui/widgets/option_form.h"
#include "ui/widgets/run_setup_form.h"
#include "ui/workers/run_queue.h"
#include "ui/workers/split_job.h"

using reco::storage::Workspace;
using reco::ui::ExperimentsPanel;
using reco::ui::RunTableModel;

namespace {

constexpr int kTimeoutMs = 30000;

/// A workspace with a small generated shop; with `split`, also a random split "holdout"
/// with a validation part.
reco::DatasetInfo makeWorkspace(const QString& path, bool split) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
  const reco::DatasetInfo dataset =
      reco::testing::importSyntheticShop(workspace, 250, 100, 5000, 11);
  if (split) reco::testing::createHoldoutSplit(workspace, dataset);
  return dataset;
}

reco::ui::StoredRunList storedRuns(int count) {
  auto runs = std::make_shared<std::vector<reco::ui::StoredRun>>();
  for (int i = 0; i < count; ++i) {
    reco::ui::StoredRun run;
    run.info.id = 10 + i;
    run.info.name = "run-" + std::to_string(i);
    run.info.model = i % 2 ? "bpr" : "pop";
    run.info.status = i == 2 ? "failed" : "done";
    run.info.error = i == 2 ? "ease needs more memory" : "";
    run.info.startedAt = 1700000000 + i;
    if (i != 2) run.info.trainSeconds = 0.5 * i;
    run.datasetName = "shop";
    run.splitName = "holdout";
    if (i != 2) run.keyMetric = 0.1 * i;
    runs->push_back(run);
  }
  return runs;
}

QTableView* runTable(ExperimentsPanel& panel) {
  auto* table = panel.findChild<QTableView*>(QStringLiteral("runTable"));
  if (!table) qFatal("no run table");
  return table;
}

/// The displayed text of column `column` in the row of run `name`; empty when no such row.
QString cellOf(ExperimentsPanel& panel, const QString& name, int column) {
  QAbstractItemModel* model = runTable(panel)->model();
  for (int row = 0; row < model->rowCount(); ++row) {
    if (model->index(row, 0).data(RunTableModel::RunNameRole).toString() == name)
      return model->index(row, column).data().toString();
  }
  return {};
}

std::vector<reco::storage::RunInfo> runsIn(const QString& path) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::OpenExisting);
  return reco::storage::listRuns(workspace);
}

}  // namespace

class TestExperimentsPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
  }

  void theRunTableModelPassesTheTester() {
    RunTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSortRole(RunTableModel::SortRole);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(RunTableModel::StartedColumn, Qt::DescendingOrder);

    model.setStoredRuns(storedRuns(4));
    QCOMPARE(model.rowCount(), 4);
    reco::ui::LiveRun live;
    live.id = 1;
    live.name = QStringLiteral("bpr-live");
    live.model = QStringLiteral("bpr");
    live.state = QStringLiteral("running");
    live.status = QStringLiteral("epoch 3/20");
    live.queuedAt = 1800000000;
    model.upsertLive(live);
    live.id = 2;
    live.name = QStringLiteral("als-queued");
    live.state = QStringLiteral("queued");
    live.status = QStringLiteral("queued");
    model.upsertLive(live);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.liveCount(), 2);
    QCOMPARE(model.rowOfLive(2), 1);
    QCOMPARE(model.rowOfStored(11), 3);
    QCOMPARE(model.rowOfName(QStringLiteral("run-3")), 5);

    // Live rows update in place (a dataChanged, not a reset).
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    live.id = 1;
    live.name = QStringLiteral("bpr-live");
    live.state = QStringLiteral("running");
    live.status = QStringLiteral("epoch 4/20");
    model.upsertLive(live);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, RunTableModel::StatusColumn).data().toString(),
             QStringLiteral("epoch 4/20"));

    // Display, roles and sorting.
    const int failedRow = model.rowOfStored(12);
    QVERIFY(model.index(failedRow, RunTableModel::StatusColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("failed: ease")));
    QCOMPARE(model.index(failedRow, 0).data(RunTableModel::ErrorRole).toString(),
             QStringLiteral("ease needs more memory"));
    QCOMPARE(model.index(model.rowOfStored(13), RunTableModel::KeyMetricColumn).data().toString(),
             QStringLiteral("0.3000"));
    QCOMPARE(
        model.index(model.rowOfStored(13), 0).data(RunTableModel::StoredRunIdRole).toLongLong(),
        13LL);
    QCOMPARE(model.index(0, 0).data(RunTableModel::StoredRunIdRole).toLongLong(), -1LL);
    QCOMPARE(model.index(0, 0).data(RunTableModel::LiveRunIdRole).toInt(), 1);
    QCOMPARE(proxy.index(0, 0).data(RunTableModel::RunNameRole).toString(),
             QStringLiteral("bpr-live"));
    proxy.sort(RunTableModel::KeyMetricColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data(RunTableModel::RunNameRole).toString(),
             QStringLiteral("run-3"));
    QVERIFY(!model.headerData(RunTableModel::KeyMetricColumn, Qt::Horizontal, Qt::ToolTipRole)
                 .toString()
                 .isEmpty());

    QVERIFY(model.removeLive(1));
    QVERIFY(!model.removeLive(1));
    QCOMPARE(model.rowCount(), 5);
    model.setStoredRuns(nullptr);
    QCOMPARE(model.rowCount(), 1);
    model.clearLive();
    QCOMPARE(model.rowCount(), 0);
    model.setStoredRuns(storedRuns(2));
  }

  void theRunTableMarksTunedRuns() {
    auto runs = std::make_shared<std::vector<reco::ui::StoredRun>>(*storedRuns(3));
    // run-1 was chosen by study "s1"; run-0's protocol mentions no tuning.
    (*runs)[1].info.optionsJson = R"({"factors":48})";
    (*runs)[1].info.protocolJson =
        R"({"split":"holdout","tuning":{"study":"s1","search":"smbo","metric":"ndcg@10",)"
        R"("candidates":[{"factors":16},{"factors":48}]}})";
    (*runs)[0].info.protocolJson = R"({"split":"holdout","resolved":{"learning_rate":"0.2"}})";
    RunTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStoredRuns(runs);
    const QModelIndex tuned = model.index(model.rowOfStored(11), RunTableModel::ModelColumn);
    const QModelIndex plain = model.index(model.rowOfStored(10), RunTableModel::ModelColumn);
    QCOMPARE(tuned.data().toString(), QStringLiteral("bpr  (tuned)"));
    QCOMPARE(plain.data().toString(), QStringLiteral("pop"));
    // Sorting and the panel's curve caption read the model without the mark.
    QCOMPARE(tuned.data(RunTableModel::SortRole).toString(), QStringLiteral("bpr"));
    QCOMPARE(tuned.data(RunTableModel::TuningStudyRole).toString(), QStringLiteral("s1"));
    QVERIFY(!plain.data(RunTableModel::TuningStudyRole).isValid());
    const QString tip = tuned.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("study 's1'")) ||
                 tip.contains(QStringLiteral("study &#x27;s1&#x27;")),
             qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("2 options tried")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("factors")) && tip.contains(QStringLiteral("48")),
             qPrintable(tip));
    QVERIFY(!plain.data(Qt::ToolTipRole).isValid());
    // What an auto option chose is in the name's tooltip.
    const QString plainName = model.index(model.rowOfStored(10), RunTableModel::NameColumn)
                                  .data(Qt::ToolTipRole)
                                  .toString();
    QVERIFY2(plainName.contains(QStringLiteral("Chosen from the training data (auto): "
                                               "learning_rate 0.2")),
             qPrintable(plainName));
    QVERIFY(model.index(model.rowOfStored(11), RunTableModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("s1")));
    // A reset forgets the marks of the runs shown before.
    model.setStoredRuns(storedRuns(2));
    QCOMPARE(model.index(model.rowOfStored(11), RunTableModel::ModelColumn).data().toString(),
             QStringLiteral("bpr"));
  }

  void trainsARunFromTheFormAndShowsItStored() {
    const QString path = dir_.filePath(QStringLiteral("train.reco"));
    makeWorkspace(path, true);
    ExperimentsPanel panel(nullptr);
    panel.resize(1300, 860);
    panel.show();
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(path);
    QVERIFY(loaded.wait(kTimeoutMs));
    QVERIFY(panel.currentSplit().has_value());
    QCOMPARE(QString::fromStdString(panel.currentSplit()->name), QStringLiteral("holdout"));
    auto* datasets = panel.findChild<QComboBox*>(QStringLiteral("datasetCombo"));
    QCOMPARE(datasets->count(), 1);
    QCOMPARE(datasets->currentText(), QStringLiteral("shop"));

    reco::ui::RunSetupForm* setup = panel.runSetup();
    QVERIFY(setup->selectModel(QStringLiteral("bpr")));
    QVERIFY(setup->optionForm()->setValue(QStringLiteral("epochs"), QStringLiteral("5")));
    QVERIFY(setup->optionForm()->setValue(QStringLiteral("factors"), QStringLiteral("8")));
    setup->validationCheck()->setChecked(true);
    QVERIFY(setup->queueButton()->isEnabled());
    QSignalSpy runsChanged(&panel, &ExperimentsPanel::runsChanged);
    QSignalSpy epochs(panel.runQueue(), &reco::ui::RunQueue::epochArrived);
    QTest::mouseClick(setup->queueButton(), Qt::LeftButton);
    // The run is listed at once, before it trains.
    QVERIFY(!cellOf(panel, QStringLiteral("bpr"), RunTableModel::StatusColumn).isEmpty());
    QCOMPARE(setup->runNameEdit()->text(), QStringLiteral("bpr-2"));  // the next name is free
    QVERIFY(runsChanged.wait(kTimeoutMs));
    QCOMPARE(epochs.count(), 5);
    // Shown from the workspace once stored (the live row gives way): done, with its key metric.
    QTRY_COMPARE_WITH_TIMEOUT(panel.runTable()->liveCount(), 0, kTimeoutMs);
    QCOMPARE(cellOf(panel, QStringLiteral("bpr"), RunTableModel::StatusColumn),
             QStringLiteral("done"));
    bool isNumber = false;
    cellOf(panel, QStringLiteral("bpr"), RunTableModel::KeyMetricColumn).toDouble(&isNumber);
    QVERIFY(isNumber);
    // The run that was followed live stays selected, and its stored curve is shown.
    QVERIFY(panel.selectRun(QStringLiteral("bpr")));
    QTRY_COMPARE_WITH_TIMEOUT(panel.lossCurve()->lossPointCount(), 5, kTimeoutMs);
    QCOMPARE(panel.lossCurve()->title(), QStringLiteral("bpr · bpr"));

    // A failing run shows its error in the table; the panel carries on.
    QVERIFY(panel.queueRun(QStringLiteral("ease"), {{"max_memory_gb", "0.000000001"}}));
    QVERIFY(runsChanged.wait(kTimeoutMs));
    // Stored as failed by the core: the stored row replaces the live one.
    QTRY_COMPARE_WITH_TIMEOUT(panel.runTable()->liveCount(), 0, kTimeoutMs);
    QVERIFY(cellOf(panel, QStringLiteral("ease"), RunTableModel::StatusColumn)
                .startsWith(QStringLiteral("failed: ")));
    QVERIFY(cellOf(panel, QStringLiteral("ease"), RunTableModel::StatusColumn)
                .contains(QStringLiteral("ease needs")));

    // Deleting asks first; the run then goes from the workspace and the table.
    QVERIFY(panel.selectRun(QStringLiteral("ease")));
    // The confirmation runs its own event loop; a timer answers it from inside.
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&answer] {
      for (QWidget* widget : QApplication::topLevelWidgets()) {
        auto* box = qobject_cast<QMessageBox*>(widget);
        if (box && box->isVisible()) {
          answer.stop();
          box->button(QMessageBox::Yes)->click();
        }
      }
    });
    answer.start();
    QPushButton* remove = panel.findChild<QPushButton*>(QStringLiteral("deleteRunButton"));
    QVERIFY(remove->isEnabled());
    const int before = int(runsChanged.count());
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(runsChanged.count() > before, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(
        cellOf(panel, QStringLiteral("ease"), RunTableModel::NameColumn).isEmpty(), kTimeoutMs);
    const auto stored = runsIn(path);
    QCOMPARE(int(stored.size()), 1);
    QCOMPARE(QString::fromStdString(stored.front().name), QStringLiteral("bpr"));
  }

  void trainsADeepModelFromTheForm() {
    // A deep model through the same form, queue and curve as the classic ones: sasrec
    // (the module loads at run time), with validation every epoch.
    const auto& module = reco::loadTorchModule(reco::defaultRegistry());
    if (!module.loaded)
      QSKIP(qPrintable(QStringLiteral("no deep-model module in this build: ") +
                       QString::fromStdString(module.error)));
    const QString path = dir_.filePath(QStringLiteral("deep.reco"));
    makeWorkspace(path, true);
    ExperimentsPanel panel(nullptr);
    panel.resize(1300, 860);
    panel.show();
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(path);
    QVERIFY(loaded.wait(kTimeoutMs));
    reco::ui::RunSetupForm* setup = panel.runSetup();
    QVERIFY(setup->selectModel(QStringLiteral("sasrec")));
    for (const auto& [key, value] :
         {std::pair{"epochs", "3"}, {"factors", "16"}, {"max_length", "10"}})
      QVERIFY2(setup->optionForm()->setValue(QString(key), QString(value)), key);
    setup->validationCheck()->setChecked(true);
    QSignalSpy runsChanged(&panel, &ExperimentsPanel::runsChanged);
    QSignalSpy epochs(panel.runQueue(), &reco::ui::RunQueue::epochArrived);
    QTest::mouseClick(setup->queueButton(), Qt::LeftButton);
    QVERIFY(runsChanged.wait(kTimeoutMs));
    QCOMPARE(epochs.count(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(panel.runTable()->liveCount(), 0, kTimeoutMs);
    QCOMPARE(cellOf(panel, QStringLiteral("sasrec"), RunTableModel::StatusColumn),
             QStringLiteral("done"));
    QVERIFY(panel.selectRun(QStringLiteral("sasrec")));
    QTRY_COMPARE_WITH_TIMEOUT(panel.lossCurve()->lossPointCount(), 3, kTimeoutMs);
    QCOMPARE(panel.lossCurve()->validationPointCount(), 3);
    const auto stored = runsIn(path);
    QCOMPARE(int(stored.size()), 1);
    QCOMPARE(QString::fromStdString(stored.front().device).left(3), QStringLiteral("cpu"));
  }

  void runNamesAreFreeInANewWorkspaceAndCancelledRunsLeaveTheList() {
    const QString first = dir_.filePath(QStringLiteral("names-a.reco"));
    const QString second = dir_.filePath(QStringLiteral("names-b.reco"));
    makeWorkspace(first, true);
    makeWorkspace(second, true);
    ExperimentsPanel panel(nullptr);
    panel.resize(1320, 860);
    panel.show();
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(first);
    QVERIFY(loaded.wait(kTimeoutMs));
    reco::ui::RunQueue* queue = panel.runQueue();
    QSignalSpy finished(queue, &reco::ui::RunQueue::runFinished);
    QVERIFY(panel.queueRun(QStringLiteral("pop")));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(panel.runSetup()->freeName(QStringLiteral("pop")), QStringLiteral("pop-2"));

    // A cancelled run leaves the runs table (nothing of it is stored) and its name is free.
    QSignalSpy epochs(queue, &reco::ui::RunQueue::epochArrived);
    QVERIFY(panel.queueRun(QStringLiteral("bpr"), {{"epochs", "100000"}}));
    QVERIFY(epochs.wait(kTimeoutMs));
    QVERIFY(!cellOf(panel, QStringLiteral("bpr"), RunTableModel::StatusColumn).isEmpty());
    finished.clear();
    QVERIFY(queue->cancel(queue->ids().back()));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.front().at(1).value<reco::ui::RunState>(), reco::ui::RunState::Cancelled);
    QVERIFY(cellOf(panel, QStringLiteral("bpr"), RunTableModel::NameColumn).isEmpty());
    QCOMPARE(panel.runSetup()->freeName(QStringLiteral("bpr")), QStringLiteral("bpr"));
    auto* message = panel.findChild<QLabel*>(QStringLiteral("panelMessage"));
    QVERIFY(message->isVisible() && message->text().contains(QStringLiteral("cancelled")));

    // Another workspace: the first one's finished runs leave the queue and take no names.
    loaded.clear();
    panel.setWorkspace(second);
    QVERIFY(loaded.wait(kTimeoutMs));
    QVERIFY(queue->ids().empty());
    QCOMPARE(panel.runSetup()->freeName(QStringLiteral("pop")), QStringLiteral("pop"));
    QVERIFY(panel.runSetup()->selectModel(QStringLiteral("pop")));
    QCOMPARE(panel.runSetup()->runNameEdit()->text(), QStringLiteral("pop"));
    QCOMPARE(panel.runTable()->liveCount(), 0);
  }

  void drawsASplitInTheBackground() {
    const QString path = dir_.filePath(QStringLiteral("split.reco"));
    const reco::DatasetInfo dataset = makeWorkspace(path, false);
    reco::ui::SplitJob job(nullptr);
    QSignalSpy completed(&job, &reco::ui::SplitJob::completed);
    QSignalSpy failed(&job, &reco::ui::SplitJob::failed);
    reco::SplitOptions options;
    options.protocol = reco::SplitProtocol::LeaveLast;
    options.test = 1;
    QVERIFY(job.start(path, dataset, QStringLiteral("loo"), options));
    QVERIFY(job.isRunning());
    QVERIFY(!job.start(path, dataset, QStringLiteral("other"), options));  // one at a time
    QVERIFY(completed.wait(kTimeoutMs));
    QVERIFY(!job.isRunning());
    const auto split = completed.front().front().value<reco::storage::SplitInfo>();
    QCOMPARE(QString::fromStdString(split.name), QStringLiteral("loo"));
    QVERIFY(split.testPairs > 0);
    // The name is taken now: the core's error arrives as a message.
    QVERIFY(job.start(path, dataset, QStringLiteral("loo"), options));
    QVERIFY(failed.wait(kTimeoutMs));
    QVERIFY2(failed.front().front().toString().contains(QStringLiteral("loo")),
             qPrintable(failed.front().front().toString()));
  }

  void theFirstStartQueuesDemoRuns() {
    const QString path = dir_.filePath(QStringLiteral("demo.reco"));
    makeWorkspace(path, false);
    ExperimentsPanel panel(nullptr);
    panel.resize(1300, 860);
    panel.show();
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    QSignalSpy splitCreated(&panel, &ExperimentsPanel::splitCreated);
    QSignalSpy drained(panel.runQueue(), &reco::ui::RunQueue::drained);
    panel.setWorkspace(path);
    // Asked before the workspace was read: the panel checks it itself.
    QVERIFY(panel.queueDemoRunsIfEmpty());
    QVERIFY(splitCreated.count() == 1 || splitCreated.wait(kTimeoutMs));
    QCOMPARE(splitCreated.front().front().toString(), QStringLiteral("demo-holdout"));
    QVERIFY(drained.wait(kTimeoutMs));
    QTRY_COMPARE_WITH_TIMEOUT(
        int(panel.runTable()->storedRuns() ? panel.runTable()->storedRuns()->size() : 0), 5,
        kTimeoutMs);
    QStringList models;
    for (const auto& run : runsIn(path)) {
      QCOMPARE(QString::fromStdString(run.status), QStringLiteral("done"));
      models << QString::fromStdString(run.model);
    }
    models.sort();
    QCOMPARE(models, (QStringList{"als", "bpr", "ease", "itemknn", "pop"}));
    QCOMPARE(QString::fromStdString(panel.currentSplit()->name), QStringLiteral("demo-holdout"));
    QVERIFY(panel.currentSplit()->validPairs > 0);
    // Runs exist now: nothing more to do.
    QVERIFY(!panel.queueDemoRunsIfEmpty());
    // The iterative runs stored their epochs: the curve shows them.
    QVERIFY(panel.selectRun(QStringLiteral("als")));
    QTRY_VERIFY_WITH_TIMEOUT(panel.lossCurve()->lossPointCount() > 0, kTimeoutMs);
  }

  void anEmptyWorkspaceHasNothingToDemo() {
    const QString path = dir_.filePath(QStringLiteral("empty.reco"));
    { Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing); }
    ExperimentsPanel panel(nullptr);
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(path);
    QVERIFY(loaded.wait(kTimeoutMs));
    QVERIFY(!panel.queueDemoRunsIfEmpty());
    QVERIFY(!panel.runSetup()->queueButton()->isEnabled());
    panel.setWorkspace(QString());
    QVERIFY(!panel.queueDemoRunsIfEmpty());
  }

  void theCurveCoalescesReplots() {
    reco::ui::LossCurvePlot plot;
    plot.resize(600, 300);
    plot.show();
    plot.showRun(QStringLiteral("bpr"), {}, QStringLiteral("waiting"));
    const int before = plot.replotCount();
    for (int epoch = 1; epoch <= 50; ++epoch) {
      reco::EpochReport report;
      report.epoch = epoch;
      report.epochs = 50;
      report.loss = 1.0 / epoch;
      report.validation = 0.01 * epoch;
      report.validationMetric = "ndcg@10";
      plot.appendEpoch(report);
    }
    // Fifty epochs in a burst: one replot, after the interval.
    QCOMPARE(plot.replotCount(), before);
    QVERIFY(plot.replotPending());
    QTRY_VERIFY(!plot.replotPending());
    QCOMPARE(plot.replotCount(), before + 1);
    QCOMPARE(plot.lossPointCount(), 50);
    QCOMPARE(plot.validationPointCount(), 50);
    // A whole stored curve is drawn at once.
    plot.showRun(QStringLiteral("als"), {reco::EpochReport{1, 2, 0.5, std::nullopt, "", 0.1}},
                 QString());
    QCOMPARE(plot.lossPointCount(), 1);
    QCOMPARE(plot.validationPointCount(), 0);
    QVERIFY(!plot.replotPending());
  }

 private:
  QTemporaryDir dir_;
};

QTEST_MAIN(TestExperimentsPanel)
#include "test_experiments_panel.moc"
