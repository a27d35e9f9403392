// The GUI thread at start-up: the window shows, loads the LibTorch module in the background
// (about a second of dlopen, holding the dynamic loader's TLS lock) and opens a workspace at
// the same moment, whose loaders need pool threads. A 10 ms timer on the GUI thread never
// waits more than 250 ms between two ticks meanwhile: before the pool's threads were started
// ahead of the load, it waited 0.4-1.7 s in pthread_create (thread_pool_warm_up.h); since,
// the longest gap is the first paint of the panels with their data, 50-90 ms on two cores
// busy with two fuzzers, once 150 ms. The other responsiveness tests hold the GUI thread to
// 100 ms while work runs; this one's subject is the loader's lock, with the window's first
// layout and paint inside the window measured, so its limit leaves room for those.
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/storage/workspace.h"
#include "tests/support/event_loop_probe.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/panels/datasets_panel.h"

using reco::storage::Workspace;
using reco::ui::MainWindow;

namespace {
constexpr int kTimeoutMs = 60000;
constexpr qint64 kMaxGapMs = 250;
}  // namespace

class TestStartupResponsiveness : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // the window's QSettings go to a test location
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("shop.reco"));
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::CreateIfMissing);
    reco::testing::createHoldoutSplit(
        workspace, reco::testing::importSyntheticShop(workspace, 3000, 600, 80000, 5));
  }

  void theGuiThreadNeverStallsWhileTheWindowStarts() {
    MainWindow window;
    QSignalSpy deviceKnown(&window, &MainWindow::computeDeviceKnown);
    QSignalSpy datasetsShown(window.datasetsPanel(), &reco::ui::DatasetsPanel::datasetsShown);
    window.resize(1280, 800);
    window.show();
    // The first paint (and the zero timer that starts the module's load) happen here, before
    // the probe: painting 1280 x 800 pixels is the GUI thread's own work, not a wait.
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(deviceKnown.isEmpty(), "the module loaded before the workspace opened: no race");
    reco::testing::EventLoopProbe probe;
    probe.start();
    window.openWorkspace(path_);  // its loaders start while the module loads
    QTRY_VERIFY_WITH_TIMEOUT(deviceKnown.count() > 0, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(datasetsShown.count() > 0, kTimeoutMs);
    QTest::qWait(500);  // the panels' follow-up loads
    probe.stop();
    qInfo(
        "module loaded (%s) and workspace opened; %d probe ticks over %lld ms, longest gap %lld "
        "ms",
        qPrintable(window.computeDeviceText()), probe.ticks(), probe.elapsed(), probe.maxGap());
    QVERIFY2(probe.maxGap() < kMaxGapMs,
             qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(probe.maxGap())));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(TestStartupResponsiveness)
#include "test_startup_responsiveness.moc"
