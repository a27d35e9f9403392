// The Experiments queue's progress, as pure functions and on a live panel: a run-level ETA
// from the epochs left (not the current epoch's rest), short status lines that fit the runs
// table, and a left column whose width and queue box stay put while a run trains.

#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "core/storage/workspace.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/models/run_table_model.h"
#include "ui/panels/experiments_panel.h"
#include "ui/widgets/run_queue_view.h"
#include "ui/widgets/run_setup_form.h"
#include "ui/workers/run_queue.h"

using reco::ui::QueuedRun;
using reco::ui::RunState;

namespace {
constexpr int kTimeoutMs = 30000;
}

class TestRunProgress : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { reco::ui::setUpApplication(*qApp); }

  void epochProgressReadsDeepAndClassicStages() {
    // A deep model: "NeuMF epoch 3/20" with batches done of total.
    const auto deep = reco::ui::epochProgress(QStringLiteral("NeuMF epoch 3/20"), 50, 100);
    QVERIFY(deep.has_value());
    QCOMPARE(deep->done, 2.5);
    QCOMPARE(deep->planned, 20);
    QCOMPARE(deep->current, 3);
    // A classic iterative model: "BPR epoch" with epochs done of total.
    const auto bpr = reco::ui::epochProgress(QStringLiteral("BPR epoch"), 4, 40);
    QVERIFY(bpr.has_value());
    QCOMPARE(bpr->done, 4.0);
    QCOMPARE(bpr->planned, 40);
    QCOMPARE(bpr->current, 5);
    // Anything else is no epoch.
    QVERIFY(!reco::ui::epochProgress(QStringLiteral("item similarities"), 5, 10));
    QVERIFY(!reco::ui::epochProgress(QStringLiteral("evaluating users"), 5, 10));
    QVERIFY(!reco::ui::epochProgress(QStringLiteral("loading the split"), 0, 0));
  }

  void theEtaCoversTheWholeRun() {
    // 2.5 epochs of 20 in 60 s: 24 s an epoch, 17.5 epochs left.
    QCOMPARE(*reco::ui::trainingEtaSeconds(60, 2.5, 20), 420.0);
    QCOMPARE(*reco::ui::trainingEtaSeconds(60, 20, 20), 0.0);
    QVERIFY(!reco::ui::trainingEtaSeconds(0, 0, 20));
    QVERIFY(!reco::ui::trainingEtaSeconds(10, 1, 0));
  }

  void statusLinesAreShort() {
    QueuedRun run;
    run.state = RunState::Running;
    run.stage = QStringLiteral("NeuMF epoch 3/20");
    run.done = 50;
    run.total = 100;
    run.epochs = 20;
    run.epochsDone = 2.5;
    QCOMPARE(run.statusLine(), QStringLiteral("epoch 3/20"));
    QCOMPARE(run.fraction(), 2.5 / 20);
    run.stage = QStringLiteral("evaluating users");
    run.done = 40;
    QCOMPARE(run.statusLine(), QStringLiteral("evaluating 40%"));
    run.epochs = 0;
    run.stage = QStringLiteral("item similarities");
    run.done = 3;
    run.total = 4;
    QCOMPARE(run.statusLine(), QStringLiteral("training 75%"));
    run.cancelRequested = true;
    QCOMPARE(run.statusLine(), QStringLiteral("cancelling…"));
    for (const auto state :
         {RunState::Queued, RunState::Completed, RunState::Failed, RunState::Cancelled}) {
      run.state = state;
      QVERIFY(run.statusLine().size() <= 16);
    }
  }

  void theQueueStaysInViewAndTheColumnKeepsItsWidth() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("progress.reco"));
    {
      reco::storage::Workspace workspace(path.toStdString(),
                                         reco::storage::Workspace::OpenMode::CreateIfMissing);
      const auto dataset = reco::testing::importSyntheticShop(workspace, 250, 100, 5000, 11);
      reco::testing::createHoldoutSplit(workspace, dataset);
    }
    reco::ui::ExperimentsPanel panel(nullptr);
    // The panel's part of a 1320 x 900 window (without the sidebar, menu and status bar).
    panel.resize(1320 - 170, 900 - 60);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy loaded(&panel, &reco::ui::ExperimentsPanel::loaded);
    panel.setWorkspace(path);
    QVERIFY(loaded.wait(kTimeoutMs));
    auto* left = panel.findChild<QWidget*>(QStringLiteral("experimentsLeftColumn"));
    auto* queueBox = panel.findChild<QGroupBox*>(QStringLiteral("queueBox"));
    QVERIFY(left && queueBox);
    const int width = left->width();

    reco::ui::RunQueue* queue = panel.runQueue();
    QSignalSpy epochs(queue, &reco::ui::RunQueue::epochArrived);
    QVERIFY(panel.queueRun(QStringLiteral("bpr"), {{"epochs", "100000"}}, true));
    QVERIFY(epochs.wait(kTimeoutMs));
    QVERIFY(epochs.wait(kTimeoutMs));
    const int id = queue->ids().back();
    // The ETA is the run's: far more than one epoch's time.
    const QueuedRun* run = queue->run(id);
    QVERIFY(run->etaSeconds.has_value());
    QVERIFY2(*run->etaSeconds > 100 * run->epochReports.front().seconds,
             qPrintable(QStringLiteral("ETA %1 s, an epoch %2 s")
                            .arg(*run->etaSeconds)
                            .arg(run->epochReports.front().seconds)));

    // A long option form (a model with many options) scrolls; the queue stays in view.
    reco::ui::RunSetupForm* setup = panel.runSetup();
    for (const QString& model :
         {QStringLiteral("neumf"), QStringLiteral("biasedmf"), QStringLiteral("bpr")})
      if (setup->selectModel(model)) break;
    QApplication::processEvents();
    auto* view = panel.findChild<reco::ui::RunQueueView*>();
    QVERIFY(view && view->rowCount() == 1);
    QPushButton* cancel = view->cancelButton(id);
    QVERIFY(cancel && cancel->isVisible());
    const QRect inPanel(cancel->mapTo(&panel, QPoint(0, 0)), cancel->size());
    QVERIFY2(panel.rect().contains(inPanel), "the queue's Cancel is below the fold");
    QVERIFY2(cancel->width() >= cancel->sizeHint().width(), "Cancel is clipped");
    QVERIFY(queueBox->mapTo(&panel, QPoint(0, queueBox->height())).y() <= panel.height());
    // A long status line leaves the column as it was.
    QVERIFY(queue->cancel(id));
    QApplication::processEvents();
    QCOMPARE(left->width(), width);
    QVERIFY(cancel->width() >= cancel->sizeHint().width() || !cancel->isVisible());

    // The runs table's status column fits every short status line.
    auto* table = panel.findChild<QTableView*>(QStringLiteral("runTable"));
    const int status = table->columnWidth(reco::ui::RunTableModel::StatusColumn);
    for (const QString& text : {QStringLiteral("epoch 100/100"), QStringLiteral("cancelling…"),
                                QStringLiteral("evaluating 100%")})
      QVERIFY2(status >= table->fontMetrics().horizontalAdvance(text) + 16, qPrintable(text));
  }
};

QTEST_MAIN(TestRunProgress)
#include "test_run_progress.moc"
