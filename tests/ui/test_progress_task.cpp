// ProgressTask, the background runner of the Compare panel's re-ranking: a finished request
// delivers its value on the GUI thread; a cancelled one never delivers, but says when it has
// really ended in the pool (droppedEnded), which is when the runs it stored before it stopped
// can be listed.

#include <QSignalSpy>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "ui/workers/progress_task.h"

using reco::ui::ProgressTask;

class ProgressTaskTest : public QObject {
  Q_OBJECT

 private slots:
  void aFinishedRequestDelivers() {
    ProgressTask task(nullptr);
    QSignalSpy dropped(&task, &ProgressTask::droppedEnded);
    int delivered = 0;
    task.start<int>(
        QStringLiteral("adding"),
        [](reco::JobObserver*, std::stop_token) { return std::make_shared<int>(42); },
        [&](const std::shared_ptr<const int>& value, const std::exception_ptr& error) {
          QVERIFY(!error);
          QVERIFY(value && *value == 42);
          ++delivered;
        });
    QTRY_COMPARE(delivered, 1);
    QVERIFY(!task.isRunning());
    QCOMPARE(dropped.count(), 0);
  }

  void aCancelledRequestNeverDeliversButSaysWhenItEnded() {
    ProgressTask task(nullptr);
    QSignalSpy dropped(&task, &ProgressTask::droppedEnded);
    auto started = std::make_shared<std::atomic<bool>>(false);
    auto sawStop = std::make_shared<std::atomic<bool>>(false);
    int delivered = 0;
    task.start<int>(
        QStringLiteral("waiting for a stop"),
        [started, sawStop](reco::JobObserver*, std::stop_token stop) {
          started->store(true);
          while (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
          // Work that still ends after the stop (a run being stored) before the task ends.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          sawStop->store(true);
          return std::shared_ptr<int>();
        },
        [&](const std::shared_ptr<const int>&, const std::exception_ptr&) { ++delivered; });
    QTRY_VERIFY(started->load());
    task.cancel();
    QVERIFY(!task.isRunning());
    QCOMPARE(dropped.count(), 0);  // the pool task has not ended yet
    QVERIFY(dropped.wait(5000));
    QVERIFY(sawStop->load());  // emitted after the work really finished
    QCOMPARE(delivered, 0);
  }
};

QTEST_MAIN(ProgressTaskTest)
#include "test_progress_task.moc"
