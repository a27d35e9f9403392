// An event-loop probe: while a model trains from the Experiments panel (live table rows,
// the live curve, progress signals), a 10 ms timer on the GUI thread never waits more than
// 100 ms between two ticks. Also measures Cancel on a model whose epochs take a while.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <algorithm>

#include "core/data/synthetic.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "tests/support/event_loop_probe.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/panels/experiments_panel.h"
#include "ui/plots/loss_curve_plot.h"
#include "ui/workers/run_queue.h"

using reco::storage::Workspace;
using reco::ui::ExperimentsPanel;

namespace {

constexpr int kTimeoutMs = 60000;
constexpr qint64 kMaxGapMs = 100;

using reco::testing::EventLoopProbe;

void makeWorkspace(const QString& path) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
  reco::testing::createHoldoutSplit(
      workspace, reco::testing::importSyntheticShop(workspace, 3000, 600, 80000, 5));
}

}  // namespace

class TestTrainingResponsiveness : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("probe.reco"));
    makeWorkspace(path_);
  }

  void theGuiThreadNeverStallsWhileAModelTrains() {
    ExperimentsPanel panel(nullptr);
    panel.resize(1300, 860);
    panel.show();
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(path_);
    QVERIFY(loaded.wait(kTimeoutMs));
    QVERIFY(panel.currentSplit().has_value());

    EventLoopProbe probe;
    QSignalSpy runsChanged(&panel, &ExperimentsPanel::runsChanged);
    QSignalSpy epochs(panel.runQueue(), &reco::ui::RunQueue::epochArrived);
    probe.start();
    // Two runs side by side on every core, with per-epoch reports and the live curve.
    panel.runQueue()->setMaxParallel(2);
    QVERIFY(panel.queueRun(QStringLiteral("bpr"), {{"epochs", "60"}, {"factors", "32"}}, true));
    QVERIFY(panel.queueRun(QStringLiteral("als"), {{"iterations", "12"}, {"factors", "48"}}, true));
    QTRY_VERIFY_WITH_TIMEOUT(
        panel.runQueue()->runningCount() + panel.runQueue()->queuedCount() == 0, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(panel.runTable()->liveCount() == 0,
                             kTimeoutMs);  // stored rows read back
    probe.stop();
    qInfo("trained for %lld ms with %d epochs reported; %d probe ticks, longest gap %lld ms",
          static_cast<long long>(probe.elapsed()), int(epochs.count()), probe.ticks(),
          static_cast<long long>(probe.maxGap()));
    QCOMPARE(epochs.count(), 72);
    QVERIFY(runsChanged.count() >= 2);
    QVERIFY(probe.ticks() > 10);
    QVERIFY2(probe.maxGap() <= kMaxGapMs,
             qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(probe.maxGap())));
  }

  void cancelEndsALongerRunWithinTwoSeconds() {
    ExperimentsPanel panel(nullptr);
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(path_);
    QVERIFY(loaded.wait(kTimeoutMs));
    reco::ui::RunQueue* queue = panel.runQueue();
    QSignalSpy epochs(queue, &reco::ui::RunQueue::epochArrived);
    QSignalSpy finished(queue, &reco::ui::RunQueue::runFinished);
    QVERIFY(panel.queueRun(QStringLiteral("bpr"), {{"epochs", "100000"}, {"factors", "64"}}));
    QVERIFY(epochs.wait(kTimeoutMs));
    const int id = queue->ids().back();
    QElapsedTimer clock;
    clock.start();
    QVERIFY(queue->cancel(id));
    QVERIFY(finished.wait(kTimeoutMs));
    qInfo("cancel took %lld ms (epochs of %.0f ms)", static_cast<long long>(clock.elapsed()),
          queue->run(id)->epochReports.front().seconds * 1000.0);
    QVERIFY(clock.elapsed() < 2000);
    QCOMPARE(queue->run(id)->state, reco::ui::RunState::Cancelled);
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::OpenExisting);
    QVERIFY(!reco::storage::findRun(workspace, queue->run(id)->name().toStdString()).has_value());
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(TestTrainingResponsiveness)
#include "test_training_responsiveness.moc"
