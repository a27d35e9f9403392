// The training controller and the run queue on a small generated shop: epochs reach the GUI
// thread in order, Cancel ends a run within 2 s and stores nothing, a failing model surfaces
// its error (and is stored as failed) while the next queued run still trains, and the queue
// never runs more runs side by side than its limit.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "core/data/synthetic.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "tests/support/shop_workspace.h"
#include "ui/workers/run_queue.h"
#include "ui/workers/training_controller.h"

using reco::storage::Workspace;
using reco::ui::RunQueue;
using reco::ui::RunRequest;
using reco::ui::RunState;
using reco::ui::TrainingController;

namespace {

constexpr int kTimeoutMs = 20000;

/// A workspace with a generated shop and a random split with a validation part.
reco::storage::SplitInfo makeWorkspace(const QString& path) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
  const reco::DatasetInfo dataset =
      reco::testing::importSyntheticShop(workspace, 300, 120, 6000, 7);
  return reco::testing::createHoldoutSplit(workspace, dataset);
}

RunRequest request(const QString& path, const reco::storage::SplitInfo& split, const char* model,
                   const char* name, reco::OptionValues options = {}) {
  RunRequest r;
  r.workspacePath = path;
  r.split = split;
  r.splitLabel = QStringLiteral("shop / holdout");
  r.options.model = model;
  r.options.runName = name;
  r.options.options = std::move(options);
  r.options.compute.threads = 1;
  r.options.eval.ks = {10};
  return r;
}

std::optional<reco::storage::RunInfo> storedRun(const QString& path, const char* name) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::OpenExisting);
  return reco::storage::findRun(workspace, name);
}

}  // namespace

