// An event-loop probe on the Items screen (issue 13: "the window's event-loop probe never
// stalls over 100 ms while any of it computes"): while a 1,000 x 1,000 clustered heatmap and
// then the item map are computed, shown and painted, a 10 ms timer on the GUI thread never
// waits more than 100 ms between two ticks. A timing suite: left out of sanitizer builds.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <algorithm>

#include "tests/support/cli_runner.h"
#include "tests/support/event_loop_probe.h"
#include "ui/application_setup.h"
#include "ui/panels/item_map_tab.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/similarity_view.h"
#include "ui/plots/item_map_view.h"
#include "ui/plots/similarity_heatmap.h"

using reco::ui::ItemsPanel;

namespace {

constexpr int kTimeoutMs = 120000;
constexpr qint64 kMaxGapMs = 100;

using reco::testing::EventLoopProbe;

void cli(const QStringList& args) {
  const auto result = reco::testing::runCli(args);
  if (result.exitCode != 0)
    qFatal("reco %s failed (%d): %s", qPrintable(args.join(' ')), result.exitCode,
           result.err.constData());
}

}  // namespace

class TestItemsResponsiveness : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run through ctest)");
    path_ = dir_.filePath(QStringLiteral("probe.reco"));
    cli({"--workspace", path_, "gen-synthetic", "--users", "4000", "--items", "1500",
         "--interactions", "90000", "--seed", "5", "--name", "shop"});
    cli({"--workspace", path_, "split", "--dataset", "shop", "--protocol", "random", "--test",
         "0.2", "--seed", "42", "--name", "holdout"});
    cli({"--workspace", path_, "train", "--dataset", "shop", "--split", "holdout", "--model",
         "itemknn,als"});
  }

  void theGuiThreadNeverStallsWhileTheHeatmapAndTheMapCompute() {
    ItemsPanel panel(nullptr);
    panel.resize(1400, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy items(&panel, &ItemsPanel::itemsShown);
    panel.setWorkspace(path_);
    QVERIFY(items.wait(kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), kTimeoutMs);
    auto* view = panel.similarityView();
    QVERIFY(view->selectRun(QStringLiteral("itemknn")));
    view->setCount(reco::kMaxSimilarityEntities);
    view->setOrder(reco::SimilarityOrder::Cluster);

    EventLoopProbe probe;
    probe.start();
    QSignalSpy shown(view, &reco::ui::SimilarityView::matrixShown);
    panel.tabs()->setCurrentWidget(view);
    QVERIFY(view->isComputing());
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && !view->isComputing(), kTimeoutMs);
    QVERIFY2(view->matrix(), qPrintable(view->statusText()));
    QCOMPARE(int(view->matrix()->size()), reco::kMaxSimilarityEntities);
    QTest::qWait(300);  // painted, and hovered over once
    QTest::mouseMove(view->heatmap(), view->heatmap()->rect().center());
    QTest::qWait(100);
    const qint64 heatmapGap = probe.maxGap();
    const qint64 heatmapMs = probe.elapsed();

    auto* map = panel.mapTab();
    QVERIFY(map->selectRun(QStringLiteral("als")));
    map->setMethod(reco::ItemMapMethod::Neighbour);
    QSignalSpy mapped(map, &reco::ui::ItemMapTab::mapShown);
    panel.tabs()->setCurrentWidget(map);
    QTRY_VERIFY_WITH_TIMEOUT(!mapped.isEmpty() && !map->isComputing(), kTimeoutMs);
    QVERIFY2(map->mapView()->map(), qPrintable(map->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(map->mapView()->isDrawn(), kTimeoutMs);
    probe.stop();
    qInfo(
        "heatmap of 1,000 items in %lld ms (longest gap %lld ms); then the neighbour map of "
        "%zu items, %d probe ticks in all, longest gap %lld ms",
        static_cast<long long>(heatmapMs), static_cast<long long>(heatmapGap),
        map->mapView()->map()->size(), probe.ticks(), static_cast<long long>(probe.maxGap()));
    QVERIFY(probe.ticks() > 10);
    QVERIFY2(probe.maxGap() <= kMaxGapMs,
             qPrintable(QStringLiteral("the GUI thread stalled for %1 ms").arg(probe.maxGap())));
  }

 private:
  QTemporaryDir dir_;
  QString path_;
};

QTEST_MAIN(TestItemsResponsiveness)
#include "test_items_responsiveness.moc"