class TestTrainingController : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("shop.reco"));
    split_ = makeWorkspace(path_);
    QVERIFY(split_.validPairs > 0);
  }

  void epochsArriveOnTheGuiThreadInOrder() {
    TrainingController controller(
        request(path_, split_, "bpr", "bpr-epochs", {{"epochs", "6"}, {"factors", "8"}}));
    std::vector<int> epochs;
    bool allOnGuiThread = true;
    connect(&controller, &TrainingController::epochFinished, this,
            [&](const reco::EpochReport& report) {
              allOnGuiThread = allOnGuiThread && QThread::currentThread() == qApp->thread();
              epochs.push_back(report.epoch);
              QCOMPARE(report.epochs, 6);
            });
    QSignalSpy completed(&controller, &TrainingController::completed);
    QSignalSpy failed(&controller, &TrainingController::failed);
    QSignalSpy finished(&controller, &TrainingController::finished);
    controller.start();
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(completed.count(), 1);
    QCOMPARE(controller.state(), TrainingController::State::Completed);
    QVERIFY(allOnGuiThread);
    QCOMPARE(epochs, (std::vector<int>{1, 2, 3, 4, 5, 6}));
    const auto run = completed.front().front().value<reco::storage::RunInfo>();
    QCOMPARE(QString::fromStdString(run.name), QStringLiteral("bpr-epochs"));
    const auto stored = storedRun(path_, "bpr-epochs");
    QVERIFY(stored.has_value());
    QCOMPARE(QString::fromStdString(stored->status), QStringLiteral("done"));
  }

  void cancelEndsARunWithinTwoSecondsAndStoresNothing() {
    // Far more epochs than the test will ever wait for.
    TrainingController controller(
        request(path_, split_, "bpr", "bpr-cancelled", {{"epochs", "100000"}, {"factors", "16"}}));
    QSignalSpy epochs(&controller, &TrainingController::epochFinished);
    QSignalSpy cancelled(&controller, &TrainingController::cancelled);
    QSignalSpy completed(&controller, &TrainingController::completed);
    QSignalSpy finished(&controller, &TrainingController::finished);
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 3, kTimeoutMs);
    QElapsedTimer clock;
    clock.start();
    controller.cancel();
    QVERIFY(cancelled.wait(kTimeoutMs));
    const qint64 elapsed = clock.elapsed();
    qInfo("cancel took %lld ms", static_cast<long long>(elapsed));
    QVERIFY2(elapsed < 2000, qPrintable(QStringLiteral("cancel took %1 ms").arg(elapsed)));
    QVERIFY(finished.count() == 1 || finished.wait(kTimeoutMs));
    QCOMPARE(completed.count(), 0);
    QCOMPARE(controller.state(), TrainingController::State::Cancelled);
    QVERIFY(!storedRun(path_, "bpr-cancelled").has_value());
  }

  void destroyingARunningControllerStopsIt() {
    QElapsedTimer clock;
    {
      TrainingController controller(request(path_, split_, "bpr", "bpr-destroyed",
                                            {{"epochs", "100000"}, {"factors", "16"}}));
      QSignalSpy epochs(&controller, &TrainingController::epochFinished);
      controller.start();
      QVERIFY(epochs.wait(kTimeoutMs));
      clock.start();
    }
    QVERIFY(clock.elapsed() < 2000);
    QVERIFY(!storedRun(path_, "bpr-destroyed").has_value());
  }

  void aFailingRunShowsItsErrorAndTheNextRunStillTrains() {
    RunQueue queue;
    QSignalSpy finishedRuns(&queue, &RunQueue::runFinished);
    QSignalSpy drained(&queue, &RunQueue::drained);
    // EASE refuses an item x item matrix larger than its memory budget: a Config error at fit.
    const int failing = queue.enqueue(
        request(path_, split_, "ease", "ease-too-big", {{"max_memory_gb", "0.000000001"}}));
    const int next = queue.enqueue(request(path_, split_, "pop", "pop-after-failure"));
    QCOMPARE(queue.runningCount(), 1);
    QCOMPARE(queue.queuedCount(), 1);
    QVERIFY(drained.wait(kTimeoutMs));
    QCOMPARE(finishedRuns.count(), 2);
    const reco::ui::QueuedRun* failed = queue.run(failing);
    QVERIFY(failed);
    QCOMPARE(failed->state, RunState::Failed);
    QVERIFY2(failed->error.contains(QStringLiteral("ease needs")), qPrintable(failed->error));
    QVERIFY2(failed->error.startsWith(QStringLiteral("Bad option: ")), qPrintable(failed->error));
    QCOMPARE(queue.run(next)->state, RunState::Completed);
    QVERIFY(queue.run(next)->stored.has_value());
    // runExperiment stores a failure after the model was built, with its error.
    const auto stored = storedRun(path_, "ease-too-big");
    QVERIFY(stored.has_value());
    QCOMPARE(QString::fromStdString(stored->status), QStringLiteral("failed"));
    QVERIFY(QString::fromStdString(stored->error).contains(QStringLiteral("ease needs")));
  }

  // A model that reports fast (bpr's epochs take milliseconds here) repaints its row at
  // most ~4 times a second: every epoch still arrives, the row's changes are coalesced.
  void fastProgressIsCoalesced() {
    RunQueue queue;
    QSignalSpy epochs(&queue, &RunQueue::epochArrived);
    QSignalSpy changes(&queue, &RunQueue::runChanged);
    QSignalSpy drained(&queue, &RunQueue::drained);
    QElapsedTimer clock;
    clock.start();
    const int id = queue.enqueue(
        request(path_, split_, "bpr", "bpr-fast", {{"epochs", "150"}, {"factors", "8"}}));
    QVERIFY(drained.wait(kTimeoutMs));
    QCOMPARE(queue.run(id)->state, RunState::Completed);
    QCOMPARE(epochs.count(), 150);
    // Queued, running and done, plus one per interval at the most.
    const qint64 bound = 4 + clock.elapsed() / RunQueue::kChangeIntervalMs + 1;
    QVERIFY2(changes.count() <= bound,
             qPrintable(QStringLiteral("%1 row changes for %2 epochs in %3 ms (bound %4)")
                            .arg(changes.count())
                            .arg(epochs.count())
                            .arg(clock.elapsed())
                            .arg(bound)));
  }

  void anUnknownOptionFailsBeforeTraining() {
    RunQueue queue;
    QSignalSpy drained(&queue, &RunQueue::drained);
    const int id =
        queue.enqueue(request(path_, split_, "pop", "pop-bad-option", {{"no_such_option", "1"}}));
    QVERIFY(drained.wait(kTimeoutMs));
    QCOMPARE(queue.run(id)->state, RunState::Failed);
    QVERIFY2(queue.run(id)->error.contains(QStringLiteral("unknown option")),
             qPrintable(queue.run(id)->error));
  }

  void theQueueRespectsTheSideBySideLimit() {
    RunQueue queue;
    queue.setMaxParallel(2);
    int maxRunning = 0;
    connect(&queue, &RunQueue::runChanged, this,
            [&] { maxRunning = std::max(maxRunning, queue.runningCount()); });
    std::vector<int> ids;
    for (int i = 0; i < 4; ++i) {
      const QByteArray name = "bpr-parallel-" + QByteArray::number(i);
      ids.push_back(queue.enqueue(request(path_, split_, "bpr", name.constData(),
                                          {{"epochs", "100000"}, {"factors", "8"}})));
    }
    QCOMPARE(queue.runningCount(), 2);
    QCOMPARE(queue.queuedCount(), 2);
    QCOMPARE(queue.run(ids[0])->state, RunState::Running);
    QCOMPARE(queue.run(ids[1])->state, RunState::Running);
    QCOMPARE(queue.run(ids[2])->state, RunState::Queued);
    // Both running runs make progress side by side.
    QTRY_VERIFY_WITH_TIMEOUT(queue.run(ids[0])->epoch >= 2 && queue.run(ids[1])->epoch >= 2,
                             kTimeoutMs);

    // A cancelled running run frees its slot for the next queued one, in order.
    QSignalSpy finished(&queue, &RunQueue::runFinished);
    QVERIFY(queue.cancel(ids[0]));
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(queue.run(ids[0])->state, RunState::Cancelled);
    QCOMPARE(queue.run(ids[2])->state, RunState::Running);
    QCOMPARE(queue.run(ids[3])->state, RunState::Queued);
    QCOMPARE(queue.runningCount(), 2);

    // A cancelled queued run never starts.
    QVERIFY(queue.cancel(ids[3]));
    QCOMPARE(queue.run(ids[3])->state, RunState::Cancelled);
    QCOMPARE(queue.queuedCount(), 0);

    QSignalSpy drained(&queue, &RunQueue::drained);
    queue.cancelAll();
    QVERIFY(drained.count() == 1 || drained.wait(kTimeoutMs));
    QCOMPARE(maxRunning, 2);
    for (const int id : ids) QCOMPARE(queue.run(id)->state, RunState::Cancelled);
    QVERIFY(queue.remove(ids[0]));
    QVERIFY(!queue.run(ids[0]));
  }

  void oneAtATimeByDefault() {
    RunQueue queue;
    QCOMPARE(queue.maxParallel(), 1);
    int maxRunning = 0;
    connect(&queue, &RunQueue::runChanged, this,
            [&] { maxRunning = std::max(maxRunning, queue.runningCount()); });
    QSignalSpy drained(&queue, &RunQueue::drained);
    queue.enqueue(request(path_, split_, "pop", "pop-seq-1"));
    queue.enqueue(request(path_, split_, "bpr", "bpr-seq-2", {{"epochs", "3"}, {"factors", "8"}}));
    queue.enqueue(request(path_, split_, "pop", "pop-seq-3"));
    QVERIFY(drained.wait(kTimeoutMs));
    QCOMPARE(maxRunning, 1);
    for (const int id : queue.ids()) QCOMPARE(queue.run(id)->state, RunState::Completed);
    const reco::ui::QueuedRun* bpr = queue.run(queue.ids()[1]);
    QCOMPARE(int(bpr->epochReports.size()), 3);
    QCOMPARE(bpr->statusLine(), QStringLiteral("done"));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
  reco::storage::SplitInfo split_;
};

QTEST_MAIN(TestTrainingController)
#include "test_training_controller.moc"
